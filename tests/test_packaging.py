"""The wheel carries the data: a plain install works from any directory, with no checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
    )
    return next(out.glob("tradecurbs-*.whl"))


def test_wheel_ships_descriptor_data_and_validation(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "tradecurbs/_data/datapackage.json" in names
    for table in ("export_controls", "trade_remedies", "travel_advisories", "import_restrictions", "sources",
                  "jurisdictions"):
        assert f"tradecurbs/_data/data/{table}.csv" in names
    assert any(n.startswith("tradecurbs/_data/validation/") for n in names)


def test_installed_wheel_loads_typed_tables_from_an_empty_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # Dependencies come from the test environment (appended after the venv's own site
    # directory, so the package itself is imported from the wheel only).
    deps = [p for p in sys.path if p.endswith("-packages")]
    (Path(site) / "test-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    code = (
        "import tradecurbs, pathlib\n"
        f"assert tradecurbs.__file__.startswith({str(env_dir)!r}), tradecurbs.__file__\n"
        "frame = tradecurbs.load('trade_remedies')\n"
        "print(frame.dtypes['initiated_on'], frame.dtypes['status'], len(tradecurbs.load('jurisdictions')))\n"
    )
    result = subprocess.run([str(python), "-I", "-c", code], cwd=empty, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["datetime64[s]", "category", "251"]
