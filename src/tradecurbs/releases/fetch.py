"""Fetch release files into the cache: bounded, verified, atomic; verified once per process.

Each file is streamed by the one download layer (``tradecurbs.download``: retries with
backoff, a per-answer timeout and an overall deadline) into a temporary file beside its
target, hashed as it arrives, and never read past the size the registry gives for it.
Only a file whose size and sha256 match is moved into place; anything else is deleted. Leftovers of a killed download are removed on the next start.
A verified file is trusted for the rest of the process until its size or mtime changes.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

from .. import download
from . import registry, settings
from .errors import DownloadError, RegistryError
from .paths import inside
from .registry import Release, ReleaseFile
from .version import LATEST, Version

#: Prefix of the temporary file a download is written to, beside its target.
PARTIAL = ".partial-"
#: How errors name the server when it cannot be reached.
SITE = "the release site"
#: The largest release index accepted from a release site.
MAX_INDEX_BYTES = 4 << 20

#: path -> (size, mtime_ns, sha256) of files verified in this process.
_verified: dict[str, tuple[int, int, str]] = {}
_warned_unpinned = False


def known_releases(refresh: bool = True) -> dict[Version, Release]:
    """The pinned releases; with the opt-in to unpinned ones, plus the cached and (``refresh``) remote index."""
    known = dict(registry.pinned())
    if not settings.allow_unpinned():
        return known
    cache = settings.cache_dir()
    try:
        known = registry.merge(known, registry.cached(cache), "the cached index")
    except RegistryError as error:
        warnings.warn(f"ignoring the cached release index ({error})", stacklevel=2)
    if refresh:
        url = f"{settings.releases_url()}/{registry.INDEX}"
        remote = registry.parse_index(download.fetch_bytes(url, MAX_INDEX_BYTES, site=SITE).decode("utf-8", "replace"), url)
        known = registry.merge(known, remote, url)
        _write_atomically(cache / registry.INDEX, registry.render_index(known).encode("utf-8"))
    return known


def release_for(wanted: Version | str) -> Release:
    """The release ``wanted`` names: a pinned one, or (with the opt-in) one the release site lists."""
    settings.check()
    pins = registry.pinned()
    if isinstance(wanted, Version) and wanted in pins:
        return pins[wanted]
    if not settings.allow_unpinned():
        if wanted == LATEST:
            return registry.pick(pins, LATEST)
        from .._version import __version__

        listed = ", ".join(map(str, sorted(pins))) or "none"
        raise RegistryError(
            f"release {wanted} is not pinned by tradecurbs {__version__} (pinned releases: {listed}); upgrade "
            "tradecurbs to get newer releases pinned, or set TRADECURBS_ALLOW_UNPINNED=1 to trust the release "
            "site's own hashes (whoever controls the site or the connection could then give you any data)"
        )
    _warn_unpinned()
    known = known_releases(refresh=False)
    if wanted != LATEST and wanted in known:
        return known[wanted]
    try:
        known = known_releases(refresh=True)
    except download.NetworkError as error:
        if wanted == LATEST and known:
            return registry.pick(known, LATEST)
        cached = _from_cached_sums(wanted) if isinstance(wanted, Version) else None
        if cached is not None:
            return cached
        raise DownloadError(f"{error}, and release {wanted} is not in the cache") from None
    return registry.pick(known, wanted)


def _from_cached_sums(version: Version) -> Release | None:
    """An unpinned release downloaded earlier, described by its cached ``SHA256SUMS`` (offline,
    when the cached index is gone or corrupt). Every file is still verified against it."""
    from .build import release_dir_name

    try:
        directory = inside(settings.cache_dir(), release_dir_name(version))
        sums = inside(directory, registry.SUMS)
        lines = sums.read_text(encoding="utf-8").splitlines() if sums.is_file() else []
        files = [ReleaseFile(registry.SUMS, sums.stat().st_size, registry.file_sha256(sums))] if lines else []
        for line in lines:
            digest, name = line.split("  ", 1)
            path = inside(directory, name)
            if path.is_file():  # a file never downloaded cannot be fetched offline anyway
                files.append(ReleaseFile(name, path.stat().st_size, digest))
        release = Release.from_dict({"version": str(version), "directory": directory.name,
                                     "files": [vars(f) for f in files]}, str(sums))
    except (OSError, ValueError, RegistryError):
        return None
    if not all(is_verified(directory / f.path, f) for f in release.files):
        return None
    warnings.warn(f"release {version} is described by its cached {registry.SUMS} only (no index offline)",
                  stacklevel=3)
    return release


def fetch(release: Release, names: Iterable[str]) -> Path:
    """The cache directory of ``release``, holding files ``names``, each present and verified.

    Files already cached and verified are used without any network access.
    """
    directory = inside(settings.cache_dir(), release.directory)
    wanted = [release.file(name) for name in names]
    missing = [item for item in wanted if not is_verified(directory / item.path, item)]
    if not missing:
        return directory
    _prepare(directory)
    for item in missing:
        url = f"{settings.releases_url()}/{release.directory}/{item.path}"
        try:
            _download(url, directory / item.path, item)
        except download.NetworkError as error:
            raise DownloadError(f"{error}, and release {release.version} is not fully cached") from None
    return directory


def cached_formats(release: Release) -> list[str]:
    """The formats of ``release`` (Parquet, CSV, the SQLite edition) whose files are all in the cache and verify."""
    try:
        directory = inside(settings.cache_dir(), release.directory)
    except RegistryError:
        return []
    return [
        fmt for fmt in ("parquet", "csv", "sqlite")
        if any(f.path.endswith(f".{fmt}") for f in release.files)
        and all(is_verified(directory / f.path, f) for f in release.files if f.path.endswith(f".{fmt}"))
    ]


def cached_files(release: Release) -> int:
    """How many files of ``release`` are in the cache and verify."""
    try:
        directory = inside(settings.cache_dir(), release.directory)
    except RegistryError:
        return 0
    return sum(is_verified(directory / f.path, f) for f in release.files)


def is_verified(path: Path, item: ReleaseFile) -> bool:
    """Whether ``path`` holds ``item`` (size and sha256), hashing only when it changed since last checked."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise _storage_error(path.parent, error) from None
    if stat.S_ISLNK(info.st_mode):
        raise RegistryError(f"{path} is a symbolic link; refused (the cache holds plain files only)")
    if not stat.S_ISREG(info.st_mode) or info.st_size != item.bytes:
        return False
    key = str(path)
    if _verified.get(key) == (info.st_size, info.st_mtime_ns, item.sha256):
        return True
    if registry.file_sha256(path) != item.sha256:
        _verified.pop(key, None)
        return False
    _verified[key] = (info.st_size, info.st_mtime_ns, item.sha256)
    return True


