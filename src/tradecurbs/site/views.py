"""What the site shows of each table: the same few columns for every measure table.

A record's jurisdiction pair, kind, subject and start date live in differently named
fields per table; this mapping names them once, for the list pages, the record pages
and the jurisdiction pages alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableView:
    """Which fields of a measure table play which part."""

    by: str  #: the jurisdiction that imposes (or issues, or investigates)
    against: str  #: the jurisdictions it is aimed at (a list field, or one code)
    kind: str  #: the type of measure
    what: str  #: the subject in words
    dates: tuple[str, ...]  #: start dates, first present wins
    end: str | None  #: the end date
    noun: str  #: one record, in words


VIEWS: dict[str, TableView] = {
    "export_controls": TableView("imposing_jurisdiction", "target_jurisdictions", "measure_type", "items",
                                 ("effective_on", "announced_on"), "ended_on", "export control"),
    "import_restrictions": TableView("imposing_jurisdiction", "target_jurisdictions", "measure_type", "products",
                                     ("effective_on", "announced_on"), "ended_on", "import restriction"),
    "tariff_measures": TableView("imposing_jurisdiction", "target_jurisdictions", "tariff_type", "products",
                                 ("effective_on", "announced_on"), "ended_on", "tariff measure"),
    "trade_remedies": TableView("investigating_jurisdiction", "exporting_jurisdictions", "remedy_type", "product",
                                ("initiated_on",), "expires_on", "trade-remedy case"),
    "travel_advisories": TableView("issuing_jurisdiction", "destination_jurisdiction", "advisory_type",
                                   "destination_jurisdiction", ("issued_on",), "withdrawn_on", "advisory"),
}


def targets(view: TableView, record: dict[str, Any]) -> list[str]:
    """The codes a record is aimed at, as a list whatever the field's type."""
    value = record.get(view.against)
    return list(value) if isinstance(value, list) else ([value] if value else [])


def started_on(view: TableView, record: dict[str, Any]) -> str | None:
    """The first date the record gives among its start dates."""
    return next((record[d] for d in view.dates if record.get(d)), None)


def status_of(table: str, record: dict[str, Any], superseded: set[str]) -> str:
    """The stored status, or for an advisory: withdrawn, superseded or standing."""
    if table != "travel_advisories":
        return str(record.get("status") or "")
    if record.get("withdrawn_on"):
        return "withdrawn"
    return "superseded" if record["id"] in superseded else "standing"


def humanize(name: str) -> str:
    """A field name as a label: ``announced_on`` -> ``Announced on``, ``hs_codes`` -> ``HS codes``."""
    words = name.replace("_pct", " (%)").replace("_", " ").split(" ")
    words = [w.upper() if w in ("hs", "id", "ids", "url") else w for w in words]
    words = ["IDs" if w == "IDS" else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
