"""Read a feed from a file or a URL, bounded in size and time.

A URL goes through the project's one download layer (``tradecurbs.download``): retries with
backoff for transient failures, ``TRADECURBS_TIMEOUT`` per answer, ``TRADECURBS_DEADLINE``
for the whole feed, and never more than ``max_bytes`` read.
"""

from __future__ import annotations

import errno
import os
import stat

from ..releases.errors import DownloadError

#: A feed larger than this is refused (the full State Department feed is about 0.7 MB).
MAX_FEED_BYTES = 32 * 1024 * 1024


class FeedFetchError(DownloadError):
    """A feed that could not be read from its file or URL."""


def read_feed(location: str, *, max_bytes: int = MAX_FEED_BYTES) -> bytes:
    """The bytes of a feed: a local regular file, or an http(s) URL fetched by the download layer."""
    if location.startswith(("https://", "http://")):
        from .. import download

        try:
            return download.fetch_bytes(location, max_bytes, site="the feed's server")
        except DownloadError as error:
            raise FeedFetchError(str(error)) from None
    return _read_file(location, max_bytes)


def _read_file(location: str, max_bytes: int) -> bytes:
    """A regular file, opened without following a link, read to at most ``max_bytes``."""
    try:
        handle = os.open(location, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        reason = "a symbolic link; refused" if error.errno == errno.ELOOP else error.strerror
        raise FeedFetchError(f"{location}: not a readable feed file ({reason})") from None
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise FeedFetchError(f"{location}: not a regular feed file")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FeedFetchError(f"{location}: more than the {max_bytes} bytes a feed may have; not read further")
    return data
