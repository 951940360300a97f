"""Loaders: typed DataFrames from the schema, clear errors for bad requests."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REMEDY, SOURCE

import tradecurbs
from tradecurbs.datapackage import Package
from tradecurbs.errors import DataError, UnknownFieldError, UnknownTableError
from tradecurbs.loading import load_resource


def test_tables_lists_the_bundled_tables_in_descriptor_order():
    assert tradecurbs.tables() == [
        "export_controls", "trade_remedies", "travel_advisories", "import_restrictions", "tariff_measures",
        "measure_events", "sources", "jurisdictions"]


def test_load_unknown_table_lists_valid_names():
    with pytest.raises(UnknownTableError) as caught:
        tradecurbs.load("trade_remedy")
    message = str(caught.value)
    assert "unknown table 'trade_remedy'" in message
    assert "trade_remedies" in message and "export_controls" in message


def test_load_unknown_field_lists_valid_fields():
    with pytest.raises(UnknownFieldError) as caught:
        tradecurbs.load("trade_remedies", columns=["id", "rate"])
    assert "unknown field 'rate' in table 'trade_remedies'" in str(caught.value)
    assert "final_rate_max_pct" in str(caught.value)


def test_load_columns_selects_fields_in_order():
    frame = tradecurbs.load("jurisdictions", columns=["name", "code"])
    assert list(frame.columns) == ["name", "code"]


def test_load_types_every_column_from_the_schema(make_package):
    path = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    frame = load_resource(Package.from_directory(path), "trade_remedies")
    assert frame["id"].dtype == pd.StringDtype()
    assert frame["initiated_on"].dtype == "datetime64[s]"
    assert frame["preliminary_rate_max_pct"].dtype == pd.Float64Dtype()
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert list(frame["status"].cat.categories) == [
        "initiated", "preliminary_measures", "final_measures", "undertakings", "terminated", "expired"]
    assert str(frame["exporting_jurisdictions"].dtype) == "list<item: string>[pyarrow]"
    assert frame["exporting_jurisdictions"].explode().tolist() == ["JPN", "KOR"]


def test_load_values_round_trip_from_csv(make_package):
    path = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    row = load_resource(Package.from_directory(path), "trade_remedies").iloc[0]
    assert row["exporting_jurisdictions"] == ["JPN", "KOR"]
    assert isinstance(row["exporting_jurisdictions"], list)
    assert row["petitioners"] == []
    assert row["initiated_on"] == pd.Timestamp("2026-01-07")
    assert row["preliminary_rate_max_pct"] == 32.5
    assert pd.isna(row["case_reference"]) and pd.isna(row["final_on"]) and pd.isna(row["final_rate_min_pct"])


def test_load_integer_fields_are_nullable(make_package):
    advisory = {"id": "ta-chn-2026-x", "issuing_jurisdiction": "CHN", "authority": "MFA",
                "destination_jurisdiction": "JPN", "advisory_type": "travel", "level": "",
                "issued_on": "2025-11-14", "summary": "x", "source_ids": ["example-2026-01-06-notice"]}
    path = make_package({"sources": [SOURCE], "travel_advisories": [advisory, {**advisory, "id": "ta-chn-2026-y", "level": "3"}]})
    frame = load_resource(Package.from_directory(path), "travel_advisories")
    assert frame["level"].dtype == pd.Int64Dtype()
    assert frame["level"].isna().tolist() == [True, False]


def test_load_bad_value_is_a_clear_data_error(make_package):
    path = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "initiated_on": "2026-13-45"}]})
    with pytest.raises(DataError) as caught:
        load_resource(Package.from_directory(path), "trade_remedies")
    assert "row 1, field 'initiated_on': '2026-13-45' is not a valid date" in str(caught.value)
    assert "tradecurbs validate" in str(caught.value)


def test_load_value_outside_enum_is_a_data_error_not_silently_missing(make_package):
    path = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "status": "bogus"}]})
    with pytest.raises(DataError, match="'bogus'"):
        load_resource(Package.from_directory(path), "trade_remedies")


def test_load_header_mismatch_is_a_data_error(make_package, tmp_path):
    path = make_package({"sources": [SOURCE]})
    (path / "data" / "sources.csv").write_text("id,publisher\nx,y\n", encoding="utf-8")
    with pytest.raises(DataError, match="does not match the schema's fields"):
        load_resource(Package.from_directory(path), "sources")


def test_load_all_returns_every_table():
    frames = tradecurbs.load_all()
    assert list(frames) == tradecurbs.tables()
    assert len(frames["jurisdictions"]) > 249


def test_fields_describes_a_table():
    dictionary = tradecurbs.fields("trade_remedies")
    status = dictionary.set_index("name").loc["status"]
    assert status["dtype"] == "category" and "final_measures" in status["allowed"]
    assert status["description"]


def test_bundled_data_loads_with_every_table_typed():
    for name in tradecurbs.tables():
        frame = tradecurbs.load(name)
        assert list(frame.columns) == list(tradecurbs.fields(name)["name"])


def test_descriptor_with_a_nameless_field_is_a_package_error(tmp_path):
    from tradecurbs.errors import PackageError

    (tmp_path / "datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"type": "string"}]}}]}')
    with pytest.raises(PackageError, match="needs a 'name'"):
        Package.from_directory(tmp_path)
