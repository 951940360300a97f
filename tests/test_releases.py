"""Releases: reproducible builds, SemVer for data, pinned trust, bounded downloads, offline loads.

Every attack on the download path is replayed against a misbehaving server on 127.0.0.1
(tests/release_site.py) and must be refused with one line, leaving nothing outside the cache.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REMEDY, REPO, SOURCE
from release_site import FLOOD_BYTES, Failing, serve

import tradecurbs
from tradecurbs import download
from tradecurbs.cli import main
from tradecurbs.datapackage import Package
from tradecurbs.loading import load_resource
from tradecurbs.releases import fetch, registry
from tradecurbs.releases.build import build
from tradecurbs.releases.errors import DownloadError, RegistryError, ReleaseError, SettingError
from tradecurbs.releases.plan import plan
from tradecurbs.releases.version import Version
from tradecurbs.resolve import resolve

SECOND = {**SOURCE, "id": "example-2026-02-01-update", "url": "https://example.org/update", "published_on": "2026-02-01"}
RELEASE = "tradecurbs-data-0.1.0"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Built once: a source package, its release site, and a forged release site (other values, same version)."""
    from conftest import write_package

    root = tmp_path_factory.mktemp("built")
    source = write_package(root / "source", {"sources": [SOURCE], "trade_remedies": [REMEDY]})
    build(source, "0.1.0", root / "site")
    forged = write_package(root / "forged-source",
                           {"sources": [SOURCE], "trade_remedies": [{**REMEDY, "product": "FORGED"}]})
    build(forged, "0.1.0", root / "forged")
    return source, root / "site", root / "forged"


@pytest.fixture
def source_package(built, tmp_path) -> Path:
    return Path(shutil.copytree(built[0], tmp_path / "source"))


@pytest.fixture
def site(built, tmp_path) -> Path:
    return Path(shutil.copytree(built[1], tmp_path / "site"))


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("TRADECURBS_CACHE_DIR", str(directory))
    monkeypatch.setenv("TRADECURBS_TIMEOUT", "1")
    monkeypatch.setenv("TRADECURBS_RETRIES", "0")
    monkeypatch.delenv("TRADECURBS_ALLOW_UNPINNED", raising=False)
    monkeypatch.delenv("TRADECURBS_DEADLINE", raising=False)
    monkeypatch.setattr(fetch, "_verified", {})
    return directory


@pytest.fixture
def unpinned(monkeypatch) -> None:
    """The installed package pins no release, and the user opts in to unpinned ones."""
    monkeypatch.setattr(registry, "pinned", lambda: {})
    monkeypatch.setenv("TRADECURBS_ALLOW_UNPINNED", "1")


@pytest.fixture
def pinned(site, monkeypatch) -> dict:
    """The installed package pins the test site's releases (as a release of tradecurbs would)."""
    releases = registry.parse_index((site / "index.json").read_text(), "test pins")
    monkeypatch.setattr(registry, "pinned", lambda: releases)
    return releases


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line(text: str) -> bool:
    return "\n" not in str(text).strip() and "Traceback" not in str(text)


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def forge(site: Path, built) -> None:
    """Rewrite release 0.1.0 of ``site`` with other values, recomputing every hash in its index."""
    scratch = built[2]
    shutil.rmtree(site / RELEASE)
    shutil.copytree(scratch / RELEASE, site / RELEASE)
    shutil.copy(scratch / "index.json", site / "index.json")


# --- building -------------------------------------------------------------------------------


def test_build_writes_parquet_csv_descriptor_checksums_and_index(site):
    release = site / RELEASE
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


# --- the SQLite edition in a release ------------------------------------------------------------


def _relaid(path: Path) -> None:
    """Rewrite the SQLite file ``path`` with the same content in other bytes, as another SQLite library might."""
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 8192")
    db.execute("VACUUM")
    db.close()


def test_build_writes_the_sqlite_edition_under_the_same_checksums(site):
    import sqlite3

    release = site / RELEASE
    sqlite_file = release / "tradecurbs.sqlite"
    digest = hashlib.sha256(sqlite_file.read_bytes()).hexdigest()
    sums = dict(line.split("  ")[::-1] for line in (release / "SHA256SUMS").read_text().splitlines())
    assert sums["tradecurbs.sqlite"] == digest
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["editions"] == [{"name": "sqlite", "path": "tradecurbs.sqlite", "format": "sqlite",
                                       "mediatype": "application/vnd.sqlite3", "bytes": sqlite_file.stat().st_size,
                                       "hash": f"sha256:{digest}", "description": descriptor["editions"][0]["description"]}]
    index = registry.parse_index((site / "index.json").read_text(), "site")[Version(0, 1, 0)]
    assert index.file("tradecurbs.sqlite").sha256 == digest
    db = sqlite3.connect(sqlite_file)
    assert db.execute("select product from trade_remedies").fetchall() == [("Example chemical",)]


