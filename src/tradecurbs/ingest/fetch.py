"""Read a feed from a file or a URL, bounded in size and time."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import TradecurbsError

#: A feed larger than this is refused (the full State Department feed is about 0.7 MB).
MAX_FEED_BYTES = 32 * 1024 * 1024
#: Seconds a whole feed download may take, retries included.
DEADLINE_SECONDS = 120.0


class FeedFetchError(TradecurbsError):
    """A feed that could not be read from its file or URL."""


def read_feed(location: str, *, max_bytes: int = MAX_FEED_BYTES, deadline: float = DEADLINE_SECONDS,
              timeout: float = 30.0) -> bytes:
    """The bytes of a feed: a local regular file, or an https URL fetched with retries and limits."""
    if location.startswith(("https://", "http://")):
        return _download(location, max_bytes, deadline, timeout)
    path = Path(location)
    if path.is_symlink() or not path.is_file():
        raise FeedFetchError(f"{location}: not a regular feed file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FeedFetchError(f"{location}: {size} bytes, more than the {max_bytes} a feed may have")
    return path.read_bytes()


def _download(url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=3, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",))
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    started = time.monotonic()
    try:
        with session.get(url, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FeedFetchError(f"{url}: more than {max_bytes} bytes; stopped reading")
                if time.monotonic() - started > deadline:
                    raise FeedFetchError(f"{url}: not complete after {deadline:g} s; stopped reading")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as error:
        raise FeedFetchError(f"{url}: {type(error).__name__}: {str(error).splitlines()[0][:200]}") from None
