"""The one download layer: a bounded, retried HTTP GET, used by releases and by feed ingest.

Every body is streamed with requests (urllib3's retry and backoff for transient failures),
never read past a byte limit, and given an overall deadline (``TRADECURBS_DEADLINE``) on top
of the per-answer timeout (``TRADECURBS_TIMEOUT``). It is hashed as it arrives, so a caller
that knows the expected sha256 checks it without reading the file again. Failures are one
line naming the URL and saying what to do; a progress bar names the file and its size.
"""

from __future__ import annotations

import hashlib
import io
import sys
import time
from typing import IO, TYPE_CHECKING

from .releases import settings
from .releases.errors import DownloadError

if TYPE_CHECKING:
    import requests

#: urllib3's backoff factor between retries of a transient failure (seconds, doubling).
BACKOFF = 0.5
#: Answers worth another try.
TRANSIENT = (429, 500, 502, 503, 504)


class NetworkError(DownloadError):
    """The server could not be reached, refused the request or did not answer in time."""


def fetch_bytes(url: str, limit: int, *, site: str = "the server") -> bytes:
    """The body of ``url``, at most ``limit`` bytes (more is an error, not a truncation)."""
    buffer = io.BytesIO()
    stream(url, buffer, limit, exact=False, label=url.rsplit("/", 1)[-1], site=site)
    return buffer.getvalue()


def stream(url: str, out: IO[bytes], limit: int, *, exact: bool, label: str,
           site: str = "the server") -> tuple[int, str]:
    """Write the body of ``url`` to ``out``: never more than ``limit`` bytes, never past the deadline.

    ``exact`` says that ``limit`` is the size the caller expects (it sizes the progress bar);
    ``site`` names the server in the error when it cannot be reached ("the release site").
    Returns the byte count and the sha256 of what was written.
    """
    import requests
    import urllib3

    timeout, deadline = settings.timeout(), settings.deadline()
    start = time.monotonic()
    digest = hashlib.sha256()
    count = 0
    try:
        with _session() as session, session.get(url, stream=True, timeout=(timeout, timeout),
                                                headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise DownloadError(f"{url}: the server announces {int(declared)} bytes, more than the {limit} "
                                    "expected; nothing was kept")
            with _progress(label, limit if exact else None) as bar:
                while True:
                    if time.monotonic() - start > deadline:
                        raise DownloadError(f"{url}: not finished within the {deadline:g} s deadline (set "
                                            "TRADECURBS_DEADLINE to allow longer); stopped, nothing kept")
                    chunk = response.raw.read1(min(1 << 16, limit + 1 - count))
                    if not chunk:
                        break
                    count += len(chunk)
                    if count > limit:
                        raise DownloadError(f"{url}: the server sent more than the expected {limit} bytes; "
                                            "stopped reading, nothing kept")
                    digest.update(chunk)
                    out.write(chunk)
                    bar.update(len(chunk))
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
        raise NetworkError(_describe(url, error, site)) from None
    return count, digest.hexdigest()


def _session() -> requests.Session:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retries = Retry(total=settings.retries(), backoff_factor=BACKOFF, status_forcelist=TRANSIENT,
                    allowed_methods=frozenset({"GET"}), raise_on_status=False)
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retries))
    session.mount("https://", HTTPAdapter(max_retries=retries))
    return session


def _progress(label: str, total: int | None):
    """A progress bar named after the file and its size: in a notebook, on a terminal, or when asked."""
    from tqdm.auto import tqdm

    shown = settings.progress()
    if shown is None:
        shown = sys.stderr.isatty() or "ipykernel" in sys.modules
    size = f" ({human_size(total)})" if total is not None else ""
    return tqdm(total=total, desc=f"{label}{size}", unit="B", unit_scale=True, unit_divisor=1024,
                disable=not shown, leave=False, file=sys.stderr)


def human_size(size: int) -> str:
    """``size`` bytes as people read it: 512 B, 1.5 KiB, 3.2 MiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _describe(url: str, error: Exception, site: str) -> str:
    """One line saying what went wrong with a request, in a user's terms."""
    import requests
    import urllib3

    if isinstance(error, requests.exceptions.HTTPError) and error.response is not None:
        return f"{url}: HTTP {error.response.status_code} {error.response.reason}"
    if isinstance(error, (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError)) or (
        isinstance(error, requests.exceptions.ConnectionError) and "timed out" in str(error).lower()
    ):
        return f"{url}: no answer within {settings.timeout():g} s (set TRADECURBS_TIMEOUT to wait longer)"
    if isinstance(error, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
        return f"{url}: the download was cut off before the end (truncated); try again"
    if isinstance(error, requests.exceptions.ConnectionError):
        return f"cannot reach {site} {_origin(url)} (no network?)"
    return f"{url}: {type(error).__name__}"


def _origin(url: str) -> str:
    """The scheme and host of ``url``: what a user checks when nothing answers."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url
