"""Canonical CSV: the one way a table's file is written.

UTF-8, LF line endings, header in schema order, rows sorted by the primary key,
minimal quoting (only cells holding a comma, a quote or a line break are quoted),
leading and trailing whitespace trimmed, and a line break inside a cell written as
LF (as every line of the file is). Nothing else about a value changes.
``format_package`` rewrites every CSV of a package this way; it refuses to write
a file that does not parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .datapackage import Package, Resource
from .errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Formatted:
    """What ``format_package`` did to one file."""

    table: str
    path: str
    changed: bool


#: From this many rows on, ``encode_csv`` quotes columns on two threads.
_THREADED_ROWS = 50_000


def encode_csv(names: list[str], columns: list[pa.Array]) -> bytes:
    """Serialise text columns (nulls are empty cells) as canonical CSV bytes, vectorized.

    The one CSV writer: ``format``, release builds, ``show --format csv`` and research
    merges all write through it.
    """
    return encode_header(names) + _encode_rows(columns)


def encode_header(names: list[str]) -> bytes:
    """The header line of ``encode_csv``."""
    return (",".join(_quote_one(n) for n in names) + "\n").encode("utf-8")


def _encode_rows(columns: list[pa.Array]) -> bytes:
    """The records of ``encode_csv`` (no header); a large table's columns are quoted on two threads."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not columns or len(columns[0]) == 0:
        return b""
    from .arrays import text_offsets, text_scalar

    columns = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns]
    empty = text_scalar("")

    def quote(column: pa.Array) -> pa.Array:
        return _quote(pc.fill_null(column.cast(pa.string()), empty))

    if len(columns[0]) < _THREADED_ROWS:
        quoted = [quote(c) for c in columns]
    else:  # Arrow's kernels release the GIL
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            quoted = list(pool.map(quote, columns))
    lines = pc.binary_join_element_wise(*quoted, text_scalar(",")) if len(quoted) > 1 else quoted[0]
    lines = pc.binary_join_element_wise(lines, text_scalar(""), text_scalar("\n")).cast(pa.large_string())
    offsets = text_offsets(lines)
    return bytes(memoryview(lines.buffers()[2])[int(offsets[0]): int(offsets[-1])])


def _quote(column: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    from .arrays import text_scalar

    needs = pc.match_substring_regex(column, r'[",\r\n]')
    if not pc.any(needs).as_py():
        return column  # most columns: nothing to quote, no copy
    # An empty string of a non-empty cell cannot occur here: empty means missing.
    quote = text_scalar('"')
    escaped = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, text_scalar(""))
    return pc.if_else(needs, escaped, column)


def _quote_one(text: str) -> str:
    if any(ch in text for ch in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


#: Reading problems after which every record is still in the table (format drops blank lines).
_KEEPS_EVERY_RECORD = {"blank-line", "cell-too-large"}


def canonical_bytes(package: Package, resource: Resource) -> bytes:
    """The canonical bytes of ``resource``'s CSV file; DataError if it cannot be parsed."""
    from .checks.reading import read_text_table

    text, problems = read_text_table(package, resource)
    if text is None or any(p.code not in _KEEPS_EVERY_RECORD for p in problems):  # a record could be lost
        first = problems[0].message if problems else "the file cannot be read"
        raise DataError(
            f"{resource.path}: not rewritten because it cannot be parsed ({first}); fix it by hand first"
        )
    return canonical_from_text(text.table, resource)


def canonical_from_text(table: pa.Table, resource: Resource) -> bytes:
    """Canonical CSV bytes of an all-text table whose columns are the schema's fields."""
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = pa.scalar(None, pa.string())
    columns = {}
    for field in resource.fields:
        trimmed = _trim(table.column(field.name).combine_chunks(), field.is_list, field.delimiter)
        columns[field.name] = pc.if_else(pc.equal(trimmed, ""), missing, trimmed)
    if resource.primary_key and table.num_rows:
        keys = pa.table({k: columns[k] for k in resource.primary_key})
        order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in resource.primary_key])
        columns = {name: pc.take(column, order) for name, column in columns.items()}
    return encode_csv(resource.field_names, list(columns.values()))


def _trim(column: pa.Array, is_list: bool, delimiter: str) -> pa.Array:
    """Trim whitespace around the cell and, for list fields, around each item."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.replace_substring_regex(pc.utf8_trim_whitespace(column), "\r\n?", "\n")  # LF inside cells too
    if is_list:
        parts = pc.split_pattern(trimmed, delimiter)
        items = pc.utf8_trim_whitespace(parts.values)
        rebuilt = pa.ListArray.from_arrays(parts.offsets, items)
        trimmed = pc.if_else(pc.is_null(trimmed), trimmed, pc.binary_join(rebuilt, delimiter))
    return trimmed


def format_package(path: str | Path, tables: list[str] | None = None) -> list[Formatted]:
    """Rewrite every CSV resource of the package at ``path`` canonically; report what changed.

    Nothing is written unless every named file parses: a file that cannot be parsed
    raises DataError and leaves all files untouched.
    """
    package = Package.from_directory(path)
    planned: list[tuple[Resource, bytes, bool]] = []
    for resource in package.resources.values():
        if tables is not None and resource.name not in tables:
            continue
        if resource.format != "csv":
            continue
        new = canonical_bytes(package, resource)  # read only through the package's wall
        planned.append((resource, new, package.read_bytes(resource) != new))
    results = []
    for resource, new, changed in planned:
        if changed:
            package.write_bytes(resource, new)  # atomic; never a link, never outside the root
        results.append(Formatted(resource.name, resource.path, changed))
    return results
