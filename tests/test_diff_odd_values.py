"""The diff on odd but valid values: NaN numbers, the first and last calendar days, huge integers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE

from tradecurbs.changes import diff
from tradecurbs.changes.render import render_json, render_markdown, render_text
from tradecurbs.cli import main


def remedies(make_package, *rows):
    return make_package({"sources": [SOURCE], "trade_remedies": list(rows)})


def strict_json(text: str):
    """Parse JSON the way other languages do: NaN and Infinity are not JSON tokens."""
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", ["NaN", "INF", "-INF"])
def test_diff_of_non_finite_numbers_with_themselves_is_empty(make_package, value):
    path = remedies(make_package, {**REMEDY, "final_rate_max_pct": value})
    result = diff(str(path), str(path))
    assert result.is_empty
    cli = CliRunner().invoke(main, ["diff", str(path), str(path), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    strict_json(cli.output)


def test_diff_reports_a_number_becoming_nan_as_valid_json(make_package):
    old = remedies(make_package, {**REMEDY, "final_rate_max_pct": "12.5"})
    new = remedies(make_package, {**REMEDY, "final_rate_max_pct": "NaN"},
                   {**REMEDY, "id": "tr-chn-2026-added", "final_rate_max_pct": "-INF"})
    result = diff(str(old), str(new))
    table = result.tables["trade_remedies"]
    assert table.modified[0]["changes"] == {"final_rate_max_pct": [12.5, "NaN"]}
    assert table.added[0]["final_rate_max_pct"] == "-INF"
    shape = strict_json(render_json(result))
    assert shape["tables"]["trade_remedies"]["modified"][0]["changes"]["final_rate_max_pct"] == [12.5, "NaN"]
    assert "12.5 -> 'NaN'" in render_text(result)


@pytest.mark.parametrize("day", ["0000-01-01", "0001-01-01", "9999-12-31"])
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
