"""Specification of `tradecurbs.validate`: structure, relations and the report."""

from __future__ import annotations

import json

import pytest
from test_validate_helpers import VALID, found, rows

from tradecurbs import validate
from tradecurbs.errors import PackageError

TR = "trade_remedies.csv"


def test_validate_accepts_the_valid_fixture(make_package):
    report = validate(make_package(VALID))
    assert report.ok and report.problems == []


def test_validate_reports_an_enum_value_with_its_line_field_value_and_allowed_values(make_package):
    report = validate(make_package(rows(trade_remedies={1: {"status": "bogus"}})))
    [problem] = report.errors
    assert (problem.file, problem.line, problem.field, problem.code, problem.value) == (
        "data/trade_remedies.csv", 3, "status", "constraint-error", "bogus")
    assert problem.message == ("status 'bogus' is not one of: initiated, preliminary_measures, final_measures, "
                               "undertakings, terminated, expired")
    assert not report.ok


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"initiated_on": "2025-02-30"}, "initiated_on", "type-error"),
        ({"preliminary_rate_min_pct": "ten"}, "preliminary_rate_min_pct", "type-error"),
        ({"preliminary_rate_min_pct": "-1"}, "preliminary_rate_min_pct", "constraint-error"),
        ({"product": ""}, "product", "required-error"),
        ({"id": "TR-Bad Id"}, "id", "constraint-error"),
        ({"investigating_jurisdiction": "cn"}, "investigating_jurisdiction", "constraint-error"),
    ],
)
def test_validate_structure_reports_each_broken_constraint(make_package, change, field, code):
    report = validate(make_package(rows(trade_remedies={0: change})))
    assert (TR, 2, field, code) in found(report)


def test_validate_structure_pattern_is_anchored_to_the_whole_value(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"investigating_jurisdiction": "CHNA"}})))
    assert (TR, 2, "investigating_jurisdiction", "constraint-error") in found(report)


def test_validate_structure_reports_a_repeated_primary_key_at_the_second_row(make_package):
    report = validate(make_package(rows(trade_remedies={1: {"id": "tr-chn-2025-widgets"}})))
    problem = next(p for p in report.errors if p.code == "primary-key")
    assert (problem.line, problem.field) == (3, "id")
    assert "repeats line 2" in problem.message


def test_validate_structure_level_maximum(make_package):
    report = validate(make_package(rows(travel_advisories={0: {"level": "5"}})))
    assert ("travel_advisories.csv", 2, "level", "constraint-error") in found(report)


def test_validate_relations_scalar_foreign_key(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"investigating_jurisdiction": "ZZZ"}})))
    problem = next(p for p in report.errors if p.code == "foreign-key")
    assert (problem.line, problem.field, problem.value) == (2, "investigating_jurisdiction", "ZZZ")
    assert problem.message.startswith("investigating_jurisdiction 'ZZZ' is not a code in table jurisdictions")


def test_validate_relations_self_referencing_supersedes_id(make_package):
    report = validate(make_package(rows(travel_advisories={1: {"supersedes_id": "ta-nowhere"}})))
    assert ("travel_advisories.csv", 3, "supersedes_id", "foreign-key") in found(report)


@pytest.mark.parametrize(
    ("table", "change", "field"),
    [
        ("trade_remedies", {"exporting_jurisdictions": ["JPN", "XXX"]}, "exporting_jurisdictions"),
        ("trade_remedies", {"source_ids": ["gov-2025-widgets-notice", "missing-source"]}, "source_ids"),
        ("trade_remedies", {"related_ids": ["tr-nowhere"]}, "related_ids"),
        ("export_controls", {"target_jurisdictions": ["XXX"]}, "target_jurisdictions"),
    ],
)
def test_validate_relations_checks_every_list_item(make_package, table, change, field):
    report = validate(make_package(rows(**{table: {0: change}})))
    assert (f"{table}.csv", 2, field, "list-reference") in found(report)


def test_validate_relations_related_ids_may_point_into_another_measure_table(make_package):
    report = validate(make_package(VALID))
    assert not [p for p in report.problems if p.field == "related_ids"]


def test_validate_report_to_dict_is_json_ready_and_separates_warnings(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"hs_codes": ["8099"], "status": "bogus"}})))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"] == {"errors": 1, "warnings": 1}
    assert data["valid"] is False
    assert data["warnings"][0]["code"] == "hs-code-unknown" and data["warnings"][0]["severity"] == "warning"


def test_validate_warnings_alone_keep_a_package_valid(make_package):
    report = validate(make_package(rows(trade_remedies={0: {"hs_codes": ["8099"]}})))
    assert report.ok and len(report.warnings) == 1


def test_validate_missing_descriptor_is_a_package_error(tmp_path):
    with pytest.raises(PackageError, match="not a data package"):
        validate(tmp_path)


def test_validate_invalid_json_descriptor_is_a_package_error(tmp_path):
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PackageError, match="invalid JSON in descriptor"):
        validate(tmp_path)


def test_validate_accepts_any_data_package_without_our_tables(tmp_path):
    descriptor = {"name": "other", "resources": [{"name": "things", "path": "things.csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "when", "type": "date"}], "primaryKey": ["id"]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (tmp_path / "things.csv").write_text("id,when\n1,2020-01-01\n2,someday\n", encoding="utf-8")
    assert found(validate(tmp_path)) == {("things.csv", 3, "when", "type-error")}


def test_validate_reads_parquet_resources(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    descriptor = {"name": "built", "resources": [{"name": "things", "path": "things.parquet", "format": "parquet",
                  "schema": {"fields": [{"name": "id", "type": "string"},
                                        {"name": "rate", "type": "number", "constraints": {"minimum": 0}}],
                             "primaryKey": ["id"]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    pq.write_table(pa.table({"id": ["a", "b"], "rate": [1.5, -2.0]}), tmp_path / "things.parquet")
    assert found(validate(tmp_path)) == {("things.parquet", 3, "rate", "constraint-error")}


def test_validate_the_repository_package_is_valid():
    from conftest import REPO

    report = validate(REPO)
    assert report.errors == [], "\n".join(p.message for p in report.errors)
