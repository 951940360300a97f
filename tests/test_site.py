"""Specification of `tradecurbs site build`: citable pages, escaped values, no outside fetches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE

from tradecurbs.cli import main
from tradecurbs.datapackage import Package
from tradecurbs.site import SiteError, build_site

HOSTILE = REMEDY | {"summary": "<script>alert('x')</script> & more", "product": "<b>bold</b> chemical"}
EVENT = {"record_id": "tr-chn-2026-example", "event_on": "2026-01-07", "kind": "initiated", "scheduled": "false",
         "summary": "Opened <img src=x onerror=alert(1)>.", "source_ids": [SOURCE["id"]]}


@pytest.fixture
def site(make_package, tmp_path) -> Path:
    package = make_package({"trade_remedies": [HOSTILE], "sources": [SOURCE], "measure_events": [EVENT]})
    build_site(Package.from_directory(package), tmp_path / "site", today="2026-02-01")
    return tmp_path / "site"


def test_site_record_page_escapes_every_value(site):
    page = (site / "r" / "tr-chn-2026-example" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page
    assert "Opened &lt;img src=x onerror=alert(1)&gt;." in page


def test_site_record_page_shows_fields_history_sources_and_citations(site):
    page = (site / "r" / "tr-chn-2026-example" / "index.html").read_text(encoding="utf-8")
    assert ">Investigating jurisdiction</th>" in page and 'href="../../j/CHN/"' in page
    assert '<time datetime="2026-01-07">2026-01-07</time> <strong>initiated</strong>' in page
    assert 'id="example-2026-01-06-notice">Example Ministry, <a href="https://example.org/notice"' in page
    assert "record tr-chn-2026-example. tradecurbs data release" in page
    csl = json.loads(re.search(r"<summary>CSL-JSON</summary><pre>(.*?)</pre>", page, re.S).group(1)
                     .replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                     .replace("&gt;", ">").replace("&#39;", "'"))
    assert csl[0]["type"] == "dataset" and csl[0]["URL"].endswith("/r/tr-chn-2026-example/")
    assert "@misc{tradecurbs-tr-chn-2026-example," in page


def test_site_pages_exist_for_every_table_record_and_jurisdiction(site):
    assert (site / "index.html").is_file() and (site / "t" / "trade_remedies" / "index.html").is_file()
    assert (site / "t" / "sources" / "index.html").is_file()
    assert {p.name for p in (site / "j").iterdir()} == {"CHN", "JPN", "KOR"}
    table = (site / "t" / "trade_remedies" / "index.html").read_text(encoding="utf-8")
    assert 'data-by="CHN" data-against="JPN KOR"' in table and "<form class=\"filters\" id=\"filters\" hidden>" in table


def test_site_fetches_nothing_from_elsewhere(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', text), page
    assert sorted(p.name for p in (site / "static").iterdir()) == ["site.css", "site.js"]


def test_site_refuses_a_directory_it_did_not_build(tmp_path, make_package):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(SiteError, match="exists and is not a site built by tradecurbs"):
        build_site(Package.from_directory(make_package({})), out)
    assert (out / "notes.txt").read_text() == "keep me"


def test_site_rebuild_replaces_an_earlier_site(site, make_package):
    build_site(Package.from_directory(make_package({})), site)
    assert (site / "index.html").is_file() and not (site / "r" / "tr-chn-2026-example").exists()


def test_site_refuses_an_id_that_is_not_a_slug(make_package, tmp_path):
    package = make_package({"trade_remedies": [REMEDY | {"id": "../../etc"}], "sources": [SOURCE]})
    with pytest.raises(SiteError, match=r"id '\.\./\.\./etc' is not a lowercase slug"):
        build_site(Package.from_directory(package), tmp_path / "site")
    assert not (tmp_path / "site").exists() and not (tmp_path.parent / "etc").exists()


def test_cli_site_build_on_the_repository_writes_every_record_page(tmp_path, monkeypatch):
    from conftest import REPO

    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["site", "build", "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r".*: \d+ pages, [\d.]+ MB in [\d.]+ s\n", result.output)
    package = Package.from_directory(REPO)
    import csv

    for table in ("export_controls", "trade_remedies", "travel_advisories"):
        with (REPO / package.resource(table).path).open(encoding="utf-8") as handle:
            ids = [row["id"] for row in csv.DictReader(handle)]
        assert all((tmp_path / "site" / "r" / i / "index.html").is_file() for i in ids)


def test_cli_site_build_refuses_package_and_version_together(tmp_path):
    result = CliRunner().invoke(main, ["site", "build", ".", "--version", "0.1.0", "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and "give a PACKAGE or --version, not both" in result.output


def _pinned_release():
    from conftest import REPO

    from tradecurbs.releases import registry

    pins = registry.parse_index((REPO / "src" / "tradecurbs" / "index.json").read_text(), "pins")
    return REPO, pins[max(pins)]


def test_cli_site_build_from_the_release_directory_links_its_files_with_sha256(tmp_path, monkeypatch):
    """What the release workflow runs: the site of the committed release, from its own files."""
    from tradecurbs.releases.settings import releases_url

    repo, release = _pinned_release()
    monkeypatch.chdir(repo)
    out = tmp_path / "_site" / "site"
    result = CliRunner().invoke(main, ["site", "build", f"releases/{release.directory}", "--timeline",
                                       "docs/china-japan-timeline.png", "--out", str(out)])
    assert result.exit_code == 0, result.output
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f"<h2>Release {release.version}</h2>" in home
    assert "tradecurbs.sqlite" in [f.path for f in release.files]
    for item in release.files:
        assert f'<a href="{releases_url()}/{release.directory}/{item.path}">{item.path}</a></td>\n' \
               f'<td class="num">{item.bytes}</td><td><code>{item.sha256}</code></td>' in home, item.path
    assert (out / "static" / "china-japan-timeline.png").is_file()
    record = (out / "r" / "tr-chn-2026-dichlorosilane" / "index.html").read_text(encoding="utf-8")
    assert f"tradecurbs data release {release.version} of {release.created[:10]}." in record


def test_cli_site_build_of_a_changed_release_copy_does_not_claim_the_release(tmp_path):
    import shutil

    repo, release = _pinned_release()
    copy = Path(shutil.copytree(repo / "releases" / release.directory, tmp_path / release.directory))
    (copy / "CHANGELOG.md").write_text("edited\n", encoding="utf-8")
    linked = Path(shutil.copytree(repo / "releases" / release.directory, tmp_path / "linked" / release.directory))
    (linked / "CHANGELOG.md").unlink()
    (linked / "CHANGELOG.md").symlink_to(repo / "releases" / release.directory / "CHANGELOG.md")
    for directory, out in ((copy, tmp_path / "site"), (linked, tmp_path / "site-linked")):
        result = CliRunner().invoke(main, ["site", "build", str(directory), "--out", str(out)])
        assert result.exit_code == 0, result.output
        home = (out / "index.html").read_text(encoding="utf-8")
        assert "Built from data not yet released." in home and "<code>" not in home.split("<h2>Release")[1]


def test_cli_site_build_version_fetches_the_pinned_release_and_cites_its_date(tmp_path, monkeypatch):
    from release_site import serve

    repo, release = _pinned_release()
    monkeypatch.setenv("TRADECURBS_CACHE_DIR", str(tmp_path / "cache"))
    with serve(repo / "releases") as (url, behaviour):
        monkeypatch.setenv("TRADECURBS_RELEASES_URL", url)
        result = CliRunner().invoke(main, ["site", "build", "--version", str(release.version),
                                           "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert f"/{release.directory}/tradecurbs.sqlite" not in behaviour.requests  # the tables only
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert release.file("tradecurbs.sqlite").sha256 in home
    record = (tmp_path / "site" / "r" / "tr-chn-2026-dichlorosilane" / "index.html").read_text(encoding="utf-8")
    assert f"tradecurbs data release {release.version} of {release.created[:10]}." in record


def test_release_workflow_publishes_the_site_built_from_the_release_directory():
    """The Pages artifact of .github/workflows/release.yml: releases/ plus the site the test above builds."""
    yaml = pytest.importorskip("yaml")
    from conftest import REPO

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    script = next(step["run"] for step in steps if "_site/releases" in step.get("run", ""))
    assert 'tradecurbs site build "releases/tradecurbs-data-$VERSION"' in script and "--out _site/site" in script
    upload = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert steps[upload]["with"]["path"] == "_site" and steps.index(next(s for s in steps if s.get("run") == script)) < upload
