"""The registry of releases: which versions exist and the sha256 of every file.

Three copies are merged: the index shipped inside the package (pinned, cannot be
overridden), the index cached from the last successful fetch, and the release
site's ``index.json``. A remote entry that contradicts a known one is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import TradecurbsError
from .versions import Version

INDEX = "index.json"


class RegistryError(TradecurbsError):
    """The registry cannot answer: unknown version, conflicting index, unreadable index."""


@dataclass(frozen=True)
class ReleaseFile:
    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Release:
    version: str
    created: str
    directory: str
    files: tuple[ReleaseFile, ...]

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> Release:
        try:
            return cls(
                version=str(Version.parse(entry["version"])),
                created=entry.get("created", ""),
                directory=entry.get("directory") or f"tradecurbs-data-{entry['version']}",
                files=tuple(ReleaseFile(f["path"], int(f["bytes"]), f["sha256"]) for f in entry["files"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise RegistryError(f"malformed release entry in index ({error!r})") from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "directory": self.directory,
            "files": [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in self.files],
        }

    def file(self, path: str) -> ReleaseFile:
        for candidate in self.files:
            if candidate.path == path:
                return candidate
        raise RegistryError(f"release {self.version} has no file {path!r}")


def parse_index(text: str, label: str) -> dict[str, Release]:
    """Releases by version from the text of an ``index.json``."""
    try:
        data = json.loads(text)
        entries = data["releases"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise RegistryError(f"{label}: not a release index ({error})") from None
    return {release.version: release for release in map(Release.from_dict, entries)}


def render_index(releases: dict[str, Release]) -> str:
    """Deterministic ``index.json`` text, newest version first."""
    ordered = sorted(releases.values(), key=lambda r: Version.parse(r.version), reverse=True)
    return json.dumps({"releases": [r.to_dict() for r in ordered]}, indent=2, sort_keys=True) + "\n"


def shipped() -> dict[str, Release]:
    """The index shipped inside the installed package."""
    text = resources.files("tradecurbs").joinpath(INDEX).read_text(encoding="utf-8")
    return parse_index(text, "shipped index")


def merge(known: dict[str, Release], incoming: dict[str, Release], label: str) -> dict[str, Release]:
    """``known`` plus ``incoming``; an incoming entry may add versions, never change a known one."""
    merged = dict(known)
    for version, release in incoming.items():
        if version in known and known[version].files != release.files:
            raise RegistryError(
                f"{label} lists release {version} with different files or hashes than the trusted index; "
                "refusing it (a known release's hashes cannot be overridden)"
            )
        merged.setdefault(version, release)
    return merged


def cached(cache: Path) -> dict[str, Release]:
    path = cache / INDEX
    if not path.is_file():
        return {}
    return parse_index(path.read_text(encoding="utf-8"), str(path))


def latest(releases: dict[str, Release]) -> str:
    if not releases:
        raise RegistryError("no releases are known yet")
    return str(max(map(Version.parse, releases)))


def pick(releases: dict[str, Release], version: str) -> Release:
    """The release ``version`` (or ``latest``); an unknown version lists the known ones."""
    wanted = latest(releases) if version == "latest" else str(Version.parse(version))
    if wanted not in releases:
        known = ", ".join(sorted(releases, key=Version.parse)) or "none"
        raise RegistryError(f"unknown release {version!r}; known releases: {known}")
    return releases[wanted]
