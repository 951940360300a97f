"""Build a release: a reproducible directory of Parquet + CSV files with checksums.

``DIR/tradecurbs-data-X.Y.Z/`` holds, per table, ``TABLE.csv`` and ``TABLE.parquet``,
a ``datapackage.json`` (version, created, and per file its bytes and sha256), a
``CHANGELOG.md`` section made from the diff against the previous release, and
``SHA256SUMS``. ``DIR/index.json`` lists every release, so DIR served over HTTP is a
complete release site. The same input gives the same bytes: rows are sorted by key,
writer options are fixed, and ``created`` comes from the data, never the clock.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import registry
from .errors import TradecurbsError
from .datapackage import Package, Resource
from .registry import Release, ReleaseFile
from .versions import Level, Version, allowed_versions

if TYPE_CHECKING:
    import pyarrow as pa

#: Parquet writer options, fixed so that a rebuild gives the same bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "version": "2.6",
    "row_group_size": 1 << 20,
}

MAJOR_KINDS = {"table_removed", "field_removed", "field_retyped", "primary_key_changed", "enum_removed",
               "required_added"}
MINOR_KINDS = {"table_added", "field_added", "enum_added"}


class ReleaseError(TradecurbsError):
    """The release cannot be built as asked."""


@dataclass(frozen=True)
class Plan:
    """What a new release needs: the previous version and the smallest justified bump."""

    previous: Version | None
    level: Level | None  # None: nothing changed since the previous release
    changes_markdown: str

    @property
    def allowed(self) -> list[Version]:
        if self.previous is None:
            return []
        if self.level is None:
            return []
        return allowed_versions(self.previous, self.level)

    @property
    def next(self) -> Version:
        if self.previous is None:
            return Version(0, 1, 0)
        if self.level is None:
            raise ReleaseError(f"nothing changed since release {self.previous}: there is nothing to release")
        return self.previous.bump(self.level)


def release_dir_name(version: Version | str) -> str:
    return f"tradecurbs-data-{version}"


def previous_release(out: Path) -> tuple[Version, Path] | None:
    """The newest release already in the release site ``out``, if any."""
    index = out / registry.INDEX
    if not index.is_file():
        return None
    releases = registry.parse_index(index.read_text(encoding="utf-8"), str(index))
    if not releases:
        return None
    newest = Version.parse(registry.latest(releases))
    return newest, out / releases[str(newest)].directory


def needed_level(changes: dict[str, Any]) -> Level | None:
    """The smallest SemVer-for-data bump that a diff (as ``Diff.to_dict()``) justifies."""
    kinds = {entry["kind"] for entry in changes.get("schema", [])}
    if kinds & MAJOR_KINDS:
        return Level.MAJOR
    summaries = [t["summary"] for t in changes.get("tables", {}).values()]
    if kinds & MINOR_KINDS or any(s.get("added") for s in summaries):
        return Level.MINOR
    if kinds or any(s.get("removed") or s.get("modified") for s in summaries):
        return Level.PATCH
    return None


def plan(source: Path, out: Path) -> Plan:
    """Compare ``source`` with the newest release in ``out`` and say what version is justified."""
    found = previous_release(out)
    if found is None:
        return Plan(previous=None, level=Level.MAJOR, changes_markdown="First release.\n")
    version, directory = found
    from .changes import diff
    from .changes.render import render_markdown

    result = diff(Package.from_directory(directory), Package.from_directory(source))
    return Plan(previous=version, level=needed_level(result.to_dict()), changes_markdown=render_markdown(result))


def build(source: Path, version: str, out: Path, created: str | None = None) -> Path:
    """Validate ``source``, check ``version`` against the diff, and write the release into ``out``."""
    wanted = Version.parse(version)
    package = Package.from_directory(source)
    _refuse_invalid(source)
    release_plan = plan(source, out)
    if release_plan.previous is not None:
        if release_plan.level is None:
            raise ReleaseError(f"nothing changed since release {release_plan.previous}: nothing to release")
        if wanted not in release_plan.allowed:
            choices = ", ".join(map(str, release_plan.allowed))
            raise ReleaseError(
                f"version {wanted} is not justified after {release_plan.previous}: the changes need a "
                f"{release_plan.level.name.lower()} release ({choices})"
            )
    out.mkdir(parents=True, exist_ok=True)
    target = out / release_dir_name(wanted)
    with tempfile.TemporaryDirectory(dir=out, prefix=".building-") as tmp:
        staging = Path(tmp) / target.name
        staging.mkdir()
        tables = _sorted_tables(package)
        stamp = created_stamp(tables, created)
        files = _write_release(package, tables, staging, wanted, stamp, release_plan.changes_markdown)
        if target.exists():
            if _same_tree(staging, target):
                return target
            raise ReleaseError(f"{target} already exists with different content; releases are never rewritten")
        staging.rename(target)
    _update_index(out, Release(str(wanted), stamp, target.name, tuple(files)))
    return target


def _refuse_invalid(source: Path) -> None:
    from .checks import validate

    report = validate(source)
    if not report.ok:
        raise ReleaseError(
            f"refusing to release: {source} has {len(report.errors)} validation error(s); "
            f"run `tradecurbs validate {source}`"
        )


def _sorted_tables(package: Package) -> dict[str, pa.Table]:
    """Every table as its canonical Arrow table, rows sorted by primary key."""
    from .loading import read_table

    tables = {}
    for resource in package.resources.values():
        table = read_table(package, resource)
        if resource.primary_key:
            table = table.sort_by([(k, "ascending") for k in resource.primary_key])
        tables[resource.name] = table
    return tables


def _write_release(package: Package, tables: dict[str, pa.Table], staging: Path, version: Version,
                   created: str, changes: str) -> list[ReleaseFile]:
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["version"] = str(version)
    descriptor["created"] = created
    resources = []
    for spec in descriptor["resources"]:
        resource = package.resource(spec["name"])
        table = tables[resource.name]
        csv_name, parquet_name = f"{resource.name}.csv", f"{resource.name}.parquet"
        (staging / csv_name).write_bytes(release_csv(package, resource, table))
        write_parquet(table, staging / parquet_name)
        spec = dict(spec)
        spec.update({"path": csv_name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                     **_stats(staging / csv_name), "rows": table.num_rows,
                     "alternates": [{"path": parquet_name, "format": "parquet",
                                     "mediatype": "application/vnd.apache.parquet",
                                     **_stats(staging / parquet_name)}]})
        resources.append(spec)
    descriptor["resources"] = resources
    (staging / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    heading = f"## [{version}] - {descriptor['created'][:10]}\n\n"
    (staging / "CHANGELOG.md").write_text(heading + changes.rstrip() + "\n", encoding="utf-8")
    names = sorted(p.name for p in staging.iterdir())
    sums = "".join(f"{_sha256(staging / n)}  {n}\n" for n in names)
    (staging / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return [ReleaseFile(n, (staging / n).stat().st_size, _sha256(staging / n)) for n in sorted(names + ["SHA256SUMS"])]


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write a canonical Arrow table as Parquet with the fixed, reproducible options."""
    import pyarrow.parquet as pq

    pq.write_table(table, path, **PARQUET_OPTIONS)


