"""``tradecurbs site build`` and ``tradecurbs export sqlite``: editions of a package for people and tools."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import reports_errors


def _package(spec: str | None, version: str | None):
    """The package to publish: ``--version``, else PACKAGE (path, version or git rev), else ``.`` or the bundled data."""
    from ..api import package
    from ..resolve import release, resolve

    if version is not None and spec is not None:
        raise click.UsageError("give a PACKAGE or --version, not both")
    if version is not None:
        return release(version)
    if spec is not None:
        return resolve(spec)
    return resolve(".") if Path("datapackage.json").is_file() else package()


def _release_files(pkg):
    """The verified release ``pkg`` is, as the site lists it: one opened by version, or a
    directory holding every file of the pinned release of its version, each with its pinned
    size and sha256 (``releases/tradecurbs-data-X.Y.Z``, as the release workflow builds the
    site); None for any other package."""
    from ..releases.registry import pinned
    from ..releases.settings import releases_url
    from ..releases.version import Version
    from ..site import ReleaseFiles

    known = pkg.release
    if known is None:
        version = str(pkg.descriptor.get("version", ""))
        candidate = pinned().get(Version.parse(version)) if Version.looks_like(version) else None
        if candidate is not None and _holds(Path(str(pkg.root)), candidate):
            known = candidate
    if known is None:
        return None
    return ReleaseFiles(str(known.version), known.created[:10], tuple((f.path, f.bytes, f.sha256) for f in known.files),
                        f"{releases_url()}/{known.directory}")


def _holds(directory: Path, release) -> bool:
    """Whether ``directory`` holds every file of ``release`` as pinned (plain files, size and sha256)."""
    from ..errors import TradecurbsError
    from ..releases.fetch import is_verified

    try:
        return all(is_verified(directory / item.path, item) for item in release.files)
    except TradecurbsError:  # a symbolic link or an unreadable file: not the release
        return False


@click.group("site")
def site() -> None:
    """The static site: a citable page per record, table and jurisdiction."""


@site.command("build")
@click.argument("spec", metavar="[PACKAGE]", required=False)
@click.option("--version", "version", help="Build from this release (downloaded once, verified).")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory to write the site into.")
@click.option("--base-url", default=None, help="Where the site is published (for citations).")
@click.option("--timeline", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A timeline picture for the home page (default: docs/china-japan-timeline.png when present).")
@reports_errors
def site_build(spec: str | None, version: str | None, out: str, base_url: str | None, timeline: str | None) -> None:
    """Write the static site of PACKAGE (default: this checkout, else the bundled data) into --out."""
    import time

    from ..site import DEFAULT_BASE_URL, build_site

    started = time.perf_counter()
    pkg = _package(spec, version)
    if timeline is None:
        candidate = Path(str(pkg.root)) / "docs" / "china-japan-timeline.png"
        timeline = str(candidate) if candidate.is_file() else None
    built = build_site(pkg, out, _release_files(pkg), base_url or DEFAULT_BASE_URL, timeline)
    click.echo(f"{out}: {built.pages} pages, {built.bytes / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")


@click.group("export")
def export() -> None:
    """Editions of a package for other tools."""


@export.command("sqlite")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("spec", metavar="[PACKAGE]", required=False)
@click.option("--version", "version", help="Export this release (downloaded once, verified).")
@reports_errors
def export_sqlite_command(file: str, spec: str | None, version: str | None) -> None:
    """Write PACKAGE (default: this checkout, else the bundled data) as a SQLite file for Datasette."""
    from ..editions import export_sqlite

    counts = export_sqlite(_package(spec, version), file)
    click.echo(f"{file}: {sum(counts.values())} rows in {len(counts)} tables (datasette {file})")
