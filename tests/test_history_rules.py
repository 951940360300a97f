"""The history rules of validation/rules.json: steps belong to records, and records agree with their steps."""

from __future__ import annotations

import copy
from datetime import date

from test_validate_helpers import VALID, found

from tradecurbs import validate

EVENTS = [
    {"record_id": "ec-chn-2025-gallium", "event_on": "2025-01-02", "kind": "announced", "scheduled": "false",
     "summary": "Announced.", "source_ids": ["gov-2025-widgets-notice"]},
    {"record_id": "ec-chn-2025-gallium", "event_on": "2025-01-03", "kind": "in_force", "scheduled": "false",
     "summary": "Took effect.", "source_ids": ["gov-2025-widgets-notice"]},
]
TODAY = date(2026, 1, 1)


def _package(make_package, events, **table_changes):
    data = copy.deepcopy(VALID)
    for table, change in table_changes.items():
        data[table][0].update(change)
    data["measure_events"] = events
    return make_package(data)


def _messages(report, code):
    return [p for p in report.problems if p.code == code]


def test_history_rules_accept_a_record_agreeing_with_its_steps(make_package):
    report = validate(_package(make_package, EVENTS), today=TODAY)
    assert report.ok, [p.message for p in report.errors]


def test_history_rules_name_the_record_the_history_and_the_row_when_status_disagrees(make_package):
    events = EVENTS + [{"record_id": "ec-chn-2025-gallium", "event_on": "2025-06-01", "kind": "suspended",
                        "scheduled": "false", "summary": "Suspended.", "source_ids": ["gov-2025-widgets-notice"]}]
    report = validate(_package(make_package, events), today=TODAY)
    problems = _messages(report, "history-agrees")
    assert {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in problems} == {
        ("export_controls.csv", 2, "status"), ("export_controls.csv", 2, "ended_on")}
    status = next(p for p in problems if p.field == "status")
    assert "ec-chn-2025-gallium" in status.message and "status is in_force" in status.message
    assert "says suspended" in status.message and "suspended on 2025-06-01" in status.message


def test_history_rules_report_a_date_field_that_its_step_contradicts(make_package):
    report = validate(_package(make_package, EVENTS, export_controls={"effective_on": "2025-01-04"}), today=TODAY)
    assert ("export_controls.csv", 2, "effective_on", "history-agrees") in found(report)
    message = _messages(report, "history-agrees")[0].message
    assert "effective_on is 2025-01-04" in message and "says 2025-01-03" in message


def test_history_rules_report_a_step_of_a_missing_record_and_a_bad_prefix(make_package):
    events = EVENTS + [
        {"record_id": "ec-chn-2025-nothing", "event_on": "2025-01-02", "kind": "announced", "scheduled": "false",
         "summary": "x", "source_ids": ["gov-2025-widgets-notice"]},
    ]
    report = validate(_package(make_package, events), today=TODAY)
    assert ("measure_events.csv", 4, "record_id", "event-record") in found(report)
    assert "names no record of export_controls" in _messages(report, "event-record")[0].message


def test_history_rules_report_a_kind_foreign_to_the_table(make_package):
    events = EVENTS + [{"record_id": "ec-chn-2025-gallium", "event_on": "2025-02-01", "kind": "withdrawn",
                        "scheduled": "false", "summary": "x", "source_ids": ["gov-2025-widgets-notice"]}]
    report = validate(_package(make_package, events), today=TODAY)
    assert ("measure_events.csv", 4, "kind", "event-kind") in found(report)


def test_history_rules_allow_scheduled_future_steps_but_not_unscheduled_ones(make_package):
    planned = {"record_id": "ec-chn-2025-gallium", "event_on": "2026-06-01", "kind": "expired",
               "scheduled": "true", "summary": "Due to expire.", "source_ids": ["gov-2025-widgets-notice"]}
    report = validate(_package(make_package, EVENTS + [planned]), today=TODAY)
    assert not _messages(report, "event-future") and report.ok, [p.message for p in report.errors]
    report = validate(_package(make_package, EVENTS + [{**planned, "scheduled": "false"}]), today=TODAY)
    assert ("measure_events.csv", 4, "event_on", "event-future") in found(report)


def test_history_rules_warn_when_a_scheduled_day_or_a_case_deadline_has_passed(make_package):
    planned = {"record_id": "ec-chn-2025-gallium", "event_on": "2025-06-01", "kind": "expired",
               "scheduled": "true", "summary": "Due to expire.", "source_ids": ["gov-2025-widgets-notice"]}
    case = [{"record_id": "tr-chn-2025-xylene", "event_on": "2025-02-01", "kind": "initiated", "scheduled": "false",
             "summary": "Opened.", "source_ids": ["gov-2025-widgets-notice"]},
            {"record_id": "tr-chn-2025-xylene", "event_on": "2025-08-01", "kind": "deadline", "scheduled": "true",
             "summary": "Due.", "source_ids": ["gov-2025-widgets-notice"]}]
    data = copy.deepcopy(VALID)
    # the stored status speaks of the newest step that happened: still in force until the expiry is confirmed
    data["trade_remedies"][1]["deadline_on"] = "2025-08-01"
    data["measure_events"] = EVENTS + [planned] + case
    report = validate(make_package(data), today=TODAY)
    overdue = _messages(report, "event-overdue")
    assert {p.severity for p in overdue} == {"warning"} and len(overdue) == 2
    assert any("tr-chn-2025-xylene" in p.message and "deadline 2025-08-01 has passed" in p.message for p in overdue)
    assert report.ok
