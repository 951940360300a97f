"""The coverage view: counts by jurisdiction, year and status; docs/coverage.md is current."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import REMEDY, REPO, SOURCE

from tradecurbs.cli import main
from tradecurbs.coverage import coverage, render_markdown
from tradecurbs.datapackage import Package


def test_coverage_counts_by_jurisdiction_year_and_status(make_package):
    rows = [REMEDY, {**REMEDY, "id": "tr-eu-2024-x", "investigating_jurisdiction": "EUU", "initiated_on": "2024-03-01",
                     "status": "final_measures"}, {**REMEDY, "id": "tr-chn-x", "initiated_on": ""}]
    summary = coverage(Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": rows})))
    remedies = summary["tables"]["trade_remedies"]
    assert remedies["rows"] == 3
    assert remedies["by_jurisdiction"] == {"CHN": 2, "EUU": 1}
    assert remedies["by_year"] == {"2024": 1, "2026": 1, "undated": 1}
    assert remedies["by_status"] == {"initiated": 2, "final_measures": 1}
    assert summary["newest_source"] == "2026-01-06"
    assert "sources" not in summary["tables"] and "jurisdictions" not in summary["tables"]


def test_summary_cli_json_equals_the_library(make_package):
    path = make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]})
    result = CliRunner().invoke(main, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == coverage(Package.from_directory(path))


def test_coverage_page_is_up_to_date():
    expected = render_markdown(coverage(Package.from_directory(REPO)))
    committed = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/coverage.md is stale: run tradecurbs summary . --format markdown > docs/coverage.md"


def test_coverage_gives_each_table_its_newest_source_and_official_share(make_package):
    news = {**SOURCE, "id": "news-2026-03-01-report", "kind": "news", "published_on": "2026-03-01",
            "url": "https://example.org/news"}
    rows = [REMEDY, {**REMEDY, "id": "tr-chn-2026-other", "source_ids": ["news-2026-03-01-report"]},
            {**REMEDY, "id": "tr-chn-2026-both", "source_ids": [SOURCE["id"], "news-2026-03-01-report"]}]
    summary = coverage(Package.from_directory(make_package({"sources": [SOURCE, news], "trade_remedies": rows})))
    remedies = summary["tables"]["trade_remedies"]
    assert remedies["newest_source"] == "2026-03-01"
    assert remedies["with_official_source"] == 2
    assert "| `trade_remedies` | 3 | 2026-03-01 | 2 (67%) |" in render_markdown(summary)
