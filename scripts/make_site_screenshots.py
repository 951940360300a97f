"""Screenshots of the built site for README.md: a record page and a table page (headless Chromium).

    python scripts/make_site_screenshots.py        # writes docs/site-record.png, docs/site-table.png
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tradecurbs.datapackage import Package
from tradecurbs.site import build_site

REPO = Path(__file__).resolve().parents[1]
PAGES = {"site-record.png": "r/ta-chn-2025-jpn-travel/", "site-table.png": "t/trade_remedies/"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        timeline = REPO / "docs" / "china-japan-timeline.png"
        build_site(Package.from_directory(REPO), out, timeline=timeline if timeline.is_file() else None)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,1400", "--hide-scrollbars", f"--user-data-dir={scratch}/profile"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            for name, page in PAGES.items():
                driver.get(f"http://127.0.0.1:{server.server_address[1]}/{page}")
                driver.save_screenshot(str(REPO / "docs" / name))
                print(f"wrote docs/{name}")
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
