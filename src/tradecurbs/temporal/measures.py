"""One view across the measure tables, and a record's dated history (docs/history.md).

``measures()`` turns every record of export_controls, import_restrictions,
tariff_measures, trade_remedies and travel_advisories into one row with the same
columns, its status on a chosen day derived from ``measure_events``; ``history(id)``
gives a record's steps, oldest first, with their sources. Both read the tables through
the public ``load`` (bundled data or a pinned release), so they work on any release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import TradecurbsError, UnknownRecordError, UnknownTableError
from .status import (
    ADVISORIES,
    ENDED,
    IN_FORCE,
    PREFIXES,
    Step,
    active_between,
    ordered,
    status_on,
    steps_from_record,
    table_of,
    timeline,
)

if TYPE_CHECKING:
    import pandas as pd

#: The measure tables, in the order rows of the view come.
TABLES = ("export_controls", "import_restrictions", "tariff_measures", "trade_remedies", "travel_advisories")
EVENTS = "measure_events"

#: Columns of the view, in order.
COLUMNS = ["table", "id", "imposing_jurisdiction", "target_jurisdictions", "target_match", "kind", "what",
           "hs_codes", "level", "started_on", "ended_on", "status", "status_since", "authority", "summary",
           "source_ids"]

#: Per table: the view's column -> the table's field.
_MAP: dict[str, dict[str, str]] = {
    "export_controls": {"imposing_jurisdiction": "imposing_jurisdiction", "target_jurisdictions":
                        "target_jurisdictions", "kind": "measure_type", "what": "items"},
    "import_restrictions": {"imposing_jurisdiction": "imposing_jurisdiction", "target_jurisdictions":
                            "target_jurisdictions", "kind": "measure_type", "what": "products"},
    "tariff_measures": {"imposing_jurisdiction": "imposing_jurisdiction", "target_jurisdictions":
                        "target_jurisdictions", "kind": "tariff_type", "what": "products"},
    "trade_remedies": {"imposing_jurisdiction": "investigating_jurisdiction", "target_jurisdictions":
                       "exporting_jurisdictions", "kind": "remedy_type", "what": "product"},
    "travel_advisories": {"imposing_jurisdiction": "issuing_jurisdiction", "kind": "advisory_type"},
}
#: Fields searched by ``text=`` besides what, kind, summary and authority.
_TEXT_FIELDS = ("legal_instrument", "entities", "case_reference", "petitioners", "region", "level_label",
                "reasons", "rate_note", "id")


@dataclass
class Catalog:
    """The measure tables of one package as plain rows, with each record's steps; built once per call."""

    rows: list[dict[str, Any]]
    records: dict[str, tuple[str, dict[str, Any]]]  # id -> (table, the table's own row)
    steps: dict[str, list[Step]]  # id -> its recorded steps
    events: pd.DataFrame | None
    superseded_on: dict[str, date]  # advisory id -> the day its successor was issued

    def steps_of(self, record_id: str, today: date) -> list[Step]:
        """The record's steps; a record without history falls back to its own dates."""
        if record_id in self.steps:
            return self.steps[record_id]
        table, row = self.records[record_id]
        return steps_from_record(table, row, today)


