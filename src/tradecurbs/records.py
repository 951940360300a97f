"""Plain, JSON-ready values from typed DataFrames: for `show`, diffs and reports."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .datapackage import Resource

if TYPE_CHECKING:
    import pandas as pd


def plain(value: Any, type_: str) -> Any:
    """One cell as a JSON-ready value: None for missing, 'YYYY-MM-DD' for dates, list for lists."""
    if type_ == "list":
        return [str(v) for v in value] if value is not None and not _is_missing(value) else []
    if _is_missing(value):
        return None
    if type_ == "date":
        return value.strftime("%Y-%m-%d")
    if type_ == "integer":
        return int(value)
    if type_ == "number":
        number = float(value)
        return int(number) if number.is_integer() else number
    if type_ == "boolean":
        return bool(value)
    return str(value)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return False
    try:
        import pandas as pd

        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if not hasattr(result, "__len__") else False


def to_records(frame: pd.DataFrame, resource: Resource) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain values, columns in frame order."""
    types = {f.name: f.type for f in resource.fields}
    columns = list(frame.columns)
    out = []
    for row in frame.itertuples(index=False, name=None):
        out.append({c: plain(v, types.get(c, "string")) for c, v in zip(columns, row, strict=True)})
    return out


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
    """Rows of any typed frame as plain values, and the types used (see ``plain``)."""
    types = frame_types(frame)
    columns = list(frame.columns)
    records = [{c: plain(v, types[c]) for c, v in zip(columns, row, strict=True)}
               for row in frame.itertuples(index=False, name=None)]
    return records, types


def to_markdown_table(records: list[dict[str, Any]], columns: list[str]) -> str:
    """Records as a GitHub markdown table (lists joined by '; ', pipes escaped)."""
    def cell(value: Any) -> str:
        text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"
