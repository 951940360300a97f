"""Whether a CSV file is byte for byte the canonical encoding of the table Arrow read from it.

Validation trusts Arrow's fast, lenient parse only for such a file (see ``reading``).
Writing the canonical encoding again and comparing costs as much as the parse itself,
so the file is checked where it can differ instead. The values Arrow read hold exactly
the file's bytes other than quotes, in order (a quote is only ever a wrapper or half of
an escaped pair, and nothing else is added or dropped), so the file equals its canonical
encoding exactly when its quotes are where canonical quoting puts them. Cell by cell,
with numpy over whole columns:

- each cell starts where the previous one ended plus a comma, at a quote exactly when it
  is quoted, and a quoted cell is one that needs it (it holds a comma or a quote);
- it ends where its value's length says (plus two wrapper quotes and one more for each
  quote inside), at a closing quote when quoted, followed by a comma, or by the line's
  end for the last field;
- each line holds exactly the quotes canonical quoting gives its cells, so no stray
  quote sits in an unquoted cell.

A file that fails is not wrong: it is read by the strict parser, which says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import mmap
    from concurrent.futures import Executor

    import numpy as np
    import pyarrow as pa

_QUOTE, _COMMA, _LF = 0x22, 0x2C, 0x0A
_STEP = 1 << 22  # bytes of the file scanned at a time


def is_canonical(raw: bytes | mmap.mmap, header: bytes, table: pa.Table) -> bool:
    """True when ``raw`` is ``header`` followed by the canonical encoding of ``table``'s rows.

    ``table`` is Arrow's all-text parse of ``raw`` with as many records as lines after the
    header (so no value holds a line feed); empty cells are null.
    """
    import numpy as np

    if raw.find(b"\r") >= 0 or raw[:len(header)] != header:
        return False
    rows = table.num_rows
    buffer = np.frombuffer(raw, dtype=np.uint8)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy and Arrow release the GIL
        feeds, quotes_per_segment = _line_feeds_and_quotes(buffer, pool)  # one feed per line: no more than rows
        if rows == 0:
            return len(raw) == len(header)
        if len(feeds) != rows + 1 or raw[-1:] != b"\n":
            return False  # canonical: every line, the last included, ends with one LF
        starts, stops = feeds[:rows] + 1, feeds[1:]  # each record's first byte and its LF (feeds[0] ends the header)
        quotes_per_line = quotes_per_segment[1:]  # the first segment is the header line
        batches, first = [], 0
        for batch in table.to_batches():
            rows_of = slice(first, first + batch.num_rows)
            batches.append((batch, starts[rows_of], stops[rows_of], quotes_per_line[rows_of]))
            first += batch.num_rows
        return all(pool.map(lambda work: _batch_is_canonical(buffer, *work), batches))


def _line_feeds_and_quotes(buffer: np.ndarray, pool: Executor) -> tuple[np.ndarray, np.ndarray]:
    """The offset of every LF, and how many quotes each line holds up to and with its LF.

    The file is read a few MB at a time, on the pool's threads, so a file of quotes never
    becomes an array of eight bytes per quote; quotes after the last LF are not counted.
    """
    import numpy as np

    def scan(begin: int) -> tuple[np.ndarray, np.ndarray, int]:
        part = buffer[begin:begin + _STEP]
        feeds = np.flatnonzero(part == _LF)
        quotes = np.flatnonzero(part == _QUOTE)
        before = np.searchsorted(quotes, feeds)  # quotes before each LF of this part
        return feeds + begin, np.diff(before, prepend=0), len(quotes) - (int(before[-1]) if len(before) else 0)

    all_feeds, all_counts, carried = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], 0
    for feeds, counts, after in pool.map(scan, range(0, len(buffer), _STEP)):
        if len(feeds):
            counts[0] += carried  # the line that began in an earlier part
            carried = 0
            all_feeds.append(feeds.astype(np.int64, copy=False))
            all_counts.append(counts.astype(np.int64, copy=False))
        carried += after
    return np.concatenate(all_feeds), np.concatenate(all_counts)


def _batch_is_canonical(buffer: np.ndarray, batch: pa.RecordBatch, starts: np.ndarray, stops: np.ndarray,
                        quotes_per_line: np.ndarray) -> bool:
    import numpy as np
    import pyarrow.compute as pc

    from ..arrays import from_numpy, text_scalar, to_numpy

    position = starts.copy()
    quotes = np.zeros(len(starts), dtype=np.int64)
    last = batch.num_columns - 1
    for index, column in enumerate(batch.columns):
        lengths = _lengths(column)
        quoted = buffer[position] == _QUOTE  # a position never passes its line's LF (checked below)
        extra = np.zeros(len(position), dtype=np.int64)
        rows = np.flatnonzero(quoted)
        if len(rows):
            values = pc.fill_null(column.take(from_numpy(rows)), text_scalar(""))  # "" quoted: missing, not canonical
            inner = to_numpy(pc.count_substring(values, '"')).astype(np.int64)
            if not ((inner > 0) | to_numpy(pc.match_substring(values, ","))).all():
                return False  # quoted without need (or "" for an empty cell): not canonical
            extra[rows] = 2 + inner
            quotes[rows] += 2 + 2 * inner
        end = position + lengths + extra  # where the comma (or the line's end) must be
        if (end > stops).any():
            return False
        if len(rows) and (buffer[end[rows] - 1] != _QUOTE).any():
            return False
        if index < last:
            if (buffer[end] != _COMMA).any():
                return False
            position = end + 1
        elif (end != stops).any():
            return False
    return bool((quotes == quotes_per_line).all())


def _lengths(column: pa.Array) -> np.ndarray:
    """Bytes of each value (0 when missing), from the offsets: no kernel, no copy."""
    import numpy as np
    import pyarrow.compute as pc

    from ..arrays import text_offsets, to_numpy

    lengths = np.diff(text_offsets(column)).astype(np.int64)
    if column.null_count:
        lengths[~to_numpy(pc.is_valid(column))] = 0
    return lengths
