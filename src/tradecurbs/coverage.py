"""What the data covers: counts per table by jurisdiction, year and status, and its age.

`tradecurbs summary` prints it; docs/coverage.md is generated from it and a test
fails when that page is stale.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .datapackage import Package, Resource

#: The first of these a table has is its "who" column.
WHO_FIELDS = ("imposing_jurisdiction", "investigating_jurisdiction", "issuing_jurisdiction")
#: The first of these a table has dates a record for the by-year count.
WHEN_FIELDS = ("announced_on", "initiated_on", "issued_on", "effective_on")


def _first(resource: Resource, candidates: tuple[str, ...]) -> str | None:
    return next((name for name in candidates if name in resource.field_names), None)


def coverage(package: Package) -> dict[str, Any]:
    """Counts per measure table (by jurisdiction, year, status) and the newest source date."""
    from .loading import load_resource

    tables: dict[str, Any] = {}
    sources = load_resource(package, "sources") if "sources" in package.resources else None
    for resource in package.resources.values():
        who = _first(resource, WHO_FIELDS)
        if who is None:
            continue
        frame = load_resource(package, resource.name)
        when = _first(resource, WHEN_FIELDS)
        entry: dict[str, Any] = {"rows": len(frame), "by_jurisdiction": _counts(frame[who].dropna())}
        if when is not None:
            years = frame[when].dt.year.astype("Int64").astype("string").fillna("undated")
            entry["by_year"] = _counts(years, by_key=True)
            entry["year_field"] = when
        if "status" in resource.field_names:
            entry["by_status"] = _counts(frame["status"].astype("string").fillna("unknown"))
        elif "withdrawn_on" in resource.field_names:
            entry["by_status"] = _counts(frame["withdrawn_on"].isna().map({True: "standing", False: "withdrawn"}))
        if sources is not None and "source_ids" in resource.field_names:
            entry.update(_sourcing(frame, sources))
        tables[resource.name] = entry
    newest = None
    if sources is not None and len(sources) and sources["published_on"].notna().any():
        newest = sources["published_on"].max().date().isoformat()
    return {"tables": tables, "sources": 0 if sources is None else len(sources), "newest_source": newest}


def _sourcing(frame, sources) -> dict[str, Any]:
    """The newest source a table's records cite, and the share of records citing an official one."""
    cited = frame[["id", "source_ids"]].explode("source_ids").merge(
        sources[["id", "published_on", "kind"]].rename(columns={"id": "source_ids"}), on="source_ids", how="left")
    dates = cited["published_on"].dropna()
    official = cited.loc[cited["kind"].astype("string") == "official", "id"].nunique()
    return {"newest_source": dates.max().date().isoformat() if len(dates) else None,
            "with_official_source": official}


def _counts(values, by_key: bool = False) -> dict[str, int]:
    counts = Counter(str(v) for v in values)
    ordered = sorted(counts.items()) if by_key else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ordered)


def render_markdown(summary: dict[str, Any]) -> str:
    """docs/coverage.md: one section per table with its three counts."""
    lines = [
        "# Coverage",
        "",
        "Generated from the data by `tradecurbs summary --format markdown > docs/coverage.md`; do not edit by hand.",
        "",
        f"Sources: {summary['sources']}. Newest source published on: {summary['newest_source'] or 'n/a'}.",
        "",
        "| table | records | newest source | records citing an official source |",
        "|---|---:|---|---:|",
    ]
    lines += [f"| `{name}` | {entry['rows']} | {entry.get('newest_source') or 'n/a'} | "
              f"{_share(entry)} |" for name, entry in summary["tables"].items()]
    for name, entry in summary["tables"].items():
        lines += ["", f"## `{name}`", ""]
        for title, key in (("By jurisdiction", "by_jurisdiction"), (f"By year ({entry.get('year_field', '')})", "by_year"),
                           ("By status", "by_status")):
            if key not in entry:
                continue
            cells = ", ".join(f"{k} {v}" for k, v in entry[key].items()) or "none"
            lines.append(f"- {title}: {cells}")
    return "\n".join(lines) + "\n"


def _share(entry: dict[str, Any]) -> str:
    if "with_official_source" not in entry or not entry["rows"]:
        return "n/a"
    return f"{entry['with_official_source']} ({100 * entry['with_official_source'] / entry['rows']:.0f}%)"


def render_text(summary: dict[str, Any]) -> str:
    """The same counts for a terminal."""
    lines = [f"sources: {summary['sources']} (newest published {summary['newest_source'] or 'n/a'})"]
    for name, entry in summary["tables"].items():
        lines.append(f"{name}: {entry['rows']} records, newest source {entry.get('newest_source') or 'n/a'}, "
                     f"citing an official source {_share(entry)}")
        for key in ("by_jurisdiction", "by_year", "by_status"):
            if key in entry:
                cells = ", ".join(f"{k} {v}" for k, v in entry[key].items()) or "none"
                lines.append(f"  {key.removeprefix('by_')}: {cells}")
    return "\n".join(lines)
