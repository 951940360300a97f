"""Change detection: a feed snapshot against the current data, or against an earlier snapshot.

The result is one plain value (``Review.to_dict()``) and a review set on disk: the new
rows in the repository's canonical CSV form, a markdown summary and the same JSON.
Nothing in ``data/`` changes until ``apply_review`` is run on the review set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import places
from .model import FeedItem, Snapshot

#: Files of a review set, each named after the table its rows go into.
TABLE_FILES = ("travel_advisories", "measure_events", "sources")


@dataclass
class Change:
    """One destination's outcome: new, level_changed, unchanged or gone."""

    kind: str
    destination: str
    name: str
    old_level: int | None = None
    new_level: int | None = None
    old_id: str | None = None
    new_id: str | None = None
    updated_on: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class Review:
    """What a snapshot changes, and the rows that would record it."""

    issuer: str
    captured_on: str
    against: str  #: what it was compared with: 'data' or the earlier snapshot's capture date
    changes: list[Change] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        kinds = ("new", "level_changed", "unchanged", "gone")
        return {
            "issuer": self.issuer,
            "captured_on": self.captured_on,
            "against": self.against,
            "summary": {kind: self.count(kind) for kind in kinds} | {"bad_items": len(self.bad)},
            "changes": [c.to_dict() for c in self.changes],
            "bad_items": list(self.bad),
        }


def compare_snapshots(old: Snapshot, new: Snapshot) -> Review:
    """Level changes, new and gone destinations between two captures of the same feed."""
    review = Review(new.issuer.slug, new.captured_on, old.captured_on, bad=[str(b) for b in new.bad])
    before, after = old.by_destination(), new.by_destination()
    for code in sorted(before.keys() | after.keys()):
        was, now = before.get(code), after.get(code)
        if now is None:
            review.changes.append(Change("gone", code, was.name, old_level=was.level, updated_on=was.updated_on))
        elif was is None:
            review.changes.append(Change("new", code, now.name, new_level=now.level, updated_on=now.updated_on))
        else:
            kind = "unchanged" if was.level == now.level else "level_changed"
            review.changes.append(Change(kind, code, now.name, was.level, now.level, updated_on=now.updated_on))
    return review


def compare_with_data(snapshot: Snapshot, advisories: list[dict[str, Any]], only: set[str] | None = None,
                      sources: list[dict[str, Any]] = ()) -> Review:
    """The snapshot against the issuer's standing whole-country travel advisories in the data.

    ``advisories`` are travel_advisories rows and ``sources`` sources rows, as plain values;
    a sources row for the same feed address and date is cited rather than repeated. The standing advisory of a
    destination is the issuer's newest whole-country (no ``region``) travel advisory that
    no other row supersedes and that is not withdrawn. ``only`` limits the destinations.
    """
    issuer = snapshot.issuer
    review = Review(issuer.slug, snapshot.captured_on, "data", bad=[str(b) for b in snapshot.bad])
    superseded = {row["supersedes_id"] for row in advisories if row.get("supersedes_id")}
    standing: dict[str, dict[str, Any]] = {}
    for row in advisories:
        if (row["issuing_jurisdiction"] != issuer.jurisdiction or row["advisory_type"] != "travel"
                or row.get("region") or row.get("withdrawn_on") or row["id"] in superseded):
            continue
        current = standing.get(row["destination_jurisdiction"])
        if current is None or (row["issued_on"], row["id"]) > (current["issued_on"], current["id"]):
            standing[row["destination_jurisdiction"]] = row
    items = {code: item for code, item in snapshot.by_destination().items() if only is None or code in only}
    taken = {row["id"] for row in advisories}
    source = snapshot_source(snapshot)
    existing = next((row for row in sources if row["url"] == source["url"]
                     and (row.get("published_on") or None) == source["published_on"]), None)
    source_id = existing["id"] if existing else source["id"]
    new_rows, events = [], []
    for code in sorted(items.keys() | {c for c in standing if only is None or c in only}):
        item, row = items.get(code), standing.get(code)
        if item is None:
            review.changes.append(Change("gone", code, places.name_of(code), old_level=row["level"], old_id=row["id"],
                                         updated_on=row["issued_on"]))
            continue
        if row is not None and row["level"] == item.level:
            review.changes.append(Change("unchanged", code, item.name, row["level"], item.level, row["id"],
                                         updated_on=item.updated_on))
            continue
        if row is not None and item.updated_on <= row["issued_on"]:
            # The feed is older than the data: never let it overwrite newer advice.
            review.bad.append(f"{item.name} ({code}): the feed's advice of {item.updated_on} is not newer than "
                              f"{row['id']} of {row['issued_on']}; left as it is")
            continue
        new_id = _new_id(issuer.jurisdiction, item, taken)
        taken.add(new_id)
        new_rows.append(_advisory_row(snapshot, item, new_id, row["id"] if row else "", source_id))
        events.append(_issued_event(snapshot, item, new_id, row, source_id))
        kind = "new" if row is None else "level_changed"
        review.changes.append(Change(kind, code, item.name, row["level"] if row else None, item.level,
                                     row["id"] if row else None, new_id, item.updated_on))
    review.rows = {"travel_advisories": new_rows, "measure_events": events,
                   "sources": [source] if new_rows and not existing else []}
    return review


