"""Containment: a name that comes from outside (a served index, a release descriptor,
a cached file) is used only if it is a plain file name that stays inside its root."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import RegistryError

#: A plain name: letters, digits, '.', '_', '-', not starting with '.' (so never '.' or '..').
_PLAIN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")


def plain_name(name: object, what: str) -> str:
    """``name`` if it is a plain relative file name, else RegistryError naming it."""
    if not isinstance(name, str) or not _PLAIN.fullmatch(name):
        raise RegistryError(
            f"{what} {name!r} is not a plain file name (no '/', '\\', '..', drive letter or absolute path); "
            "refused"
        )
    return name


def inside(root: Path, *names: str) -> Path:
    """``root / names...`` after checking every name, refusing a symlink on the way."""
    path = root
    for name in names:
        path = path / plain_name(name, "path")
        if path.is_symlink():
            raise RegistryError(f"{path} is a symbolic link; refused (the cache holds plain files only)")
    return path
