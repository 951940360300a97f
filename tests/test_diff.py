"""tradecurbs diff: record-level changes between any two packages, exit status as diff(1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE

from tradecurbs.changes import diff
from tradecurbs.changes.render import render_markdown
from tradecurbs.cli import main
from tradecurbs.errors import DataError

OTHER = {**REMEDY, "id": "tr-chn-2026-other", "product": "Other product"}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def remedies(make_package, *rows):
    return make_package({"sources": [SOURCE], "trade_remedies": list(rows)})


def test_diff_of_a_package_with_itself_is_empty(make_package):
    path = remedies(make_package, REMEDY, OTHER)
    result = diff(str(path), str(path))
    assert result.is_empty
    assert run("diff", str(path), str(path)).exit_code == 0


def test_diff_reports_added_removed_and_modified_field_by_field(make_package):
    old = remedies(make_package, REMEDY, OTHER)
    changed = {**REMEDY, "status": "final_measures", "final_on": "2026-06-01", "final_rate_max_pct": "30"}
    added = {**REMEDY, "id": "tr-chn-2026-new"}
    new = remedies(make_package, changed, added)
    table = diff(str(old), str(new)).tables["trade_remedies"]
    assert table.summary == {"added": 1, "removed": 1, "modified": 1}
    assert [r["id"] for r in table.added] == ["tr-chn-2026-new"]
    assert [r["id"] for r in table.removed] == ["tr-chn-2026-other"]
    assert table.modified == [{
        "key": {"id": "tr-chn-2026-example"},
        "changes": {"final_on": [None, "2026-06-01"], "final_rate_max_pct": [None, 30],
                    "status": ["initiated", "final_measures"]},
    }]


def test_diff_semantics_lists_numbers_order_and_empty_cells(make_package):
    old = remedies(make_package, REMEDY, OTHER)
    same = {**REMEDY, "preliminary_rate_min_pct": "10.0", "case_reference": ""}
    new = remedies(make_package, OTHER, same)  # reordered rows, 10 == 10.0, '' == missing
    assert diff(str(old), str(new)).is_empty
    reordered_list = remedies(make_package, {**REMEDY, "exporting_jurisdictions": ["KOR", "JPN"]}, OTHER)
    changes = diff(str(old), str(reordered_list)).tables["trade_remedies"].modified[0]["changes"]
    assert changes == {"exporting_jurisdictions": [["JPN", "KOR"], ["KOR", "JPN"]]}


def test_diff_reports_a_whitespace_only_change(make_package):
    old = remedies(make_package, REMEDY)
    new = remedies(make_package, {**REMEDY, "product": "Example chemical "})
    changes = diff(str(old), str(new)).tables["trade_remedies"].modified[0]["changes"]
    assert changes == {"product": ["Example chemical", "Example chemical "]}


def test_diff_changed_key_is_a_removal_and_an_addition(make_package):
    old = remedies(make_package, REMEDY)
    new = remedies(make_package, {**REMEDY, "id": "tr-chn-2026-renamed"})
    assert diff(str(old), str(new)).tables["trade_remedies"].summary == {"added": 1, "removed": 1, "modified": 0}


def test_diff_schema_changes_come_first(make_package):
    old = remedies(make_package, REMEDY)
    descriptor = json.loads((old / "datapackage.json").read_text())
    remedy_spec = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    remedy_spec["schema"]["fields"] = [f for f in remedy_spec["schema"]["fields"] if f["name"] != "petitioners"]
    status = next(f for f in remedy_spec["schema"]["fields"] if f["name"] == "status")
    status["constraints"]["enum"] = status["constraints"]["enum"] + ["suspended"]
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "import_restrictions"]
    new = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]}, descriptor=descriptor)
    kinds = [(c["kind"], c.get("table"), c.get("field")) for c in diff(str(old), str(new)).schema_changes]
    assert ("enum_added", "trade_remedies", "status") in kinds
    assert ("field_removed", "trade_remedies", "petitioners") in kinds
    assert ("table_removed", "import_restrictions", None) in kinds
    text = run("diff", str(old), str(new)).output
    assert text.index("schema:") < text.index("field removed: trade_remedies.petitioners")


def test_diff_cli_json_equals_the_library(make_package):
    old, new = remedies(make_package, REMEDY), remedies(make_package, REMEDY, OTHER)
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == diff(str(old), str(new)).to_dict()
    shape = json.loads(result.output)
    assert shape["tables"]["trade_remedies"]["summary"] == {"added": 1, "removed": 0, "modified": 0}
    assert set(shape) >= {"schema", "tables"}


def test_diff_cli_table_and_summary_options(make_package):
    old, new = remedies(make_package, REMEDY), remedies(make_package, REMEDY, OTHER)
    result = run("diff", str(old), str(new), "--table", "trade_remedies", "--summary", "--format", "json")
    assert json.loads(result.output)["tables"] == {
        "trade_remedies": {"key": ["id"], "summary": {"added": 1, "removed": 0, "modified": 0}}}
    unknown = run("diff", str(old), str(new), "--table", "nope")
    assert unknown.exit_code == 2 and "unknown table 'nope'" in unknown.output


def test_diff_trouble_exits_2_with_one_line(make_package, tmp_path):
    path = remedies(make_package, REMEDY)
    result = run("diff", str(path), str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "is not a package directory" in result.output


def test_diff_duplicate_keys_are_trouble_not_a_wrong_answer(make_package):
    old, new = remedies(make_package, REMEDY), remedies(make_package, REMEDY, REMEDY)
    with pytest.raises(DataError, match="appears more than once"):
        diff(str(old), str(new))


def test_markdown_has_counts_table_and_folds_long_lists(make_package):
    old = remedies(make_package, REMEDY)
    many = [REMEDY] + [{**REMEDY, "id": f"tr-chn-2026-n{i:02d}"} for i in range(12)]
    text = render_markdown(diff(str(old), str(remedies(make_package, *many))))
    assert "| `trade_remedies` | 12 | 0 | 0 |" in text
    assert "<details><summary>Added (12)</summary>" in text


def test_diff_head_against_working_tree_in_a_git_repository(make_package, tmp_path):
    repo = remedies(make_package, REMEDY, OTHER)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    csv_path = repo / "data" / "trade_remedies.csv"
    csv_path.write_text(csv_path.read_text().replace("Other product", "Other product renamed"))
    git("commit", "-qam", "rename")
    command = [sys.executable, "-m", "tradecurbs", "diff", "HEAD~1", "."]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "trade_remedies: 0 added, 0 removed, 1 modified" in result.stdout
    assert "~ tr-chn-2026-other" in result.stdout
    assert "product: 'Other product' -> 'Other product renamed'" in result.stdout
    same = subprocess.run([sys.executable, "-m", "tradecurbs", "diff", "HEAD", "."], cwd=repo,
                          capture_output=True, text=True)
    assert same.returncode == 0 and "no differences" in same.stdout


def test_diff_never_imports_pandas(make_package):
    """pandas costs a diff 0.3-0.5 s of start-up; numbers, dates, lists, text and composite keys
    are all compared without it."""
    old = remedies(make_package, REMEDY, OTHER)
    changed = {**REMEDY, "final_on": "2026-06-01", "final_rate_max_pct": "30", "exporting_jurisdictions": ["KOR"],
               "product": "Changed"}
    new = remedies(make_package, changed, {**REMEDY, "id": "tr-chn-2026-new"})
    script = ("import sys; from tradecurbs.changes import diff; from tradecurbs.changes.render import render_json; "
              "result = diff(sys.argv[1], sys.argv[2]); render_json(result); "
              "assert result.tables['trade_remedies'].summary == {'added': 1, 'removed': 1, 'modified': 1}; "
              "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(old), str(new)], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