def test_build_keeps_published_sqlite_bytes_only_when_the_content_is_the_same(source_package, site, tmp_path):
    from tradecurbs.editions import content_digest

    published = tmp_path / "published.sqlite"
    shutil.copy(site / RELEASE / "tradecurbs.sqlite", published)
    _relaid(published)
    assert published.read_bytes() != (site / RELEASE / "tradecurbs.sqlite").read_bytes()
    assert content_digest(published) == content_digest(site / RELEASE / "tradecurbs.sqlite")
    kept = build(source_package, "0.1.0", tmp_path / "kept", published_sqlite=published)
    assert (kept / "tradecurbs.sqlite").read_bytes() == published.read_bytes()
    assert hashlib.sha256(published.read_bytes()).hexdigest() in (kept / "SHA256SUMS").read_text()
    import sqlite3

    db = sqlite3.connect(published)
    db.execute("update trade_remedies set product = 'Other'")
    db.commit()
    db.close()
    ours = build(source_package, "0.1.0", tmp_path / "ours", published_sqlite=published)
    assert (ours / "tradecurbs.sqlite").read_bytes() == (site / RELEASE / "tradecurbs.sqlite").read_bytes()
    assert not [p.name for p in ours.iterdir() if p.name.startswith(".")]  # the compared copy is gone


def test_build_reads_a_published_sqlite_file_only_as_a_regular_file_and_leaves_no_scratch(
        source_package, site, tmp_path):
    """A published SQLite file reached through a link is not read, even with the same content;
    a kept file leaves no scratch copy in the release."""
    relaid = tmp_path / "relaid.sqlite"
    shutil.copy(site / RELEASE / "tradecurbs.sqlite", relaid)
    _relaid(relaid)
    link = tmp_path / "linked.sqlite"
    link.symlink_to(relaid)
    ours = build(source_package, "0.1.0", tmp_path / "ours", published_sqlite=link)
    assert (ours / "tradecurbs.sqlite").read_bytes() == (site / RELEASE / "tradecurbs.sqlite").read_bytes()
    kept = build(source_package, "0.1.0", tmp_path / "kept", published_sqlite=relaid)
    assert (kept / "tradecurbs.sqlite").read_bytes() == relaid.read_bytes()
    for release in (ours, kept):
        assert not [p.name for p in release.iterdir() if p.name.startswith(".")]


def test_release_check_compares_the_sqlite_file_by_content(site, source_package, tmp_path):
    """A release whose SQLite file another SQLite library wrote passes the check; other content fails it."""
    import sqlite3

    published = tmp_path / "other-library.sqlite"
    shutil.copy(site / RELEASE / "tradecurbs.sqlite", published)
    _relaid(published)
    other = tmp_path / "other-site"
    build(source_package, "0.1.0", other, published_sqlite=published)
    args = ["release", "check", "--version", "0.1.0", "--out", str(other), "--source", str(source_package),
            "--pin", str(other / "index.json")]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "the SQLite file by content" in result.output
    db = sqlite3.connect(other / RELEASE / "tradecurbs.sqlite")
    db.execute("update trade_remedies set product = 'Tampered'")
    db.commit()
    db.close()
    result = run(*args)
    assert result.exit_code == 1
    assert f"tradecurbs.sqlite: the rebuild holds other content than {other / RELEASE / 'tradecurbs.sqlite'}" \
        in result.output.splitlines()


def test_committed_release_carries_the_sqlite_edition_with_the_package_rows():
    """The newest pinned release has tradecurbs.sqlite, pinned and in SHA256SUMS, with every table's rows."""
    import sqlite3

    pins = registry.parse_index((REPO / "src" / "tradecurbs" / "index.json").read_text(), "pins")
    release = pins[max(pins)]
    directory = REPO / "releases" / release.directory
    digest = hashlib.sha256((directory / "tradecurbs.sqlite").read_bytes()).hexdigest()
    assert release.file("tradecurbs.sqlite").sha256 == digest
    assert f"{digest}  tradecurbs.sqlite\n" in (directory / "SHA256SUMS").read_text()
    descriptor = json.loads((directory / "datapackage.json").read_text())
    db = sqlite3.connect(f"file:{directory / 'tradecurbs.sqlite'}?mode=ro", uri=True)
    for resource in descriptor["resources"]:
        count = db.execute(f"select count(*) from [{resource['name']}]").fetchone()[0]
        assert count == resource["rows"] == len(pd.read_parquet(directory / f"{resource['name']}.parquet")), resource["name"]


