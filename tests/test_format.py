"""Specification of `tradecurbs format`: canonical CSV, values unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_helpers import VALID

from tradecurbs import validate
from tradecurbs.cli import main
from tradecurbs.errors import DataError
from tradecurbs.formatting import format_package

TR = "trade_remedies.csv"


def _cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def _messy(make_package):
    path = make_package(VALID)
    target = path / "data" / TR
    lines = _cells(target.read_bytes())
    lines[1][5] = "  Widgets "
    lines[1][7] = "JPN ; USA"
    body = io.StringIO()
    csv.writer(body, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([lines[0], lines[2], lines[1]])
    target.write_bytes(body.getvalue().encode("utf-8"))
    return path, target


def test_format_makes_a_messy_file_canonical_and_valid(make_package):
    path, target = _messy(make_package)
    assert {p.code for p in validate(path).errors} == {"whitespace", "list-item", "line-ending", "unsorted"}
    result = CliRunner().invoke(main, ["format", str(path)])
    assert result.exit_code == 0
    assert "data/trade_remedies.csv: rewritten" in result.output
    content = target.read_bytes()
    assert b"\r" not in content and b'"tr-chn' not in content
    assert validate(path).problems == []


def test_format_changes_no_value_except_surrounding_whitespace(make_package):
    path, target = _messy(make_package)
    before = _cells(target.read_bytes())
    format_package(path)
    after = _cells(target.read_bytes())
    trim = [[";".join(i.strip() for i in c.split(";")) if ";" in c else c.strip() for c in row] for row in before]
    assert sorted(trim) == sorted(after)


def test_format_is_idempotent(make_package):
    path, target = _messy(make_package)
    format_package(path)
    once = target.read_bytes()
    assert not any(r.changed for r in format_package(path))
    assert target.read_bytes() == once


def test_format_refuses_a_file_that_does_not_parse(make_package):
    path = make_package(VALID)
    other = path / "data" / "sources.csv"
    before = other.read_bytes()
    (path / "data" / TR).write_bytes(b"id,status\n")
    with pytest.raises(DataError, match="not rewritten because it cannot be parsed"):
        format_package(path)
    assert other.read_bytes() == before
    result = CliRunner().invoke(main, ["format", str(path)])
    assert result.exit_code == 2 and result.output.startswith("Error: data/trade_remedies.csv: not rewritten")


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=30)


one_line = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
                   max_size=30)


def _summary_multiline() -> dict:
    import json

    from conftest import REPO

    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if resource["name"] == "trade_remedies" and field["name"] == "summary":
                field["multiline"] = True
    return descriptor


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(product=one_line, summary=text)
def test_format_round_trips_any_text_value(make_package, product, summary):
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], product=product, summary=summary)]}
    path = make_package(data, _summary_multiline())
    target = path / "data" / TR
    before = _cells(target.read_bytes())
    format_package(path)
    [header, row] = _cells(target.read_bytes())
    assert header == before[0]
    assert row[header.index("product")] == product.strip()
    assert row[header.index("summary")] == summary.strip()
