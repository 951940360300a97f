"""Reading layer: the file is there, is UTF-8, parses as CSV, and its header is the schema's.

The result is a ``Text`` table: every field as Arrow text (empty cell = null), plus
the physical line of each record, which every later layer uses to say where a
problem is. Parquet files are read through the loader and turned into the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import DataError
from ..datapackage import Package, Resource
from .report import Problem, shorten

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF"
FORMAT_HINT = "run `tradecurbs format` to rewrite the file canonically"


@dataclass
class Text:
    """One table as text: columns in schema order, nulls for empty cells, and line numbers."""

    resource: Resource
    file: str
    table: pa.Table
    lines: np.ndarray
    carriage_returns: tuple[int, int] | None = None  # (first line holding a CR, number of CRLFs)
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

            values = self.column(name)
            parsed = pc.strptime(values, format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())
            exact = pc.equal(parsed.cast(pa.string()), values)  # rejects 2025-02-30 and 2025-1-5
            self._dates[name] = pc.if_else(exact, parsed, pa.scalar(None, pa.date32()))
        return self._dates[name]

    def numbers(self, name: str) -> pa.Array:
        """Field ``name`` as float64 (null when empty or not a number), computed once."""
        if name not in self._numbers:
            import pyarrow as pa
            import pyarrow.compute as pc

            values = self.column(name)
            shaped = pc.match_substring_regex(values, f"^(?:{NUMBER})$")
            self._numbers[name] = pc.if_else(shaped, values, pa.scalar(None, pa.string())).cast(pa.float64())
        return self._numbers[name]

    def items(self, name: str) -> tuple[pa.Array, pa.Array, pa.Array]:
        """List field ``name`` split into (row of each item, item as written, item trimmed), computed once."""
        if name not in self._items:
            import pyarrow.compute as pc

            lists = pc.split_pattern(self.column(name), self.resource.field(name).delimiter)
            raw = pc.list_flatten(lists)
            self._items[name] = (pc.list_parent_indices(lists), raw, pc.utf8_trim_whitespace(raw))
        return self._items[name]

    def column_number(self, name: str) -> int:
        return self.resource.field_names.index(name) + 1

    def problem(self, code: str, rows: Any, name: str | None, values: Any, message: Any,
                severity: str = "error", hint: str | None = None) -> list[Problem]:
        """Problems for ``rows`` (indices) of field ``name``; ``message`` is a string or one per row."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        values = list(values) if values is not None else [None] * len(rows)
        messages = [message] * len(rows) if isinstance(message, str) else list(message)
        column = self.column_number(name) if name in self.resource.field_names else None
        return [
            Problem(code=code, message=text, file=self.file, line=int(self.lines[row]), field=name,
                    column=column, value=shorten(value), table=self.resource.name, severity=severity, hint=hint)
            for row, value, text in zip(rows.tolist(), values, messages)
        ]


def read_text_table(package: Package, resource: Resource) -> tuple[Text | None, list[Problem]]:
    """Read ``resource`` as text; return None and the problems when it cannot be read at all."""
    file = resource.path
    parts = file.replace("\\", "/").split("/")
    if file.startswith("/") or ".." in parts or ":" in parts[0]:
        return None, [Problem("path-error", f"resource {resource.name!r} has path {file!r}, which leaves the "
                              "package; a Data Package names its files by relative paths inside it",
                              file=file, table=resource.name)]
    source = package.file(resource)
    if resource.path and not source.is_file() and "parquet" in resource.formats[1:]:
        return _read_parquet(package, resource, "parquet")  # a release kept with its Parquet files only
    if not resource.path or not source.is_file():
        return None, [Problem("file-missing", f"file {file!r} named by resource {resource.name!r} does not exist; "
                              "add it or fix the resource's path in datapackage.json",
                              file=file or None, table=resource.name)]
    if resource.format == "parquet":
        return _read_parquet(package, resource)
    with source.open("rb") as handle:
        raw = handle.read()
    problems = _check_bytes(raw, file, resource)
    if problems:
        return None, problems
    return _parse(raw, file, resource)


def _check_bytes(raw: bytes, file: str, resource: Resource, decode: bool = False) -> list[Problem]:
    """Empty or binary files; with ``decode``, also the first byte that is not UTF-8."""
    if not raw or raw.isspace():
        return [Problem("file-empty", f"file is empty; it needs at least the header line "
                        f"{','.join(resource.field_names)!r}", file=file, line=1, table=resource.name)]
    try:
        if decode or not _is_utf8(raw):
            raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return [Problem("encoding-error", f"byte {raw[error.start]:#04x} at byte offset {error.start} is not valid "
                        "UTF-8; save the file as UTF-8", file=file, line=line, table=resource.name,
                        value=shorten(raw[max(0, error.start - 20): error.start + 20].decode("utf-8", "replace")))]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [Problem("encoding-error", "the file starts with a byte order mark (BOM); save it as UTF-8 without "
                        "BOM", file=file, line=1, table=resource.name)]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return [Problem("encoding-error", "the file holds a NUL byte, so it is binary, not CSV text",
                        file=file, line=line, table=resource.name)]
    return []


