"""tradecurbs: curated, sourced tables of trade restrictions as typed DataFrames.

    >>> import tradecurbs
    >>> tradecurbs.tables()
    >>> tradecurbs.load("trade_remedies")

Heavy libraries (pandas, pyarrow) are imported only when data is loaded.
"""

from __future__ import annotations

from ._version import __version__
from .api import diff, fields, load, load_all, package, tables
from .errors import DataError, PackageError, TradecurbsError, UnknownFieldError, UnknownTableError
from .checks import validate
from .releases.version import Version

__all__ = [
    "DataError",
    "PackageError",
    "TradecurbsError",
    "UnknownFieldError",
    "UnknownTableError",
    "Version",
    "__version__",
    "diff",
    "fields",
    "load",
    "load_all",
    "package",
    "tables",
    "validate",
]
