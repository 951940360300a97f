"""Turn a table's file (CSV or Parquet) into a typed pandas DataFrame.

Every file goes the same way: file -> canonical Arrow table (types from the
schema) -> DataFrame. So the dtypes do not depend on which file backs a table.
"""

from __future__ import annotations

import io
import os
import re
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from . import limits, linebreaks, lists
from .datapackage import Field, Package, Resource
from .errors import DataError, FileTooLargeError
from .schema import arrow_schema, arrow_type, pandas_dtype

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

_TYPE_SHAPES = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "boolean": re.compile(r"true|false|True|False|TRUE|FALSE|1|0"),
}


def read_table(package: Package, resource: Resource, format: str | None = None,
               lists_as_text: bool = False) -> pa.Table:
    """Read ``resource``'s file (in ``format``, default its own) into the canonical Arrow table.

    ``lists_as_text`` keeps a CSV's list cells as their delimited text (null when empty):
    the diff compares lists that way and splits only the rows it reports.
    """
    chosen, path = resource.path_for(format)
    label = f"{package.label}/{path}"
    try:  # only a regular file inside the package root
        if chosen == "parquet":
            raw = package.read_bytes(resource, chosen)
        else:
            source = package.open_file(resource, chosen)  # streamed: the file is never whole in memory
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(f"{label}: file not found") from None
    except FileTooLargeError as error:
        raise DataError(f"{label}: the file {error.reason}") from None
    except OSError as error:
        raise DataError(f"{label}: cannot read the file ({error.strerror or error})") from None
    if chosen == "parquet":
        table = _read_parquet(raw, resource, label)
    else:
        with source:
            try:
                table = read_csv_source(source, resource, label, lists_as_text)
            except OSError as error:  # the file changed while it was read
                raise DataError(f"{label}: cannot read the file ({error.strerror or error})") from None
    check_limits(table, resource, label)
    return table


def check_limits(table: pa.Table, resource: Resource, label: str) -> None:
    """DataError for what ``validate`` refuses too (tradecurbs.limits): too many rows, a cell
    too large, a number that is not finite, a date outside years MIN_YEAR-MAX_YEAR."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows > limits.MAX_ROWS:
        raise DataError(f"{label}: {table.num_rows:,} rows, more than the limit of {limits.MAX_ROWS:,}; "
                        "run `tradecurbs validate`")
    for field in resource.fields:
        column = table.column(field.name)
        bad = None
        if pa.types.is_floating(column.type):
            if _all_finite(column):
                continue
            bad, what = pc.and_(pc.is_valid(column), pc.invert(pc.is_finite(column))), "is not a finite number"
        elif pa.types.is_date(column.type):
            if _dates_in_range(column):
                continue
            years = pc.year(column)
            bad = pc.or_(pc.less(years, limits.MIN_YEAR), pc.greater(years, limits.MAX_YEAR))
            what = f"is a date outside years {limits.MIN_YEAR}-{limits.MAX_YEAR}"
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            if all(_cells_within_limit(chunk) for chunk in column.chunks):
                continue
            bad, what = pc.greater(pc.binary_length(column), limits.MAX_CELL_BYTES), \
                f"holds more than {limits.MAX_CELL_BYTES:,} bytes"
        if bad is None or not pc.any(bad).as_py():
            continue
        row = pc.index(pc.fill_null(bad, False), True).as_py()
        raise DataError(f"{label}: row {row + 1}, field {field.name!r} {what}; run `tradecurbs validate`")


# The quick checks below prove a column within the limits in one pass without a
# per-cell result; only a column they cannot clear is checked cell by cell.

def _all_finite(column: pa.ChunkedArray) -> bool:
    """True if every number is finite: a sum is NaN or infinite if any term is (it may
    also overflow; then the cell-by-cell check decides)."""
    import math

    import pyarrow.compute as pc

    total = pc.sum(column).as_py()
    return total is None or math.isfinite(total)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _dates_in_range(column: pa.ChunkedArray) -> bool:
    """True if the earliest and latest dates lie within years MIN_YEAR..MAX_YEAR."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_date32(column.type):
        return False
    extremes = pc.min_max(column.cast(pa.int32()))  # days since 1970-01-01
    low, high = extremes["min"].as_py(), extremes["max"].as_py()
    if low is None:
        return True
    return (date(limits.MIN_YEAR, 1, 1).toordinal() - _EPOCH_ORDINAL <= low
            and high <= date(limits.MAX_YEAR, 12, 31).toordinal() - _EPOCH_ORDINAL)


