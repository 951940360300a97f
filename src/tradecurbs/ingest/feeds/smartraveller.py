"""Australia's Smartraveller destinations export (a JSON array, one object per destination).

The export has no country codes: destinations are joined by their title (HTML
entities unescaped) through pycountry and places.csv. ``changed`` is the date of
the last update, "Ddd, YYYY-MM-DD HH:MM".
"""

from __future__ import annotations

import re

from .. import places
from ..model import BadItem, FeedError, FeedItem, Issuer, Snapshot
from ._json import load_json

ISSUER = Issuer(
    slug="smartraveller",
    jurisdiction="AUS",
    authority="Department of Foreign Affairs and Trade (Smartraveller)",
    publisher="Smartraveller, Department of Foreign Affairs and Trade (Australia)",
    title="Smartraveller destinations export (JSON)",
    url="https://www.smartraveller.gov.au/destinations-export",
    name="Australia's Smartraveller",
)

#: The issuer's four levels, in order (docs/advisory-levels.md).
LEVELS = {
    "Exercise normal safety precautions": 1,
    "Exercise a high degree of caution": 2,
    "Reconsider your need to travel": 3,
    "Do not travel": 4,
}
_CHANGED = re.compile(r"\w{3}, (\d{4}-\d{2}-\d{2}) \d{2}:\d{2}")


def parse(raw: bytes, captured_on: str) -> Snapshot:
    """Every destination of the export as a FeedItem, or a BadItem saying why not."""
    import html

    payload = load_json(raw, "Smartraveller export")
    if not isinstance(payload, list) or not payload:
        raise FeedError(f"Smartraveller export: expected a non-empty JSON array of destinations, found {type(payload).__name__}")
    snapshot = Snapshot(ISSUER, captured_on, "")
    for position, entry in enumerate(payload, 1):
        if not isinstance(entry, dict):
            snapshot.bad.append(BadItem(f"item {position}", f"expected an object, found {type(entry).__name__}"))
            continue
        title = html.unescape(str(entry.get("title") or "")).strip()
        where = f"item {position} ({title or 'no title'})"
        label = str(entry.get("field_overall_advice_level") or "").strip()
        changed = _CHANGED.fullmatch(str(entry.get("changed") or "").strip())
        destination = places.from_name(ISSUER.slug, str(entry.get("title") or "")) if title else None
        if not title:
            reason = "missing field 'title'"
        elif label not in LEVELS:
            reason = f"unknown level label {label!r} (expected one of: {', '.join(LEVELS)})"
        elif not changed:
            reason = f"missing or unreadable field 'changed' {entry.get('changed')!r}"
        elif destination is None:
            reason = f"destination {title!r} maps to no ISO 3166-1 code"
        else:
            snapshot.items.append(FeedItem(destination, title, LEVELS[label], label, changed.group(1),
                                           str(entry.get("field_url") or "")))
            continue
        snapshot.bad.append(BadItem(where, reason))
    dates = [item.updated_on for item in snapshot.items]
    snapshot.published_on = max(dates) if dates else ""
    return snapshot
