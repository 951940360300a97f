"""tradecurbs: curated, sourced tables of trade restrictions as typed DataFrames.

    >>> import tradecurbs
    >>> tradecurbs.tables()
    >>> tradecurbs.load("trade_remedies")
    >>> tradecurbs.measures(imposing="CHN", target="JPN", in_force_on="2026-01-15")
    >>> tradecurbs.history("tr-chn-2026-dichlorosilane")
    >>> tradecurbs.current(table="travel_advisories")

Heavy libraries (pandas, pyarrow) are imported only when data is loaded.
"""

from __future__ import annotations

from ._version import __version__
from .api import diff, fields, load, load_all, package, tables
from .checks import validate
from .errors import (
    ColumnsError,
    DataError,
    FileTooLargeError,
    PackageError,
    TradecurbsError,
    UnknownFieldError,
    UnknownRecordError,
    UnknownTableError,
    UnsafePathError,
)
from .releases.version import Version
from .temporal.current import current
from .temporal.measures import history, measures

__all__ = [
    "ColumnsError",
    "DataError",
    "DownloadError",
    "FeedError",
    "FeedFetchError",
    "FileTooLargeError",
    "NetworkError",
    "PackageError",
    "RegistryError",
    "ReleaseError",
    "ReviewError",
    "SettingError",
    "TradecurbsError",
    "UnknownFieldError",
    "UnknownRecordError",
    "UnknownTableError",
    "UnsafePathError",
    "Version",
    "__version__",
    "current",
    "diff",
    "fields",
    "history",
    "load",
    "load_all",
    "measures",
    "package",
    "tables",
    "validate",
]


def __getattr__(name: str) -> type[TradecurbsError]:
    """The exceptions defined beside the code that raises them, loaded only when asked for."""
    from . import errors

    if name in errors._ELSEWHERE:
        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