def _cells_within_limit(chunk: pa.Array) -> bool:
    """True if no cell of one string chunk holds more than MAX_CELL_BYTES (from its offsets,
    no copy; a chunk whose text is all within the limit needs no cell-by-cell look)."""
    import numpy as np

    from .arrays import text_offsets

    if not len(chunk):
        return True
    offsets = text_offsets(chunk)
    if int(offsets[-1]) - int(offsets[0]) <= limits.MAX_CELL_BYTES:
        return True
    return int(np.diff(offsets).max()) <= limits.MAX_CELL_BYTES


def to_pandas(table: pa.Table, resource: Resource) -> pd.DataFrame:
    """Convert a canonical Arrow table to a DataFrame with the documented dtypes."""
    import pandas as pd

    columns = {f.name: _column_to_pandas(table.column(f.name), f, resource) for f in resource.fields}
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


def load_resource(package: Package, name: str, columns: list[str] | None = None,
                  format: str | None = None) -> pd.DataFrame:
    """Load table ``name`` of ``package`` as a typed DataFrame (optionally only ``columns``)."""
    resource = package.resource(name)
    if columns is not None:
        resource.check_fields(list(columns))
    frame = to_pandas(read_table(package, resource, format), resource)
    return frame if columns is None else frame[list(columns)]


def read_csv_source(source: BinaryIO, resource: Resource, label: str, lists_as_text: bool = False) -> pa.Table:
    """A table's CSV bytes from ``source`` as the canonical Arrow table (``label`` names the file
    in errors). Fast path: the Arrow CSV reader types every column itself (lists are split after).

    If a value does not convert, the file is read again as text and cast column by
    column, so the error names the first offending row and field.
    """
    import pyarrow as pa

    names = resource.field_names
    typed = {f.name: pa.string() if f.is_list else arrow_type(f) for f in resource.fields}
    multiline = any(f.multiline for f in resource.fields)
    try:
        table = _parse_csv(source, label, typed, nulls=True, multiline=multiline)
    except _ConversionError:
        table = None
    if table is not None:
        _check_header(table, names, label)
        if lists_as_text:
            return table
        arrays = [
            _split_lists(table.column(f.name), f) if f.is_list else table.column(f.name) for f in resource.fields
        ]
        return pa.Table.from_arrays(arrays, schema=arrow_schema(resource))
    raw = _parse_csv(_again(source), label, {n: pa.string() for n in names}, nulls=False, multiline=True)
    _check_header(raw, names, label)
    arrays = [_cast_text(raw.column(f.name), f, label) for f in resource.fields]
    table = pa.Table.from_arrays(arrays, schema=arrow_schema(resource))
    if lists_as_text:
        for index, field in enumerate(resource.fields):
            if field.is_list:
                table = table.set_column(index, field.name, lists.join(table.column(field.name), field.delimiter))
    return table


class _ConversionError(Exception):
    """A cell did not convert to its column's type on the fast path."""


def _parse_csv(source: BinaryIO, label: str, column_types: dict, nulls: bool, multiline: bool) -> pa.Table:
    """Parse in blocks of ``_BLOCK`` bytes (parsed on every core); a file that does not parse
    so (a record larger than the block, or a malformed file) is parsed again with blocks that
    hold the largest record allowed (``limits.csv_block_size``), several times slower, and
    only an error of that second parse is reported.

    Unless a field may hold a line break (``multiline``), blocks are first cut at any line
    feed, which is faster; that parse is kept only if it passes
    ``linebreaks.one_record_per_line`` and the file is UTF-8 (both found by the
    ``linebreaks.CountingReader`` that hands Arrow the file), and anything else about it
    (an error included) sends the file to the quote-aware parse, which decides. A value that does not convert goes
    straight to the caller's quote-aware reading as text, which names it or, if the cut
    was the cause, reads the file right.
    """
    largest = limits.csv_block_size(len(column_types))
    if not multiline:
        counted = linebreaks.CountingReader(source, limits.MAX_FILE_BYTES)  # lines counted as Arrow reads
        try:
            # Arrow checks no text value's UTF-8: the reader checks every byte instead.
            table = _parse_csv_blocks(counted, label, column_types, nulls, min(_BLOCK, largest),
                                      newlines_in_values=False, check_utf8=False)
        except (_BlockTooSmall, DataError):
            table = None
        if table is not None and counted.utf8() and linebreaks.one_record_per_line(table, counted.lines()):
            return table
        if table is None:
            source = _again(source)  # the failed parse's reader thread may still move the handle
        del table
    try:
        return _parse_csv_blocks(source, label, column_types, nulls, min(_BLOCK, largest))
    except _BlockTooSmall:
        return _parse_csv_blocks(_again(source), label, column_types, nulls, largest)