def snapshot_source_id(snapshot: Snapshot) -> str:
    """The sources id of a capture: the issuer's slug and the capture date."""
    return f"{snapshot.issuer.slug}-{snapshot.captured_on}-advisory-feed"


def snapshot_source(snapshot: Snapshot) -> dict[str, Any]:
    """The sources row that every ingested row cites: the feed as captured on a day."""
    issuer = snapshot.issuer
    return {"id": snapshot_source_id(snapshot), "publisher": issuer.publisher,
            "title": f"{issuer.title}, as captured on {snapshot.captured_on}", "url": issuer.url,
            "published_on": snapshot.published_on or None, "language": "en", "kind": "official",
            "accessed_on": snapshot.captured_on}


def _new_id(issuer: str, item: FeedItem, taken: set[str]) -> str:
    base = f"ta-{issuer.lower()}-{item.updated_on[:4]}-{item.destination.lower()}-level{item.level}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _advisory_row(snapshot: Snapshot, item: FeedItem, new_id: str, supersedes: str, source_id: str) -> dict[str, Any]:
    issuer = snapshot.issuer
    day = _words(item.updated_on)
    summary = (f"Advice of {issuer.name} for {item.name}, as last updated on {day} and read from its feed "
               f"as captured on {_words(snapshot.captured_on)}: {item.level_label}.")
    return {"id": new_id, "issuing_jurisdiction": issuer.jurisdiction, "authority": issuer.authority,
            "destination_jurisdiction": item.destination, "region": None, "advisory_type": "travel",
            "level": item.level, "level_label": item.level_label, "issued_on": item.updated_on,
            "withdrawn_on": None, "reasons": [], "supersedes_id": supersedes or None, "summary": summary,
            "source_ids": [source_id]}


def _issued_event(snapshot: Snapshot, item: FeedItem, new_id: str, old: dict[str, Any] | None,
                  source_id: str) -> dict[str, Any]:
    change = (f"level {old['level']} to {item.level}" if old and old.get("level") else f"level {item.level}")
    return {"record_id": new_id, "event_on": item.updated_on, "kind": "issued", "until_on": None,
            "scheduled": False, "rate_pct": None,
            "summary": f"Advice for {item.name} updated ({change}, {item.level_label}), as the issuer's feed shows.",
            "source_ids": [source_id]}


def _words(day: str) -> str:
    import datetime

    value = datetime.date.fromisoformat(day)
    return f"{value.day} {value.strftime('%B')} {value.year}"


def render_markdown(review: Review) -> str:
    """The review as a pull-request body: counts, then each change, then the bad items."""
    data = review.to_dict()
    counts = data["summary"]
    lines = [f"## Feed review: {review.issuer}, captured on {review.captured_on} (against {review.against})", "",
             "| new | level changed | unchanged | gone | bad items |", "|---|---|---|---|---|",
             f"| {counts['new']} | {counts['level_changed']} | {counts['unchanged']} | {counts['gone']} | {counts['bad_items']} |"]
    for kind, title in (("level_changed", "Level changes"), ("new", "New destinations"), ("gone", "Gone from the feed")):
        chosen = [c for c in review.changes if c.kind == kind]
        if not chosen:
            continue
        lines += ["", f"### {title}", ""]
        for c in chosen:
            arrow = f"{c.old_level} -> {c.new_level}" if kind == "level_changed" else (c.new_level or c.old_level)
            ids = " ".join(f"`{i}`" for i in (c.old_id, c.new_id) if i)
            lines.append(f"- {c.name} ({c.destination}): level {arrow}, {c.updated_on} {ids}".rstrip())
    if review.bad:
        lines += ["", "### Items not read", ""] + [f"- {b}" for b in review.bad]
    return "\n".join(lines) + "\n"


def write_review(review: Review, out: str | Path, package) -> Path:
    """The review set in ``out``: one canonical CSV per table, review.md and review.json."""
    from ..records import to_csv_text

    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    for table in TABLE_FILES:
        resource = package.resource(table)
        rows = review.rows.get(table, [])
        text = to_csv_text(rows, resource, resource.field_names)
        (directory / f"{table}.csv").write_text(text, encoding="utf-8", newline="")
    (directory / "review.md").write_text(render_markdown(review), encoding="utf-8")
    (directory / "review.json").write_text(json.dumps(review.to_dict(), indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
    return directory
