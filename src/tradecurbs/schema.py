"""Types derived from the Table Schema: one mapping, used by every reader and writer.

The schema lives once, in ``datapackage.json``. Arrow types (for the canonical
in-memory table and the Parquet releases) and pandas dtypes (for DataFrames) are
computed from it here, never written down twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .datapackage import Field, Resource

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: Table Schema type -> pandas dtype name, as documented in README.md.
PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[s]",
    "list": "list<item: string>[pyarrow]",
}


def pandas_dtype_name(field: Field) -> str:
    """The dtype a loaded column has, by name (``category`` for enum fields)."""
    if field.enum is not None and field.type != "list":
        return "category"
    return PANDAS_DTYPES.get(field.type, "string")


def pandas_dtype(field: Field) -> Any:
    """The pandas dtype object of ``field``'s column."""
    import pandas as pd

    if field.enum is not None and field.type != "list":
        return pd.CategoricalDtype(categories=list(field.enum), ordered=False)
    if field.type == "list":
        return pd.ArrowDtype(arrow_type(field))
    return {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "number": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": "datetime64[s]",
    }.get(field.type, pd.StringDtype())


def arrow_type(field: Field) -> pa.DataType:
    """The Arrow type of ``field`` in the canonical table and in Parquet releases."""
    import pyarrow as pa

    if field.type == "list":
        return pa.list_(pa.string())
    if field.enum is not None and field.type == "string":
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }.get(field.type, pa.string())


def arrow_schema(resource: Resource) -> pa.Schema:
    """The Arrow schema of ``resource``, fields in schema order, descriptions as metadata."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(f.name, arrow_type(f), nullable=True, metadata={"description": f.description})
            for f in resource.fields
        ]
    )


def empty_frame(resource: Resource) -> pd.DataFrame:
    """A zero-row DataFrame with ``resource``'s columns and dtypes."""
    import pandas as pd

    return pd.DataFrame({f.name: pd.Series([], dtype=pandas_dtype(f)) for f in resource.fields})
