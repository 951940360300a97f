"""The user-facing verbs: which tables there are, what their fields mean, load them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .changes import diff  # the one diff: tradecurbs.diff is tradecurbs.changes.diff
from .datapackage import Package
from .errors import ColumnsError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["diff", "fields", "load", "load_all", "package", "tables"]


@lru_cache(maxsize=1)
def _bundled() -> Package:
    return Package.bundled()


def package(version: str | None = None, format: str = "parquet") -> Package:
    """The bundled data package, or with ``version`` that release (downloaded once, then cached)."""
    if version is None:
        return _bundled()
    from .download import fetch_release

    return Package.from_directory(fetch_release(version, formats=(format,)))


def tables(version: str | None = None) -> list[str]:
    """Names of the tables, in the order the descriptor lists them."""
    return package(version).table_names


def load(table: str, columns: str | list[str] | None = None, version: str | None = None,
         format: str = "parquet") -> pd.DataFrame:
    """Load ``table`` as a DataFrame typed from the schema (see README, "Dtypes").

    Without ``version``, the data bundled in the package (offline). With ``version``
    (``"1.4.0"`` or ``"latest"``), that release: downloaded once, sha256-verified,
    cached, offline afterwards; ``format`` picks its Parquet or CSV files (same
    DataFrame either way). ``columns`` picks fields by name; an unknown table or
    field raises an error that lists the valid names; one name alone may be a string.
    """
    from .loading import load_resource

    columns = _column_names(columns)
    if version is None:
        return load_resource(package(), table, columns)
    return load_resource(package(version, format), table, columns, format=format)


def load_all(version: str | None = None, format: str = "parquet") -> dict[str, pd.DataFrame]:
    """Every table, by name (bundled, or release ``version``)."""
    pkg = package(version, format)
    from .loading import load_resource

    chosen = format if version is not None else None
    return {name: load_resource(pkg, name, format=chosen) for name in pkg.table_names}


def fields(table: str) -> pd.DataFrame:
    """The data dictionary of ``table``: one row per field with type, dtype, rules and description."""
    import pandas as pd

    from .schema import pandas_dtype_name

    resource = package().resource(table)
    rows = [
        {
            "name": f.name,
            "type": f.type,
            "dtype": pandas_dtype_name(f),
            "required": f.required,
            "allowed": ", ".join(map(str, f.enum)) if f.enum else "",
            "description": f.description,
        }
        for f in resource.fields
    ]
    return pd.DataFrame(rows).astype({c: "string" for c in ("name", "type", "dtype", "allowed", "description")})


def _column_names(columns: object) -> list[str] | None:
    """``columns`` as a list of names: a string is one name, a list or tuple of strings is many."""
    if columns is None:
        return None
    if isinstance(columns, str):
        return [columns]
    if isinstance(columns, (list, tuple)) and all(isinstance(c, str) for c in columns):
        return list(columns)
    raise ColumnsError(f"columns= takes a field name or a list of field names, not {columns!r}")