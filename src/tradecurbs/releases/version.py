"""Data versions as small value objects: parse, order, bump; the one place a version string is read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from ..errors import TradecurbsError

LATEST = "latest"

_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


class Level(IntEnum):
    """How much a release changes, in SemVer-for-data terms (higher is bigger)."""

    PATCH = 1  # corrections only
    MINOR = 2  # records or optional fields added
    MAJOR = 3  # schema break: a table or field removed, renamed or retyped


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _SEMVER.fullmatch(text.strip().removeprefix("v"))
        if not match:
            raise TradecurbsError(f"{text!r} is not a version: expected MAJOR.MINOR.PATCH, for example 0.1.0")
        return cls(*(int(part) for part in match.groups()))

    @staticmethod
    def looks_like(text: str) -> bool:
        return bool(_SEMVER.fullmatch(text.strip().removeprefix("v")))

    def bump(self, level: Level) -> Version:
        if level is Level.MAJOR:
            return Version(self.major + 1, 0, 0)
        if level is Level.MINOR:
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def wanted(value: object) -> Version | str:
    """What a caller asked for: a ``Version`` (from a ``Version`` or ``"X.Y.Z"``) or ``"latest"``.

    Anything else is a TypeError (not a str) or an error naming the valid forms.
    """
    if isinstance(value, Version):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"version must be a str such as '0.1.0' or 'latest', or a tradecurbs Version; got {type(value).__name__}"
        )
    if value.strip() == LATEST:
        return LATEST
    return Version.parse(value)


def allowed_versions(previous: Version, needed: Level) -> list[Version]:
    """The versions a release may take after ``previous`` when the change needs ``needed``."""
    return [previous.bump(level) for level in sorted(Level, reverse=True) if level >= needed]
