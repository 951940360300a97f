"""A table's CSV file read as one text value per line: how the diff finds the rows that changed
without typing every cell of both versions.

Between two versions of a table most rows are byte for byte the same. Arrow cuts a file
at its line ends alone, with no quotes to follow and no columns to build, about six times
faster than it parses the file into typed columns (350 MB: 0.1-0.15 s against 0.5-1.2 s).
Lines are matched by their key and compared as text; a line that is the same in both
files is the same record. Only the other lines (added, removed, or different in any byte)
are then parsed and typed by ``loading``, exactly as a whole file is, and compared field
by field: so ``"1.0"`` against ``"1"`` in a number field is still no change, and every
value the diff reports was read, typed and checked as ``load`` reads it.

This is right only when every line is one whole record. ``read_lines`` checks it: the
header is the schema's field names; every line is a plain CSV record (each field
unquoted, or quoted with no line break inside, so any CSV reader splits it the same way);
the key is one text field and comes first, unquoted; the file is UTF-8. A file that fails
any of these, or a pair of tables whose fields differ, gives ``None``, and the diff reads
both files whole the usual way, which reports whatever is wrong with them.

Rows that are the same text in both files are not typed, so a value that is wrong in
both (a date that is not a date, in a row nobody changed) is not reported by the diff;
``tradecurbs validate`` reports it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import limits, linebreaks
from ..datapackage import Package, Resource
from ..errors import DataError, FileTooLargeError

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_SCRATCH = 1 << 22  # bytes scanned for quotes at a time: bounded scratch memory
_QUOTE, _COMMA = 0x22, 0x2C


@dataclass
class Lines:
    """The records of one CSV file as text, one per line, with each record's key.

    ``views`` holds each record as an Arrow string view (length, first four bytes, buffer,
    offset: int32 each) into ``buffers``, the text Arrow read; ``keys`` is the first field
    of each. The text is not copied: lines are matched, compared and picked where they lie.
    """

    header: str
    views: np.ndarray
    buffers: list[pa.Buffer]
    keys: pa.Array


def applies(old: Resource, new: Resource) -> bool:
    """Whether two versions of a table can be compared line by line: both CSV, the same
    fields read the same way, none multi-line, field names that need no quotes, and a key
    of one text field that comes first."""
    if old.format != "csv" or new.format != "csv" or _reading(old) != _reading(new):
        return False
    if any(f.multiline or set(f.name) & set(',"\r\n') for f in new.fields):
        return False
    key = list(new.primary_key)
    first = new.fields[0] if new.fields else None
    return (list(old.primary_key) == key and len(key) == 1 and first is not None and first.name == key[0]
            and first.type == "string" and first.enum is None)


def _reading(resource: Resource) -> list[tuple]:
    """What decides how a field's text is read and compared."""
    return [(f.name, f.type, f.item_type, f.delimiter, f.enum is None, f.multiline) for f in resource.fields]


def read_lines(package: Package, resource: Resource) -> Lines | None:
    """Every record line of ``resource``'s CSV file with its key, or None if the file is not
    one plain record per line under the schema's header (see the module's docstring)."""
    import pyarrow as pa
    from pyarrow import csv

    from .. import loading

    try:
        source = package.open_file(resource, "csv")
    except (OSError, FileTooLargeError):
        return None  # the usual reading names the problem
    with source:
        counted = linebreaks.CountingReader(source, limits.MAX_FILE_BYTES)
        try:
            table = csv.read_csv(
                counted,
                read_options=csv.ReadOptions(block_size=loading._BLOCK, column_names=["line"], use_threads=True),
                # No quotes and a separator text never holds (a record separator, which makes
                # a second column and so an error): each line is one value, as it stands.
                parse_options=csv.ParseOptions(delimiter="\x1e", quote_char=False, double_quote=False,
                                               escape_char=False, newlines_in_values=False),
                convert_options=csv.ConvertOptions(column_types={"line": pa.string()}, check_utf8=False,
                                                   strings_can_be_null=False),
            )
        except (pa.ArrowInvalid, OSError):
            return None
    if not counted.utf8() or table.num_rows == 0:
        return None
    lines = table.column(0)
    header = lines[0].as_py()
    records = lines.slice(1)
    if header != ",".join(resource.field_names) or len(records) > limits.MAX_ROWS:
        return None
    views, buffers = _views(records)
    if len(views) and int(views[:, 0].max()) > limits.MAX_CELL_BYTES:
        return None
    if not all(_plain(chunk) for chunk in records.chunks if len(chunk)):
        return None
    keys = key_views(records, views, buffers)
    if keys is None:
        return None
    # hashed faster as plain text than as views (measured: 0.33 s against 0.48 s at 2M keys)
    return Lines(header, views, buffers, view_array(keys, buffers).cast(pa.string()))


def _views(records: pa.ChunkedArray) -> tuple[np.ndarray, list[pa.Buffer]]:
    """Each record as a string view into one list of buffers (Arrow makes the views of a
    chunk; only their buffer numbers change to join the chunks)."""
    import numpy as np
    import pyarrow as pa

    parts, buffers = [np.zeros((0, 4), dtype=np.int32)], []
    for chunk in records.cast(pa.string_view()).chunks:
        own = chunk.buffers()
        views = np.frombuffer(own[1], dtype=np.int32).reshape(-1, 4)[chunk.offset:chunk.offset + len(chunk)].copy()
        views[views[:, 0] > 12, 2] += len(buffers)  # a view of 12 bytes or fewer holds them itself
        parts.append(views)
        buffers.extend(own[2:])
    return np.concatenate(parts), buffers