def _is_utf8(raw: bytes) -> bool:
    """Fast UTF-8 check of the whole file (Arrow's validator, no copy)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64).tobytes())
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(raw)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _record_lines(raw: bytes) -> tuple[np.ndarray, np.ndarray, int | None]:
    """Start line and start byte of every non-empty CSV record, and the line of an unclosed quote."""
    import numpy as np

    data = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(data == 34)
    newlines = np.flatnonzero(data == 10)
    unclosed = None
    if len(quotes) % 2:
        opened = quotes[np.flatnonzero(np.arange(len(quotes)) % 2 == 0)[-1]]
        unclosed = int(np.searchsorted(newlines, opened)) + 1
    outside = np.searchsorted(quotes, newlines) % 2 == 0  # a newline outside quotes ends a record
    ends = newlines[outside]
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(data)]])
    lines = np.concatenate([[1], np.flatnonzero(outside) + 2])
    keep = stops > starts
    if len(data):
        keep &= ~((stops - starts == 1) & (data[np.minimum(starts, len(data) - 1)] == 13))
    return lines[keep], starts[keep], unclosed


def _parse(raw: bytes, file: str, resource: Resource) -> tuple[Text | None, list[Problem]]:
    import io

    import numpy as np
    import pyarrow as pa
    from pyarrow import csv

    names = resource.field_names
    unclosed = None
    if unclosed is not None:
        return None, [Problem("unclosed-quote", "a quoted cell opens here and is never closed; add the closing "
                              "double quote (a quote inside a cell is written twice: \"\")",
                              file=file, line=unclosed, table=resource.name)]
    header = raw[: raw.find(b"\n")] if b"\n" in raw else raw
    header_names = _header(header)
    problems = []
    if header_names != names:
        return None, [_header_problem(header_names, names, file, resource)]
    bad: list[tuple[int, int]] = []

    def invalid_row(row: Any) -> str:
        bad.append((row.actual_columns, row.text))
        return "skip"

    try:
        table = csv.read_csv(
            io.BytesIO(raw),
            read_options=csv.ReadOptions(use_threads=True, block_size=1 << 24, column_names=names, skip_rows=1),
            parse_options=csv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid_row),
            convert_options=csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                               strings_can_be_null=True, quoted_strings_can_be_null=True,
                                               null_values=[""]),
        )
    except pa.ArrowInvalid as error:
        message = str(error).splitlines()[0]
        encoding = _check_bytes(raw, file, resource, decode=True)
        if encoding:
            return None, encoding
        unclosed = _record_lines(raw)[2]
        if unclosed is not None:
            return None, [_unclosed(file, unclosed, resource)]
        return None, [Problem("csv-error", f"the file does not parse as CSV ({message})", file=file,
                              table=resource.name)]
    newlines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if not bad and newlines == table.num_rows + 1:  # no line breaks inside cells, no blank lines
        return Text(resource, file, table, np.arange(2, table.num_rows + 2, dtype=np.int64),
                    _carriage_returns(raw)), problems
    lines, starts, unclosed = _record_lines(raw)
    if unclosed is not None:
        return None, [_unclosed(file, unclosed, resource)]
    record_lines = lines[1:]
    if bad:
        skipped = _locate(raw, starts[1:], bad)
        for index, (actual, _) in zip(skipped, bad):
            problems.append(Problem(
                "row-length", f"the row has {actual} cells where the header has {len(names)}; "
                "check for a missing or extra comma, or quote a cell that holds a comma",
                file=file, line=int(record_lines[index]), table=resource.name))
        record_lines = np.delete(record_lines, skipped)
    if len(record_lines) != table.num_rows:  # should not happen; keep positions approximate, not wrong-typed
        record_lines = np.arange(2, table.num_rows + 2)
    return Text(resource, file, table, record_lines, _carriage_returns(raw)), problems


def _unclosed(file: str, line: int, resource: Resource) -> Problem:
    return Problem("unclosed-quote", "a quoted cell opens here and is never closed; add the closing double quote "
                   "(a quote inside a cell is written twice: \"\")", file=file, line=line, table=resource.name)


def _carriage_returns(raw: bytes) -> tuple[int, int] | None:
    at = raw.find(b"\r")
    return None if at < 0 else (raw.count(b"\n", 0, at) + 1, raw.count(b"\r\n"))


def _locate(raw: bytes, starts: np.ndarray, bad: list[tuple[int, Any]]) -> list[int]:
    """Record indices of the rows the parser skipped (found by their text)."""
    import numpy as np

    found = []
    position = 0
    for _, text in bad:
        at = raw.find(text.encode("utf-8"), position)
        index = int(np.searchsorted(starts, at, side="right")) - 1 if at >= 0 else 0
        found.append(max(index, 0))
        position = at + 1 if at >= 0 else position
    return sorted(set(found))


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
    if missing or extra:
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
