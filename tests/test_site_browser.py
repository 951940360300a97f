"""The built site in a real browser (headless Chromium): what a person sees, and that filters work.

Marked ``browser``; skipped where no Chromium and ChromeDriver are installed, except under CI
(``CI`` set), where .ci/run installs them and a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")) and not os.environ.get("CI"),
                       reason="needs chromium and chromedriver"),
]

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from tradecurbs.datapackage import Package
    from tradecurbs.site import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    timeline = REPO / "docs" / "china-japan-timeline.png"
    build_site(Package.from_directory(REPO), out, timeline=timeline if timeline.is_file() else None)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _driver(profile: Path, javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _driver(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def _errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_browser_record_page_reads_as_a_citable_record(served, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/r/tr-chn-2026-dichlorosilane/")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("China, anti dumping: ")
    assert "dichlorosilane" in browser.find_element(By.TAG_NAME, "h1").text.lower()
    for words in ("Investigating jurisdiction", "History", "Sources", "Cite this record",
                  "record tr-chn-2026-dichlorosilane. tradecurbs data release"):
        assert words in text
    assert _errors(browser) == []


def test_browser_table_filter_reduces_the_rows(served, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{served}/t/travel_advisories/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")
    form = browser.find_element(By.ID, "filters")
    assert form.is_displayed()
    Select(form.find_element(By.NAME, "by")).select_by_value("CHN")
    Select(form.find_element(By.NAME, "against")).select_by_value("JPN")
    visible = [r for r in rows if r.is_displayed()]
    assert 0 < len(visible) < len(rows)
    assert all(r.get_attribute("data-by") == "CHN" for r in visible)
    assert browser.find_element(By.ID, "shown").text == f"{len(visible)} of {len(rows)} records"
    form.find_element(By.NAME, "text").send_keys("study")
    studied = [r for r in rows if r.is_displayed()]
    assert 0 < len(studied) < len(visible)
    browser.find_element(By.CSS_SELECTOR, "#records th[data-sort]").click()
    assert browser.find_element(By.CSS_SELECTOR, "#records th[data-sort]").get_attribute("aria-sort") == "ascending"
    assert _errors(browser) == []


def test_browser_table_without_javascript_shows_the_full_list(served, tmp_path):
    from selenium.webdriver.common.by import By

    driver = _driver(tmp_path, javascript=False)
    try:
        driver.get(f"{served}/t/export_controls/")
        rows = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")
        expected = len((REPO / "data" / "export_controls.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert len(rows) == expected and all(r.is_displayed() for r in rows)
        assert not driver.find_element(By.ID, "filters").is_displayed()
    finally:
        driver.quit()


def test_browser_home_and_jurisdiction_pages(served, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/")
    assert "Who restricted what, against whom, since when" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(f"{served}/j/JPN/")
    lanes = browser.find_elements(By.CSS_SELECTOR, ".timeline .lane")
    assert lanes and all(lane.is_displayed() for lane in lanes[:3])
    assert _errors(browser) == []
