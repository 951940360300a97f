"""`tradecurbs release build|next|check`, `tradecurbs versions`, `tradecurbs download`."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from ._common import lean_memory_pool, reports_errors

DEFAULT_OUT = "releases"


def _warnings_as_lines() -> None:
    """Show library warnings (an ignored cached index, the unpinned opt-in) as one line on stderr."""
    warnings.showwarning = lambda message, *args, **kwargs: click.echo(f"warning: {message}", err=True)


@click.group()
def release() -> None:
    """Build reproducible data releases (maintainers)."""


@release.command("build")
@click.option("--version", "version", required=True, help="The release's version, X.Y.Z.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="The release site directory: releases and index.json.")
@click.option("--source", type=click.Path(path_type=Path), default=".", show_default=True,
              help="The package to release (a directory holding datapackage.json).")
@click.option("--created", default=None, help="The release's created date (default: newest date in the data).")
@click.option("--changelog", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also insert the release's section into this CHANGELOG.md, below [Unreleased].")
@click.option("--pin", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also pin the release in this index.json (the package's src/tradecurbs/index.json).")
@reports_errors
def build_command(version: str, out: Path, source: Path, created: str | None, changelog: Path | None,
                  pin: Path | None) -> None:
    """Validate the data and write release VERSION into OUT."""
    from ..releases.build import build
    from ..releases.changelog import insert_section
    from ..releases.pins import pin_release

    lean_memory_pool()
    target = build(source, version, out, created)
    click.echo(f"built {target}")
    if changelog is not None:
        insert_section(changelog, (target / "CHANGELOG.md").read_text(encoding="utf-8"))
        click.echo(f"updated {changelog}")
    if pin is not None:
        pin_release(out, version, pin)
        click.echo(f"pinned {version} in {pin}")


@release.command("next")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="The release site directory holding the previous releases.")
@click.option("--source", type=click.Path(path_type=Path), default=".", show_default=True,
              help="The package to release.")
@reports_errors
def next_command(out: Path, source: Path) -> None:
    """Print the version the changes since the previous release justify."""
    from ..releases.plan import plan

    click.echo(str(plan(source, out).next))


@release.command("check")
@click.option("--version", "version", required=True, help="The release to check, X.Y.Z.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="The release site directory.")
@click.option("--source", type=click.Path(path_type=Path), default=".", show_default=True,
              help="The package the release was built from.")
@click.option("--pin", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The index.json that pins it (default: the installed package's).")
@reports_errors
def check_command(version: str, out: Path, source: Path, pin: Path | None) -> None:
    """Rebuild VERSION from SOURCE and check it is byte for byte the site's copy and the pinned one.

    The SQLite file is compared by content (its bytes depend on the SQLite library).

    Exit status 0 when identical, 1 when anything differs.
    """
    from ..releases.pins import check_release

    lean_memory_pool()
    problems = check_release(out, version, source, pin)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise SystemExit(1)
    click.echo(f"release {version}: rebuilt byte for byte (the SQLite file by content), matches {out}/index.json "
               "and the pinned index")


@click.command("versions")
@click.option("--offline", is_flag=True, help="Do not ask the release site; list what is known locally.")
@reports_errors
def versions_command(offline: bool) -> None:
    """List the known releases: pinned ones, and (with TRADECURBS_ALLOW_UNPINNED=1) the site's."""
    from ..releases.errors import DownloadError
    from ..releases.fetch import cached_files, cached_formats, known_releases
    from ..releases.registry import pinned

    _warnings_as_lines()
    try:
        known = known_releases(refresh=not offline)
    except DownloadError as error:
        click.echo(f"warning: {error}; listing the releases known locally", err=True)
        known = known_releases(refresh=False)
    if not known:
        click.echo("no releases known yet")
    pins = pinned()
    for version in sorted(known, reverse=True):
        entry = known[version]
        formats = cached_formats(entry)
        present = 0 if formats else cached_files(entry)
        where = (f"cached ({', '.join(formats)})" if formats
                 else f"partly cached ({present} of {len(entry.files)} files)" if present else "not cached")
        trust = "pinned" if version in pins else "unpinned"
        click.echo(f"{str(version):<10} {entry.created[:10]:<10}  {trust:<8}  {where}")


@click.command("download")
@click.argument("version")
@click.option("--format", "formats", type=click.Choice(["parquet", "csv", "sqlite"]), multiple=True,
              help="Which files to fetch: the tables as Parquet or CSV, or the SQLite edition "
                   "(repeatable; default all).")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also copy the verified files into DEST/tradecurbs-data-VERSION/.")
@reports_errors
def download_command(version: str, formats: tuple[str, ...], dest: Path | None) -> None:
    """Download release VERSION (or `latest`), verify it and cache it."""
    from ..releases import fetch
    from ..releases.package import DOWNLOAD_FORMATS, files_of
    from ..releases.version import wanted

    _warnings_as_lines()
    release = fetch.release_for(wanted(version))
    names = files_of(release, formats or DOWNLOAD_FORMATS)
    directory = fetch.fetch(release, names)
    paths = fetch.copy_into(directory, release, names, dest) if dest is not None else [directory / n for n in names]
    for path in paths:
        click.echo(str(path))