def _again(source: BinaryIO) -> BinaryIO:
    """The bytes of ``source`` for another parse, read at absolute offsets (``os.pread``).

    The Arrow reader of a parse that failed may still be reading ``source`` in a thread of
    its own, moving the shared file position; a second parse of the same handle then
    starts in the middle of the file (seen as "Expected 2 columns, got 26"). Only the rare
    second parse pays for this copy.
    """
    try:
        fileno = source.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return io.BytesIO(source.getvalue()) if isinstance(source, io.BytesIO) else source
    size = os.fstat(fileno).st_size
    if size > limits.MAX_FILE_BYTES:
        raise linebreaks.grew_past(limits.MAX_FILE_BYTES)
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fileno, min(1 << 24, size - offset), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return io.BytesIO(b"".join(chunks))


#: Bytes the CSV reader parses at a time, as long as every record fits. Measured as whole
#: `diff` commands (six alternating runs each): at 1M rows 3.11 s with 2 MB blocks, 3.07 s
#: with 4 MB, 3.26 s with 8 MB, 3.34 s with 16 MB (blocks from 8 MB on took 40% more page
#: faults: fresh memory for each); at 10M rows, one run each, 42.5 s with 2 MB (more chunks
#: to walk), 38.1 s with 4 MB, 36.8 s with 16 MB. 56 MB blocks were three times slower.
_BLOCK = 1 << 22


class _BlockTooSmall(Exception):
    """A record is larger than the block the CSV reader was given."""


def _parse_csv_blocks(source: BinaryIO, label: str, column_types: dict, nulls: bool, block_size: int,
                      newlines_in_values: bool = True, check_utf8: bool = True) -> pa.Table:
    import pyarrow as pa
    from pyarrow import csv

    try:
        source.seek(0)
        return csv.read_csv(
            source,
            read_options=csv.ReadOptions(use_threads=True, block_size=block_size),
            parse_options=csv.ParseOptions(newlines_in_values=newlines_in_values),
            convert_options=csv.ConvertOptions(
                column_types=column_types,
                check_utf8=check_utf8,
                null_values=[""],
                strings_can_be_null=nulls,
                quoted_strings_can_be_null=nulls,
                true_values=["true", "True", "TRUE", "1"],
                false_values=["false", "False", "FALSE", "0"],
            ),
        )
    except pa.ArrowInvalid as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if message.startswith(("straddling object", "CSV parse error")) and (
                block_size < limits.csv_block_size(len(column_types))):
            # A record larger than the block is reported either way, depending on how the
            # threads split the file; a file that is really malformed fails again below.
            raise _BlockTooSmall(message) from None
        if nulls and (message.startswith("In CSV column") or "conversion error" in message.lower()):
            raise _ConversionError(message) from None
        raise DataError(f"{label}: cannot parse CSV ({message}); run `tradecurbs validate`") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{label}: cannot parse CSV ({error}); run `tradecurbs validate`") from None
    except OSError as error:
        raise DataError(f"{label}: cannot read the file ({error.strerror or error})") from None


def _check_header(table: pa.Table, names: list[str], label: str) -> None:
    if table.column_names != names:
        raise DataError(
            f"{label}: header {table.column_names} does not match the schema's fields {names}; "
            "run `tradecurbs validate`"
        )


def _split_lists(column: pa.ChunkedArray, field: Field) -> pa.ChunkedArray:
    """';'-separated text to list<string>; an empty cell is an empty list (tradecurbs.lists)."""
    import pyarrow as pa

    return pa.chunked_array([lists.split(column, field.delimiter)])


