"""Reading layer: the file is there, is UTF-8, parses as CSV, and its header is the schema's.

The result is a ``Text`` table: every field as Arrow text (empty cell = null), plus
the physical line of each record, which every later layer uses to say where a
problem is. Parquet files are read through the loader and turned into the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import limits
from ..arrays import take
from ..datapackage import Package, Resource, check_relative
from ..errors import DataError, FileTooLargeError, UnsafePathError
from ..linebreaks import physical_lines
from .report import Problem, Surplus, shorten

if TYPE_CHECKING:
    import mmap

    import numpy as np
    import pyarrow as pa

NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"  # finite decimals only: no NaN, no INF
FORMAT_HINT = "run `tradecurbs format` to rewrite the file canonically"


@dataclass
class Text:
    """One table as text: columns in schema order, nulls for empty cells, and line numbers."""

    resource: Resource
    file: str
    table: pa.Table
    lines: np.ndarray
    carriage_returns: tuple[int, int] | None = None  # (first line holding a CR, number of CRs)
    physical_lines: int = 0  # lines of the file: 1 header + records + ``inside`` + ``reported``
    inside: int = 0  # lines after the first of multi-line records
    reported: int = 0  # lines of records reported as problems and left out of the table
    _dates: dict[str, pa.Array] = field(default_factory=dict, repr=False)
    _numbers: dict[str, pa.Array] = field(default_factory=dict, repr=False)
    _items: dict[str, tuple[pa.Array, pa.Array, pa.Array]] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> pa.ChunkedArray:
        """Field ``name`` as Arrow text (null for an empty cell); chunks are kept, not copied."""
        return self.table.column(name)

    def dates(self, name: str) -> pa.Array:
        """Field ``name`` parsed as dates (null when empty or not a date), computed once."""
        if name not in self._dates:
            import pyarrow as pa
            import pyarrow.compute as pc

            from ..arrays import date_scalar, null_scalar

            values = self.column(name)
            try:  # Arrow's cast accepts exactly YYYY-MM-DD of a real day, and raises on anything else
                parsed, exact = values.cast(pa.date32()), None
            except pa.ArrowInvalid:  # some value is not a date: find which, value by value
                parsed = pc.strptime(values, format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())
                exact = pc.equal(parsed.cast(pa.string()), values)  # rejects 2025-02-30 and 2025-1-5
            in_range = pc.and_(pc.greater_equal(parsed, date_scalar(date(limits.MIN_YEAR, 1, 1))),
                               pc.less_equal(parsed, date_scalar(date(limits.MAX_YEAR, 12, 31))))
            exact = in_range if exact is None else pc.and_(exact, in_range)
            self._dates[name] = pc.if_else(exact, parsed, null_scalar(pa.date32()))
        return self._dates[name]

    def numbers(self, name: str) -> pa.Array:
        """Field ``name`` as float64 (null when empty or not a number), computed once."""
        if name not in self._numbers:
            import pyarrow as pa
            import pyarrow.compute as pc

            from ..arrays import null_scalar

            values = self.column(name)
            try:  # Arrow's cast accepts the NUMBER shape and spellings of NaN and infinity, and raises on the rest
                numbers = values.cast(pa.float64())
            except pa.ArrowInvalid:  # some value is not a number: keep the shaped ones
                shaped = pc.match_substring_regex(values, f"^(?:{NUMBER})$")
                numbers = pc.if_else(shaped, values, null_scalar(pa.string())).cast(pa.float64())
            self._numbers[name] = pc.if_else(pc.is_finite(numbers), numbers, null_scalar(pa.float64()))
        return self._numbers[name]

    def items(self, name: str) -> tuple[pa.Array, pa.Array, pa.Array]:
        """List field ``name`` split into (row of each item, item as written, item trimmed), computed once."""
        if name not in self._items:
            import pyarrow.compute as pc

            from .. import lists as codec
            from ..arrays import maybe_padded

            lists = codec.items(self.column(name), self.resource.field(name).delimiter)
            raw = pc.list_flatten(lists)
            # Trimming changes nothing unless some item starts or ends with a byte that can
            # begin or end a space (as in hygiene.whitespace): then no copy is made.
            trimmed = pc.utf8_trim_whitespace(raw) if maybe_padded(raw).any() else raw
            self._items[name] = (pc.list_parent_indices(lists), raw, trimmed)
        return self._items[name]

    def column_number(self, name: str) -> int:
        return self.resource.field_names.index(name) + 1

    def problem(self, code: str, rows: Any, name: str | None, values: Any, message: Any,
                severity: str = "error", hint: str | None = None) -> list[Problem]:
        """Problems for ``rows`` (indices) of field ``name``; ``message`` is a string or one per row.

        Past the cap on problems per code (tradecurbs.limits) the rest are one Surplus
        that counts them, so a file of junk costs no more than a few hundred problems.
        """
        import numpy as np

        from ..limits import MAX_PROBLEMS_PER_CODE as cap

        rows = np.asarray(rows, dtype=np.int64)
        surplus = max(0, len(rows) - cap)
        rows = rows[:cap]
        values = list(values)[:cap] if values is not None else [None] * len(rows)
        messages = [message] * len(rows) if isinstance(message, str) else list(message)[:cap]
        column = self.column_number(name) if name in self.resource.field_names else None
        out = [
            Problem(code=code, message=text, file=self.file, line=int(self.lines[row]), field=name,
                    column=column, value=shorten(value), table=self.resource.name, severity=severity, hint=hint)
            for row, value, text in zip(rows.tolist(), values, messages)
        ]
        if surplus:
            out.append(Surplus(code=code, message="", file=self.file, field=name, table=self.resource.name,
                               severity=severity, count=surplus))
        return out


def read_text_table(package: Package, resource: Resource) -> tuple[Text | None, list[Problem]]:
    """Read ``resource`` as text; return None and the problems when it cannot be read at all.

    Only a regular file inside the package root is opened: a path that leaves the
    root, a symbolic link or a special file is reported and never read.
    """
    file = resource.path
    try:
        check_relative(file) if file else None
    except UnsafePathError:
        return None, [Problem("path-error", f"resource {resource.name!r} has path {file!r}, which leaves the "
                              "package; a Data Package names its files by relative paths inside it",
                              file=file, table=resource.name)]
    missing = [Problem("file-missing", f"file {file!r} named by resource {resource.name!r} does not exist; "
                       "add it or fix the resource's path in datapackage.json",
                       file=file or None, table=resource.name)]
    if not file:
        return None, missing
    try:
        raw = package.map_bytes(resource)  # mapped, not copied: see _check_bytes for what it may use
    except FileTooLargeError as error:
        return None, [Problem("file-too-large", f"the file {error.reason}; its content was not read",
                              file=file, table=resource.name)]
    except UnsafePathError as error:
        return None, [Problem("file-unsafe", f"{error}; its content was not read. Replace it with a regular "
                              "file inside the package", file=file, table=resource.name)]
    except (FileNotFoundError, NotADirectoryError):
        if "parquet" in resource.formats[1:]:
            return _read_parquet(package, resource, "parquet")  # a release kept with its Parquet files only
        return None, missing
    except OSError as error:
        return None, [Problem("file-unsafe", f"the file cannot be read ({error.strerror or error})",
                              file=file, table=resource.name)]
    if resource.format == "parquet":
        return _read_parquet(package, resource)
    problems = _check_bytes(raw, file, resource)
    if problems:
        return None, problems
    return _parse(raw, file, resource)


def _check_bytes(raw: bytes | mmap.mmap, file: str, resource: Resource) -> list[Problem]:
    """Empty or binary files, and the first byte that is not UTF-8.

    ``raw`` may be a memory map: only ``len``, slicing, ``find`` and the buffer protocol are
    used on it, so a valid file is never copied; a file with a problem is, to say where.
    """
    if not len(raw) or (raw[:1 << 16].isspace() and bytes(raw).isspace()):
        return [Problem("file-empty", f"file is empty; it needs at least the header line "
                        f"{','.join(resource.field_names)!r}", file=file, line=1, table=resource.name)]
    if _is_utf8(raw) and raw[:3] != b"\xef\xbb\xbf" and raw.find(b"\x00") < 0:
        return []
    raw = bytes(raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return [Problem("encoding-error", f"byte {raw[error.start]:#04x} at byte offset {error.start} is not valid "
                        "UTF-8; save the file as UTF-8", file=file, line=line, table=resource.name,
                        value=shorten(raw[max(0, error.start - 20): error.start + 20].decode("utf-8", "replace")))]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Problem("encoding-error", "the file starts with a byte order mark (BOM); save it as UTF-8 without "
                        "BOM", file=file, line=1, table=resource.name)]
    line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
    return [Problem("encoding-error", "the file holds a NUL byte, so it is binary, not CSV text",
                    file=file, line=line, table=resource.name)]


def _is_utf8(raw: bytes | mmap.mmap) -> bool:
    """Fast UTF-8 check of the whole file (Arrow's validator, no copy)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64).tobytes())
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(raw)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _parse(raw: bytes | mmap.mmap, file: str, resource: Resource) -> tuple[Text | None, list[Problem]]:
    """Parse the CSV, accounting for every physical line.

    The fast path (Arrow) is taken only when the file is exactly what the canonical
    writer gives for the values Arrow read, with no line break in any cell: then each
    line is one record and nothing can have been merged or dropped. Anything else is
    read by the strict standard-library parser, which knows each record's first and
    last line, so that a record spanning lines, a blank line, a row of the wrong
    length or a quote left open is reported where it starts.
    """
    import numpy as np
    import pyarrow as pa
    from pyarrow import csv

    names = resource.field_names
    end = raw.find(b"\n")
    header = raw[:end] if end >= 0 else raw[:]
    header_names = _header(header)
    if header_names != names:
        return None, [_header_problem(header_names, names, file, resource)]
    lines = physical_lines(raw)
    bad: list[Any] = []

    def invalid_row(row: Any) -> str:
        bad.append(row)
        return "skip"

    table = None
    # Blocks of 16 MB are parsed on every core; only a file with a record larger than that
    # is parsed again as one block (a record never straddles two blocks then).
    for block_size in sorted({min(1 << 24, len(raw) + 1), max(1 << 20, len(raw) + 1)}):
        bad.clear()
        try:
            table = csv.read_csv(
                pa.py_buffer(raw),
                read_options=csv.ReadOptions(use_threads=True, block_size=block_size, column_names=names,
                                             skip_rows=1),
                # Blocks are cut at any line feed (about twice as fast as text): kept only if it
                # has one record per line and round-trips, which a cut quoted line break cannot.
                parse_options=csv.ParseOptions(newlines_in_values=False, invalid_row_handler=invalid_row),
                convert_options=csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                   strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                   null_values=[""], check_utf8=False),  # _check_bytes did
            )
            break
        except pa.ArrowInvalid as error:
            table = None
            if not str(error).startswith("straddling object"):
                break
    if table is not None and not bad and table.num_rows == lines - 1 and _round_trips(table, names, raw):
        text = Text(resource, file, table, np.arange(2, table.num_rows + 2, dtype=np.int64), None, lines)
        return _limited(text)
    return _parse_strictly(raw, file, resource, lines)


