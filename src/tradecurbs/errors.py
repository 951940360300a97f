"""Exceptions for misuse of the API. Bad *data* is reported, not raised (see validate)."""

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
