"""The user-facing verbs: which tables there are, what their fields mean, load them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .datapackage import Package

if TYPE_CHECKING:
    import pandas as pd

    from .changes import Diff


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


def load(table: str, columns: list[str] | None = None, version: str | None = None,
         format: str = "parquet") -> pd.DataFrame:
    """Load ``table`` as a DataFrame typed from the schema (see README, "Dtypes").

    Without ``version``, the data bundled in the package (offline). With ``version``
    (``"1.4.0"`` or ``"latest"``), that release: downloaded once, sha256-verified,
    cached, offline afterwards; ``format`` picks its Parquet or CSV files (same
    DataFrame either way). ``columns`` picks fields by name; an unknown table or
    field raises an error that lists the valid names.
    """
    from .loading import load_resource

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


def diff(old: Package | str | Path, new: Package | str | Path, tables: list[str] | None = None) -> Diff:
    """What changed from ``old`` to ``new``: each a Package, a path, a release version or a git revision.

    The result's ``to_dict()`` is the JSON that ``tradecurbs diff --format json`` prints
    (docs/diff.md); ``apply(records)`` turns OLD's records into NEW's.
    """
    from .changes import diff as compute

    return compute(old, new, tables)
