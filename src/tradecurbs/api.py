"""The user-facing verbs: which tables there are, what their fields mean, load them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .changes import diff  # the one diff: tradecurbs.diff is tradecurbs.changes.diff
from .datapackage import Package
from .errors import ColumnsError

if TYPE_CHECKING:
    import pandas as pd

    from .releases.version import Version



__all__ = ["diff", "fields", "load", "load_all", "package", "tables"]


@lru_cache(maxsize=1)
def _bundled() -> Package:
    return Package.bundled()


def _release(version: str | Version | None, format: str | None, tables: list[str] | None) -> Package:
    """The bundled package, or release ``version`` with the files of ``tables`` fetched and verified."""
    if version is None:
        if format is not None:
            raise TypeError("format= picks the files of a release: pass version= too (the bundled data has one format)")
        return _bundled()
    from .resolve import release

    return release(version, format or "parquet", tables)


def package(version: str | Version | None = None, format: str | None = None) -> Package:
    """The bundled data package, or with ``version`` that release (fetched once, verified, cached).

    ``version`` is ``"0.1.0"``, ``"latest"`` or a ``Version``; ``format`` (``"parquet"``,
    the default, or ``"csv"``) picks which of the release's files are used.
    """
    return _release(version, format, None)


def tables(version: str | Version | None = None) -> list[str]:
    """Names of the tables, in the order the descriptor lists them (a release's descriptor only)."""
    return _release(version, None if version is None else "parquet", []).table_names


def load(table: str, columns: str | list[str] | None = None, version: str | Version | None = None,
         format: str | None = None) -> pd.DataFrame:
    """Load ``table`` as a DataFrame typed from the schema (see README, "Dtypes").

    Without ``version``, the data bundled in the package (offline). With ``version``
    (``"0.1.0"``, ``"latest"`` or a ``Version``), that release: only this table's file is
    fetched, sha256-verified against the pinned registry, cached and offline afterwards;
    a verified file is not hashed again in the same process unless it changed.
    ``format`` (with ``version`` only) picks its Parquet or CSV file (same DataFrame
    either way). ``columns`` picks fields by name; an unknown table or field raises an
    error that lists the valid names.
    """
    from .loading import load_resource

    columns = _column_names(columns)
    return load_resource(_release(version, format, [table] if version is not None else None), table, columns)


def load_all(version: str | Version | None = None, format: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table, by name (bundled, or release ``version``)."""
    from .loading import load_resource

    pkg = _release(version, format, None)
    return {name: load_resource(pkg, name) for name in pkg.table_names}


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
