"""Every exception of tradecurbs, importable from here. Bad *data* is reported, not raised (see validate).

The release, download and feed errors are defined beside the code that raises them and
re-exported here lazily, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable


class TradecurbsError(Exception):
    """Base class: something the caller asked for cannot be done. One-line message."""


class UnknownTableError(TradecurbsError, LookupError):
    """A table name that the package does not have."""

    def __init__(self, name: str, known: Iterable[str], where: str = "the package") -> None:
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown table {name!r} in {where}; valid tables: {', '.join(self.known)}")


class UnknownFieldError(TradecurbsError, LookupError):
    """A field name that the table does not have."""

    def __init__(self, table: str, names: Iterable[str], known: Iterable[str]) -> None:
        self.table = table
        self.names = list(names)
        self.known = list(known)
        plural = "fields" if len(self.names) > 1 else "field"
        super().__init__(
            f"unknown {plural} {', '.join(map(repr, self.names))} in table {table!r}; "
            f"valid fields: {', '.join(self.known)}"
        )


class PackageError(TradecurbsError):
    """A path or descriptor that is not a readable Data Package."""


class DataError(TradecurbsError):
    """A data file that cannot be turned into its typed table (run `tradecurbs validate`)."""


class UnknownRecordError(TradecurbsError, LookupError):
    """A record id that no measure table holds."""


class UnsafePathError(PackageError):
    """A path that leaves the package root, or is a link or special file: never read."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path!r} {reason}")


class FileTooLargeError(PackageError):
    """A file larger than the limit for its kind (tradecurbs.limits): refused before it is read."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        self.path = path
        self.size = size
        self.limit = limit
        self.reason = f"holds {size:,} bytes, more than the limit of {limit:,} for one file"
        super().__init__(f"{path!r} {self.reason}")


class ColumnsError(TradecurbsError, TypeError):
    """``columns=`` given something that is neither a field name nor a list of names."""


#: Errors that live with the code raising them, re-exported here.
_ELSEWHERE = {"RegistryError": "releases.errors", "DownloadError": "releases.errors",
              "ReleaseError": "releases.errors", "SettingError": "releases.errors",
              "NetworkError": "download", "FeedError": "ingest.model", "FeedFetchError": "ingest.fetch",
              "ReviewError": "ingest.apply"}


def __getattr__(name: str) -> type[TradecurbsError]:
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(f".{_ELSEWHERE[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ColumnsError", "DataError", "DownloadError", "FeedError", "FeedFetchError", "FileTooLargeError",
           "NetworkError", "PackageError",
           "RegistryError", "ReleaseError", "ReviewError", "SettingError", "TradecurbsError", "UnknownFieldError",
           "UnknownRecordError", "UnknownTableError", "UnsafePathError"]