def _round_trips(table: pa.Table, names: list[str], raw: bytes | mmap.mmap) -> bool:
    """True when ``raw`` is the canonical encoding of ``table`` and no cell holds a line break.

    Called once the records are as many as the lines after the header, so no cell holds
    a line feed (each record is one line); a carriage return anywhere is not canonical.
    """
    from ..formatting import encode_header
    from .canonical import is_canonical

    return is_canonical(raw, encode_header(names), table)


def _parse_strictly(raw: bytes | mmap.mmap, file: str, resource: Resource,
                    lines: int) -> tuple[Text | None, list[Problem]]:
    """Every record with its first and last line, by the standard library's strict parser."""
    import csv as stdcsv
    import io

    import numpy as np
    import pyarrow as pa

    names = resource.field_names
    width = len(names)
    raw = bytes(raw)
    text = raw.decode("utf-8")
    problems: list[Problem] = []
    kept: list[list[str]] = []
    starts: list[int] = []
    accounted = inside = reported = 0  # lines: all read, after the first of kept records, in reported ones
    previous_limit = stdcsv.field_size_limit()
    stdcsv.field_size_limit(max(previous_limit, len(text) + 1))
    reader = stdcsv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except stdcsv.Error as error:
                opened = _opening_quote_line(text, previous + 1)
                if opened is None:
                    return None, [Problem("csv-error", f"the record starting on line {previous + 1} does not "
                                          f"parse as CSV ({error})", file=file, line=reader.line_num,
                                          table=resource.name)]
                closed_later = "end of data" not in str(error)
                return None, [_unclosed(file, opened, resource, reader.line_num if closed_later else None)]
            first, last = previous + 1, reader.line_num
            accounted += last - previous
            previous = last
            if first == 1:
                continue  # the header, checked above
            reported += last - first + 1
            if not row:
                problems.append(Problem("blank-line", "the line is blank; delete it", file=file, line=first,
                                        table=resource.name, hint=FORMAT_HINT))
                continue
            if len(row) != width:
                problems.append(Problem(
                    "row-length", f"the row has {len(row)} cells where the header has {width}; "
                    "check for a missing or extra comma, or quote a cell that holds a comma",
                    file=file, line=first, table=resource.name))
                continue
            if last > first:
                broken = [n for n, cell in zip(names, row) if ("\n" in cell or "\r" in cell)
                          and not resource.field(n).multiline]
                if broken:
                    problems.append(Problem(
                        "line-break", f"the record starting here runs on to line {last}: {', '.join(broken)} "
                        "holds a line break, which this field may not hold; look for a quote left open on this "
                        f"line or a stray quote on line {last}", file=file, line=first, field=broken[0],
                        column=names.index(broken[0]) + 1, table=resource.name))
                    continue
            reported -= last - first + 1
            inside += last - first
            kept.append(row)
            starts.append(first)
    finally:
        stdcsv.field_size_limit(previous_limit)
    if accounted != lines:  # every physical line is the header, a record or a reported problem
        problems.append(Problem("csv-error", f"{lines} lines were read as {accounted}; the file's line structure "
                                "is not CSV", file=file, line=1, table=resource.name))
    columns = list(zip(*kept)) if kept else [()] * width
    table = pa.table({n: pa.array([v if v != "" else None for v in column], type=pa.string())
                      for n, column in zip(names, columns)})
    text_table = Text(resource, file, table, np.asarray(starts, dtype=np.int64), _carriage_returns(raw), lines,
                      inside, reported)
    limited, more = _limited(text_table)
    return limited, problems + more


