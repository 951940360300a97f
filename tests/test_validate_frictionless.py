"""Agreement with frictionless: every error it reports, tradecurbs reports on the same row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
