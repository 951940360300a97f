"""Build a release: a reproducible directory of Parquet + CSV files with checksums.

``DIR/tradecurbs-data-X.Y.Z/`` holds, per table, ``TABLE.csv`` and ``TABLE.parquet``,
the SQLite edition of all tables (``tradecurbs.sqlite``, written from the release's own
Parquet files by ``editions.export_sqlite``), a ``datapackage.json`` (version, created,
and per file its bytes and sha256), a ``CHANGELOG.md`` section made from the diff
against the previous release, and ``SHA256SUMS``. ``DIR/index.json`` lists every release, so DIR served over HTTP is a
complete release site. The same input gives the same bytes: rows are sorted by key,
writer options are fixed, and ``created`` comes from the data, never the clock. The
SQLite file's bytes also depend on the SQLite library; a rebuild whose SQLite file holds
the same content (``editions.content_digest``) as the published one keeps the published
bytes, so everything else still compares byte for byte.
The source is read once: its descriptor and files are copied into the staging area
first, and everything (validation, tables, the diff against the previous release) is
made from that copy, so what was validated is byte for byte what is released.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import limits
from ..datapackage import DESCRIPTOR, Package, Resource, open_inside, read_inside
from ..errors import TradecurbsError
from . import registry
from .errors import ReleaseError
from .registry import Release, ReleaseFile
from .version import Version

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

#: The SQLite edition's file in a release directory.
SQLITE = "tradecurbs.sqlite"


def release_dir_name(version: Version | str) -> str:
    return f"tradecurbs-data-{version}"


def build(source: Path, version: str | Version, out: Path, created: str | None = None,
          published_sqlite: Path | None = None) -> Path:
    """Validate ``source``, check ``version`` against the diff, and write the release into ``out``.

    ``published_sqlite`` (default: the SQLite file of the release already in ``out``) is kept
    in place of the rebuilt SQLite file when both hold the same content.
    """
    from .package import as_format
    from .plan import plan

    wanted = version if isinstance(version, Version) else Version.parse(version)
    out.mkdir(parents=True, exist_ok=True)
    target = out / release_dir_name(wanted)
    with tempfile.TemporaryDirectory(dir=out, prefix=".building-") as tmp:
        snapshot = _snapshot(Path(source), Path(tmp) / "source")
        _refuse_invalid(snapshot, Path(source))
        package = Package.from_directory(snapshot)
        staging = Path(tmp) / target.name
        staging.mkdir()
        tables = _sorted_tables(package)
        stamp = created_stamp(tables, created)
        descriptor = _write_tables(package, tables, staging, wanted, stamp)
        if published_sqlite is None and target.is_dir():
            published_sqlite = target / SQLITE
        _write_sqlite(descriptor, staging, published_sqlite)
        _write_descriptor(descriptor, staging)
        release_plan = plan(as_format(descriptor, staging, "parquet", str(source)), out, before=wanted)
        release_plan.check(wanted)
        files = _write_notes(staging, wanted, stamp, release_plan.changes_markdown)
        if target.exists():
            if _same_tree(staging, target):
                _update_index(out, Release(wanted, stamp, target.name, tuple(files)))
                return target
            raise ReleaseError(f"{target} already exists with different content; releases are never rewritten")
        staging.rename(target)
    _update_index(out, Release(wanted, stamp, target.name, tuple(files)))
    return target


def _snapshot(source: Path, copy: Path) -> Path:
    """Copy the descriptor and the files it names into ``copy``, once, each read as every reader
    reads a package's files (``datapackage.open_inside``): only regular files inside the root,
    no link followed on the way, none over ``limits.MAX_FILE_BYTES``. A file refused so is left
    out of the copy, whose validation then reports it as missing."""
    if source.is_file() and source.name == DESCRIPTOR:
        source = source.parent
    original = Package.from_directory(source)
    copy.mkdir(parents=True)
    (copy / DESCRIPTOR).write_bytes(read_inside(source, DESCRIPTOR, limits.MAX_DESCRIPTOR_BYTES))
    for resource in original.resources.values():
        try:
            handle = open_inside(source, resource.path)
        except (TradecurbsError, OSError):
            continue
        target = copy.joinpath(*resource.path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        left = limits.MAX_FILE_BYTES + 1  # one byte over: a file that grows once open is still refused
        with handle, open(target, "wb") as out:
            while left and (chunk := handle.read(min(1 << 20, left))):
                out.write(chunk)
                left -= len(chunk)
    return copy


def _refuse_invalid(snapshot: Path, source: Path) -> None:
    from ..checks import validate

    report = validate(snapshot)
    if not report.ok:
        raise ReleaseError(
            f"refusing to release: {source} has {len(report.errors)} validation error(s); "
            f"run `tradecurbs validate {source}`"
        )


def _sorted_tables(package: Package) -> dict[str, pa.Table]:
    """Every table as its canonical Arrow table, rows sorted by primary key."""
    from ..loading import read_table

    tables = {}
    for resource in package.resources.values():
        table = read_table(package, resource)
        if resource.primary_key:
            table = table.take(_key_order(table, resource.primary_key))
        tables[resource.name] = table
    return tables


def _key_order(table: pa.Table, key: tuple[str, ...]) -> pa.Array:
    """Row order by primary key (enum columns by their text: Arrow cannot sort dictionaries)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {k: table.column(k) for k in key}
    keys = pa.table({k: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for k, c in columns.items()})
    return pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in key])


