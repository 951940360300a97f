"""SemVer for data: which version the changes since the previous release justify."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datapackage import Package
from . import registry
from .errors import ReleaseError
from .version import Level, Version, allowed_versions

MAJOR_KINDS = {"table_removed", "field_removed", "field_retyped", "primary_key_changed", "enum_removed",
               "required_added"}
MINOR_KINDS = {"table_added", "field_added", "enum_added"}


@dataclass(frozen=True)
class Plan:
    """What a new release needs: the previous version and the smallest justified bump."""

    previous: Version | None
    level: Level | None  # None: nothing changed since the previous release
    changes_markdown: str

    @property
    def allowed(self) -> list[Version]:
        if self.previous is None or self.level is None:
            return []
        return allowed_versions(self.previous, self.level)

    @property
    def next(self) -> Version:
        if self.previous is None:
            return Version(0, 1, 0)
        if self.level is None:
            raise ReleaseError(f"nothing changed since release {self.previous}: there is nothing to release")
        return self.previous.bump(self.level)

    def check(self, wanted: Version) -> None:
        """Refuse ``wanted`` unless the changes justify it."""
        if self.previous is None:
            return
        if self.level is None:
            raise ReleaseError(f"nothing changed since release {self.previous}: nothing to release")
        if wanted not in self.allowed:
            choices = ", ".join(map(str, self.allowed))
            raise ReleaseError(
                f"version {wanted} is not justified after {self.previous}: the changes need a "
                f"{self.level.name.lower()} release ({choices})"
            )


def previous_release(site: Path, before: Version | None = None) -> tuple[Version, Path] | None:
    """The newest release in the release site ``site`` (older than ``before``, if given)."""
    index = site / registry.INDEX
    if not index.is_file():
        return None
    releases = registry.parse_index(index.read_text(encoding="utf-8"), str(index))
    older = {v: r for v, r in releases.items() if before is None or v < before}
    if not older:
        return None
    newest = registry.newest(older)
    return newest, site / older[newest].directory


def needed_level(changes: dict[str, Any]) -> Level | None:
    """The smallest SemVer-for-data bump that a diff (as ``Diff.to_dict()``) justifies."""
    kinds = {entry["kind"] for entry in changes.get("schema", [])}
    if kinds & MAJOR_KINDS:
        return Level.MAJOR
    summaries = [t["summary"] for t in changes.get("tables", {}).values()]
    if kinds & MINOR_KINDS or any(s.get("added") for s in summaries):
        return Level.MINOR
    if kinds or any(s.get("removed") or s.get("modified") for s in summaries):
        return Level.PATCH
    return None


def plan(source: Package | Path, site: Path, before: Version | None = None) -> Plan:
    """Compare ``source`` with the newest release in ``site`` and say what version is justified."""
    found = previous_release(site, before)
    if found is None:
        return Plan(previous=None, level=Level.MAJOR, changes_markdown="First release.\n")
    version, directory = found
    from ..changes import diff
    from ..changes.render import render_markdown
    from .package import present_format

    new = source if isinstance(source, Package) else present_format(Package.from_directory(source))
    old = present_format(Package.from_directory(directory))
    result = diff(old, new)
    return Plan(previous=version, level=needed_level(result.to_dict()), changes_markdown=render_markdown(result))
