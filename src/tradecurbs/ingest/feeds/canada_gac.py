"""Global Affairs Canada's travel-advisory index (index-alpha-eng.json).

``{"metadata": {"generated": {"date"}}, "data": {<ISO alpha-2>: {...}}}``; each entry's
``advisory-state`` is 0-3 on Canada's four steps. Keys are alpha-2 codes, except a few
subdivision codes (``PT-20``, the Azores), which map to no country and are reported.
"""

from __future__ import annotations

import re

from .. import places
from ..model import BadItem, FeedError, FeedItem, Issuer, Snapshot
from ._json import load_json

ISSUER = Issuer(
    slug="canada-gac",
    jurisdiction="CAN",
    authority="Global Affairs Canada",
    publisher="Global Affairs Canada",
    title="Travel advice and advisories index (JSON)",
    url="https://data.international.gc.ca/travel-voyage/index-alpha-eng.json",
    name="Global Affairs Canada",
)

#: advisory-state -> (common level, Canada's own wording) (docs/advisory-levels.md)
STATES = {
    0: (1, "Take normal security precautions"),
    1: (2, "Exercise a high degree of caution"),
    2: (3, "Avoid non-essential travel"),
    3: (4, "Avoid all travel"),
}
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})( \d{2}:\d{2}:\d{2})?")


def parse(raw: bytes, captured_on: str) -> Snapshot:
    """Every entry of the index as a FeedItem, or a BadItem saying why not."""
    payload = load_json(raw, "Global Affairs Canada index")
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict) or not payload["data"]:
        raise FeedError("Global Affairs Canada index: expected an object with a non-empty 'data' object")
    generated = payload.get("metadata", {}).get("generated", {}) if isinstance(payload.get("metadata"), dict) else {}
    published = _DATE.fullmatch(str(generated.get("date", "")).strip()) if isinstance(generated, dict) else None
    snapshot = Snapshot(ISSUER, captured_on, published.group(1) if published else "")
    for key, entry in payload["data"].items():
        where = f"entry {key!r}"
        if not isinstance(entry, dict):
            snapshot.bad.append(BadItem(where, f"expected an object, found {type(entry).__name__}"))
            continue
        state = entry.get("advisory-state")
        name = str((entry.get("eng") or {}).get("name") or key) if isinstance(entry.get("eng"), dict) else str(key)
        dated = entry.get("date-published")
        date = _DATE.fullmatch(str(dated.get("date", "")).strip()) if isinstance(dated, dict) else None
        destination = places.from_alpha2(ISSUER.slug, str(key))
        if isinstance(state, bool) or state not in STATES:
            reason = f"unknown advisory-state {state!r} (expected 0, 1, 2 or 3)"
        elif not date:
            reason = "missing or unreadable date-published.date"
        elif destination is None:
            reason = f"key {key!r} ({name}) maps to no ISO 3166-1 country"
        else:
            level, label = STATES[state]
            snapshot.items.append(FeedItem(destination, name, level, label, date.group(1)))
            continue
        snapshot.bad.append(BadItem(f"{where} ({name})", reason))
    return snapshot
