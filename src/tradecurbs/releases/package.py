"""A release as a Package: its verified descriptor, with the files of one format.

A release directory holds each table twice (CSV and Parquet). The package made
from it names the chosen format's file as each table's own, so a Parquet-only
release is a full package: loading, validating, diffing and summarising all work
on it. Only the files asked for are fetched and verified.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ..datapackage import Package
from ..errors import PackageError
from . import fetch, registry
from .paths import plain_name
from .registry import DESCRIPTOR, Release
from .version import Version

FORMATS = ("parquet", "csv")
#: What a download chooses among: the tables' formats and the SQLite edition (``tradecurbs.sqlite``).
DOWNLOAD_FORMATS = (*FORMATS, "sqlite")


def check_format(format: str) -> str:
    if format not in FORMATS:
        raise PackageError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}")
    return format


def open_release(wanted: Version | str, format: str = "parquet", tables: list[str] | None = None) -> Package:
    """Release ``wanted`` as a Package of its ``format`` files; ``tables`` limits what is fetched
    (None: every table, []: the descriptor only)."""
    check_format(format)
    release = fetch.release_for(wanted)
    # An unpinned release keeps its SHA256SUMS too: offline, it describes the release if the cached index is lost.
    unpinned = release.version not in registry.pinned() and any(f.path == registry.SUMS for f in release.files)
    directory = fetch.fetch(release, [DESCRIPTOR, registry.SUMS] if unpinned else [DESCRIPTOR])
    package = as_format(_read(directory / DESCRIPTOR, release), directory, format, f"release {release.version}")
    package.release = release
    names = package.table_names if tables is None else [package.resource(t).name for t in tables]
    fetch.fetch(release, [package.resource(name).path for name in names])
    return package


def files_of(release: Release, formats: tuple[str, ...]) -> list[str]:
    """The descriptor, checksums and changelog of ``release`` plus its data files of ``formats``
    (among ``DOWNLOAD_FORMATS``)."""
    def wanted(path: str) -> bool:
        suffix = path.rsplit(".", 1)[-1]
        return suffix not in DOWNLOAD_FORMATS or suffix in formats

    return [f.path for f in release.files if wanted(f.path)]


def as_format(descriptor: dict[str, Any], root: Path, format: str, label: str) -> Package:
    """The package whose tables are read from their ``format`` files (their other files become alternates)."""
    chosen = copy.deepcopy(descriptor)
    for spec in chosen.get("resources") or []:
        if not isinstance(spec, dict):
            continue
        name = spec.get("name")
        files = [{"path": spec.get("path"), "format": spec.get("format") or _suffix(spec.get("path"))}]
        files += [a for a in spec.get("alternates") or [] if isinstance(a, dict)]
        for item in files:
            plain_name(item.get("path"), f"{label}: table {name!r}: file")
        match = next((f for f in files if f.get("format") == format), None)
        if match is None:
            raise PackageError(f"{label}: table {name!r} has no {format} file")
        spec["path"], spec["format"] = match["path"], format
        spec["alternates"] = [f for f in files if f is not match]
        if format != "csv":
            for key in ("encoding", "mediatype", "hash", "bytes"):
                spec.pop(key, None)
    return Package(chosen, root, label)


def present_format(package: Package) -> Package:
    """``package``, or when its own files are missing but all of one alternate format are there, that format.

    A release downloaded with only its Parquet files is then read from them.
    """
    resources = list(package.resources.values())
    if not resources or all(package.file(r).is_file() for r in resources):
        return package
    for format in FORMATS:
        try:
            if all(package.file(r, format).is_file() for r in resources):
                return as_format(package.descriptor, Path(str(package.root)), format, package.label)
        except PackageError:
            continue
    return package


def _suffix(path: object) -> str:
    return Path(path).suffix.lstrip(".") if isinstance(path, str) else ""


def _read(path: Path, release: Release) -> dict[str, Any]:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"release {release.version}: cannot read {DESCRIPTOR} ({error})") from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"release {release.version}: {DESCRIPTOR} is not a JSON object")
    return descriptor