def release_csv(package: Package, resource: Resource, table: pa.Table) -> bytes:
    """The release's CSV: the source's own canonical text (``32.50`` stays ``32.50``), else from ``table``."""
    from .formatting import canonical_bytes

    return canonical_bytes(package, resource) if resource.format == "csv" else csv_bytes(table, resource)


def csv_bytes(table: pa.Table, resource: Resource) -> bytes:
    """Canonical CSV of a typed table: header in schema order, LF, minimal quoting, lists joined."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .formatting import encode_csv

    columns = []
    for field in resource.fields:
        column = table.column(field.name)
        if field.is_list:
            from .lists import join

            column = join(column, field.delimiter)
        elif pa.types.is_boolean(column.type):
            column = pc.if_else(column, "true", "false")
        else:
            column = column.cast(pa.string())
        columns.append(pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    return encode_csv(resource.field_names, columns)


def created_stamp(tables: dict[str, pa.Table], created: str | None) -> str:
    """``created``: the option if given, else the newest date in the data; never the clock.

    With a ``sources`` table the newest date there (when a page was last read) is the
    data's own age; otherwise the newest date of any table.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if created:
        return _checked_created(created if "T" in created else f"{created}T00:00:00Z")
    considered = {"sources": tables["sources"]} if "sources" in tables else tables
    dates = [
        value
        for table in considered.values()
        for column in table.columns
        if pa.types.is_date(column.type) and (value := pc.max(column).as_py()) is not None
    ]
    return f"{max(dates).isoformat() if dates else '1970-01-01'}T00:00:00Z"


def _checked_created(stamp: str) -> str:
    """``stamp`` if it is YYYY-MM-DDTHH:MM:SSZ in the shared date range, else ReleaseError."""
    import re
    from datetime import datetime

    from .limits import date_in_range

    try:
        ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", stamp) is not None and date_in_range(
            datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").year)
    except ValueError:
        ok = False
    if not ok:
        raise ReleaseError(f"--created {stamp!r} is not a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ "
                           "in years 1000-9999")
    return stamp


def _stats(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names
    )


def _update_index(out: Path, release: Release) -> None:
    path = out / registry.INDEX
    releases = registry.parse_index(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else {}
    releases = registry.merge(releases, {release.version: release}, "the new build")
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(registry.render_index(releases), encoding="utf-8")
    tmp.replace(path)



def insert_changelog_section(changelog: Path, section: str) -> None:
    """Insert a release's section below the ``## [Unreleased]`` block of a Keep-a-Changelog file."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else "# Changelog\n\n## [Unreleased]\n"
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    unreleased = next((i for i in starts if line_is_unreleased(lines[i])), None)
    after = [i for i in starts if unreleased is not None and i > unreleased]
    at = after[0] if after else len(lines)
    block = section.rstrip("\n") + "\n\n"
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        block = "\n" + block
    changelog.write_text("".join(lines[:at]) + block + "".join(lines[at:]), encoding="utf-8")


def line_is_unreleased(line: str) -> bool:
    return line.strip().lower().startswith("## [unreleased]")
