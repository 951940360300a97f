"""Agreement with frictionless: every error it reports, tradecurbs reports on the same row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_helpers import VALID, rows

from tradecurbs import validate

frictionless = pytest.importorskip("frictionless")

BROKEN = rows(
    trade_remedies={
        0: {"initiated_on": "2025-13-01", "preliminary_rate_max_pct": "-3", "remedy_type": "dumping"},
        1: {"id": "tr-chn-2025-widgets", "investigating_jurisdiction": "ZZZ", "product": ""},
    },
    travel_advisories={0: {"level": "9", "issued_on": "soon"}, 1: {"supersedes_id": "ta-nowhere"}},
    sources={0: {"language": "english", "url": "ftp://example.org"}},
)


def _frictionless_errors(path: Path) -> set[tuple[str, int, str, str]]:
    descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in descriptor["resources"]}
    report = frictionless.validate(str(path / "datapackage.json"))
    found = set()
    for task in report.tasks:
        for error in task.errors:
            fields = getattr(error, "field_names", None) or [getattr(error, "field_name", None)]
            if error.type == "primary-key":  # frictionless names no field: the key's first field
                fields = keys[task.name][:1]
            for field in fields:
                found.add((task.name, error.row_number, field, error.type))
    return found


def test_frictionless_agreement_on_type_constraint_key_and_foreign_key_errors(make_package):
    path = make_package(BROKEN)
    theirs = _frictionless_errors(path)
    assert {kind for *_, kind in theirs} >= {"type-error", "constraint-error", "primary-key", "foreign-key"}
    ours = {(p.table, p.line, p.field) for p in validate(path).errors}
    missing = {(table, row, field) for table, row, field, _ in theirs} - ours
    assert not missing, f"frictionless reports errors tradecurbs misses: {sorted(missing)}"


def test_frictionless_agreement_on_the_valid_fixture(make_package):
    path = make_package(VALID)
    assert _frictionless_errors(path) == set()
    assert validate(path).ok


CELLS = st.sampled_from(["", "bogus", "-5", "NaN", "2025-02-30", "2025-1-5", "1e3", "ZZZ", "tr-chn-2025-widgets",
                         "anti_dumping", "initiated", "10.5", " x", "0000-01-01", "2025-01-05", "3"])
#: Structure codes of tradecurbs and of frictionless.
STRUCTURE = {"type-error", "constraint-error", "required-error", "primary-key", "unique-error"}


def _stricter_by_design(value: str) -> bool:
    """Cells tradecurbs refuses and frictionless accepts: non-finite numbers, years outside
    1000-9999 (tradecurbs.limits), and dates not written YYYY-MM-DD (frictionless's
    strptime takes 2025-1-5)."""
    return value in {"NaN", "2025-1-5"} or value.startswith("0000-")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_structure_agrees_with_frictionless_cell_by_cell(make_package, data):
    """One cell changed anywhere: the structure layer finds exactly what frictionless finds."""
    changed = {table: [dict(r) for r in records] for table, records in VALID.items()}
    table = data.draw(st.sampled_from(["trade_remedies", "travel_advisories", "sources"]))
    row = data.draw(st.integers(0, len(changed[table]) - 1))
    field = data.draw(st.sampled_from(sorted(changed[table][row])))
    value = data.draw(CELLS)
    changed[table][row][field] = value
    path = make_package(changed)
    theirs = {(t, line, f) for t, line, f, kind in _frictionless_errors(path) if kind in STRUCTURE | {"missing-cell"}}
    ours = {(p.table, p.line, p.field) for p in validate(path).errors if p.code in STRUCTURE}
    assert theirs <= ours, (field, value, theirs - ours)
    if not _stricter_by_design(value):
        assert ours <= theirs, (field, value, ours - theirs)
