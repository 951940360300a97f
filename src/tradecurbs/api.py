"""The user-facing verbs: which tables there are, what their fields mean, load them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .package import Package

if TYPE_CHECKING:
    import pandas as pd


@lru_cache(maxsize=1)
def _bundled() -> Package:
    return Package.bundled()


def package() -> Package:
    """The data package bundled with the installed distribution."""
    return _bundled()


def tables() -> list[str]:
    """Names of the bundled tables, in the order the descriptor lists them."""
    return package().table_names


def load(table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Load ``table`` as a DataFrame typed from the schema (see README, "Dtypes").

    ``columns`` picks fields by name; an unknown table or field raises an error
    that lists the valid names.
    """
    from .loading import load_resource

    return load_resource(package(), table, columns)


def load_all() -> dict[str, pd.DataFrame]:
    """Every bundled table, by name."""
    return {name: load(name) for name in tables()}


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