def _limited(text: Text) -> tuple[Text | None, list[Problem]]:
    """Apply the shared limits: too many records is fatal, a cell too large is reported."""
    import numpy as np
    import pyarrow.compute as pc

    from .. import limits

    if text.table.num_rows > limits.MAX_ROWS:
        return None, [Problem("too-many-rows", f"the table has {text.table.num_rows:,} records, more than the "
                              f"limit of {limits.MAX_ROWS:,}; split it or check for junk", file=text.file,
                              table=text.resource.name)]
    problems: list[Problem] = []
    for name in text.resource.field_names:
        sizes = pc.binary_length(text.column(name))
        if (pc.max(sizes).as_py() or 0) <= limits.MAX_CELL_BYTES:
            continue
        rows = np.flatnonzero(pc.fill_null(pc.greater(sizes, limits.MAX_CELL_BYTES), False)
                              .to_numpy(zero_copy_only=False))
        problems += text.problem("cell-too-large", rows, name, take(text.column(name), rows).to_pylist(),
                                 f"{name} holds more than {limits.MAX_CELL_BYTES:,} bytes, the limit for one cell")
    return text, problems


def _opening_quote_line(text: str, first_line: int) -> int | None:
    """The line of the first quoted cell, in the record from ``first_line``, that is never
    closed or has text after its closing quote (None if there is none)."""
    position = 0
    for _ in range(first_line - 1):
        match = _LINE_BREAK.search(text, position)
        position = match.end() if match else len(text)
    quoted = re.compile(r'"(?:[^"]|"")*"')
    plain = re.compile(r'[^,\r\n]*')
    while position < len(text):
        if text[position] == '"':
            match = quoted.match(text, position)
            if match is None or (match.end() < len(text) and text[match.end()] not in ",\r\n"):
                return _line_of(text, position)
            position = match.end()
        else:
            position = plain.match(text, position).end()
        if position < len(text) and text[position] == ",":
            position += 1
        elif position < len(text):
            return None  # the record ended without a faulty quote
    return None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_of(text: str, position: int) -> int:
    prefix = text[:position]
    return prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1


