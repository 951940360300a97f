"""Plain, JSON-ready values from Arrow tables and typed DataFrames: the one conversion for
`show`, `measures`, diffs, feed reviews, the site and the SQLite edition."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .datapackage import Resource

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


_NON_FINITE = {"nan": "NaN", "inf": "INF", "-inf": "-INF"}


def plain_column(column: pa.ChunkedArray | pa.Array, is_list: bool = False, delimiter: str = ";",
                 dates: str = "iso") -> list[Any]:
    """One column as plain values: the one conversion every JSON, text and record output uses.

    Missing is None (empty text too); dates are 'YYYY-MM-DD' (``dates="date"`` keeps
    ``datetime.date`` for computing with them); enums are text; whole numbers are ints, NaN
    and infinities the Table Schema's 'NaN', 'INF', '-INF'; a list is a list of text (``[]``
    when missing), read from a list column or split from delimited text. Arrow converts
    dates and enums, so Python only touches numbers and lists.
    """
    import pyarrow as pa

    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.date32())
    if pa.types.is_dictionary(column.type) or (pa.types.is_date(column.type) and dates == "iso"):
        column = column.cast(pa.string())
    values = column.to_pylist()
    if is_list or pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return [_plain_list(v, delimiter) for v in values]
    if pa.types.is_floating(column.type):
        return [_plain_number(v) for v in values]
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return [v if v != "" else None for v in values]
    return values


def _plain_number(value: float | None) -> Any:
    if value is None:
        return None
    if not math.isfinite(value):
        return _NON_FINITE[str(value)]
    return int(value) if value.is_integer() else value


def _plain_list(value: Any, delimiter: str) -> list[str]:
    if isinstance(value, str):
        return value.split(delimiter) if value else []
    return [str(v) for v in value or []]


def column_records(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Columns of plain values as records: one dict per row, fields in column order."""
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def table_columns(table: pa.Table, resource: Resource) -> dict[str, list[Any]]:
    """Columns of an Arrow table that ``resource`` describes, as plain values in field order."""
    return {f.name: plain_column(table.column(f.name), f.is_list, f.delimiter) for f in resource.fields
            if f.name in table.column_names}


def table_records(table: pa.Table, resource: Resource) -> list[dict[str, Any]]:
    """Rows of an Arrow table that ``resource`` describes, as plain records in field order."""
    return column_records(table_columns(table, resource))


def frame_columns(frame: pd.DataFrame, dates: str = "iso") -> dict[str, list[Any]]:
    """Each column of a typed DataFrame as plain values (see ``plain_column``)."""
    import pyarrow as pa

    out = {}
    for name in frame.columns:
        series = frame[name]
        try:
            column = pa.Array.from_pandas(series)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python objects: as text, missing kept
            column = pa.array([None if _missing(v) else str(v) for v in series], type=pa.string())
        out[str(name)] = plain_column(column, dates=dates)
    return out


def _missing(value: Any) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain values, columns in frame order."""
    return column_records(frame_columns(frame))


def cell_text(value: Any, type_: str, delimiter: str = ";") -> str:
    """A plain value as CSV cell text: '' for missing, lists joined by the delimiter."""
    if type_ == "list":
        return delimiter.join(value or [])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def to_csv_text(records: list[dict[str, Any]], resource: Resource | None, columns: list[str],
                types: dict[str, str] | None = None) -> str:
    """Records as CSV text, by the one canonical writer (``formatting.encode_csv``).

    Cell types come from ``resource``, or from ``types`` for a frame no resource describes.
    """
    import pyarrow as pa

    from .formatting import encode_csv

    fields = {f.name: f for f in resource.fields} if resource is not None else {}
    arrays = []
    for c in columns:
        kind, delimiter = (fields[c].type, fields[c].delimiter) if c in fields else ((types or {}).get(c, "string"), ";")
        arrays.append(pa.array([cell_text(r[c], kind, delimiter) or None for r in records], type=pa.string()))
    return encode_csv(columns, arrays).decode("utf-8")


def frame_types(frame: pd.DataFrame) -> dict[str, str]:
    """Table Schema types of a DataFrame's columns, read from their dtypes (for frames no resource describes)."""
    import pandas as pd

    types = {}
    for name, dtype in frame.dtypes.items():
        if str(dtype).startswith("list<"):
            types[name] = "list"
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            types[name] = "date"
        elif pd.api.types.is_bool_dtype(dtype):
            types[name] = "boolean"
        elif pd.api.types.is_integer_dtype(dtype):
            types[name] = "integer"
        elif pd.api.types.is_float_dtype(dtype):
            types[name] = "number"
        else:
            types[name] = "string"
    return types


def frame_records(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Rows of any typed frame as plain values, and the Table Schema types of its columns."""
    return to_records(frame), frame_types(frame)


def to_markdown_table(records: list[dict[str, Any]], columns: list[str]) -> str:
    """Records as a GitHub markdown table (lists joined by '; ', pipes escaped)."""
    def cell(value: Any) -> str:
        text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"