def _cast_text(column: pa.ChunkedArray, field: Field, label: str) -> pa.ChunkedArray:
    """Cast one CSV text column to the field's Arrow type; empty cells become missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if field.type == "list":
        return pa.chunked_array([lists.split(column, field.delimiter)])
    nulled = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    target = arrow_type(field)
    try:
        if field.type == "date":
            parsed = pc.strptime(nulled, format="%Y-%m-%d", unit="s", error_is_null=False)
            return pa.chunked_array([parsed.cast(pa.date32())])
        if field.type == "boolean":
            lowered = pc.utf8_lower(nulled)
            truthy = pc.is_in(lowered, value_set=pa.array(["true", "1"]))
            falsy = pc.is_in(lowered, value_set=pa.array(["false", "0"]))
            if pc.any(pc.and_(pc.is_valid(lowered), pc.invert(pc.or_(truthy, falsy)))).as_py():
                raise pa.ArrowInvalid("not a boolean")
            return pa.chunked_array([pc.if_else(pc.is_null(lowered), None, truthy)])
        if isinstance(target, pa.DictionaryType):
            return pa.chunked_array([pc.dictionary_encode(nulled).cast(target)])
        return pa.chunked_array([nulled.cast(target)])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise DataError(_first_bad_value(nulled, field, label)) from None


def _is_valid_text(value: str, type_: str) -> bool:
    shape = _TYPE_SHAPES.get(type_)
    if shape is None or not shape.fullmatch(value):
        return False
    if type_ == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True


def _first_bad_value(column: pa.Array, field: Field, label: str) -> str:
    """Only called once a cast has failed: find the first offending row for the message."""
    for row, value in enumerate(column.to_pylist()):
        if value is not None and not _is_valid_text(value, field.type):
            return (
                f"{label}: row {row + 1}, field {field.name!r}: {value!r} is not a valid {field.type}; "
                "run `tradecurbs validate`"
            )
    return f"{label}: field {field.name!r} holds a value that is not a valid {field.type}; run `tradecurbs validate`"


def _read_parquet(source: bytes, resource: Resource, label: str) -> pa.Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(source))
    except (pa.ArrowInvalid, OSError) as error:
        raise DataError(f"{label}: cannot read Parquet ({error})") from None
    if table.column_names != resource.field_names:
        raise DataError(
            f"{label}: columns {table.column_names} do not match the schema's fields {resource.field_names}"
        )
    try:
        table = table.cast(arrow_schema(resource))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise DataError(f"{label}: column types do not match the schema ({error})") from None
    return _empty_strings_as_missing(table)


def _empty_strings_as_missing(table: pa.Table) -> pa.Table:
    """Parquet written elsewhere may hold '' where the CSV convention has a missing value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for index, name in enumerate(table.column_names):
        column = table.column(name)
        if pa.types.is_string(column.type) and pc.any(pc.equal(column, "")).as_py():
            table = table.set_column(index, name, pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    return table


def _column_to_pandas(column: pa.ChunkedArray, field: Field, resource: Resource) -> pd.Series:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = pandas_dtype(field)
    if field.type == "list":
        if column.null_count:
            empty = pa.array([[]] * len(column), type=column.type)
            column = pa.chunked_array([pc.if_else(pc.is_null(column.combine_chunks()), empty, column.combine_chunks())])
        return pd.Series(pd.arrays.ArrowExtensionArray(column), name=field.name)
    if field.type == "date":
        as_timestamps = column.cast(pa.timestamp("s"))
        return pd.Series(as_timestamps.to_pandas(), name=field.name).astype("datetime64[s]")
    if isinstance(dtype, pd.CategoricalDtype):
        values = column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
        allowed = pa.array([str(v) for v in field.enum or ()], type=pa.string())
        outside = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed)))
        if pc.any(outside).as_py():
            bad = sorted(set(values.filter(outside).to_pylist()))
            raise DataError(
                f"table {resource.name!r}, field {field.name!r}: values {bad} are not among the allowed "
                f"{list(field.enum or ())}; run `tradecurbs validate`"
            )
        return pd.Series(pd.Categorical(values.to_pandas(), dtype=dtype), name=field.name)
    if field.type in ("string", "integer", "number", "boolean"):
        return pd.Series(dtype.__from_arrow__(column), name=field.name)
    return pd.Series(column.to_pandas(), name=field.name).astype(dtype)