def copy_into(directory: Path, release: Release, names: Iterable[str], dest: Path) -> list[Path]:
    """Copy verified files of ``release`` into ``dest/<release directory>/`` (atomically, no symlinks)."""
    target = inside(Path(dest), release.directory)
    _prepare(target)
    copied = []
    for name in names:
        path = inside(target, name)
        handle, tmp = _temporary(target, name)
        try:
            with os.fdopen(handle, "wb") as out, (directory / name).open("rb") as source:
                shutil.copyfileobj(source, out)
            os.replace(tmp, path)
        except OSError as error:
            raise _storage_error(target, error) from None
        finally:
            Path(tmp).unlink(missing_ok=True)
        copied.append(path)
    return copied


def _warn_unpinned() -> None:
    global _warned_unpinned
    if not _warned_unpinned:
        _warned_unpinned = True
        warnings.warn(
            "TRADECURBS_ALLOW_UNPINNED is set: releases this tradecurbs does not pin are verified only "
            "against the release site's own index, so a compromised site or connection can serve any data",
            stacklevel=3,
        )


def _prepare(directory: Path) -> None:
    """Create ``directory`` and remove what a killed download left there."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _storage_error(directory, error) from None
    stale = time.time() - settings.deadline() - settings.timeout()
    for leftover in directory.iterdir():
        name = leftover.name
        old_style = name.startswith("tmp") and len(name) == 11  # a temporary file of older versions
        if (name.startswith(PARTIAL) or old_style) and leftover.is_file() and not leftover.is_symlink():
            try:
                if leftover.stat().st_mtime < stale:
                    leftover.unlink()
            except OSError:
                pass


def _temporary(directory: Path, name: str) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(dir=directory, prefix=PARTIAL, suffix=f"-{name}")
    except OSError as error:
        raise _storage_error(directory, error) from None


def _download(url: str, target: Path, item: ReleaseFile) -> None:
    handle, tmp = _temporary(target.parent, item.path)
    try:
        with os.fdopen(handle, "wb") as out:
            count, digest = download.stream(url, out, item.bytes, exact=True, label=item.path, site=SITE)
        if count != item.bytes:
            raise DownloadError(f"{url}: got {count} of the {item.bytes} bytes the registry gives for it (truncated, "
                                "or not the pinned file); nothing was kept, try again")
        if digest != item.sha256:
            raise DownloadError(
                f"{url}: checksum mismatch (expected sha256 {item.sha256[:12]}…); the file was deleted and not "
                "used. The release site may be corrupt or tampered with: try again later or report it"
            )
        os.replace(tmp, target)
    except OSError as error:
        raise _storage_error(target.parent, error) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    info = target.stat()
    _verified[str(target)] = (info.st_size, info.st_mtime_ns, item.sha256)


def _storage_error(where: Path, error: OSError) -> DownloadError:
    if error.errno == errno.ENOSPC:
        return DownloadError(f"the disk is full: cannot write {where} (free some space or set TRADECURBS_CACHE_DIR)")
    reason = error.strerror or type(error).__name__
    return DownloadError(f"cannot write to the release cache {where}: {reason} (set TRADECURBS_CACHE_DIR to a "
                         "writable directory)")


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=PARTIAL, suffix=f"-{path.name}")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as error:
        raise _storage_error(path.parent, error) from None
