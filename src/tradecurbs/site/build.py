"""Build the static site: a home page, a page per table, per record and per jurisdiction.

Plain HTML rendered with Jinja2 (every value escaped), a small stylesheet and script
shipped in the wheel, nothing fetched from elsewhere. Record pages live at stable
addresses, ``r/<id>/``, so they can be cited.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..datapackage import Package
from ..errors import TradecurbsError
from ..extras import requires
from . import citation
from .views import VIEWS, humanize, started_on, status_of, targets

#: A file in the output directory that says it holds a site this command built (and may replace).
MARKER = ".tradecurbs-site"
DEFAULT_BASE_URL = "https://tradecurbs.github.io/tradecurbs/site"
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z]{3}")


class SiteError(TradecurbsError):
    """The site cannot be built (an output directory that is not a site, an unsafe id)."""


@dataclass(frozen=True)
class ReleaseFiles:
    """The release a site is built from: version, date, and its files with their sha256."""

    version: str
    created: str
    files: tuple[tuple[str, int, str], ...] = ()  #: (path, bytes, sha256)
    url: str = ""  #: where the release's directory is served


@dataclass
class Built:
    """What was written: the number of pages and bytes."""

    out: Path
    pages: int = 0
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def build_site(package: Package, out: str | Path, release: ReleaseFiles | None = None,
               base_url: str = DEFAULT_BASE_URL, timeline: str | Path | None = None,
               today: str | None = None) -> Built:
    """Write the site for ``package`` into ``out`` (replaced whole if it holds an earlier site)."""
    jinja2 = requires("jinja2", "site")

    out = Path(out)
    if out.exists() and (out.is_symlink() or not out.is_dir()
                         or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise SiteError(f"{out}: exists and is not a site built by tradecurbs; choose an empty or new directory")
    data = _Data(package, today or datetime.date.today().isoformat())
    release = release or ReleaseFiles(package.descriptor.get("version", "unreleased"), data.newest_source)
    env = jinja2.Environment(loader=jinja2.PackageLoader("tradecurbs.site", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(release=release, humanize=humanize, base_url=base_url.rstrip("/"), views=VIEWS,
                       tables=data.measure_tables, jname=data.jurisdiction_name)
    out.parent.mkdir(parents=True, exist_ok=True)  # the site is staged beside ``out``, then renamed into place
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    built = Built(out)
    try:
        def write(path: str, template: str, root: str, **context: Any) -> None:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            text = env.get_template(template).render(root=root, **context)
            target.write_text(text, encoding="utf-8")
            built.pages += 1

        static = resources.files("tradecurbs.site").joinpath("static")
        (staging / "static").mkdir()
        for item in static.iterdir():
            if item.name.endswith((".css", ".js")):
                (staging / "static" / item.name).write_bytes(item.read_bytes())
        timeline_name = None
        if timeline is not None and Path(timeline).is_file():
            timeline_name = "static/" + Path(timeline).name
            shutil.copyfile(timeline, staging / timeline_name)
        write("index.html", "home.html", "", data=data, timeline=timeline_name)
        for table in data.measure_tables + ["sources"]:
            write(f"t/{table}/index.html", "table.html", "../../", data=data, table=table)
        for table in data.measure_tables:
            for record in data.records[table]:
                write(f"r/{record['id']}/index.html", "record.html", "../../", data=data, table=table, r=record,
                      cite=data.citations(table, record, release, base_url))
        for code in sorted(data.involved):
            write(f"j/{code}/index.html", "jurisdiction.html", "../../", data=data, code=code)
        (staging / MARKER).write_text("built by tradecurbs site build\n", encoding="utf-8")
        built.bytes = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())
        built.counts = {t: len(data.records[t]) for t in data.measure_tables}
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return built


class _Data:
    """The package's tables as plain records, indexed for the pages."""

    def __init__(self, package: Package, today: str) -> None:
        from ..loading import load_resource
        from ..records import to_records

        self.today = today
        self.fields = {name: package.resource(name).fields for name in package.table_names}
        plain = {name: to_records(load_resource(package, name))
                 for name in package.table_names}
        self.measure_tables = [t for t in package.table_names if t in VIEWS]
        self.records = {t: plain[t] for t in self.measure_tables}
        self.sources = {row["id"]: row for row in plain.get("sources", [])}
        self.source_rows = plain.get("sources", [])
        self.jurisdictions = {row["code"]: row for row in plain.get("jurisdictions", [])}
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event in sorted(plain.get("measure_events", []), key=lambda e: (e["event_on"], e["kind"])):
            self.events[event["record_id"]].append(event)
        self.by_id: dict[str, tuple[str, dict[str, Any]]] = {}
        for table, rows in self.records.items():
            for row in rows:
                if not _SLUG.fullmatch(str(row["id"])):
                    raise SiteError(f"{table}: id {row['id']!r} is not a lowercase slug; run tradecurbs validate")
                self.by_id[row["id"]] = (table, row)
        self.superseded = {r["supersedes_id"] for r in self.records.get("travel_advisories", []) if r.get("supersedes_id")}
        self.referenced_by: dict[str, list[str]] = defaultdict(list)
        for record_id, (table, row) in sorted(self.by_id.items()):
            for other in row.get("related_ids") or []:
                self.referenced_by[other].append(record_id)
            if row.get("supersedes_id"):
                self.referenced_by[row["supersedes_id"]].append(record_id)
        self.involved: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"imposes": [], "subject": []})
        for record_id, (table, row) in sorted(self.by_id.items()):
            view = VIEWS[table]
            for code, side in [(row[view.by], "imposes")] + [(c, "subject") for c in targets(view, row)]:
                if not _CODE.fullmatch(str(code)):
                    raise SiteError(f"{table}: {record_id}: code {code!r} is not three capitals; run tradecurbs validate")
                self.involved[code][side].append(record_id)
        dates = [row["published_on"] or row["accessed_on"] for row in self.source_rows]
        self.newest_source = max(d for d in dates if d) if any(dates) else today

    def jurisdiction_name(self, code: str) -> str:
        row = self.jurisdictions.get(code)
        return row["name"] if row else code

    def title(self, table: str, record: dict[str, Any]) -> str:
        """A record's headline: who, what, against whom."""
        view = VIEWS[table]
        by = self.jurisdiction_name(record[view.by])
        against = ", ".join(self.jurisdiction_name(c) for c in targets(view, record))
        if table == "travel_advisories":
            return f"{by}: {record['advisory_type']} advice for {against}" + (
                f" ({record['region']})" if record.get("region") else "")
        what = str(record[view.what])
        what = what if len(what) <= 90 else what[:87].rstrip() + "..."
        return f"{by}, {humanize(str(record[view.kind])).lower()}: {what} ({against})"

    def row(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """What a list or timeline shows of a record."""
        view = VIEWS[table]
        start = started_on(view, record)
        return {"id": record["id"], "table": table, "title": self.title(table, record), "by": record[view.by],
                "against": targets(view, record), "kind": record[view.kind], "start": start or "",
                "end": record.get(view.end) or "", "year": (start or "")[:4],
                "status": status_of(table, record, self.superseded),
                "text": " ".join(str(record.get(f) or "") for f in (view.what, "summary", "authority")).lower()
                + " " + " ".join(record.get("entities") or []).lower()}

    def rows(self, table: str) -> list[dict[str, Any]]:
        return [self.row(table, r) for r in self.records[table]]

    def citations(self, table: str, record: dict[str, Any], release: ReleaseFiles, base_url: str) -> dict[str, str]:
        title = self.title(table, record)
        url = f"{base_url.rstrip('/')}/r/{record['id']}/"
        args = (title, record["id"], release.version, release.created, url)
        return {"text": citation.citation_text(*args), "bibtex": citation.citation_bibtex(*args),
                "csl": citation.csl_json(citation.citation_csl(*args))}

    def timeline(self, ids: list[str]) -> dict[str, Any]:
        """Bars for an HTML timeline: left offset and width in percent of the span, steps as marks."""
        rows = [self.row(*self.by_id[i]) for i in ids]
        dated = [r for r in rows if r["start"]]
        if not dated:
            return {"lanes": [], "years": []}
        first = min(r["start"] for r in dated)[:4] + "-01-01"
        last = max([self.today] + [r["end"] for r in dated if r["end"]])
        start, stop = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        span = max((stop - start).days, 1)

        def at(day: str) -> float:
            return round(100 * (datetime.date.fromisoformat(day) - start).days / span, 2)

        lanes = []
        for r in sorted(dated, key=lambda r: (r["start"], r["id"])):
            left = at(r["start"])
            right = at(min(r["end"], last)) if r["end"] else 100.0
            marks = [{"at": at(e["event_on"]), "label": f"{e['event_on']} {e['kind']}"}
                     for e in self.events.get(r["id"], []) if first <= e["event_on"] <= last]
            lanes.append(r | {"left": left, "width": max(round(right - left, 2), 0.6), "marks": marks})
        years = [{"year": y, "at": at(f"{y}-01-01")} for y in range(start.year, stop.year + 1)]
        return {"lanes": lanes, "years": years}