def _unclosed(file: str, line: int, resource: Resource, seen: int | None = None) -> Problem:
    where = "is never closed" if seen is None or seen == line else f"is not closed before line {seen}"
    return Problem("unclosed-quote", f"a quoted cell opens here and {where} (a later quote closes it, or none "
                   "does); add the closing double quote (a quote inside a cell is written twice: \"\")",
                   file=file, line=line, table=resource.name)


def _carriage_returns(raw: bytes) -> tuple[int, int] | None:
    at = raw.find(b"\r")
    return None if at < 0 else (raw.count(b"\n", 0, at) + 1, raw.count(b"\r"))


def _header(header: bytes) -> list[str]:
    """The header's cells; a header the csv module cannot parse (a stray carriage
    return, say) is split on commas so that it is reported as a mismatch, not a crash."""
    import csv as stdcsv
    import io

    text = header.decode("utf-8").rstrip("\r")
    try:
        rows = list(stdcsv.reader(io.StringIO(text, newline="")))
    except stdcsv.Error:
        return text.split(",")
    return rows[0] if rows else []


def _header_problem(found: list[str], expected: list[str], file: str, resource: Resource) -> Problem:
    missing = [n for n in expected if n not in found]
    extra = [n for n in found if n not in expected]
    repeated = sorted({n for n in found if found.count(n) > 1})
    if repeated:
        detail = f"repeated: {', '.join(repeated)}"
    elif missing or extra:
        detail = "; ".join(filter(None, [
            f"missing: {', '.join(missing)}" if missing else "",
            f"not in the schema: {', '.join(extra)}" if extra else "",
        ]))
    else:
        detail = "the fields are in another order"
    return Problem("header-mismatch", f"the header does not match the schema ({detail}); expected "
                   f"{','.join(expected)}", file=file, line=1, table=resource.name,
                   value=shorten(",".join(found)))


def _read_parquet(package: Package, resource: Resource, format: str | None = None
                  ) -> tuple[Text | None, list[Problem]]:
    import numpy as np

    from ..textview import text_columns

    _, file = resource.path_for(format)
    try:
        table = text_columns(package, resource, format)
    except DataError as error:
        return None, [Problem("parquet-error", str(error), file=file, table=resource.name)]
    return Text(resource, file, table, np.arange(2, table.num_rows + 2)), []
