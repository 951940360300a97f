"""A typed table seen as text, the way the checks see a CSV: so a Parquet file is checked
by the same rules as its CSV twin (every field as text, empty = missing, lists joined)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .datapackage import Package, Resource

if TYPE_CHECKING:
    import pyarrow as pa


def text_columns(package: Package, resource: Resource, format: str | None = None) -> pa.Table:
    """``resource``'s file (in ``format``, default its own) read typed, then each field as text.

    Raises DataError when the file cannot be read as its schema says.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from .loading import read_table

    typed = read_table(package, resource, format)
    columns = []
    for f in resource.fields:
        column = typed.column(f.name).combine_chunks()
        if f.is_list:
            joined = pc.binary_join(column, f.delimiter)
            column = pc.if_else(pc.equal(pc.list_value_length(column), 0), pa.scalar(None, pa.string()), joined)
        elif pa.types.is_boolean(column.type):
            column = pc.if_else(column, "true", "false")
        else:
            column = column.cast(pa.string())
        columns.append(pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    return pa.table(dict(zip(resource.field_names, columns)))