def view_array(views: np.ndarray, buffers: list[pa.Buffer]) -> pa.Array:
    """A string view array of ``views`` (n x 4 int32) into ``buffers``."""
    import numpy as np
    import pyarrow as pa

    return pa.Array.from_buffers(pa.string_view(), len(views),
                                 [None, pa.py_buffer(np.ascontiguousarray(views, dtype=np.int32)), *buffers])


def _plain(chunk: pa.Array) -> bool:
    """Whether every line of ``chunk`` is a plain CSV record: each quote either opens a field
    (first in the line or after a comma), closes it (last in the line or before a comma),
    or is one of two quotes in a row inside it, and the line leaves no field open. Any CSV
    reader then splits the line into the same fields, and no record spans two lines.

    Quotes are found with numpy and numbered within their line; an even number opens a
    field or is the second of a doubled quote, an odd one closes it or is the first.
    """
    import numpy as np

    from ..arrays import text_offsets

    offsets = text_offsets(chunk).astype(np.int64)
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    first, last = int(offsets[0]), int(offsets[-1])
    quotes = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        np.flatnonzero(data[at:min(at + _SCRATCH, last)] == _QUOTE) + at for at in range(first, last, _SCRATCH)])
    if not len(quotes):
        return True
    line = np.searchsorted(offsets, quotes, side="right") - 1
    rank = np.arange(len(quotes)) - np.searchsorted(quotes, offsets[:-1])[line]
    if np.any(np.bincount(line, minlength=len(offsets) - 1) % 2):
        return False  # a field left open at the end of its line
    # The byte before and after each quote; a line's start or end counts as a comma.
    before = np.where(quotes > offsets[line], data[np.maximum(quotes - 1, 0)], _COMMA)
    after = np.where(quotes + 1 < offsets[line + 1], data[np.minimum(quotes + 1, last - 1)], _COMMA)
    opening = rank % 2 == 0
    fits = np.where(opening, (before == _COMMA) | (before == _QUOTE), (after == _COMMA) | (after == _QUOTE))
    return bool(fits.all())


def key_views(records: pa.ChunkedArray, views: np.ndarray, buffers: list[pa.Buffer]) -> np.ndarray | None:
    """Each record's first field as a string view (n x 4 int32) into the same bytes, or None
    if one is empty or quoted (then the usual reading decides)."""
    import numpy as np
    import pyarrow.compute as pc

    from ..arrays import to_numpy

    comma = to_numpy(pc.find_substring(records, ","))
    length = np.where(comma < 0, views[:, 0], comma).astype(np.int32)
    first_bytes = np.ascontiguousarray(views[:, 1]).view(np.uint8).reshape(-1, 4)[:, 0]
    if np.any(length == 0) or np.any(first_bytes == _QUOTE):
        return None
    keys = views.copy()
    keys[:, 0] = length
    short = np.flatnonzero(length <= 12)
    if len(short):  # a short key is held in its view: its bytes are copied there
        inline = views[short, 1:].view(np.uint8).reshape(-1, 12).copy()  # a short line's own bytes
        in_buffer = views[short, 0] > 12
        for buffer in np.unique(views[short[in_buffer], 2]):
            slots = np.flatnonzero(in_buffer & (views[short, 2] == buffer))
            data = np.frombuffer(buffers[buffer], dtype=np.uint8)
            inline[slots] = data[views[short[slots], 3][:, None] + np.arange(12)]  # a long line has 12 bytes
        inline[np.arange(12) >= length[short][:, None]] = 0
        keys[short, 1:] = inline.view(np.int32).reshape(-1, 3)
    return keys


def differing(old: Lines, new: Lines, in_old: np.ndarray) -> np.ndarray:
    """For each NEW record, whether it differs from its OLD record (``in_old``; -1: none,
    counted as differing). Compared as string views, so no line is copied."""
    import numpy as np
    import pyarrow.compute as pc

    from ..arrays import to_numpy

    matched = in_old >= 0
    if not len(new.views):
        return np.zeros(0, dtype=bool)
    taken = old.views[np.where(matched, in_old, 0)] if len(old.views) else np.zeros_like(new.views)  # all empty
    olds = view_array(taken, old.buffers)
    same = to_numpy(pc.equal(olds, view_array(new.views, new.buffers)))
    return ~(same & matched)


def read_rows(package: Package, resource: Resource, lines: Lines, rows: np.ndarray) -> pa.Table:
    """Records ``rows`` (ascending) of ``lines`` read and typed as ``loading.read_table`` reads a
    whole file, lists kept as text. A DataError here names a row of this selection, not of
    the file: the caller reads the file whole to report it."""
    from ..loading import check_limits, read_csv_source

    chosen = view_array(lines.views[rows], lines.buffers).to_pylist()
    text = "\n".join([lines.header, *chosen, ""]).encode("utf-8")
    label = f"{package.label}/{resource.path}"
    table = read_csv_source(io.BytesIO(text), resource, label, lists_as_text=True)
    if table.num_rows != len(rows):
        raise DataError(f"{label}: {len(rows)} lines read as {table.num_rows} records")
    check_limits(table, resource, label)
    return table