def test_download_format_sqlite_fetches_the_sqlite_edition_only(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0", "--format", "sqlite")
        assert result.exit_code == 0, result.output
        assert f"/{RELEASE}/tradecurbs.sqlite" in behaviour.requests
        assert not [r for r in behaviour.requests if r.endswith((".csv", ".parquet"))]
        behaviour.requests.clear()
        assert run("download", "0.1.0", "--format", "parquet").exit_code == 0
        assert not [r for r in behaviour.requests if r.endswith((".csv", ".sqlite"))]
    assert (cache / RELEASE / "tradecurbs.sqlite").read_bytes() == (site / RELEASE / "tradecurbs.sqlite").read_bytes()
    assert re.search(r"0\.1\.0 .* pinned\s+cached \(parquet, sqlite\)$", run("versions", "--offline").output, re.M)


def test_build_twice_gives_identical_bytes(source_package, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(source_package, "0.1.0", first)
    build(source_package, "0.1.0", second)
    for path in sorted((first / RELEASE).iterdir()):
        assert path.read_bytes() == (second / RELEASE / path.name).read_bytes(), path.name
    assert (first / "index.json").read_bytes() == (second / "index.json").read_bytes()


def test_build_reads_the_source_once(source_package, tmp_path, monkeypatch):
    """An edit to the source while the build runs reaches neither the validation nor the release."""
    from tradecurbs.releases import build as building

    validated = building._refuse_invalid

    def edit_after_snapshot(snapshot, source):
        csv = source / "data" / "trade_remedies.csv"
        csv.write_text(csv.read_text().replace("Example chemical", "Edited meanwhile"))
        validated(snapshot, source)

    monkeypatch.setattr(building, "_refuse_invalid", edit_after_snapshot)
    build(source_package, "0.1.0", tmp_path / "site")
    released = (tmp_path / "site" / RELEASE / "trade_remedies.csv").read_text()
    assert "Example chemical" in released and "Edited meanwhile" not in released


def test_build_parquet_keeps_schema_types(site):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(site / RELEASE / "trade_remedies.parquet")
    assert schema.field("initiated_on").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("exporting_jurisdictions").type == pa.list_(pa.string())
    assert pq.ParquetFile(site / RELEASE / "trade_remedies.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_build_descriptor_is_accepted_by_frictionless(site):
    from frictionless import Package as FrictionlessPackage

    report = FrictionlessPackage(str(site / RELEASE / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_build_parquet_is_read_by_duckdb_and_polars(site):
    import duckdb
    import polars as pl

    path = site / RELEASE / "trade_remedies.parquet"
    assert duckdb.sql(f"select id, exporting_jurisdictions from '{path}'").fetchall() == [
        ("tr-chn-2026-example", ["JPN", "KOR"])]
    frame = pl.read_parquet(path)
    assert frame["initiated_on"].dtype == pl.Date and frame["id"].to_list() == ["tr-chn-2026-example"]


def test_build_refuses_invalid_data(make_package, tmp_path):
    broken = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "status": "bogus"}]})
    with pytest.raises(ReleaseError, match="refusing to release"):
        build(broken, "0.1.0", tmp_path / "site")
    assert not (tmp_path / "site" / RELEASE).exists()


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
    descriptor = json.loads(json.dumps(Package.from_directory(site / RELEASE).descriptor))
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


def test_release_build_cli_updates_the_changelog_and_pins(make_package, tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n- something\n\n## [0.0.1] - 2020-01-01\n\nold\n")
    pin = tmp_path / "index.json"
    pin.write_text('{"releases": []}')
    source = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    result = run("release", "build", "--version", "0.1.0", "--source", str(source), "--out", str(tmp_path / "s"),
                 "--changelog", str(changelog), "--pin", str(pin))
    assert result.exit_code == 0, result.output
    text = changelog.read_text()
    assert text.index("## [Unreleased]") < text.index("## [0.1.0] - 2026-02-01") < text.index("## [0.0.1]")
    assert pin.read_text() == (tmp_path / "s" / "index.json").read_text()


def test_release_section_is_set_apart_below_unreleased(tmp_path):
    """With [Unreleased] the last section, the release's section follows it after a blank line."""
    from tradecurbs.releases.changelog import insert_section

    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n- a line\n")
    insert_section(changelog, "## [0.1.1] - 2026-12-02\n\nnotes\n")
    assert changelog.read_text() == ("# Changelog\n\n## [Unreleased]\n\n### Added\n- a line\n\n"
                                     "## [0.1.1] - 2026-12-02\n\nnotes\n")


def test_release_check_cli_rebuilds_byte_for_byte(site, source_package, tmp_path):
    pin = site / "index.json"
    result = run("release", "check", "--version", "0.1.0", "--out", str(site), "--source", str(source_package),
                 "--pin", str(pin))
    assert result.exit_code == 0, result.output
    (site / RELEASE / "CHANGELOG.md").write_text("edited by hand\n")
    result = run("release", "check", "--version", "0.1.0", "--out", str(site), "--source", str(source_package),
                 "--pin", str(pin))
    assert result.exit_code == 1 and "CHANGELOG.md: the rebuild differs" in result.output


def test_release_pin_never_changes_a_pinned_release(site, built, tmp_path):
    from tradecurbs.releases.pins import pin_release

    pin = tmp_path / "index.json"
    pin_release(site, "0.1.0", pin)
    forge(site, built)
    with pytest.raises(RegistryError, match="cannot be overridden"):
        pin_release(site, "0.1.0", pin)


def test_committed_release_site_is_pinned_and_intact():
    """The repository's release site holds every pinned release, file for file, hash for hash."""
    pins = registry.parse_index((REPO / "src" / "tradecurbs" / "index.json").read_text(), "pins")
    assert pins, "the package pins no release"
    site = registry.parse_index((REPO / "releases" / "index.json").read_text(), "site")
    for version, release in pins.items():
        assert site[version] == release
        for item in release.files:
            data = (REPO / "releases" / release.directory / item.path).read_bytes()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (item.bytes, item.sha256), item.path
        sums = (REPO / "releases" / release.directory / "SHA256SUMS").read_text()
        assert subprocess.run(["sha256sum", "--quiet", "-c", "-"], input=sums, text=True, capture_output=True,
                              cwd=REPO / "releases" / release.directory).returncode == 0


#: A version as the docs name it: `0.1.0`, `v0.1.0`, `tradecurbs-data-0.1.0`; not `>=1.2.3`, a URL's `/1.1.0/`
#: or a longer dotted number.
NAMED_VERSION = re.compile(r"(?:tradecurbs-data-|(?<![\w.>=<~^/-])v?)(\d+\.\d+\.\d+)(?![\w.])")


def _help_texts() -> dict[str, str]:
    """`tradecurbs ... --help` of every command and group, by command line."""
    import click

    texts = {}

    def walk(command: click.Command, path: list[str]) -> None:
        texts[" ".join(["tradecurbs", *path, "--help"])] = run(*path, "--help").output
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(main, [])
    return texts


def test_docs_name_only_released_versions():
    """Every version the README, the docs, `--help` and the API's docstrings name is in the registry."""
    pins = {str(v) for v in registry.parse_index((REPO / "src" / "tradecurbs" / "index.json").read_text(), "pins")}
    pages = [REPO / "README.md", REPO / "ARCHITECTURE.md", REPO / "CONTRIBUTING.md", REPO / "validation" / "README.md",
             *sorted((REPO / "docs").rglob("*.md"))]
    texts = {str(path.relative_to(REPO)): path.read_text(encoding="utf-8") for path in pages}
    texts.update(_help_texts())
    texts.update({f"tradecurbs.{name}": getattr(tradecurbs, name).__doc__ or "" for name in tradecurbs.__all__
                  if callable(getattr(tradecurbs, name))})
    named = {(where, match.group(1)) for where, text in texts.items() for match in NAMED_VERSION.finditer(text)}
    assert ("README.md", "0.1.0") in named and any(where.startswith("tradecurbs ") for where, _ in named)
    assert {(where, v) for where, v in named if v not in pins} == set()


# --- trust: pinned releases ---------------------------------------------------------------


def test_download_verifies_caches_and_works_offline(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0")
        assert result.exit_code == 0, result.output
        frame = tradecurbs.load("trade_remedies", version="0.1.0")
        served = len(behaviour.requests)
    assert "/index.json" not in behaviour.requests  # a pinned release needs no index from the site
    again = tradecurbs.load("trade_remedies", version=tradecurbs.Version(0, 1, 0))  # the server is gone
    pd.testing.assert_frame_equal(again, frame)
    assert list(again["id"]) == ["tr-chn-2026-example"]
    assert (cache / RELEASE / "trade_remedies.parquet").is_file()
    assert served > 0
    listing = run("versions", "--offline")
    assert re.search(r"0\.1\.0 .* pinned\s+cached \(parquet, csv, sqlite\)$", listing.output, re.M), listing.output


def test_forged_site_never_reaches_load_on_a_fresh_cache(site, pinned, cache, monkeypatch, built):
    forge(site, built)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.raises(DownloadError, match="checksum mismatch") as caught:
            tradecurbs.load("trade_remedies", version="0.1.0")
        result = run("download", "0.1.0")
    assert one_line(caught.value) and result.exit_code == 2 and "checksum mismatch" in result.output
    assert not (cache / RELEASE / "trade_remedies.parquet").exists()


def test_forged_site_never_reaches_load_on_an_old_cache(site, pinned, cache, monkeypatch, built):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        genuine = tradecurbs.load("trade_remedies", version="0.1.0")
    forge(site, built)
    # A forged copy planted in the cache (say, by an earlier unpinned download) is re-checked, not trusted.
    shutil.copy(site / RELEASE / "trade_remedies.parquet", cache / RELEASE / "trade_remedies.parquet")
    monkeypatch.setattr(fetch, "_verified", {})
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.raises(DownloadError, match="checksum mismatch|not the pinned file"):
            tradecurbs.load("trade_remedies", version="0.1.0")
    assert "FORGED" not in set(genuine["product"])


def test_forged_site_is_ignored_when_the_cache_is_verified(site, pinned, cache, monkeypatch, built):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        genuine = tradecurbs.load("trade_remedies", version="0.1.0")
    forge(site, built)
    monkeypatch.setattr(fetch, "_verified", {})
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        again = tradecurbs.load("trade_remedies", version="0.1.0")
    assert behaviour.requests == []
    pd.testing.assert_frame_equal(again, genuine)


def test_unpinned_version_is_refused_without_the_opt_in(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "9.9.9")
    assert result.exit_code == 2 and one_line(result.output)
    assert "release 9.9.9 is not pinned" in result.output and "pinned releases: 0.1.0" in result.output
    assert "TRADECURBS_ALLOW_UNPINNED=1" in result.output
    assert behaviour.requests == []


def test_unpinned_opt_in_warns_and_uses_the_site_index(site, cache, unpinned, monkeypatch):
    monkeypatch.setattr(fetch, "_warned_unpinned", False)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.warns(UserWarning, match="compromised site or connection can serve any data"):
            frame = tradecurbs.load("trade_remedies", version="0.1.0")
        result = run("download", "9.9.9")
    assert list(frame["id"]) == ["tr-chn-2026-example"]
    assert result.exit_code == 2 and "unknown release '9.9.9'; known releases: 0.1.0" in result.output


def test_remote_index_cannot_override_a_pinned_release(site, pinned, cache, monkeypatch, built):
    monkeypatch.setenv("TRADECURBS_ALLOW_UNPINNED", "1")
    forge(site, built)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.raises(RegistryError, match="cannot be overridden"):
            fetch.release_for("latest")


# --- containment ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../escaped.txt", "../../escaped.txt", "/tmp/escaped-abs.txt", "C:escaped.txt",
                                 "sub/escaped.txt", "..\\escaped.txt", ".hidden", "..", ""])
@pytest.mark.parametrize("where", ["path", "directory"])
def test_index_paths_leaving_the_cache_are_refused(site, cache, unpinned, monkeypatch, tmp_path, bad, where):
    index = json.loads((site / "index.json").read_text())
    if where == "path":
        index["releases"][0]["files"][0]["path"] = bad
    else:
        index["releases"][0]["directory"] = bad
    before = files_under(tmp_path)
    with serve(site) as (url, behaviour):
        behaviour.rules["/index.json"] = json.dumps(index).encode()
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "latest")
        with pytest.raises(RegistryError) as caught:
            tradecurbs.load("trade_remedies", version="latest")
    assert result.exit_code == 2 and one_line(result.output) and repr(bad) in result.output
    assert "not a plain file name" in str(caught.value) and one_line(caught.value)
    assert {p for p in files_under(tmp_path) - before if cache not in p.parents} == set()
    assert not (tmp_path.parent / "escaped.txt").exists() and not Path("/tmp/escaped-abs.txt").exists()


