"""tradecurbs: curated, sourced tables of trade restrictions as typed DataFrames.

    >>> import tradecurbs
    >>> tradecurbs.tables()
    >>> tradecurbs.load("trade_remedies")

Heavy libraries (pandas, pyarrow) are imported only when data is loaded.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _distribution_version

from .api import diff, fields, load, load_all, package, tables
from .errors import DataError, PackageError, TradecurbsError, UnknownFieldError, UnknownTableError

try:
    __version__ = _distribution_version("tradecurbs")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
    __version__ = "0.0.0"

__all__ = [
    "DataError",
    "PackageError",
    "TradecurbsError",
    "UnknownFieldError",
    "UnknownTableError",
    "__version__",
    "diff",
    "fields",
    "load",
    "load_all",
    "package",
    "tables",
]
