"""tradecurbs: curated, sourced tables of trade restrictions as typed DataFrames.

    >>> import tradecurbs
    >>> tradecurbs.tables()
    >>> tradecurbs.load("trade_remedies")

Heavy libraries (pandas, pyarrow) are imported only when data is loaded.
"""

from __future__ import annotations

from ._version import __version__
from .api import diff, fields, load, load_all, package, tables
from .errors import (ColumnsError, DataError, PackageError, TradecurbsError, UnknownFieldError, UnknownTableError,
                     UnsafePathError)
from .checks import validate

__all__ = [
    "ColumnsError",
    "DataError",
    "DownloadError",
    "PackageError",
    "RegistryError",
    "ReleaseError",
    "TradecurbsError",
    "UnknownFieldError",
    "UnknownTableError",
    "UnsafePathError",
    "__version__",
    "diff",
    "fields",
    "load",
    "load_all",
    "package",
    "tables",
    "validate",
]


def __getattr__(name: str) -> type[TradecurbsError]:
    """The exceptions defined beside the release code, loaded only when asked for."""
    if name in ("DownloadError", "RegistryError", "ReleaseError"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
