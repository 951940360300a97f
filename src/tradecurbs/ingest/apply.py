"""Apply a review set to a repository package: append its rows, format, validate, or undo."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import TradecurbsError
from .review import TABLE_FILES


class ReviewError(TradecurbsError):
    """A review set that cannot be applied (wrong header, a key already taken, invalid result)."""


@dataclass(frozen=True)
class Applied:
    """How many rows of each table a review set added."""

    added: dict[str, int]


def apply_review(review_dir: str | Path, root: str | Path = ".") -> Applied:
    """Add the rows of the review set in ``review_dir`` to the package at ``root``.

    Every row is appended to its table's CSV, the tables are rewritten canonically and the
    package is validated; if anything fails, every file is put back as it was and
    ReviewError says why. A sources row already present with the same values is skipped.
    """
    from ..checks import validate
    from ..datapackage import Package
    from ..formatting import format_package

    package = Package.from_directory(root)
    directory = Path(review_dir)
    planned: dict[str, list[list[str]]] = {}
    for table in TABLE_FILES:
        path = directory / f"{table}.csv"
        if path.is_symlink() or not path.is_file():
            raise ReviewError(f"{path}: missing from the review set, or not a regular file")
        resource = package.resource(table)
        header, rows = _read(directory, path)
        if header != resource.field_names:
            raise ReviewError(f"{path}:1: header {header} is not the table's fields {resource.field_names}")
        planned[table] = _new_rows(package, table, path, rows)
    originals = {table: package.read_bytes(package.resource(table)) for table in planned}
    try:
        for table, rows in planned.items():
            if rows:
                resource = package.resource(table)
                _, existing = _parse(originals[table], resource.path)
                package.write_bytes(resource, _encode(resource.field_names, existing + rows))
        format_package(root, [t for t, rows in planned.items() if rows])
        report = validate(root)
        if not report.ok:
            errors = [p for p in report.problems if p.severity == "error"]
            first = "; ".join(f"{p.file}:{p.line} [{p.field}] {p.message}" for p in errors[:3])
            raise ReviewError(f"the review set would make the package invalid ({len(errors)} errors): {first}")
    except BaseException:
        for table, raw in originals.items():
            package.write_bytes(package.resource(table), raw)
        raise
    return Applied({table: len(rows) for table, rows in planned.items()})


def _read(directory: Path, path: Path) -> tuple[list[str], list[list[str]]]:
    """A review file, read as every package file is (a regular file, no link, at most
    ``limits.MAX_FILE_BYTES``, also if it grows while read)."""
    from ..datapackage import read_inside

    return _parse(read_inside(directory, path.name), str(path))


def _parse(raw: bytes, label: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ReviewError(f"{label}:{line}: not UTF-8 (byte offset {error.start})") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ReviewError(f"{label}: empty file (expected a header)")
    return rows[0], rows[1:]


def _encode(names: list[str], rows: list[list[str]]) -> bytes:
    """Rows of text cells through the package's one CSV writer."""
    import pyarrow as pa

    from ..formatting import encode_csv

    columns = [pa.array([row[i] or None for row in rows], type=pa.string()) for i in range(len(names))]
    return encode_csv(names, columns)


def _new_rows(package, table: str, path: Path, rows: list[list[str]]) -> list[list[str]]:
    """Rows whose key is not yet in the table; an identical sources row is skipped, a clash refused."""
    resource = package.resource(table)
    names = resource.field_names
    key = [names.index(k) for k in resource.primary_key]
    _, existing = _parse(package.read_bytes(resource), resource.path)
    present = {tuple(r[i] for i in key): r for r in existing}
    out = []
    for line, row in enumerate(rows, 2):
        if len(row) != len(names):
            raise ReviewError(f"{path}:{line}: {len(row)} cells, expected {len(names)}")
        found = present.get(tuple(row[i] for i in key))
        if found is None:
            out.append(row)
        elif not (table == "sources" and found == row):
            raise ReviewError(f"{path}:{line} [{resource.primary_key[0]}]: {row[key[0]]!r} is already in {resource.path}")
    return out