def test_symlink_in_the_cache_is_refused(site, pinned, cache, monkeypatch, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    cache.mkdir()
    (cache / RELEASE).symlink_to(outside)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0")
    assert result.exit_code == 2 and "symbolic link" in result.output and one_line(result.output)
    assert list(outside.iterdir()) == []


def test_download_dest_copies_verified_files_only_inside_dest(site, pinned, cache, monkeypatch, tmp_path):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "latest", "--format", "csv", "--dest", str(tmp_path / "mine"))
    assert result.exit_code == 0, result.output
    copied = tmp_path / "mine" / RELEASE
    assert (copied / "trade_remedies.csv").read_bytes() == (site / RELEASE / "trade_remedies.csv").read_bytes()
    assert not (copied / "trade_remedies.parquet").exists()


# --- bounded downloads -------------------------------------------------------------------------


def test_download_tampered_file_is_refused_and_deleted(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        genuine = bytearray((site / RELEASE / "trade_remedies.parquet").read_bytes())
        genuine[len(genuine) // 2] ^= 0xFF  # same size, one byte changed
        behaviour.rules["trade_remedies.parquet"] = bytes(genuine)
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0", "--format", "parquet")
    assert result.exit_code == 2 and one_line(result.output)
    assert "checksum mismatch" in result.output and "deleted and not used" in result.output
    assert not (cache / RELEASE / "trade_remedies.parquet").exists()


@pytest.mark.parametrize(("rule", "message"), [
    (404, "HTTP 404"), ("truncate", "truncated"), ("slow", "no answer within 1 s"),
    ("oversize", "announces 209715200 bytes"), ("flood", "sent more than the expected"),
])
def test_download_failures_are_one_line_errors(site, pinned, cache, monkeypatch, rule, message):
    with serve(site) as (url, behaviour):
        behaviour.rules["trade_remedies.parquet"] = rule
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.raises(DownloadError) as caught:
            tradecurbs.load("trade_remedies", version="0.1.0")
    assert one_line(caught.value) and message in str(caught.value), str(caught.value)
    assert not (cache / RELEASE / "trade_remedies.parquet").exists()
    assert [p.name for p in (cache / RELEASE).iterdir() if p.name.startswith(".partial-")] == []
    if rule == "flood":  # reading stopped at the expected size, far from the 200 MiB offered
        assert behaviour.sent.get(f"/{RELEASE}/trade_remedies.parquet", 0) < FLOOD_BYTES // 2


def test_trickling_body_stops_at_the_deadline(site, pinned, cache, monkeypatch):
    monkeypatch.setenv("TRADECURBS_DEADLINE", "1")
    with serve(site) as (url, behaviour):
        behaviour.rules["trade_remedies.parquet"] = "trickle"
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        start = time.monotonic()
        with pytest.raises(DownloadError, match="not finished within the 1 s deadline") as caught:
            tradecurbs.load("trade_remedies", version="0.1.0")
        elapsed = time.monotonic() - start
    assert one_line(caught.value) and elapsed < 3
    assert not (cache / RELEASE / "trade_remedies.parquet").exists()


def test_retries_a_transient_failure(site, pinned, cache, monkeypatch):
    monkeypatch.setenv("TRADECURBS_RETRIES", "3")
    monkeypatch.setattr(download, "BACKOFF", 0.1)
    with serve(site) as (url, behaviour):
        behaviour.rules["trade_remedies.parquet"] = Failing(503, times=2)
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        frame = tradecurbs.load("trade_remedies", version="0.1.0")
    assert len(frame) == 1
    assert behaviour.requests.count(f"/{RELEASE}/trade_remedies.parquet") == 3


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_invalid_timeout_is_a_one_line_error(site, pinned, cache, monkeypatch, value):
    monkeypatch.setenv("TRADECURBS_TIMEOUT", value)
    monkeypatch.setenv("TRADECURBS_RELEASES_URL", "http://127.0.0.1:9")
    result = run("download", "0.1.0")
    assert result.exit_code == 2 and one_line(result.output)
    assert f"TRADECURBS_TIMEOUT={value!r} is not a number of seconds greater than 0" in result.output
    with pytest.raises(SettingError):
        tradecurbs.load("trade_remedies", version="0.1.0")


def test_invalid_timeout_is_refused_even_when_the_release_is_cached(site, pinned, cache, monkeypatch):
    """A bad setting is reported at once, not only on the day a download happens to need it."""
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        assert run("download", "0.1.0").exit_code == 0
    monkeypatch.setenv("TRADECURBS_TIMEOUT", "abc")
    result = run("download", "0.1.0")
    assert result.exit_code == 2 and one_line(result.output) and "TRADECURBS_TIMEOUT='abc'" in result.output
    with pytest.raises(SettingError, match="TRADECURBS_TIMEOUT"):
        tradecurbs.load("trade_remedies", version="0.1.0")


def test_no_network_and_nothing_cached_is_a_clear_error(pinned, cache, monkeypatch):
    monkeypatch.setenv("TRADECURBS_RELEASES_URL", "http://127.0.0.1:9")
    result = run("download", "0.1.0")
    assert result.exit_code == 2 and one_line(result.output)
    assert "cannot reach the release site http://127.0.0.1:9" in result.output
    assert "not fully cached" in result.output


def test_killed_download_leftovers_are_removed_on_the_next_start(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        behaviour.rules["trade_remedies.parquet"] = "trickle"
        env = {**os.environ, "TRADECURBS_RELEASES_URL": url, "TRADECURBS_CACHE_DIR": str(cache)}
        code = ("import json, sys; from tradecurbs.releases import fetch, registry;"
                f"r = registry.parse_index(open({str(site / 'index.json')!r}).read(), 'pins');"
                "fetch.fetch(next(iter(r.values())), ['trade_remedies.parquet'])")
        child = subprocess.Popen([sys.executable, "-c", code], env=env)
        deadline = time.monotonic() + 20
        while not list((cache / RELEASE).glob(".partial-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        child.kill()
        child.wait()
        leftovers = list((cache / RELEASE).glob(".partial-*"))
        assert leftovers, "the child never started writing"
        old = time.time() - 3600
        for leftover in leftovers:
            os.utime(leftover, (old, old))  # as old as a download killed an hour ago
        behaviour.rules.clear()
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        tradecurbs.load("trade_remedies", version="0.1.0")
    assert list((cache / RELEASE).glob(".partial-*")) == []


def test_read_only_cache_is_a_one_line_error(site, pinned, cache, monkeypatch):
    cache.mkdir()
    cache.chmod(0o555)
    try:
        if os.access(cache, os.W_OK):  # as root a mode does not stop writes: let the OS answer as it would
            def refuse(*args, **kwargs):
                raise PermissionError(errno.EACCES, "Permission denied")

            monkeypatch.setattr(Path, "mkdir", refuse)
        with serve(site) as (url, _):
            monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
            result = run("download", "0.1.0")
    finally:
        cache.chmod(0o755)
    assert result.exit_code == 2 and one_line(result.output)
    assert "cannot write to the release cache" in result.output and "Permission denied" in result.output


def test_full_disk_is_a_one_line_error(site, pinned, cache, monkeypatch):
    real_replace = os.replace

    def full(source, target):
        if ".partial-" in str(source) and str(cache) in str(target):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", full)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("download", "0.1.0")
    assert result.exit_code == 2 and one_line(result.output) and "the disk is full" in result.output
    assert [p for p in (cache / RELEASE).iterdir() if p.name.startswith(".partial-")] == []


def test_corrupt_cached_index_is_ignored_and_refetched(site, cache, unpinned, monkeypatch):
    cache.mkdir()
    (cache / "index.json").write_text('{"releases": [{"version": "0.1.0", "files": [')
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        with pytest.warns(UserWarning, match="ignoring the cached release index"):
            frame = tradecurbs.load("trade_remedies", version="0.1.0")
    assert len(frame) == 1
    assert json.loads((cache / "index.json").read_text())["releases"][0]["version"] == "0.1.0"
    (cache / "index.json").write_text("garbage")
    listing = run("versions", "--offline")
    assert listing.exit_code == 0 and "ignoring the cached release index" in listing.output


def test_corrupt_cached_index_never_blocks_a_cached_unpinned_release_offline(site, cache, unpinned, monkeypatch):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        genuine = tradecurbs.load("trade_remedies", version="0.1.0")
    (cache / "index.json").write_text("garbage")
    monkeypatch.setattr(fetch, "_verified", {})
    monkeypatch.setenv("TRADECURBS_RELEASES_URL", "http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="ignoring the cached release index"):
        again = tradecurbs.load("trade_remedies", version="0.1.0")
    pd.testing.assert_frame_equal(again, genuine)
    (cache / RELEASE / "trade_remedies.parquet").write_bytes(b"tampered")
    with pytest.raises(DownloadError, match="not in the cache"):
        tradecurbs.load("trade_remedies", version="0.1.0")


def test_progress_names_the_file_and_its_size_only_when_asked(site, pinned, cache, monkeypatch, capsys):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        tradecurbs.tables(version="0.1.0")  # not a terminal: quiet
        assert capsys.readouterr().err == ""
        monkeypatch.setenv("TRADECURBS_PROGRESS", "1")
        tradecurbs.load("trade_remedies", version="0.1.0")
    size = (site / RELEASE / "trade_remedies.parquet").stat().st_size
    assert re.search(rf"trade_remedies\.parquet \({size / 1024:.1f} KiB\)", capsys.readouterr().err)


def test_corrupt_cached_index_never_blocks_a_pinned_release_offline(site, pinned, cache, monkeypatch):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        tradecurbs.load("trade_remedies", version="0.1.0")
    (cache / "index.json").write_text("garbage")
    monkeypatch.setenv("TRADECURBS_RELEASES_URL", "http://127.0.0.1:9")
    assert len(tradecurbs.load("trade_remedies", version="0.1.0")) == 1
    assert run("versions", "--offline").exit_code == 0


# --- verify once, fetch only what is needed -------------------------------------------------


def test_load_fetches_only_the_table_it_needs_and_tables_only_the_descriptor(site, pinned, cache, monkeypatch):
    with serve(site) as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        assert "trade_remedies" in tradecurbs.tables(version="0.1.0")
        assert behaviour.requests == [f"/{RELEASE}/datapackage.json"]
        tradecurbs.load("trade_remedies", version="0.1.0")
    assert behaviour.requests == [f"/{RELEASE}/datapackage.json", f"/{RELEASE}/trade_remedies.parquet"]


def test_versions_says_when_a_release_is_partly_cached(site, pinned, cache, monkeypatch):
    """After one load(version=), the listing says what is there, not "not cached"."""
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        tradecurbs.load("trade_remedies", version="0.1.0")
    total = len(pinned[Version(0, 1, 0)].files)
    listing = run("versions", "--offline")
    assert listing.exit_code == 0 and re.search(rf"0\.1\.0 .* pinned\s+partly cached \(2 of {total} files\)",
                                                listing.output), listing.output


def test_verified_files_are_hashed_once_per_process(site, pinned, cache, monkeypatch):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        tradecurbs.load("trade_remedies", version="0.1.0")
        hashed = []
        real = fetch.registry.file_sha256
        monkeypatch.setattr(fetch.registry, "file_sha256", lambda path: hashed.append(path.name) or real(path))
        tradecurbs.load("trade_remedies", version="0.1.0")
        assert hashed == []
        parquet = cache / RELEASE / "trade_remedies.parquet"
        os.utime(parquet, ns=(parquet.stat().st_atime_ns, parquet.stat().st_mtime_ns + 10**9))
        tradecurbs.load("trade_remedies", version="0.1.0")
        assert hashed == ["trade_remedies.parquet"]  # changed mtime: checked again
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 0xFF
        parquet.write_bytes(bytes(data))
        frame = tradecurbs.load("trade_remedies", version="0.1.0")  # changed content: fetched again
    assert list(frame["id"]) == ["tr-chn-2026-example"]


# --- the API's version path --------------------------------------------------------------------


def test_load_version_must_be_a_str_or_a_version(cache):
    with pytest.raises(TypeError, match="version must be a str such as '0.1.0' or 'latest', or a tradecurbs Version"):
        tradecurbs.load("trade_remedies", version=1.4)
    with pytest.raises(tradecurbs.TradecurbsError, match="not a version"):
        tradecurbs.load("trade_remedies", version="1.4")


def test_load_format_without_version_is_refused():
    with pytest.raises(TypeError, match="pass version= too"):
        tradecurbs.load("trade_remedies", format="csv")


def test_release_parquet_csv_and_source_load_equal(site, pinned, cache, monkeypatch, source_package):
    from_source = load_resource(Package.from_directory(source_package), "trade_remedies")
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        from_parquet = tradecurbs.load("trade_remedies", version="0.1.0")
        from_csv = tradecurbs.load("trade_remedies", version="0.1.0", format="csv")
        every = tradecurbs.load_all(version="0.1.0")
    pd.testing.assert_frame_equal(from_source, from_parquet)
    pd.testing.assert_frame_equal(from_source, from_csv)
    pd.testing.assert_frame_equal(from_source, every["trade_remedies"])


# --- Parquet-only releases are full packages ----------------------------------------------------


def test_parquet_only_release_takes_every_command(site, pinned, cache, monkeypatch, source_package):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        assert run("download", "0.1.0", "--format", "parquet").exit_code == 0
    downloaded = cache / RELEASE
    assert not list(downloaded.glob("*.csv"))
    validated = run("validate", str(downloaded))
    assert validated.exit_code == 0 and "valid: 0 errors" in validated.output, validated.output
    # Parquet files have no lines to account for: no "0 lines ... + -N" in the summary
    assert re.fullmatch(r".*: valid: 0 errors, 0 warnings in \d+ tables", validated.output.strip().splitlines()[-1])
    for spec in ("0.1.0", str(downloaded)):  # the version (offline now) and the directory
        changed = run("diff", spec, str(source_package))
        assert changed.exit_code == 0 and "no differences" in changed.output, changed.output
        assert "trade_remedies" in run("tables", spec).output
        assert "tr-chn-2026-example" in run("show", "trade_remedies", spec, "--format", "csv").output
        assert "trade_remedies: 1 record" in run("summary", spec).output
    assert resolve("0.1.0").resource("trade_remedies").format == "parquet"


def test_version_option_names_a_release_never_a_directory(site, pinned, cache, monkeypatch, make_package, tmp_path):
    """`--version 0.1.0` is the release even when the current directory holds a package called 0.1.0."""
    import sqlite3

    other = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "id": "tr-chn-2026-not-released"}]})
    workdir = tmp_path / "work"
    workdir.mkdir()
    shutil.copytree(other, workdir / "0.1.0")
    monkeypatch.chdir(workdir)
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = run("export", "sqlite", "out.db", "--version", "0.1.0")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(workdir / "out.db") as db:
        assert db.execute("select id from trade_remedies").fetchall() == [("tr-chn-2026-example",)]


def test_site_lists_the_release_files_whichever_way_the_release_is_named(site, pinned, cache, monkeypatch, tmp_path):
    with serve(site) as (url, _):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        for args in (["--version", "0.1.0"], ["0.1.0"]):
            out = tmp_path / f"site-{len(args)}"
            result = run("site", "build", *args, "--out", str(out))
            assert result.exit_code == 0, result.output
            home = (out / "index.html").read_text()
            digest = pinned[Version(0, 1, 0)].file("trade_remedies.parquet").sha256
            assert digest in home and f"{url}/{RELEASE}/trade_remedies.parquet" in home, args


def test_git_revision_resolves_from_a_subdirectory(tmp_path, make_package, monkeypatch):
    repo = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True)
    (repo / "data" / "trade_remedies.csv").write_text((repo / "data" / "trade_remedies.csv").read_text()
                                                      .replace("Example chemical", "Renamed"))
    monkeypatch.chdir(repo / "data")
    committed = resolve("HEAD")
    assert committed.label == "git HEAD"
    assert list(load_resource(committed, "trade_remedies")["product"]) == ["Example chemical"]


# --- end to end: the built wheel in a fresh virtualenv ------------------------------------------


@pytest.mark.e2e
def test_wheel_in_a_fresh_venv_loads_the_pinned_release_and_again_offline(tmp_path):
    """Build the wheel, install it in a new virtualenv, serve the committed release site on
    127.0.0.1, and load the pinned release: online once, then offline (about 60 s, mostly pip installing the dependencies; skip with -m "not e2e")."""
    pins = registry.parse_index((REPO / "src" / "tradecurbs" / "index.json").read_text(), "pins")
    version = max(pins)
    descriptor = json.loads((REPO / "releases" / pins[version].directory / "datapackage.json").read_text())
    rows = next(r["rows"] for r in descriptor["resources"] if r["name"] == "trade_remedies")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", str(REPO), "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    wheel = next((tmp_path / "dist").glob("tradecurbs-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRADECURBS_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(TRADECURBS_CACHE_DIR=str(cache))
    code = (f"import tradecurbs; frame = tradecurbs.load('trade_remedies', version='{version}');"
            "print(tradecurbs.__file__, len(frame))")
    with serve(REPO / "releases") as (url, behaviour):
        online = subprocess.run([str(python), "-c", code], env={**env, "TRADECURBS_RELEASES_URL": url},
                                cwd=tmp_path, capture_output=True, text=True)
    assert online.returncode == 0, online.stderr
    installed, count = online.stdout.split()
    assert str(tmp_path / "venv") in installed and int(count) == rows
    assert f"/{pins[version].directory}/trade_remedies.parquet" in behaviour.requests
    offline_env = {**env, "TRADECURBS_RELEASES_URL": "http://127.0.0.1:9"}
    offline = subprocess.run([str(python), "-c", code], env=offline_env, cwd=tmp_path, capture_output=True, text=True)
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.split()[1] == str(rows)
    tradecurbs_cli = tmp_path / "venv" / "bin" / "tradecurbs"
    with serve(REPO / "releases") as (url, _):
        fetched = subprocess.run([str(tradecurbs_cli), "download", str(version), "--format", "parquet"],
                                 env={**env, "TRADECURBS_RELEASES_URL": url}, capture_output=True, text=True)
    assert fetched.returncode == 0, fetched.stderr
    checked = subprocess.run([str(tradecurbs_cli), "validate", str(cache / pins[version].directory)],
                             env=offline_env, capture_output=True, text=True)
    assert checked.returncode == 0 and "valid: 0 errors" in checked.stdout, checked.stdout + checked.stderr
