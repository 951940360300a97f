"""Specification of the rules in validation/rules.json and of the hygiene checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_validate_helpers import VALID, found, rows

from tradecurbs import validate
from tradecurbs.checks.rules import CHECKS, load_rules

REPO = Path(__file__).resolve().parents[1]
TR = "trade_remedies.csv"


@pytest.mark.parametrize(
    ("table", "change", "field", "code"),
    [
        ("trade_remedies", {"preliminary_on": "2024-12-01"}, "preliminary_on", "date-order"),
        ("trade_remedies", {"investigation_period_end": "2025-01-05"}, "initiated_on", "date-order"),
        ("export_controls", {"effective_on": "2024-12-01"}, "effective_on", "date-order"),
        ("travel_advisories", {"withdrawn_on": "2025-01-01"}, "withdrawn_on", "date-order"),
        ("trade_remedies", {"status": "final_measures"}, "final_on", "status-needs-date"),
        ("export_controls", {"status": "lifted"}, "ended_on", "status-needs-date"),
        ("trade_remedies", {"preliminary_rate_max_pct": "5"}, "preliminary_rate_min_pct", "min-max"),
        ("trade_remedies", {"exporting_jurisdictions": ["JPN", "CHN"]}, "exporting_jurisdictions", "self-target"),
        ("travel_advisories", {"destination_jurisdiction": "CHN"}, "destination_jurisdiction", "self-target"),
        ("trade_remedies", {"initiated_on": "2099-01-01", "status": "initiated", "preliminary_on": None,
                            "preliminary_rate_min_pct": None, "preliminary_rate_max_pct": None},
         "initiated_on", "future-date"),
        ("sources", {"url": "http://example.org/widgets"}, "url", "constraint-error"),
        ("trade_remedies", {"hs_codes": ["28.11"]}, "hs_codes", "hs-code-format"),
        ("trade_remedies", {"source_ids": ["gov-2025-widgets-notice", ""]}, "source_ids", "list-item"),
    ],
)
def test_rules_report_each_broken_rule_at_its_line_and_field(make_package, table, change, field, code):
    report = validate(make_package(rows(**{table: {0: change}})))
    assert (f"{table}.csv", 2, field, code) in found(report)


def test_rules_messages_say_what_is_wrong_and_what_is_allowed(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"preliminary_on": "2024-12-01"}})))
    [problem] = [p for p in report.errors if p.code == "date-order"]
    assert problem.message == ("preliminary_on 2024-12-01 comes before initiated_on 2025-01-05; initiated_on must "
                               "be on or before preliminary_on: check both dates")


def test_rules_deadlines_and_expiries_may_lie_in_the_future(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"deadline_on": "2099-01-01"}})))
    assert report.ok


def test_rules_hs_codes_longer_than_six_digits_are_checked_by_prefix(make_package):
    assert validate(make_package(rows(trade_remedies={0: {"hs_codes": ["2812901000"]}}))).problems == []
    report = validate(make_package(rows(trade_remedies={0: {"hs_codes": ["8099001000"]}})))
    assert [(p.code, p.severity, p.value) for p in report.problems] == [("hs-code-unknown", "warning", "8099001000")]


def test_rules_apply_to_import_restrictions_by_data_alone(make_package):
    restriction = {"id": "ir-chn-2025-seafood", "imposing_jurisdiction": "CHN", "authority": "Customs",
                   "measure_type": "import_ban", "target_jurisdictions": ["CHN"], "products": "Seafood",
                   "announced_on": "2025-03-01", "status": "announced", "summary": "Seafood banned.",
                   "source_ids": ["gov-2025-widgets-notice"]}
    report = validate(make_package({**VALID, "import_restrictions": [restriction]}))
    assert ("import_restrictions.csv", 2, "target_jurisdictions", "self-target") in found(report)


def test_rules_file_names_known_checks_and_every_rule_is_documented():
    readme = (REPO / "validation" / "README.md").read_text(encoding="utf-8")
    spec = json.loads((REPO / "validation" / "rules.json").read_text(encoding="utf-8"))
    tables = {r["name"] for r in json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for rule in load_rules():
        assert rule.check in CHECKS and rule.description
        assert f"`{rule.id}`" in readme
        assert all(a["table"] in tables | {"*"} for a in rule.applies), rule.id
    assert len(spec["rules"]) == len(load_rules())


def test_hygiene_whitespace_suggests_format(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"product": " Widgets "}})))
    [problem] = report.errors
    assert (problem.line, problem.field, problem.code) == (2, "product", "whitespace")
    assert report.hints == ["run `tradecurbs format` to rewrite the file canonically"]


def test_hygiene_formula_like_text_is_an_error_but_numbers_are_not(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"product": "=HYPERLINK(\"x\")"}})))
    assert (TR, 2, "product", "formula") in found(report)
    assert validate(make_package(rows(trade_remedies={0: {"case_reference": "-12"}}))).ok


def test_hygiene_unsorted_rows_are_reported_once(make_package):
    data = rows()
    data["trade_remedies"].reverse()
    report = validate(make_package(data))
    assert [(p.line, p.code) for p in report.problems] == [(3, "unsorted")]


def test_hygiene_crlf_line_endings(make_package):
    path = make_package(VALID)
    csv = path / "data" / TR
    csv.write_bytes(csv.read_bytes().replace(b"\n", b"\r\n"))
    assert [(p.line, p.code) for p in validate(path).problems] == [(1, "line-ending")]


def test_hygiene_duplicate_rows(make_package):
    data = rows()
    data["trade_remedies"].insert(1, dict(data["trade_remedies"][0]))
    assert {(3, "id", "primary-key"), (3, None, "duplicate-row")} <= {
        (p.line, p.field, p.code) for p in validate(make_package(data)).problems}


def test_hygiene_uncited_source_is_a_warning(make_package):
    data = rows()
    data["sources"].append({**data["sources"][0], "id": "zz-uncited"})
    report = validate(make_package(data))
    assert report.ok
    assert [(p.line, p.code, p.severity) for p in report.problems] == [(3, "unused-source", "warning")]
