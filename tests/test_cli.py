"""The browse CLI as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

import tradecurbs
from tradecurbs.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_version_prints_the_distribution_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"tradecurbs {tradecurbs.__version__}"


def test_cli_tables_lists_names_rows_and_descriptions():
    result = run("tables")
    assert result.exit_code == 0
    line = next(ln for ln in result.output.splitlines() if ln.startswith("jurisdictions"))
    assert f"{len(tradecurbs.load('jurisdictions'))} rows" in line
    assert "ISO 3166-1" in line


def test_cli_show_json_matches_the_loaded_rows():
    result = run("show", "jurisdictions", "--limit", "2", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == [
        {"code": "ABW", "name": "Aruba", "kind": "country"},
        {"code": "AFG", "name": "Afghanistan", "kind": "country"},
    ]


def test_cli_show_csv_has_the_header_and_rows():
    result = run("show", "jurisdictions", "--limit", "1", "--format", "csv")
    assert result.output == "code,name,kind\nABW,Aruba,country\n"


def test_cli_show_table_format_is_aligned_text():
    result = run("show", "jurisdictions", "--limit", "1")
    assert result.output.splitlines()[0].split() == ["code", "name", "kind"]
    assert "(1 rows)" in result.output


def test_cli_show_unknown_table_is_one_line_and_exit_2():
    result = run("show", "nope")
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: unknown table 'nope'")
    assert "trade_remedies" in result.output
    assert "Traceback" not in result.output


def test_cli_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from tradecurbs.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'pyarrow', 'pandera', 'frictionless', 'numpy') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("HEAVY=")


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "tradecurbs", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("tradecurbs ")


def test_output_cut_short_by_the_reader_ends_quietly():
    """`tradecurbs tables | head -1`: when the reader has gone, no error message, and the
    status a shell gives a program ended by SIGPIPE."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-m", "tradecurbs", "tables"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # the reader is gone before the command writes anything
    _, errors = child.communicate(timeout=120)
    assert (child.returncode, errors) == (141, b"")
