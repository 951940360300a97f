"""What a command imports: the everyday paths stay light (measured by the benchmarks, asserted here)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(m for m in sys.modules if '.' not in m)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    return set(out.stdout.split())


def test_validate_never_imports_pandas_pandera_or_frictionless():
    modules = imported_after(
        "from tradecurbs.cli import main\n"
        "try:\n    main(['validate', '.'])\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n")
    assert not modules & {"pandas", "pandera", "frictionless"}


def test_import_and_diff_never_import_an_outside_engine():
    modules = imported_after("import tradecurbs\ntradecurbs.diff('.', '.')")
    assert not modules & {"duckdb", "polars", "frictionless", "pandera"}
