"""Fetch a release once, verify every file's sha256, cache it, and work offline afterwards.

Downloads go through pooch: each file is written to a temporary file beside its
target, checked against the registry's sha256, and only then moved into place, so
a half-written or tampered file is never read.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import registry, settings
from .errors import TradecurbsError
from .registry import Release

FORMATS = ("parquet", "csv")


class DownloadError(TradecurbsError):
    """A release file could not be fetched or verified."""


def known_releases(refresh: bool = True) -> dict[str, Release]:
    """Shipped, cached and (when ``refresh`` and reachable) remote releases, merged."""
    cache = settings.cache_dir()
    known = registry.merge(registry.shipped(), registry.cached(cache), "cached index")
    if refresh:
        remote = _fetch_remote_index()
        known = registry.merge(known, remote, f"{settings.releases_url()}/index.json")
        _write_atomically(cache / registry.INDEX, registry.render_index(known))
    return known


def fetch_release(version: str, formats: Iterable[str] = FORMATS) -> Path:
    """The directory of release ``version`` in the cache, with the files of ``formats``.

    Offline use: a release whose files are cached and verify is returned without any
    network access. Otherwise the release site's index is consulted and the missing
    files are downloaded.
    """
    wanted = _check_formats(formats)
    known = known_releases(refresh=False)
    release = None
    if version != "latest" and _version_key(version) in known:
        release = registry.pick(known, version)
        if _cached_and_verified(release, wanted):
            return settings.cache_dir() / release.directory
    try:
        known = known_releases(refresh=True)
    except DownloadError as error:
        if release is None:
            if version == "latest" and known:
                release = registry.pick(known, "latest")
                if _cached_and_verified(release, wanted):
                    return settings.cache_dir() / release.directory
            raise DownloadError(f"{error}, and release {version!r} is not in the cache") from None
        raise DownloadError(f"{error}, and release {release.version} is not fully cached") from None
    release = registry.pick(known, version)
    for item in _files_for(release, wanted):
        _retrieve(release, item)
    return settings.cache_dir() / release.directory


def download_release(version: str, formats: Iterable[str] = FORMATS, dest: Path | None = None) -> list[Path]:
    """Fetch release ``version`` into the cache and, with ``dest``, copy its files there."""
    wanted = _check_formats(formats)
    directory = fetch_release(version, wanted)
    release = registry.pick(known_releases(refresh=False), version)
    paths = [directory / item.path for item in _files_for(release, wanted)]
    if dest is None:
        return paths
    target = Path(dest) / release.directory
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in paths:
        shutil.copy2(path, target / path.name)
        copied.append(target / path.name)
    return copied


def cached_formats(release: Release) -> list[str]:
    """The formats of ``release`` whose files are all in the cache and verify."""
    return [fmt for fmt in FORMATS if _cached_and_verified(release, (fmt,))]


def _version_key(version: str) -> str:
    from .versions import Version

    return str(Version.parse(version))


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(formats)
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise TradecurbsError(f"unknown format {unknown or wanted!r}; valid formats: {', '.join(FORMATS)}")
    return wanted


def _files_for(release: Release, formats: tuple[str, ...]) -> list[registry.ReleaseFile]:
    """The descriptor, the checksums and the data files of the wanted formats."""
    def wanted(path: str) -> bool:
        suffix = path.rsplit(".", 1)[-1]
        return suffix not in FORMATS or suffix in formats

    return [f for f in release.files if wanted(f.path)]


def _cached_and_verified(release: Release, formats: tuple[str, ...]) -> bool:
    import pooch

    directory = settings.cache_dir() / release.directory
    for item in _files_for(release, formats):
        path = directory / item.path
        if not path.is_file() or not pooch.file_hash(str(path)) == item.sha256:
            return False
    return True


def _downloader():
    import pooch

    progress = sys.stderr.isatty() and _has_tqdm()
    return pooch.HTTPDownloader(progressbar=progress, timeout=settings.timeout())


def _has_tqdm() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def _retrieve(release: Release, item: registry.ReleaseFile) -> Path:
    import pooch
    import requests

    pooch.get_logger().setLevel("WARNING")
    url = f"{settings.releases_url()}/{release.directory}/{item.path}"
    try:
        return Path(
            pooch.retrieve(
                url,
                known_hash=f"sha256:{item.sha256}",
                fname=item.path,
                path=settings.cache_dir() / release.directory,
                downloader=_downloader(),
            )
        )
    except ValueError as error:
        if "hash" in str(error).lower():
            raise DownloadError(
                f"{url}: checksum mismatch (expected sha256 {item.sha256[:12]}…); the file was "
                "deleted and not used. The release site may be corrupt or tampered with: try again later "
                "or report it"
            ) from None
        raise DownloadError(f"{url}: {error}") from None
    except requests.exceptions.RequestException as error:
        raise DownloadError(_describe_network_error(url, error)) from None


def _fetch_remote_index() -> dict[str, Release]:
    import requests

    url = f"{settings.releases_url()}/{registry.INDEX}"
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / registry.INDEX
        try:
            _downloader()(url, str(target), None)
        except requests.exceptions.RequestException as error:
            raise DownloadError(_describe_network_error(url, error)) from None
        return registry.parse_index(target.read_text(encoding="utf-8"), url)


def _describe_network_error(url: str, error: Exception) -> str:
    """One line saying what went wrong with a request, in a user's terms."""
    import requests

    if isinstance(error, requests.exceptions.HTTPError) and error.response is not None:
        return f"{url}: HTTP {error.response.status_code} {error.response.reason}"
    if isinstance(error, requests.exceptions.Timeout):
        return f"{url}: no answer within {settings.timeout():g} s (set TRADECURBS_TIMEOUT to wait longer)"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return f"{url}: the download was cut off before the end (truncated); try again"
    if isinstance(error, requests.exceptions.ConnectionError):
        return f"cannot reach the release site {settings.releases_url()} (no network?)"
    return f"{url}: {type(error).__name__}: {error}"


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
