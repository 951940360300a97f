"""Specification of `tradecurbs validate` and its output formats."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from test_validate_helpers import VALID, rows

from tradecurbs import validate
from tradecurbs.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_validate_cli_valid_package_exits_0_with_a_summary(make_package):
    path = make_package(VALID)
    result = run(str(path))
    assert result.exit_code == 0
    assert result.output.startswith(f"{path}: valid: 0 errors, 0 warnings in 8 tables (")
    assert result.output.endswith(" lines: 8 headers + 257 records)\n")


def test_validate_cli_problems_exit_1_with_file_line_field_and_message(make_package):
    path = make_package(rows(trade_remedies={1: {"status": "bogus"}}))
    result = run(str(path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/trade_remedies.csv:3 [status]: error constraint-error: status 'bogus' is not one of: initiated, "
        "preliminary_measures, final_measures, undertakings, terminated, expired",
        f"{path}: invalid: 1 error, 0 warnings in 8 tables (265 lines: 8 headers + 257 records)",
    ]


def test_validate_cli_json_equals_the_library_report(make_package):
    path = make_package(rows(trade_remedies={0: {"hs_codes": ["8099"], "product": " Widgets"}}))
    result = run(str(path), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == validate(path).to_dict()


def test_validate_cli_github_annotations(make_package):
    path = make_package(rows(trade_remedies={1: {"status": "bogus"}}))
    lines = run(str(path), "--format", "github").output.splitlines()
    assert lines[0] == (
        "::error file=data/trade_remedies.csv,line=3,col=23,title=constraint-error::status 'bogus' is not one of: "
        "initiated, preliminary_measures, final_measures, undertakings, terminated, expired")


def test_validate_cli_no_descriptor_exits_2(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path}: not a data package (no datapackage.json there)\n"


def test_validate_cli_invalid_descriptor_exits_2_without_traceback(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "invalid JSON in descriptor" in result.output and "Traceback" not in result.output


def test_validate_cli_runs_as_a_real_process(make_package):
    path = make_package(rows(trade_remedies={1: {"status": "bogus"}}))
    completed = subprocess.run([sys.executable, "-m", "tradecurbs", "validate", str(path), "--format", "json"],
                               capture_output=True, text=True)
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["counts"] == {"errors": 1, "warnings": 0}


def test_validate_of_the_repository_never_imports_pandas():
    """pandas and pandera cost validate 0.3 s of start-up; a valid package (warnings included)
    is checked on Arrow alone, with every rule on."""
    from conftest import REPO

    script = ("import sys; from tradecurbs import validate; report = validate(sys.argv[1]); "
              "assert report.ok and report.warnings, report.to_dict()['counts']; print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(REPO)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
