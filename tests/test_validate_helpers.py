"""A small valid package, built row by row, that the validation tests break one cell at a time."""

from __future__ import annotations

import copy
from typing import Any

VALID: dict[str, list[dict[str, Any]]] = {
    "sources": [
        {"id": "gov-2025-widgets-notice", "publisher": "Ministry of Commerce", "title": "Notice on widgets",
         "url": "https://example.org/widgets", "published_on": "2025-01-05", "language": "en", "kind": "official",
         "accessed_on": "2025-02-01"},
    ],
    "trade_remedies": [
        {"id": "tr-chn-2025-widgets", "investigating_jurisdiction": "CHN", "authority": "Ministry of Commerce",
         "remedy_type": "anti_dumping", "case_reference": "AD-1", "product": "Widgets", "hs_codes": ["281290"],
         "exporting_jurisdictions": ["JPN", "USA"], "petitioners": ["Widget makers, Ltd."],
         "initiated_on": "2025-01-05", "investigation_period_start": "2023-10-01",
         "investigation_period_end": "2024-09-30", "injury_period_start": "2021-01-01",
         "injury_period_end": "2024-09-30", "preliminary_on": "2025-06-01", "preliminary_rate_min_pct": "10.5",
         "preliminary_rate_max_pct": "20", "deadline_on": "2099-01-05", "status": "preliminary_measures",
         "summary": "An anti-dumping case on widgets.", "source_ids": ["gov-2025-widgets-notice"]},
        {"id": "tr-chn-2025-xylene", "investigating_jurisdiction": "CHN", "authority": "Ministry of Commerce",
         "remedy_type": "countervailing", "product": "Xylene", "hs_codes": ["2902", "29024100"],
         "exporting_jurisdictions": ["KOR"], "initiated_on": "2025-02-01", "status": "initiated",
         "related_ids": ["tr-chn-2025-widgets", "ec-chn-2025-gallium"],
         "summary": "A countervailing case on xylene.", "source_ids": ["gov-2025-widgets-notice"]},
    ],
    "export_controls": [
        {"id": "ec-chn-2025-gallium", "imposing_jurisdiction": "CHN", "authority": "Ministry of Commerce",
         "measure_type": "export_ban", "target_jurisdictions": ["USA"], "items": "Gallium", "hs_codes": ["8112"],
         "announced_on": "2025-01-02", "effective_on": "2025-01-03", "status": "in_force",
         "summary": "Gallium exports banned.", "source_ids": ["gov-2025-widgets-notice"]},
    ],
    "travel_advisories": [
        {"id": "ta-chn-2025-jpn-travel", "issuing_jurisdiction": "CHN", "authority": "Ministry of Foreign Affairs",
         "destination_jurisdiction": "JPN", "advisory_type": "travel", "level": "3", "level_label": "Avoid travel",
         "issued_on": "2025-11-14", "reasons": ["crime"], "summary": "Avoid travel to Japan.",
         "source_ids": ["gov-2025-widgets-notice"]},
        {"id": "ta-chn-2025-jpn-travel-2", "issuing_jurisdiction": "CHN", "authority": "Ministry of Foreign Affairs",
         "destination_jurisdiction": "JPN", "advisory_type": "travel", "level": "3", "level_label": "Avoid travel",
         "issued_on": "2025-12-11", "supersedes_id": "ta-chn-2025-jpn-travel", "summary": "Repeated advice.",
         "source_ids": ["gov-2025-widgets-notice"]},
    ],
}


def rows(**changes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The valid rows with changes: ``rows(trade_remedies={0: {"status": "bogus"}})``."""
    result = copy.deepcopy(VALID)
    for table, edits in changes.items():
        for index, values in edits.items():
            result[table][index].update(values)
    return result


def found(report: Any) -> set[tuple[str | None, int | None, str | None, str]]:
    """(file name, line, field, code) of every problem in a report."""
    return {(p.file.rsplit("/", 1)[-1] if p.file else None, p.line, p.field, p.code) for p in report.problems}
