"""measures(), history() and current(): one view over every measure table, with its filters."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from test_validate_helpers import VALID

import tradecurbs
from tradecurbs import api
from tradecurbs.datapackage import Package
from tradecurbs.errors import TradecurbsError, UnknownRecordError

SOURCE = "gov-2025-widgets-notice"


def _event(record, day, kind, **extra):
    return {"record_id": record, "event_on": day, "kind": kind, "scheduled": "false", "summary": kind,
            "source_ids": [SOURCE], **extra}


@pytest.fixture
def small(make_package, monkeypatch):
    """A small package as the bundled data: a WLD control, a named one suspended and resumed, a case, advisories."""
    data = copy.deepcopy(VALID)
    data["export_controls"].append(
        {"id": "ec-chn-2025-graphite-wld", "imposing_jurisdiction": "CHN", "authority": "Ministry of Commerce",
         "measure_type": "licence_requirement", "target_jurisdictions": ["WLD"], "items": "Graphite anodes",
         "hs_codes": ["2504"], "announced_on": "2025-02-01", "effective_on": "2025-03-01", "status": "in_force",
         "summary": "Licences for graphite.", "source_ids": [SOURCE]})
    data["measure_events"] = [
        _event("ec-chn-2025-gallium", "2025-01-02", "announced"), _event("ec-chn-2025-gallium", "2025-01-03", "in_force"),
        _event("ec-chn-2025-gallium", "2025-05-01", "suspended", until_on="2025-08-01"),
        _event("ec-chn-2025-graphite-wld", "2025-02-01", "announced"),
        _event("ec-chn-2025-graphite-wld", "2025-03-01", "in_force"),
    ]
    path = make_package(data)
    monkeypatch.setattr(api, "_bundled", lambda: Package.from_directory(path))
    return path


def test_measures_has_the_same_columns_for_every_table(small):
    frame = tradecurbs.measures()
    assert list(frame.columns)[:4] == ["table", "id", "imposing_jurisdiction", "target_jurisdictions"]
    assert set(frame["table"]) == {"export_controls", "trade_remedies", "travel_advisories"}
    assert {"kind", "what", "hs_codes", "started_on", "ended_on", "status", "summary", "source_ids"} <= set(frame)
    advisory = frame.set_index("id").loc["ta-chn-2025-jpn-travel"]
    assert list(advisory["target_jurisdictions"]) == ["JPN"] and advisory["what"] == "Japan"


def test_measures_target_matches_named_and_wld_and_says_which(small):
    frame = tradecurbs.measures(target="USA", table="export_controls").set_index("id")
    assert frame.loc["ec-chn-2025-gallium", "target_match"] == "named"
    assert frame.loc["ec-chn-2025-graphite-wld", "target_match"] == "WLD"
    assert "ec-chn-2025-graphite-wld" in tradecurbs.measures(target="KOR")["id"].tolist()
    assert "ec-chn-2025-gallium" not in tradecurbs.measures(target="KOR")["id"].tolist()


def test_measures_in_force_on_follows_the_suspension_and_its_end(small):
    def ids(day):
        return set(tradecurbs.measures(in_force_on=day, table="export_controls")["id"])

    assert ids("2025-01-02") == set()
    assert ids("2025-04-01") == {"ec-chn-2025-gallium", "ec-chn-2025-graphite-wld"}
    assert ids("2025-06-01") == {"ec-chn-2025-graphite-wld"}
    assert ids(date(2025, 8, 1)) == {"ec-chn-2025-graphite-wld"}  # suspended through its until_on day
    assert ids(date(2025, 8, 2)) == {"ec-chn-2025-gallium", "ec-chn-2025-graphite-wld"}
    status = tradecurbs.measures(on="2025-06-01", table="export_controls").set_index("id")
    assert status.loc["ec-chn-2025-gallium", "status"] == "suspended"
    assert str(status.loc["ec-chn-2025-gallium", "status_since"].date()) == "2025-05-01"


def test_measures_between_finds_what_was_active_in_the_interval(small):
    assert set(tradecurbs.measures(between=("2024-01-01", "2025-01-02"))["id"]) == {"ec-chn-2025-gallium"}
    assert "tr-chn-2025-widgets" in set(tradecurbs.measures(between=("2024-01-01", "2025-01-05"))["id"])
    with pytest.raises(TradecurbsError, match="after the end"):
        tradecurbs.measures(between=("2025-02-01", "2025-01-01"))


def test_measures_hs_prefix_matches_both_ways_and_text_is_case_insensitive(small):
    assert set(tradecurbs.measures(hs="28")["id"]) == {"tr-chn-2025-widgets"}
    assert set(tradecurbs.measures(hs="290241")["id"]) == {"tr-chn-2025-xylene"}  # finds both 2902 and 29024100
    assert set(tradecurbs.measures(hs="250410")["id"]) == {"ec-chn-2025-graphite-wld"}
    assert set(tradecurbs.measures(text="GRAPHITE licences")["id"]) == {"ec-chn-2025-graphite-wld"}
    assert tradecurbs.measures(text="no such words").empty


def test_measures_rejects_a_bad_date_and_an_unknown_table(small):
    with pytest.raises(TradecurbsError, match="in_force_on: '2025-13-01' is not a date"):
        tradecurbs.measures(in_force_on="2025-13-01")
    with pytest.raises(TradecurbsError, match="unknown table 'sources'"):
        tradecurbs.measures(table="sources")


def test_measures_reads_a_pinned_release_through_the_public_load(small, monkeypatch):
    seen = []
    real = api.load

    def load(table, columns=None, version=None, format="parquet"):
        seen.append((table, version))
        return real(table, columns)

    monkeypatch.setattr(api, "load", load)
    assert len(tradecurbs.measures(version="1.2.0")) == len(tradecurbs.measures())
    assert ("measure_events", "1.2.0") in seen and ("export_controls", "1.2.0") in seen


def test_history_gives_steps_oldest_first_with_their_sources(small):
    steps = tradecurbs.history("ec-chn-2025-gallium")
    assert steps["kind"].tolist() == ["announced", "in_force", "suspended"]
    assert steps["status_after"].tolist() == ["announced", "in_force", "suspended"]
    assert list(steps.loc[0, "source_urls"]) == ["https://example.org/widgets"]
    assert not steps["from_record"].any()


def test_history_falls_back_to_the_record_dates_and_rejects_an_unknown_id(small):
    steps = tradecurbs.history("tr-chn-2025-widgets")
    assert steps["kind"].tolist() == ["initiated", "preliminary_ruling", "deadline"]
    assert steps["from_record"].all() and steps["scheduled"].tolist() == [False, False, True]
    with pytest.raises(UnknownRecordError, match="did you mean ec-chn-2025-gallium"):
        tradecurbs.history("ec-chn-2025-galium")


def test_current_keeps_the_latest_advisory_and_what_has_not_ended(small):
    current = tradecurbs.current(on="2026-01-01")
    ids = set(current["id"])
    assert "ta-chn-2025-jpn-travel-2" in ids and "ta-chn-2025-jpn-travel" not in ids  # superseded
    assert {"ec-chn-2025-gallium", "ec-chn-2025-graphite-wld", "tr-chn-2025-widgets"} <= ids
    assert set(tradecurbs.current(on="2025-11-20", table="travel_advisories")["id"]) == {"ta-chn-2025-jpn-travel"}
