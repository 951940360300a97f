"""Give every record of the measure tables the history steps its own date fields state.

Each dated field of a record (announced_on, effective_on, ended_on; initiated_on,
preliminary_on, final_on, deadline_on, expires_on; issued_on, withdrawn_on) becomes a row
of data/measure_events.csv citing the record's own sources, which are where the record's
facts came from. Steps already in the history (same record, day and kind) are left alone,
so the script can be re-run after records are added. Later steps that only a record's
summary describes are not made here: they need a source that dates them.

    python scripts/backfill_history.py [--dry-run]
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rate(low: object, high: object) -> str:
    values = [v for v in (low, high) if v is not None]
    if not values:
        return ""
    a, b = min(values), max(values)
    fmt = (lambda x: f"{x:g}")
    return f" at {fmt(a)}%" if a == b else f" at {fmt(a)}% to {fmt(b)}%"


def summary(table: str, kind: str, row: dict) -> tuple[str, float | None]:
    """A short step summary in the project's words, and the rate the step sets (a ruling's highest)."""
    names = [a.strip() for a in (row.get("authority") or "The authority").split(";") if a.strip()]
    authority = names[0] + (f" with {len(names) - 1} other bod{'y' if len(names) == 2 else 'ies'}" if len(names) > 1 else "")
    review = "review" in (row.get("id") or "")
    case = "expiry review" if review else "investigation"
    if kind == "announced":
        return f"{authority} announced the measure.", None
    if kind == "in_force":
        return "The measure took effect.", None
    if kind in ("lifted", "expired") and table != "trade_remedies":
        return f"The measure was {kind}.", None
    if kind == "suspended":
        return "The measure was suspended.", None
    if kind == "initiated":
        return f"{authority} opened the {case}.", None
    if kind == "preliminary_ruling":
        low, high = row.get("preliminary_rate_min_pct"), row.get("preliminary_rate_max_pct")
        return f"Preliminary determination{', provisional duties' + _rate(low, high) if high is not None or low is not None else ''}.", high if high is not None else low
    if kind == "final_ruling":
        low, high = row.get("final_rate_min_pct"), row.get("final_rate_max_pct")
        what = "final ruling of the expiry review" if review else "final determination"
        rate = f", definitive duties{_rate(low, high)}" if high is not None or low is not None else ""
        return f"{what[0].upper() + what[1:]}{rate}.", high if high is not None else low
    if kind == "deadline":
        return f"Day by which the {case} is due to conclude.", None
    if kind == "expired":
        return "The definitive measures are due to expire." if row.get("expires_on") and row["expires_on"] > date.today() \
            else "The definitive measures expired.", None
    if kind == "issued":
        level = row.get("level")
        label = row.get("level_label")
        at = f" at level {level}" if level is not None else ""
        words = f" ({label})" if label else ""
        return f"{authority} issued the advisory{at}{words}.", None
    if kind == "withdrawn":
        return "The advisory was withdrawn or replaced.", None
    raise ValueError(kind)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from tradecurbs.datapackage import Package
    from tradecurbs.formatting import format_package
    from tradecurbs.loading import load_resource
    from tradecurbs.temporal.measures import TABLES, _plain_rows
    from tradecurbs.temporal.status import steps_from_record

    package = Package.from_directory(ROOT)
    today = date.today()
    path = ROOT / "data" / "measure_events.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        names, existing = reader.fieldnames, list(reader)
    have = {(r["record_id"], r["event_on"], r["kind"]) for r in existing}
    added: dict[str, int] = {}
    for table in TABLES:
        if table not in package.table_names:
            continue
        for row in _plain_rows(load_resource(package, table)):
            for step in steps_from_record(table, row, today):
                key = (row["id"], step.on.isoformat(), step.kind)
                if key in have or (step.kind == "announced" and (row["id"], key[1], "issued") in have):
                    continue  # the step is there (a measure's adopted act dates its announcement too)
                text, rate = summary(table, step.kind, row)
                existing.append({"record_id": row["id"], "event_on": step.on.isoformat(), "kind": step.kind,
                                 "until_on": "", "scheduled": "true" if step.scheduled else "false",
                                 "rate_pct": "" if rate is None else f"{rate:g}", "summary": text,
                                 "source_ids": ";".join(row.get("source_ids") or [])})
                have.add(key)
                added[table] = added.get(table, 0) + 1
    print({"added": added, "total": len(existing)})
    if "--dry-run" not in argv:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(existing)
        format_package(ROOT, ["measure_events"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
