"""One resolver: turn what a user typed into a Package.

- ``.`` or a path: a directory holding ``datapackage.json`` (or the file itself);
- a release version (``1.4.0``, ``latest``): the verified release from the cache,
  downloaded first if needed;
- a git revision of the repository around the current directory (``HEAD~1``,
  ``origin/main``, a tag): the package as committed there, read with ``git show``
  into a temporary directory, without touching the working tree.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PackageError
from .datapackage import DESCRIPTOR, Package
from .versions import Version


def resolve(spec: str | Path) -> Package:
    """The package ``spec`` names: an existing path, else a version, else a git revision."""
    text = str(spec)
    path = Path(text)
    if path.exists():
        return Package.from_directory(path)
    if text == "latest" or Version.looks_like(text):
        from .download import fetch_release

        package = Package.from_directory(fetch_release(text, formats=("csv",)))
        package.label = f"release {package.version}"
        return package
    if _git_available() and _is_revision(text):
        return _from_git(text)
    raise PackageError(
        f"{text!r} is not a package directory, a release version (X.Y.Z or latest) "
        "or a git revision of this repository"
    )


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], capture_output=True, cwd=cwd, check=False)


def _git_available() -> bool:
    return shutil.which("git") is not None and _git("rev-parse", "--is-inside-work-tree").returncode == 0


def _is_revision(rev: str) -> bool:
    return _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode == 0


def _from_git(rev: str) -> Package:
    prefix = _git("rev-parse", "--show-prefix").stdout.decode().strip()
    descriptor = _git("show", f"{rev}:{prefix}{DESCRIPTOR}")
    if descriptor.returncode != 0:
        raise PackageError(f"git revision {rev!r} has no {prefix}{DESCRIPTOR}")
    target = Path(tempfile.mkdtemp(prefix="tradecurbs-git-"))
    atexit.register(shutil.rmtree, target, True)
    (target / DESCRIPTOR).write_bytes(descriptor.stdout)
    package = Package.from_directory(target)
    for resource in package.resources.values():
        blob = _git("show", f"{rev}:{prefix}{resource.path}")
        if blob.returncode != 0:
            continue  # reported as a missing file when the table is read
        destination = target / resource.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(blob.stdout)
    package.label = f"git {rev}"
    return package
