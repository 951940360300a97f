"""Plain, JSON-ready values from typed DataFrames: for `show`, diffs and reports."""

from __future__ import annotations

import csv
import io
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


def to_csv_text(records: list[dict[str, Any]], resource: Resource, columns: list[str]) -> str:
    """Records as CSV text (LF line endings, minimal quoting)."""
    fields = {f.name: f for f in resource.fields}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(
            [cell_text(record[c], fields[c].type if c in fields else "string", fields[c].delimiter if c in fields else ";") for c in columns]
        )
    return buffer.getvalue()
