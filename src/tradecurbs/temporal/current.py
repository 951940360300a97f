"""What stands on a day: measures not over, and the latest advisory per issuer, destination and type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .measures import _select, catalog
from .status import ADVISORIES, ENDED

if TYPE_CHECKING:
    import pandas as pd


def current(imposing: str | Sequence[str] | None = None, target: str | Sequence[str] | None = None,
            table: str | Sequence[str] | None = None, hs: str | None = None, text: str | None = None,
            on: date | str | None = None, version: str | None = None) -> pd.DataFrame:
    """The measures and advisories standing on ``on`` (default today), with the filters of ``measures()``.

    A measure stands when it has begun and is not lifted, expired or terminated (an
    announced, suspended or open case stands too; ``status`` says which). Of the advisories
    not withdrawn or superseded, only the latest per issuer (and issuing authority),
    destination, type and region is kept: a newer one replaces an older one even where ``supersedes_id`` is not given.
    """
    cat = catalog(version)

    def stands(row: dict[str, Any], now: Any) -> bool:
        return now.status is not None and now.status not in ENDED

    frame = _select(cat, imposing, target, None, None, table, hs, text, on, keep=stands)
    if not len(frame):
        return frame
    records = cat.records
    advisory = frame["table"] == ADVISORIES
    keys = [(_group(records[i][1]) if a else None) for i, a in zip(frame["id"], advisory, strict=True)]
    issued = [records[i][1].get("issued_on") if a else None for i, a in zip(frame["id"], advisory, strict=True)]
    latest: dict[tuple, date] = {}
    for key, day in zip(keys, issued, strict=True):
        if key is not None and day is not None and (key not in latest or day > latest[key]):
            latest[key] = day
    keep = [key is None or day is None or day == latest.get(key) for key, day in zip(keys, issued, strict=True)]
    return frame[keep].reset_index(drop=True)


def _group(row: dict[str, Any]) -> tuple:
    return (row.get("issuing_jurisdiction"), row.get("authority") or "", row.get("destination_jurisdiction"),
            str(row.get("advisory_type")), row.get("region") or "")
