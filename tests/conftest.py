"""Shared test helpers: the repo root and small packages built from the real contract."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]

# CI replays the same examples every run (a failure there is reproducible); local runs
# keep drawing new random examples, which is how new crashes are found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def write_package(directory: Path, rows: dict[str, list[dict[str, Any]]], descriptor: dict | None = None) -> Path:
    """A copy of the repo's contract in ``directory`` with ``rows`` per table (others empty).

    Values are written as given; lists are joined with ';'. The jurisdictions table
    is the real one unless ``rows`` provides it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = descriptor or json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (directory / "data").mkdir(exist_ok=True)
    for resource in descriptor["resources"]:
        target = directory / resource["path"]
        names = [f["name"] for f in resource["schema"]["fields"]]
        if resource["name"] == "jurisdictions" and "jurisdictions" not in rows:
            shutil.copy(REPO / resource["path"], target)
            continue
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(names)
            for row in rows.get(resource["name"], []):
                writer.writerow([";".join(v) if isinstance(v, list) else ("" if v is None else v)
                                 for v in (row.get(n) for n in names)])
    return directory


@pytest.fixture
def make_package(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(rows: dict[str, list[dict[str, Any]]], descriptor: dict | None = None) -> Path:
        return write_package(tmp_path / f"pkg{next(counter)}", rows, descriptor)

    return make


SOURCE = {
    "id": "example-2026-01-06-notice",
    "publisher": "Example Ministry",
    "title": "An example notice",
    "url": "https://example.org/notice",
    "published_on": "2026-01-06",
    "language": "en",
    "kind": "official",
    "accessed_on": "2026-02-01",
}

REMEDY = {
    "id": "tr-chn-2026-example",
    "investigating_jurisdiction": "CHN",
    "authority": "Ministry of Commerce",
    "remedy_type": "anti_dumping",
    "case_reference": "",
    "product": "Example chemical",
    "hs_codes": ["2812"],
    "exporting_jurisdictions": ["JPN", "KOR"],
    "petitioners": [],
    "initiated_on": "2026-01-07",
    "preliminary_rate_min_pct": "10",
    "preliminary_rate_max_pct": "32.5",
    "status": "initiated",
    "summary": "An example case.",
    "source_ids": ["example-2026-01-06-notice"],
}