def _plain_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain values (``records.plain_column``), dates kept as ``date``."""
    from ..records import column_records, frame_columns

    return column_records(frame_columns(frame, dates="date"))


def _load(table: str, version: str | None) -> pd.DataFrame | None:
    from ..api import load

    try:
        return load(table, version=version)
    except UnknownTableError:  # an older release without this table
        return None


def catalog(version: str | None = None) -> Catalog:
    """Read the measure tables and their history from the bundled data or release ``version``."""
    records: dict[str, tuple[str, dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    names = {}
    jurisdictions = _load("jurisdictions", version)
    if jurisdictions is not None:
        names = dict(zip(jurisdictions["code"].astype(str), jurisdictions["name"].astype(str), strict=True))
    for table in TABLES:
        frame = _load(table, version)
        if frame is None:
            continue
        for row in _plain_rows(frame):
            records[row["id"]] = (table, row)
            rows.append(_view_row(table, row, names))
    events = _load(EVENTS, version)
    steps: dict[str, list[Step]] = {}
    if events is not None and len(events):
        for row in _plain_rows(events):
            steps.setdefault(row["record_id"], []).append(
                Step(row["event_on"], str(row["kind"]), row.get("until_on"), bool(row.get("scheduled"))))
        steps = {key: ordered(value) for key, value in steps.items()}
    superseded_on = {}
    for table, row in records.values():
        if table == ADVISORIES and row.get("supersedes_id") and row.get("issued_on") is not None:
            earlier = superseded_on.get(row["supersedes_id"])
            superseded_on[row["supersedes_id"]] = min(earlier, row["issued_on"]) if earlier else row["issued_on"]
    return Catalog(rows, records, steps, events, superseded_on)


def _view_row(table: str, row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    mapping = _MAP[table]
    out = {"table": table, "id": row["id"], "imposing_jurisdiction": row[mapping["imposing_jurisdiction"]],
           "kind": None if row.get(mapping["kind"]) is None else str(row[mapping["kind"]]),
           "hs_codes": row.get("hs_codes") or [], "level": row.get("level"),
           "authority": row.get("authority"), "summary": row.get("summary"),
           "source_ids": row.get("source_ids") or []}
    if table == ADVISORIES:
        destination = row.get("destination_jurisdiction")
        out["target_jurisdictions"] = [destination] if destination else []
        what = names.get(destination, destination or "")
        out["what"] = f"{what}: {row['region']}" if row.get("region") else what
    else:
        out["target_jurisdictions"] = row.get(mapping["target_jurisdictions"]) or []
        out["what"] = row.get(mapping["what"])
    words = [out["what"], out["kind"], out["summary"], out["authority"]]
    for name in _TEXT_FIELDS:
        value = row.get(name)
        words += value if isinstance(value, list) else [value]
    out["_text"] = " ".join(str(w) for w in words if w is not None).casefold()
    return out


def _as_codes(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    return {value.upper()} if isinstance(value, str) else {v.upper() for v in value}


def _as_day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if hasattr(value, "hour") else value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TradecurbsError(f"{name}: {value!r} is not a date; write YYYY-MM-DD") from None


def measures(imposing: str | Sequence[str] | None = None, target: str | Sequence[str] | None = None,
             in_force_on: date | str | None = None, between: tuple[date | str, date | str] | None = None,
             table: str | Sequence[str] | None = None, hs: str | None = None, text: str | None = None,
             on: date | str | None = None, version: str | None = None) -> pd.DataFrame:
    """One row per measure of every measure table, with the same columns, filtered by keyword.

    ``imposing`` / ``target``: ISO3 codes (one or several); a measure aimed at all
    destinations (``WLD``) matches every target, and ``target_match`` says ``named`` or
    ``WLD``. ``in_force_on``: in force on that day (docs/history.md). ``between``: begun and
    not over at any time in the interval. ``table``: one or several tables. ``hs``: an HS
    code prefix matched both ways. ``text``: case-insensitive words in the text fields.
    ``status`` is the status on ``on`` (default: ``in_force_on``, else the end of
    ``between``, else today). ``version``: the same view over a pinned release.
    """
    return _select(catalog(version), imposing, target, in_force_on, between, table, hs, text, on)


def _select(cat: Catalog, imposing: Any, target: Any, in_force_on: Any, between: Any, table: Any, hs: Any,
            text: Any, on: Any, keep: Any = None) -> pd.DataFrame:
    today = date.today()
    in_force_on = _as_day(in_force_on, "in_force_on")
    if between is not None:
        if len(between) != 2:
            raise TradecurbsError("between: give two dates, the start and the end of the interval")
        start, end = _as_day(between[0], "between"), _as_day(between[1], "between")
        if start > end:
            raise TradecurbsError(f"between: the start {start} is after the end {end}")
    on = _as_day(on, "on") or in_force_on or (end if between is not None else None) or today
    tables = _as_codes(table)
    if tables is not None:
        tables = {t.lower() for t in tables}
        unknown = tables - set(TABLES)
        if unknown:
            raise UnknownTableError(min(unknown), TABLES, "the measure tables")
    imposers, targets = _as_codes(imposing), _as_codes(target)
    hs = str(hs).strip() if hs is not None else None
    words = str(text).casefold().split() if text is not None else None
    out = []
    for row in cat.rows:
        if tables is not None and row["table"] not in tables:
            continue
        if imposers is not None and row["imposing_jurisdiction"] not in imposers:
            continue
        match = None
        if targets is not None:
            named = targets & set(row["target_jurisdictions"])
            match = "named" if named else "WLD" if "WLD" in row["target_jurisdictions"] else None
            if match is None:
                continue
        if hs and not any(code.startswith(hs) or hs.startswith(code) for code in row["hs_codes"]):
            continue
        if words and not all(word in row["_text"] for word in words):
            continue
        steps = cat.steps_of(row["id"], today)
        superseded = cat.superseded_on.get(row["id"])
        now = status_on(row["table"], steps, on, superseded)
        if in_force_on is not None and status_on(row["table"], steps, in_force_on, superseded).status not in IN_FORCE:
            continue
        if between is not None and not active_between(row["table"], steps, start, end, superseded):
            continue
        if keep is not None and not keep(row, now):
            continue
        changes = timeline(row["table"], steps, superseded)
        started = next((c.since for c in changes if c.status in IN_FORCE), changes[0].since if changes else None)
        ended = next((c.since for c in changes if c.status in ENDED), None)
        out.append({**row, "target_match": match, "started_on": started, "ended_on": ended,
                    "status": now.status, "status_since": now.since})
    return _frame(out)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    data = {}
    for name in COLUMNS:
        values = [r.get(name) for r in rows]
        if name in ("target_jurisdictions", "hs_codes", "source_ids"):
            data[name] = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.list_(pa.string()))))
        elif name in ("started_on", "ended_on", "status_since"):
            data[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype="object")), dtype="datetime64[s]")
        elif name == "level":
            data[name] = pd.Series(values, dtype="Int64")
        else:
            data[name] = pd.Series(values, dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def history(record_id: str, version: str | None = None) -> pd.DataFrame:
    """A record's dated steps, oldest first, with the status each leaves and its sources.

    A record with no rows in ``measure_events`` gets the steps its own date fields state
    (``from_record`` is true for those). ``source_urls`` lists each step's source pages.
    """
    cat = catalog(version)
    if record_id not in cat.records:
        import difflib

        close = difflib.get_close_matches(record_id, list(cat.records), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        prefix = "" if table_of(record_id) else f" (ids start with {', '.join(p + '-' for p in PREFIXES)})"
        raise UnknownRecordError(f"unknown record {record_id!r}{prefix}{hint}")
    table, record = cat.records[record_id]
    today = date.today()
    if record_id in cat.steps and cat.events is not None:
        events = cat.events[cat.events["record_id"].astype(str) == record_id]
        rows = _plain_rows(events)
        for row in rows:
            row["kind"] = str(row["kind"])
            row["scheduled"] = bool(row.get("scheduled"))
            row["from_record"] = False
    else:
        rows = [{"record_id": record_id, "event_on": s.on, "kind": s.kind, "until_on": s.until,
                 "scheduled": s.scheduled, "rate_pct": None, "summary": "Dated by the record's own fields (no history rows yet).",
                 "source_ids": record.get("source_ids") or [], "from_record": True}
                for s in steps_from_record(table, record, today)]
    steps = [Step(r["event_on"], r["kind"], r.get("until_on"), r["scheduled"]) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: steps[i].sort_key)
    rows, steps = [rows[i] for i in order], [steps[i] for i in order]
    for i, row in enumerate(rows):
        row["status_after"] = status_on(table, steps[: i + 1], row["event_on"]).status
    urls = _source_urls(version)
    for row in rows:
        row["source_urls"] = [urls.get(s, "") for s in row["source_ids"]]
    return _history_frame(rows)


def _source_urls(version: str | None) -> dict[str, str]:
    sources = _load("sources", version)
    if sources is None:
        return {}
    return dict(zip(sources["id"].astype(str), sources["url"].astype(str), strict=True))


HISTORY_COLUMNS = ["record_id", "event_on", "kind", "until_on", "scheduled", "rate_pct", "status_after",
                   "summary", "source_ids", "source_urls", "from_record"]


def _history_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    data = {}
    for name in HISTORY_COLUMNS:
        values = [r.get(name) for r in rows]
        if name in ("source_ids", "source_urls"):
            data[name] = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.list_(pa.string()))))
        elif name in ("event_on", "until_on"):
            data[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype="object")), dtype="datetime64[s]")
        elif name in ("scheduled", "from_record"):
            data[name] = pd.Series(values, dtype="boolean")
        elif name == "rate_pct":
            data[name] = pd.Series(values, dtype="Float64")
        else:
            data[name] = pd.Series(values, dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
