"""The registry of releases: which versions exist and the bytes and sha256 of every file.

The index shipped inside the installed package is the pin: its releases are trusted,
nothing can override them, and upgrading tradecurbs is how newer releases get pinned.
A release site's ``index.json`` (and the cached copy of it) is hostile input: every
entry is checked (plain file names, sizes, hashes) and is used only for versions the
package does not pin, and only when the user opts in (``settings.allow_unpinned``).
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import RegistryError
from .paths import plain_name
from .version import LATEST, Version

INDEX = "index.json"
DESCRIPTOR = "datapackage.json"
SUMS = "SHA256SUMS"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release: its plain name, its size and its sha256."""

    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Release:
    """One release: its version, date, directory on the release site and files."""

    version: Version
    created: str
    directory: str
    files: tuple[ReleaseFile, ...]

    @classmethod
    def from_dict(cls, entry: Any, label: str) -> Release:
        """A release from an index entry; anything malformed or escaping is refused, naming it."""
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), list):
            raise RegistryError(f"{label}: a release entry is not an object with a 'files' list")
        version = Version.parse(str(entry.get("version", "")))
        where = f"{label}: release {version}"
        directory = plain_name(entry.get("directory", f"tradecurbs-data-{version}"), f"{where}: directory")
        files = []
        for item in entry["files"]:
            if not isinstance(item, dict):
                raise RegistryError(f"{where}: a file entry is not an object")
            name = plain_name(item.get("path"), f"{where}: file")
            size, digest = item.get("bytes"), item.get("sha256")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise RegistryError(f"{where}: file {name!r} has no valid 'bytes' ({size!r})")
            if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
                raise RegistryError(f"{where}: file {name!r} has no valid 'sha256' ({str(digest)[:20]!r})")
            files.append(ReleaseFile(name, size, digest))
        names = [f.path for f in files]
        if len(set(names)) != len(names) or DESCRIPTOR not in names:
            raise RegistryError(f"{where}: files must be distinct and include {DESCRIPTOR}")
        created = entry.get("created", "")
        return cls(version, created if isinstance(created, str) else "", directory, tuple(files))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": str(self.version),
            "created": self.created,
            "directory": self.directory,
            "files": [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in self.files],
        }

    def file(self, path: str) -> ReleaseFile:
        for candidate in self.files:
            if candidate.path == path:
                return candidate
        raise RegistryError(f"release {self.version} has no file {path!r}")


def parse_index(text: str, label: str) -> dict[Version, Release]:
    """Releases by version from the text of an ``index.json``; RegistryError names ``label``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryError(f"{label}: not a release index (invalid JSON at line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("releases"), list):
        raise RegistryError(f"{label}: not a release index (no 'releases' list)")
    releases = [Release.from_dict(entry, label) for entry in data["releases"]]
    return {release.version: release for release in releases}


def render_index(releases: dict[Version, Release]) -> str:
    """Deterministic ``index.json`` text, newest version first."""
    ordered = sorted(releases.values(), key=lambda r: r.version, reverse=True)
    return json.dumps({"releases": [r.to_dict() for r in ordered]}, indent=2, sort_keys=True) + "\n"


@lru_cache(maxsize=1)
def pinned() -> dict[Version, Release]:
    """The releases pinned by the installed package (its shipped ``index.json``)."""
    text = resources.files("tradecurbs").joinpath(INDEX).read_text(encoding="utf-8")
    return parse_index(text, "the pinned index")


def cached(cache: Path) -> dict[Version, Release]:
    """The index cached from the last fetch; a missing or corrupt one is ignored (with a warning)."""
    path = cache / INDEX
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        return parse_index(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, RegistryError) as error:
        warnings.warn(f"ignoring the cached release index {path} ({error}); it will be fetched again",
                      stacklevel=2)
        return {}


def merge(known: dict[Version, Release], incoming: dict[Version, Release], label: str) -> dict[Version, Release]:
    """``known`` plus ``incoming``; an incoming entry may add versions, never change a known one."""
    merged = dict(known)
    for version, release in incoming.items():
        if version in known and known[version] != release:
            raise RegistryError(
                f"{label} lists release {version} with different files or hashes than the trusted index; "
                "refusing it (a known release's hashes cannot be overridden)"
            )
        merged.setdefault(version, release)
    return merged


def newest(releases: dict[Version, Release]) -> Version:
    if not releases:
        raise RegistryError("no releases are known yet")
    return max(releases)


def pick(releases: dict[Version, Release], wanted: Version | str) -> Release:
    """The release ``wanted`` (a Version or ``latest``); an unknown version lists the known ones."""
    version = newest(releases) if wanted == LATEST else wanted
    if version not in releases:
        known = ", ".join(map(str, sorted(releases))) or "none"
        raise RegistryError(f"unknown release '{version}'; known releases: {known}")
    return releases[version]


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB blocks: the one hash for building and verifying releases."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
