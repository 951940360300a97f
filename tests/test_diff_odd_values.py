"""The diff on odd values: non-finite numbers, the first and last allowed years, huge integers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE

from tradecurbs.changes import diff
from tradecurbs.changes.render import render_json, render_markdown
from tradecurbs.cli import main


def remedies(make_package, *rows):
    return make_package({"sources": [SOURCE], "trade_remedies": list(rows)})


def strict_json(text: str):
    """Parse JSON the way other languages do: NaN and Infinity are not JSON tokens."""
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", ["NaN", "INF", "-INF"])
def test_diff_refuses_non_finite_numbers_cleanly(make_package, value):
    """NaN and infinities are invalid data (tradecurbs.limits): in a record the diff reports,
    the diff says so, names the row, and exits 2."""
    old = remedies(make_package, REMEDY)
    new = remedies(make_package, {**REMEDY, "final_rate_max_pct": value})
    cli = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert cli.exit_code == 2, cli.output
    assert "row 1, field 'final_rate_max_pct' is not a finite number" in cli.output
    assert "Traceback" not in cli.output


def test_diff_engine_treats_nan_as_equal_and_writes_strict_json():
    """Where a NaN reaches the engine, it equals NaN and renders as the string 'NaN'."""
    import pyarrow as pa

    from tradecurbs.changes.compute import _differs, _plain_column
    from tradecurbs.datapackage import Field

    field = Field.from_descriptor({"name": "x", "type": "number"})
    left = pa.chunked_array([[float("nan"), 1.0, float("inf"), None]])
    right = pa.chunked_array([[float("nan"), float("nan"), float("inf"), None]])
    assert _differs(left, right, field, field).tolist() == [False, True, False, False]
    assert strict_json(json.dumps(_plain_column(right, field))) == ["NaN", "NaN", "INF", None]


@pytest.mark.parametrize("day", ["1000-01-01", "9999-12-31"])
def test_diff_handles_the_calendar_edges(make_package, day):
    old = remedies(make_package, REMEDY)
    new = remedies(make_package, {**REMEDY, "final_on": day}, {**REMEDY, "id": "tr-chn-2026-added", "final_on": day})
    same = remedies(make_package, {**REMEDY, "final_on": day})
    assert diff(str(same), str(same)).is_empty
    result = diff(str(old), str(new))
    table = result.tables["trade_remedies"]
    assert table.modified[0]["changes"] == {"final_on": [None, day]}
    assert table.added[0]["final_on"] == day
    assert diff(str(new), str(old)).tables["trade_remedies"].removed[0]["final_on"] == day
    for output_format in ("json", "text", "markdown"):
        cli = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", output_format])
        assert cli.exit_code == 1, cli.output
        assert day in cli.output
    strict_json(render_json(result))
    assert day in render_markdown(result)


def test_diff_compares_large_integers_exactly(make_package):
    descriptor = json.loads((remedies(make_package, REMEDY) / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if field["name"] == "case_reference" and resource["name"] == "trade_remedies":
                field["type"] = "integer"
    big = 2**53
    old = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "case_reference": str(big)}]}, descriptor)
    new = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "case_reference": str(big + 1)}]},
                       descriptor)
    changes = diff(str(old), str(new)).tables["trade_remedies"].modified[0]["changes"]
    assert changes == {"case_reference": [big, big + 1]}


def test_diff_of_csv_against_parquet_compares_enums_by_value(make_package, tmp_path):
    """Enums are dictionary codes in both formats, each file with a dictionary of its own:
    the same records compare equal, and a changed status is reported as its two values."""
    import shutil

    import pyarrow.parquet as pq

    from tradecurbs.datapackage import Package
    from tradecurbs.loading import read_table

    old = remedies(make_package, REMEDY)
    new = remedies(make_package, {**REMEDY, "status": "final_measures"})
    as_parquet = tmp_path / "as-parquet"
    shutil.copytree(old, as_parquet)
    package = Package.from_directory(as_parquet)
    table = read_table(package, package.resource("trade_remedies"))
    assert str(table.schema.field("status").type).startswith("dictionary")
    pq.write_table(table, as_parquet / "data" / "trade_remedies.parquet")
    descriptor = json.loads((as_parquet / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == "trade_remedies":
            resource["path"], resource["format"] = "data/trade_remedies.parquet", "parquet"
    (as_parquet / "datapackage.json").write_text(json.dumps(descriptor))

    assert diff(str(as_parquet), str(old)).tables["trade_remedies"].is_empty
    changes = diff(str(as_parquet), str(new)).tables["trade_remedies"].modified
    assert changes == [{"key": {"id": REMEDY["id"]}, "changes": {"status": [REMEDY["status"], "final_measures"]}}]
