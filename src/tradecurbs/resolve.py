"""The one resolver: turn what a user typed into a Package.

- ``.`` or a path: a directory holding ``datapackage.json`` (or the file itself); a
  release directory downloaded with only its Parquet files is read from them;
- a release version (``0.1.0``, ``v0.1.0``, a ``Version``, ``latest``): the verified
  release from the cache, fetched first if needed (its Parquet files by default);
  ``release(version)`` takes only this form (for ``version=`` and ``--version``);
- a git revision of the repository around the current directory (``HEAD~1``,
  ``origin/main``, a tag): the package as committed there, found in the current
  directory or the nearest one above it that holds ``datapackage.json`` at that
  revision, read with ``git show`` into a temporary directory; the working tree is not touched.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from .datapackage import DESCRIPTOR, Package
from .errors import PackageError
from .releases.version import LATEST, Version


def resolve(spec: str | Path | Version, format: str = "parquet") -> Package:
    """The package ``spec`` names: an existing path, else a version, else a git revision.

    ``format`` picks which files of a release are used (``parquet`` or ``csv``).
    """
    from .releases.package import present_format

    if isinstance(spec, Version):
        return release(spec, format)
    text = str(spec)
    path = Path(text)
    if path.exists():
        return present_format(Package.from_directory(path))
    if text.strip() == LATEST or Version.looks_like(text):
        return release(text, format)
    if _git_available() and _is_revision(text):
        return _from_git(text)
    raise PackageError(
        f"{text!r} is not a package directory, a release version (X.Y.Z or latest) "
        "or a git revision of this repository"
    )


def release(version: str | Version, format: str = "parquet", tables: list[str] | None = None) -> Package:
    """Release ``version`` (``"0.1.0"``, ``"v0.1.0"``, ``"latest"`` or a ``Version``), never a path or
    git revision: verified, cached, with the files of ``tables`` (None: all, []: the descriptor only)."""
    from .releases.package import open_release
    from .releases.version import wanted

    return open_release(wanted(version), format, tables)


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], capture_output=True, cwd=cwd, check=False)


def _git_available() -> bool:
    return shutil.which("git") is not None and _git("rev-parse", "--is-inside-work-tree").returncode == 0


def _is_revision(rev: str) -> bool:
    return not rev.startswith("-") and _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode == 0


def _package_prefix(rev: str) -> PurePosixPath:
    """The directory (relative to the repository root) of the package at ``rev``: the current
    directory's, or the nearest parent's that holds ``datapackage.json`` there."""
    prefix = PurePosixPath(_git("rev-parse", "--show-prefix").stdout.decode().strip() or ".")
    for candidate in [prefix, *prefix.parents]:
        name = DESCRIPTOR if str(candidate) == "." else f"{candidate}/{DESCRIPTOR}"
        if _git("cat-file", "-e", f"{rev}:{name}").returncode == 0:
            return candidate
    raise PackageError(f"git revision {rev!r} has no {DESCRIPTOR} in {prefix} or any directory above it")


def _from_git(rev: str) -> Package:
    prefix = _package_prefix(rev)
    def at(name: str) -> str:
        return f"{rev}:{name}" if str(prefix) == "." else f"{rev}:{prefix}/{name}"

    descriptor = _git("show", at(DESCRIPTOR))
    target = Path(tempfile.mkdtemp(prefix="tradecurbs-git-"))
    atexit.register(shutil.rmtree, target, True)
    (target / DESCRIPTOR).write_bytes(descriptor.stdout)
    package = Package.from_directory(target)
    for resource in package.resources.values():
        parts = PurePosixPath(resource.path.replace("\\", "/")).parts
        if not parts or resource.path.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            continue  # a path leaving the package: reported when the table is read, never written
        blob = _git("show", at(resource.path))
        if blob.returncode != 0:
            continue  # reported as a missing file when the table is read
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(blob.stdout)
    package.label = f"git {rev}"
    return package
