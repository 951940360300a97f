"""Releases: reproducible builds, SemVer for data, verified downloads, offline loads."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE
from release_site import serve

import tradecurbs
from tradecurbs.cli import main
from tradecurbs.download import DownloadError, fetch_release
from tradecurbs.loading import load_resource
from tradecurbs.datapackage import Package
from tradecurbs.registry import RegistryError
from tradecurbs.release_build import ReleaseError, build, plan

SECOND = {**SOURCE, "id": "example-2026-02-01-update", "url": "https://example.org/update", "published_on": "2026-02-01"}


@pytest.fixture
def source_package(make_package) -> Path:
    return make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})


@pytest.fixture
def site(tmp_path, source_package) -> Path:
    out = tmp_path / "site"
    build(source_package, "0.1.0", out)
    return out


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("TRADECURBS_CACHE_DIR", str(directory))
    monkeypatch.setenv("TRADECURBS_TIMEOUT", "1")
    return directory


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_build_writes_parquet_csv_descriptor_checksums_and_index(site):
    release = site / "tradecurbs-data-0.1.0"
    names = sorted(p.name for p in release.iterdir())
    assert "trade_remedies.parquet" in names and "trade_remedies.csv" in names
    assert {"datapackage.json", "SHA256SUMS", "CHANGELOG.md"} <= set(names)
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["version"] == "0.1.0"
    assert descriptor["created"] == "2026-02-01T00:00:00Z"  # newest accessed_on, not the clock
    remedies = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    assert remedies["rows"] == 1
    assert remedies["hash"] == "sha256:" + hashlib.sha256((release / "trade_remedies.csv").read_bytes()).hexdigest()
    assert remedies["alternates"][0]["path"] == "trade_remedies.parquet"
    sums = dict(line.split("  ")[::-1] for line in (release / "SHA256SUMS").read_text().splitlines())
    assert sums["trade_remedies.parquet"] == hashlib.sha256((release / "trade_remedies.parquet").read_bytes()).hexdigest()
    index = json.loads((site / "index.json").read_text())
    assert [r["version"] for r in index["releases"]] == ["0.1.0"]


def test_build_twice_gives_identical_bytes(source_package, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(source_package, "0.1.0", first)
    build(source_package, "0.1.0", second)
    for path in sorted((first / "tradecurbs-data-0.1.0").iterdir()):
        assert path.read_bytes() == (second / "tradecurbs-data-0.1.0" / path.name).read_bytes(), path.name
    assert (first / "index.json").read_bytes() == (second / "index.json").read_bytes()


def test_build_parquet_keeps_schema_types(site):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(site / "tradecurbs-data-0.1.0" / "trade_remedies.parquet")
    assert schema.field("initiated_on").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("exporting_jurisdictions").type == pa.list_(pa.string())
    assert pq.ParquetFile(site / "tradecurbs-data-0.1.0" / "trade_remedies.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_build_descriptor_is_accepted_by_frictionless(site):
    from frictionless import Package as FrictionlessPackage

    report = FrictionlessPackage(str(site / "tradecurbs-data-0.1.0" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_build_parquet_is_read_by_duckdb_and_polars(site):
    import duckdb
    import polars as pl

    path = site / "tradecurbs-data-0.1.0" / "trade_remedies.parquet"
    assert duckdb.sql(f"select id, exporting_jurisdictions from '{path}'").fetchall() == [
        ("tr-chn-2026-example", ["JPN", "KOR"])]
    frame = pl.read_parquet(path)
    assert frame["initiated_on"].dtype == pl.Date and frame["id"].to_list() == ["tr-chn-2026-example"]


def test_build_refuses_invalid_data(make_package, tmp_path):
    broken = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "status": "bogus"}]})
    with pytest.raises(ReleaseError, match="refusing to release"):
        build(broken, "0.1.0", tmp_path / "site")
    assert not (tmp_path / "site" / "tradecurbs-data-0.1.0").exists()


def test_semver_added_record_needs_minor(site, make_package):
    newer = make_package({"sources": [SOURCE, SECOND], "trade_remedies": [REMEDY, {**REMEDY, "id": "tr-chn-2026-other"}]})
    assert str(plan(newer, site).next) == "0.2.0"
    with pytest.raises(ReleaseError, match="not justified after 0.1.0: the changes need a minor release"):
        build(newer, "0.1.1", site)
    assert build(newer, "0.2.0", site).name == "tradecurbs-data-0.2.0"


def test_semver_correction_only_is_a_patch(site, make_package):
    corrected = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "product": "Corrected name"}]})
    assert str(plan(corrected, site).next) == "0.1.1"


def test_semver_removed_field_is_a_major(site, make_package):
    descriptor = json.loads(json.dumps(Package.from_directory(site / "tradecurbs-data-0.1.0").descriptor))
    for resource in descriptor["resources"]:
        resource["path"] = f"data/{resource['name']}.csv"
        resource.pop("alternates"), resource.pop("hash"), resource.pop("bytes"), resource.pop("rows")
    remedies = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    remedies["schema"]["fields"] = [f for f in remedies["schema"]["fields"] if f["name"] != "petitioners"]
    reduced = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]}, descriptor=descriptor)
    assert str(plan(reduced, site).next) == "1.0.0"


def test_semver_nothing_changed_is_refused(site, source_package):
    with pytest.raises(ReleaseError, match="nothing to release"):
        build(source_package, "0.1.1", site)


def test_release_next_cli_prints_the_justified_version(site, make_package):
    newer = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY, {**REMEDY, "id": "tr-chn-2026-other"}]})
    result = run("release", "next", "--source", str(newer), "--out", str(site))
    assert result.exit_code == 0 and result.output.strip() == "0.2.0"


def test_release_build_cli_updates_the_changelog(make_package, tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n- something\n\n## [0.0.1] - 2020-01-01\n\nold\n")
    source = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    result = run("release", "build", "--version", "0.1.0", "--source", str(source), "--out", str(tmp_path / "s"),
                 "--changelog", str(changelog))
    assert result.exit_code == 0, result.output
    text = changelog.read_text()
    assert text.index("## [Unreleased]") < text.index("## [0.1.0] - 2026-02-01") < text.index("## [0.0.1]")


def test_download_verifies_caches_and_works_offline(site, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0")
        assert result.exit_code == 0, result.output
        frame = tradecurbs.load("trade_remedies", version="0.1.0")
        served = len(behaviour.requests)
    # The server is gone: everything now comes from the verified cache.
    again = tradecurbs.load("trade_remedies", version="0.1.0")
    pd.testing.assert_frame_equal(again, frame)
    assert list(again["id"]) == ["tr-chn-2026-example"]
    assert (cache / "tradecurbs-data-0.1.0" / "trade_remedies.parquet").is_file()
    assert served > 0
    listing = run("versions", "--offline")
    assert "0.1.0" in listing.output and "cached (parquet, csv)" in listing.output


def test_download_tampered_file_is_refused_and_deleted(site, cache, monkeypatch):
    parquet = site / "tradecurbs-data-0.1.0" / "trade_remedies.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0", "--format", "parquet")
    assert result.exit_code == 2
    assert "checksum mismatch" in result.output and "deleted and not used" in result.output
    assert not (cache / "tradecurbs-data-0.1.0" / "trade_remedies.parquet").exists()
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("rule", "message"),
    [(404, "HTTP 404"), ("truncate", ""), ("slow", "no answer within 1 s")],
)
def test_download_failures_are_one_line_errors(site, cache, monkeypatch, rule, message):
    with serve(site) as (url, behaviour):
        behaviour.rules["trade_remedies.parquet"] = rule
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.raises(DownloadError) as caught:
            fetch_release("0.1.0", formats=("parquet",))
    text = str(caught.value)
    assert "\n" not in text and message in text
    if rule == "truncate":
        assert "truncated" in text or "checksum mismatch" in text
    assert not (cache / "tradecurbs-data-0.1.0" / "trade_remedies.parquet").exists()


def test_unknown_version_lists_the_known_ones(site, cache, monkeypatch):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "9.9.9")
    assert result.exit_code == 2
    assert "unknown release '9.9.9'; known releases: 0.1.0" in result.output


def test_no_network_and_nothing_cached_is_a_clear_error(cache, monkeypatch):
    monkeypatch.setenv("TRADECURBS_RELEASES_URL", "http://127.0.0.1:9")
    result = run("download", "0.1.0")
    assert result.exit_code == 2
    assert "cannot reach the release site http://127.0.0.1:9" in result.output
    assert "not in the cache" in result.output


def test_remote_index_cannot_override_a_known_release(site, cache, monkeypatch):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        fetch_release("0.1.0", formats=("csv",))
        index = json.loads((site / "index.json").read_text())
        index["releases"][0]["files"][0]["sha256"] = "0" * 64
        (site / "index.json").write_text(json.dumps(index))
        with pytest.raises(RegistryError, match="cannot be overridden"):
            fetch_release("latest", formats=("parquet",))


def test_download_dest_copies_verified_files(site, cache, monkeypatch, tmp_path):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "latest", "--format", "csv", "--dest", str(tmp_path / "mine"))
    assert result.exit_code == 0, result.output
    copied = tmp_path / "mine" / "tradecurbs-data-0.1.0"
    assert (copied / "trade_remedies.csv").read_bytes() == (site / "tradecurbs-data-0.1.0" / "trade_remedies.csv").read_bytes()
    assert not (copied / "trade_remedies.parquet").exists()


def test_release_parquet_csv_and_source_load_equal(site, source_package):
    release = Package.from_directory(site / "tradecurbs-data-0.1.0")
    from_source = load_resource(Package.from_directory(source_package), "trade_remedies")
    from_parquet = load_resource(release, "trade_remedies", format="parquet")
    from_csv = load_resource(release, "trade_remedies", format="csv")
    pd.testing.assert_frame_equal(from_source, from_parquet)
    pd.testing.assert_frame_equal(from_source, from_csv)
