"""Specification of `tradecurbs ingest`: the publishers' real feeds, damaged copies, change detection."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from release_site import FLOOD_BYTES, Failing, serve

from tradecurbs import download
from tradecurbs.cli import main
from tradecurbs.ingest import (
    FeedError,
    FeedFetchError,
    ReviewError,
    apply_review,
    compare_snapshots,
    compare_with_data,
    ingest_feed,
    parse_feed,
    read_feed,
    render_markdown,
)

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
US = FEEDS / "TAsTWs_excerpt_2026-10-07.xml"
CANADA_MARCH = FEEDS / "index-alpha-eng_2014-03-02.json"
CANADA_OCTOBER = FEEDS / "index-alpha-eng_2014-10-02.json"

SMARTRAVELLER = [
    {"title": "China", "field_overall_advice_level": "Exercise a high degree of caution",
     "changed": "Tue, 2026-03-24 16:34", "field_url": "https://www.smartraveller.gov.au/destinations/asia/china"},
    {"title": "C\u00f4te d&#039;Ivoire (Ivory Coast)", "field_overall_advice_level": "Reconsider your need to travel",
     "changed": "Mon, 2026-02-02 10:00", "field_url": ""},
    {"title": "Kosovo", "field_overall_advice_level": "Exercise a high degree of caution",
     "changed": "Mon, 2026-02-02 10:00"},
    {"title": "No travel advice", "field_overall_advice_level": "No travel advice", "changed": "Mon, 2026-02-02 10:00"},
    {"title": "Japan", "field_overall_advice_level": "Stay alert", "changed": "Mon, 2026-02-02 10:00"},
    {"title": "Italy", "field_overall_advice_level": "Exercise normal safety precautions"},
]


def _write(path: Path, payload) -> str:
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return str(path)


def test_us_state_parser_reads_every_item_of_the_real_feed():
    snapshot = parse_feed("us-state", str(US), "2026-10-07")
    assert snapshot.bad == []
    assert snapshot.published_on == "2026-10-07"
    assert [(i.destination, i.level, i.updated_on) for i in snapshot.items] == [
        ("SAU", 3, "2026-09-15"), ("KHM", 2, "2026-09-15"), ("ITA", 2, "2026-09-10"), ("MKD", 1, "2026-09-10"),
        ("CUW", 1, "2026-09-09"), ("GBR", 2, "2026-09-09"), ("SUR", 1, "2026-09-08")]
    assert snapshot.items[0].level_label == "Level 3: Reconsider Travel"


def test_us_state_parser_names_a_destination_without_the_words_travel_advisory(tmp_path):
    text = US.read_text(encoding="utf-8").replace("<title>Italy - Level 2", "<title>Italy Travel Advisory - Level 2")
    snapshot = parse_feed("us-state", _write(tmp_path / "feed.xml", text), "2026-10-07")
    assert snapshot.by_destination()["ITA"].name == "Italy"


def test_us_state_parser_maps_non_iso_country_tags_through_the_exceptions(tmp_path):
    # Without the link's alpha-3 slug, the tag is used: UK is not ISO, places.csv says GBR.
    text = US.read_text(encoding="utf-8").replace("destination.gbr.html", "destination.html")
    snapshot = parse_feed("us-state", _write(tmp_path / "feed.xml", text), "2026-10-07")
    assert "GBR" in {i.destination for i in snapshot.items}


OLD_LINK = "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/{}-travel-advisory.html"


@pytest.mark.parametrize("tag, name, expected", [
    ("KR", "Kiribati", "KIR"),                # ISO KR is South Korea
    ("SC", "Saint Kitts and Nevis", "KNA"),   # ISO SC is Seychelles
    ("BM", "Burma", "MMR"),                   # ISO BM is Bermuda
    ("DA", "Kingdom of Denmark", "DNK"),
    ("NH", "Vanuatu", "VUT"),
    ("PP", "Papua New Guinea", "PNG"),
    ("BP", "Solomon Islands", "SLB"),
    ("FP", "French Polynesia", "PYF"),
    ("IS", "West Bank", None),                # ISO IS is Iceland; the feed tags Israel, West Bank and Gaza IS
])
def test_us_state_parser_reads_the_feeds_fips_tags_never_as_iso_codes(tmp_path, tag, name, expected):
    # Items with the older link carry no alpha-3 slug, so their FIPS 10-4 country tag decides.
    text = US.read_text(encoding="utf-8")
    text = text.replace("<title>United Kingdom - Level 2", f"<title>{name} - Level 2", 1)
    text = text.replace(">https://travel.state.gov/content/tsg_aem/us/en/home/international-travel/travel-advisories/"
                        "destination.gbr.html<", f">{OLD_LINK.format(name.lower().replace(' ', '-'))}<")
    text = text.replace('<category domain="Country-Tag">UK</category>', f'<category domain="Country-Tag">{tag}</category>')
    snapshot = parse_feed("us-state", _write(tmp_path / "feed.xml", text), "2026-10-07")
    read = {i.name: i.destination for i in snapshot.items}
    if expected:
        assert read[name] == expected and snapshot.bad == []
    else:
        assert name not in read
        assert [str(b) for b in snapshot.bad] == [
            f"item 6 ({name} - Level 2: Exercise Increased Caution): destination '{name}' maps to no ISO 3166-1 code "
            f"(link '{OLD_LINK.format('west-bank')}')"]


CAPTURE = REPO / "research" / "feeds" / "us-state-TAsTWs-2026-10-07.xml"


@pytest.mark.skipif(not CAPTURE.is_file(), reason="research/ is not part of the sdist")
def test_us_state_parser_reads_the_full_capture_of_2026_10_07():
    capture = CAPTURE
    snapshot = parse_feed("us-state", str(capture), "2026-10-07")
    excerpt = parse_feed("us-state", str(US), "2026-10-07")
    assert snapshot.items[:7] == excerpt.items
    assert (len(snapshot.items), len(snapshot.bad), len(snapshot.by_destination())) == (213, 10, 210)
    names: dict[str, set[str]] = {}
    for item in snapshot.items:
        names.setdefault(item.destination, set()).add(item.name)
    assert {code: n for code, n in names.items() if len(n) > 1} == {}
    assert [b.where.split(" (")[1].split(" - ")[0] for b in snapshot.bad] == [
        "Bosnia and Herzegovina", "Israel", "West Bank", "Gaza", "Kosovo", "Saba and Sint Eustatius", "Tunisia",
        "Namibia", "Cambodia", "French West Indies"]


def test_us_state_parser_refuses_truncated_xml_with_its_position(tmp_path):
    raw = US.read_bytes()[:5000]
    (tmp_path / "feed.xml").write_bytes(raw)
    with pytest.raises(FeedError, match=r"^US State Department feed: not well-formed XML \(line \d+, column \d+\)$"):
        parse_feed("us-state", str(tmp_path / "feed.xml"), "2026-10-07")


def test_us_state_parser_refuses_entity_expansion(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            "<rss><channel><item><title>&b;</title></item></channel></rss>")
    with pytest.raises(FeedError, match="refused"):
        parse_feed("us-state", _write(tmp_path / "feed.xml", bomb), "2026-10-07")


def test_us_state_parser_keeps_good_items_and_names_the_bad_ones(tmp_path):
    text = US.read_text(encoding="utf-8")
    text = text.replace("<title>Italy - Level 2: Exercise Increased Caution</title>",
                        "<title>Italy - Level 9: Unheard Of</title>", 1)
    text = text.replace("<pubDate>Tue, 15 Sep 2026</pubDate>", "<pubDate>someday</pubDate>", 1)
    snapshot = parse_feed("us-state", _write(tmp_path / "feed.xml", text), "2026-10-07")
    assert len(snapshot.items) == 5
    assert [str(b) for b in snapshot.bad] == [
        "item 1 (Saudi Arabia - Level 3: Reconsider Travel): missing or unreadable pubDate 'someday'",
        "item 3 (Italy - Level 9: Unheard Of): unknown level label 'Level 9: Unheard Of' (expected 'Level N: ...')",
    ]


def test_smartraveller_parser_unescapes_names_and_reports_what_it_cannot_map(tmp_path):
    snapshot = parse_feed("smartraveller", _write(tmp_path / "export.json", SMARTRAVELLER), "2026-04-10")
    assert [(i.destination, i.level, i.updated_on, i.name) for i in snapshot.items] == [
        ("CHN", 2, "2026-03-24", "China"), ("CIV", 3, "2026-02-02", "C\u00f4te d'Ivoire (Ivory Coast)")]
    assert [str(b) for b in snapshot.bad] == [
        "item 3 (Kosovo): destination 'Kosovo' maps to no ISO 3166-1 code",
        "item 4 (No travel advice): unknown level label 'No travel advice' (expected one of: Exercise normal "
        "safety precautions, Exercise a high degree of caution, Reconsider your need to travel, Do not travel)",
        "item 5 (Japan): unknown level label 'Stay alert' (expected one of: Exercise normal safety precautions, "
        "Exercise a high degree of caution, Reconsider your need to travel, Do not travel)",
        "item 6 (Italy): missing or unreadable field 'changed' None",
    ]


@pytest.mark.parametrize("payload, message", [
    ('{"title": "China"}', "expected a non-empty JSON array of destinations, found dict"),
    ("[]", "expected a non-empty JSON array of destinations, found list"),
    ('[{"title": "China",', "not valid JSON (line 1, column 20"),
])
def test_smartraveller_parser_refuses_the_wrong_shape_in_one_line(tmp_path, payload, message):
    with pytest.raises(FeedError) as caught:
        parse_feed("smartraveller", _write(tmp_path / "export.json", payload), "2026-04-10")
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.skipif(not os.environ.get("TRADECURBS_FEED_SAMPLES"), reason="TRADECURBS_FEED_SAMPLES not set")
def test_smartraveller_parser_maps_the_real_export():
    path = Path(os.environ["TRADECURBS_FEED_SAMPLES"]) / "smartraveller" / "destinations-export.json"
    snapshot = parse_feed("smartraveller", str(path), "2026-04-10")
    assert len(snapshot.items) == 178 and len({i.destination for i in snapshot.items}) == 178
    assert sorted(b.where for b in snapshot.bad) == ["item 117 (No travel advice)", "item 81 (Kosovo)"]


def test_canada_parser_reads_both_real_snapshots():
    march = parse_feed("canada-gac", str(CANADA_MARCH), "2014-03-02")
    october = parse_feed("canada-gac", str(CANADA_OCTOBER), "2014-10-02")
    assert (march.published_on, october.published_on) == ("2014-03-02", "2014-10-02")
    assert len(march.items) + len(march.bad) == 229 and len(october.items) + len(october.bad) == 229
    assert {b.where.split()[1] for b in october.bad} == {"'PT-20'", "'IC'", "'XK'"}
    china = october.by_destination()["CHN"]
    assert (china.level, china.level_label) == (2, "Exercise a high degree of caution")


def test_canada_change_detection_reports_exactly_the_level_changes_between_snapshots():
    old = json.loads(CANADA_MARCH.read_text(encoding="utf-8"))["data"]
    new = json.loads(CANADA_OCTOBER.read_text(encoding="utf-8"))["data"]
    expected = {key for key in old.keys() & new.keys()
                if len(key) == 2 and key not in ("IC", "XK") and old[key]["advisory-state"] != new[key]["advisory-state"]}
    review = compare_snapshots(parse_feed("canada-gac", str(CANADA_MARCH), "2014-03-02"),
                               parse_feed("canada-gac", str(CANADA_OCTOBER), "2014-10-02"))
    import pycountry

    assert {c.destination for c in review.changes if c.kind == "level_changed"} == {
        pycountry.countries.get(alpha_2=k).alpha_3 for k in expected}
    assert review.count("level_changed") == len(expected) > 0
    iraq = next(c for c in review.changes if c.destination == "IRQ")
    assert (iraq.old_level, iraq.new_level) == (old["IQ"]["advisory-state"] + 1, new["IQ"]["advisory-state"] + 1)


ADVISORY = {"id": "ta-usa-2026-ita-level1", "issuing_jurisdiction": "USA", "authority": "Department of State",
            "destination_jurisdiction": "ITA", "region": None, "advisory_type": "travel", "level": 1,
            "level_label": "Level 1", "issued_on": "2026-01-01", "withdrawn_on": None, "supersedes_id": None}


def test_compare_with_data_finds_new_changed_unchanged_and_gone():
    snapshot = parse_feed("us-state", str(US), "2026-10-07")
    rows = [ADVISORY,
            ADVISORY | {"id": "ta-usa-2026-khm-level2", "destination_jurisdiction": "KHM", "level": 2},
            ADVISORY | {"id": "ta-usa-2025-fra-level2", "destination_jurisdiction": "FRA", "level": 2},
            ADVISORY | {"id": "ta-usa-2019-sau-level2", "destination_jurisdiction": "SAU", "level": 2},
            ADVISORY | {"id": "ta-usa-2026-sau-level3", "destination_jurisdiction": "SAU", "level": 3,
                        "supersedes_id": "ta-usa-2019-sau-level2", "issued_on": "2026-09-15"}]
    review = compare_with_data(snapshot, rows, only={"ITA", "KHM", "FRA", "SAU", "GBR"})
    kinds = {c.destination: c.kind for c in review.changes}
    assert kinds == {"ITA": "level_changed", "KHM": "unchanged", "FRA": "gone", "SAU": "unchanged", "GBR": "new"}
    assert "- France (FRA): level 2" in render_markdown(review)  # a gone destination is named, not only coded
    italy = review.rows["travel_advisories"][1]
    assert (italy["id"], italy["level"], italy["supersedes_id"], italy["issued_on"]) == (
        "ta-usa-2026-ita-level2", 2, "ta-usa-2026-ita-level1", "2026-09-10")
    assert [e["record_id"] for e in review.rows["measure_events"]] == ["ta-usa-2026-gbr-level2", "ta-usa-2026-ita-level2"]
    assert review.rows["sources"][0]["id"] == "us-state-2026-10-07-advisory-feed"


def test_compare_with_data_never_lets_an_older_feed_overwrite_newer_advice():
    snapshot = parse_feed("us-state", str(US), "2026-10-07")
    newer = ADVISORY | {"issued_on": "2026-09-30"}
    review = compare_with_data(snapshot, [newer], only={"ITA"})
    assert review.rows["travel_advisories"] == []
    assert "not newer than ta-usa-2026-ita-level1 of 2026-09-30" in review.bad[0]


SEVEN = {"SAU", "KHM", "ITA", "MKD", "CUW", "GBR", "SUR"}


def _repo_copy(tmp_path: Path) -> Path:
    """The repository's package without its State Department rows for the feed excerpt's destinations."""
    import csv

    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "datapackage.json", root)
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "validation", root / "validation")
    dropped: set[str] = set()
    for table, keep in (("travel_advisories", lambda r: not (r["issuing_jurisdiction"] == "USA"
                                                            and r["destination_jurisdiction"] in SEVEN)),
                        ("measure_events", lambda r: r["record_id"] not in dropped)):
        path = root / "data" / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            names, rows = reader.fieldnames, list(reader)
        dropped |= {r["id"] for r in rows if table == "travel_advisories" and not keep(r)}
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if keep(r))
    return root


def test_cli_ingest_writes_a_review_set_and_apply_adds_it_so_the_package_validates(tmp_path):
    from tradecurbs import validate

    root, out = _repo_copy(tmp_path), tmp_path / "review"
    before = (root / "data" / "travel_advisories.csv").read_text(encoding="utf-8")
    runner = CliRunner()
    seven = ",".join(sorted(SEVEN))
    result = runner.invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07",
                                  "--path", str(root), "--out", str(out), "--only", seven])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("## Feed review: us-state, captured on 2026-10-07 (against data)")
    assert sorted(p.name for p in out.iterdir()) == [
        "measure_events.csv", "review.json", "review.md", "sources.csv", "travel_advisories.csv"]
    assert (root / "data" / "travel_advisories.csv").read_text(encoding="utf-8") == before  # nothing applied yet
    added = json.loads((out / "review.json").read_text())["summary"]
    result = runner.invoke(main, ["ingest", "apply", str(out), "--path", str(root)])
    assert result.exit_code == 0, result.output
    rows = (out / "travel_advisories.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert f"travel_advisories: {len(rows)} rows added" in result.output
    assert len(rows) == added["new"] + added["level_changed"] > 0
    assert validate(root).ok
    again = runner.invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07", "--path", str(root),
                                 "--only", seven])
    assert "| 0 | 0 | 7 | 0 | 0 |" in again.output and again.exit_code == 0


def test_apply_review_refuses_a_key_already_taken_and_changes_nothing(tmp_path):
    root, out = _repo_copy(tmp_path), tmp_path / "review"
    CliRunner().invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07", "--path", str(root),
                              "--out", str(out)])
    apply_review(out, root)
    snapshot = {p.name: p.read_bytes() for p in (root / "data").iterdir()}
    with pytest.raises(ReviewError, match=r"travel_advisories.csv:2 \[id\]: 'ta-usa-.*' is already in data/travel_advisories.csv"):
        apply_review(out, root)
    assert {p.name: p.read_bytes() for p in (root / "data").iterdir()} == snapshot


def test_apply_review_undoes_everything_when_the_result_is_invalid(tmp_path):
    root, out = _repo_copy(tmp_path), tmp_path / "review"
    CliRunner().invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07", "--path", str(root),
                              "--out", str(out)])
    rows = out / "travel_advisories.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace(",travel,1,", ",travel,7,", 1), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (root / "data").iterdir()}
    result = CliRunner().invoke(main, ["ingest", "apply", str(out), "--path", str(root)])
    assert result.exit_code == 2
    assert "would make the package invalid (1 errors)" in result.output and "[level]" in result.output
    assert {p.name: p.read_bytes() for p in (root / "data").iterdir()} == before


def test_cli_ingest_against_an_earlier_snapshot_prints_json():
    result = CliRunner().invoke(main, ["ingest", "canada-gac", str(CANADA_OCTOBER), "--captured-on", "2014-10-02",
                                       "--against", str(CANADA_MARCH), "--against-captured-on", "2014-03-02",
                                       "--format", "json"])
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["summary"] == {"new": 0, "level_changed": 12, "unchanged": 214, "gone": 0, "bad_items": 3}


def test_cli_ingest_missing_file_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["ingest", "us-state", str(tmp_path / "nope.xml")])
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'nope.xml'}: not a readable feed file (No such file or directory)\n"


@pytest.fixture
def feed_server():
    """The feed fixtures served on 127.0.0.1, by the same misbehaving server the release tests use."""
    with serve(FEEDS) as (url, behaviour):
        yield url, behaviour


def test_read_feed_downloads_from_a_url(feed_server):
    url, _ = feed_server
    assert read_feed(f"{url}/{US.name}") == US.read_bytes()
    review = ingest_feed("canada-gac", f"{url}/{CANADA_OCTOBER.name}", "2014-10-02",
                         against=f"{url}/{CANADA_MARCH.name}", captured_against="2014-03-02")
    assert review.count("level_changed") == 12


def test_read_feed_stops_past_the_size_limit_and_names_a_missing_page(feed_server):
    url, behaviour = feed_server
    with pytest.raises(FeedFetchError, match=r"announces \d+ bytes, more than the 1000 expected; nothing was kept$"):
        read_feed(f"{url}/{US.name}", max_bytes=1000)
    behaviour.rules[US.name] = "flood"  # no Content-Length: the reading itself stops
    with pytest.raises(FeedFetchError, match=r"sent more than the expected 1000 bytes; stopped reading"):
        read_feed(f"{url}/{US.name}", max_bytes=1000)
    assert behaviour.sent.get(f"/{US.name}", 0) < FLOOD_BYTES  # nothing recorded when the first write was refused
    with pytest.raises(FeedFetchError, match=r"/missing.xml: HTTP 404"):
        read_feed(f"{url}/missing.xml")


def test_read_feed_retries_a_transient_failure_through_the_download_layer(feed_server, monkeypatch):
    url, behaviour = feed_server
    monkeypatch.setattr(download, "BACKOFF", 0.1)
    monkeypatch.setenv("TRADECURBS_RETRIES", "3")
    behaviour.rules[US.name] = Failing(503, times=2)
    assert read_feed(f"{url}/{US.name}") == US.read_bytes()
    assert behaviour.requests.count(f"/{US.name}") == 3


def test_read_feed_gives_up_at_the_deadline_with_one_line(feed_server, monkeypatch):
    url, behaviour = feed_server
    monkeypatch.setenv("TRADECURBS_DEADLINE", "1")
    behaviour.rules[US.name] = "trickle"
    result = CliRunner().invoke(main, ["ingest", "us-state", f"{url}/{US.name}", "--captured-on", "2026-10-07"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "not finished within the 1 s deadline" in result.output


def test_read_feed_refuses_a_link_and_a_special_file(tmp_path):
    link = tmp_path / "feed.xml"
    link.symlink_to(US)
    with pytest.raises(FeedFetchError, match="symbolic link; refused"):
        read_feed(str(link))
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    with pytest.raises(FeedFetchError, match="not a regular feed file"):
        read_feed(str(fifo))
    with pytest.raises(FeedFetchError, match="more than the 100 bytes a feed may have"):
        read_feed(str(US), max_bytes=100)


def test_apply_review_never_writes_through_a_link_out_of_the_package(tmp_path):
    root, out = _repo_copy(tmp_path), tmp_path / "review"
    CliRunner().invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07", "--path", str(root),
                              "--out", str(out), "--only", ",".join(sorted(SEVEN))])
    outside = tmp_path / "outside.csv"
    outside.write_bytes((root / "data" / "travel_advisories.csv").read_bytes())
    (root / "data" / "travel_advisories.csv").unlink()
    (root / "data" / "travel_advisories.csv").symlink_to(outside)
    before = outside.read_bytes()
    result = CliRunner().invoke(main, ["ingest", "apply", str(out), "--path", str(root)])
    assert result.exit_code == 2 and "travel_advisories.csv" in result.output
    assert outside.read_bytes() == before


def test_apply_review_names_a_review_file_that_is_not_utf8_or_too_large(tmp_path, monkeypatch):
    """A review file is outside input too: one line naming the file, nothing applied."""
    from tradecurbs import limits

    root, out = _repo_copy(tmp_path), tmp_path / "review"
    CliRunner().invoke(main, ["ingest", "us-state", str(US), "--captured-on", "2026-10-07", "--path", str(root),
                              "--out", str(out), "--only", ",".join(sorted(SEVEN))])
    before = {p.name: p.read_bytes() for p in (root / "data").iterdir()}
    rows = out / "sources.csv"
    good = rows.read_bytes()
    rows.write_bytes(good.replace(b"\n", b"\n\xff", 2))
    result = CliRunner().invoke(main, ["ingest", "apply", str(out), "--path", str(root)])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert "sources.csv:2: not UTF-8" in result.output
    rows.write_bytes(good)
    first = out / "travel_advisories.csv"  # the first file read
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", first.stat().st_size - 1)
    result = CliRunner().invoke(main, ["ingest", "apply", str(out), "--path", str(root)])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
    assert "travel_advisories.csv" in result.output and "more than the limit" in result.output
    assert {p.name: p.read_bytes() for p in (root / "data").iterdir()} == before
