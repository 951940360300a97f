"""What a command imports: the everyday paths stay light (measured by the benchmarks, asserted here)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
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


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc (Linux)")
def test_the_command_line_starts_no_blas_worker_threads_unless_asked():
    """numpy's OpenBLAS would start a spinning thread per core; no command uses BLAS."""
    probe = ("import threading, os\nfrom tradecurbs.cli import main\nimport numpy\n"
             "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["1", "1"]
    env["OPENBLAS_NUM_THREADS"] = "2"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split()[0] == "2"


@pytest.mark.parametrize("args", [["validate", "."], ["diff", ".", "."],
                                  ["release", "check", "--version", "0.1.0", "--source", ".", "--out", "releases"]])
def test_the_heavy_commands_allocate_from_jemalloc_where_pyarrow_has_it(args):
    """The default pool's huge pages cost dear to zero; the library leaves the caller's pool alone."""
    import pyarrow as pa

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow build has no jemalloc")
    probe = ("import pyarrow as pa\nfrom tradecurbs.cli import main\nimport tradecurbs\n"
             f"tradecurbs.validate('.')\nbefore = pa.default_memory_pool().backend_name\n"
             f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
             "print(before, pa.default_memory_pool().backend_name)\n")
    fresh = subprocess.run([sys.executable, "-c", "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split()[-2:] == [fresh, "jemalloc"]
