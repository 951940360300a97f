"""The errors of the release path; each is a TradecurbsError with a one-line message."""

from __future__ import annotations

from ..errors import TradecurbsError


class RegistryError(TradecurbsError):
    """The registry cannot answer: unknown or unpinned version, malformed or conflicting index."""


class DownloadError(TradecurbsError):
    """A release file could not be fetched, verified or stored in the cache."""


class ReleaseError(TradecurbsError):
    """The release cannot be built as asked."""


class SettingError(TradecurbsError):
    """An environment setting has a value that cannot be used."""