def _write_tables(package: Package, tables: dict[str, pa.Table], staging: Path, version: Version,
                 created: str) -> dict[str, Any]:
    """Write each table as CSV and Parquet; return the release's descriptor."""
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
    return descriptor


def _write_sqlite(descriptor: dict[str, Any], staging: Path, published: Path | None) -> None:
    """Write the SQLite edition from the release's Parquet files and list it in ``descriptor``.

    When ``published`` holds the same content in other bytes (another SQLite library wrote
    it), its bytes are kept: the release's files and hashes stay those once published.
    """
    from ..editions.sqlite import content_digest, export_sqlite
    from ..errors import TradecurbsError
    from .package import as_format

    target = staging / SQLITE
    export_sqlite(as_format(descriptor, staging, "parquet", "the release"), target)
    if published is not None:
        try:
            # Read as every outside file is (no link, a regular file, the byte limit), once:
            # the bytes compared are the bytes kept.
            kept = read_inside(published.parent, published.name)
            if kept != target.read_bytes():
                candidate = staging / f".published-{SQLITE}"
                try:
                    candidate.write_bytes(kept)
                    if content_digest(candidate) == content_digest(target):
                        os.replace(candidate, target)
                finally:
                    candidate.unlink(missing_ok=True)
        except (OSError, TradecurbsError):
            pass  # an unreadable published file is not kept; the comparison then reports it
    descriptor["editions"] = [{"name": "sqlite", "path": SQLITE, "format": "sqlite",
                               "mediatype": "application/vnd.sqlite3", **_stats(target),
                               "description": "Every table with its keys, list fields as JSON arrays and link "
                                              "tables, and full-text search (datasette tradecurbs.sqlite)"}]


def _write_descriptor(descriptor: dict[str, Any], staging: Path) -> None:
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (staging / DESCRIPTOR).write_text(text, encoding="utf-8")


def _write_notes(staging: Path, version: Version, created: str, changes: str) -> list[ReleaseFile]:
    """The release's CHANGELOG.md section and SHA256SUMS; return every file with its size and hash."""
    heading = f"## [{version}] - {created[:10]}\n\n"
    (staging / "CHANGELOG.md").write_text(heading + changes.rstrip() + "\n", encoding="utf-8")
    names = sorted(p.name for p in staging.iterdir())
    digests = {n: registry.file_sha256(staging / n) for n in names}
    (staging / registry.SUMS).write_text("".join(f"{digests[n]}  {n}\n" for n in names), encoding="utf-8")
    digests[registry.SUMS] = registry.file_sha256(staging / registry.SUMS)
    return [ReleaseFile(n, (staging / n).stat().st_size, digests[n]) for n in sorted(digests)]


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write a canonical Arrow table as Parquet with the fixed, reproducible options."""
    import pyarrow.parquet as pq

    pq.write_table(table, path, **PARQUET_OPTIONS)


def release_csv(package: Package, resource: Resource, table: pa.Table) -> bytes:
    """The release's CSV: the source's own canonical text (``32.50`` stays ``32.50``), else from ``table``."""
    from ..formatting import canonical_bytes

    return canonical_bytes(package, resource) if resource.format == "csv" else csv_bytes(table, resource)


def csv_bytes(table: pa.Table, resource: Resource) -> bytes:
    """Canonical CSV (the one CSV writer, ``formatting.encode_csv``): header in schema order, LF,
    minimal quoting, lists joined, booleans as true/false, empty = missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..formatting import encode_csv

    columns = []
    for field in resource.fields:
        column = table.column(field.name).combine_chunks()
        if field.is_list:
            from ..lists import join

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

    from ..limits import date_in_range

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
    return {"bytes": path.stat().st_size, "hash": f"sha256:{registry.file_sha256(path)}"}




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
