"""The contract: datapackage.json is complete, frictionless accepts it, docs follow it."""

from __future__ import annotations

import json

from conftest import REPO

from tradecurbs.datapackage import Package
from tradecurbs.dictionary import render_data_dictionary

DESCRIPTOR = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))


def test_descriptor_names_the_five_tables():
    names = [r["name"] for r in DESCRIPTOR["resources"]]
    assert {"export_controls", "trade_remedies", "travel_advisories", "sources", "jurisdictions"} <= set(names)


def test_descriptor_has_package_metadata():
    for key in ("name", "title", "version", "licenses", "contributors", "sources"):
        assert DESCRIPTOR.get(key), key
    assert DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"


def test_every_field_has_a_description_and_every_table_a_primary_key():
    for resource in DESCRIPTOR["resources"]:
        assert resource["schema"].get("primaryKey"), resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description", "").strip(), f"{resource['name']}.{field['name']}"


def test_frictionless_accepts_the_repository_package():
    from frictionless import Package as FrictionlessPackage

    report = FrictionlessPackage(str(REPO / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_data_dictionary_is_up_to_date():
    expected = render_data_dictionary(Package.from_directory(REPO))
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/data-dictionary.md is stale: run python scripts/make_data_dictionary.py"


def test_jurisdictions_match_the_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_jurisdictions", REPO / "scripts" / "make_jurisdictions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render(module.jurisdiction_rows())
    assert (REPO / "data" / "jurisdictions.csv").read_text(encoding="utf-8") == expected


def test_jurisdictions_cover_the_project_codes():
    text = (REPO / "data" / "jurisdictions.csv").read_text(encoding="utf-8")
    for line in ("CHN,China,country", "JPN,Japan,country", "EUU,European Union,union", "WLD,All destinations,group"):
        assert line in text.splitlines()
