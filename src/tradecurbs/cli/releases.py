"""`tradecurbs release build|next`, `tradecurbs versions`, `tradecurbs download`."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import reports_errors

DEFAULT_OUT = "releases"


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
@reports_errors
def build_command(version: str, out: Path, source: Path, created: str | None, changelog: Path | None) -> None:
    """Validate the data and write release VERSION into OUT."""
    from ..release_build import build, insert_changelog_section

    target = build(source, version, out, created)
    click.echo(f"built {target}")
    if changelog is not None:
        insert_changelog_section(changelog, (target / "CHANGELOG.md").read_text(encoding="utf-8"))
        click.echo(f"updated {changelog}")


@release.command("next")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="The release site directory holding the previous releases.")
@click.option("--source", type=click.Path(path_type=Path), default=".", show_default=True,
              help="The package to release.")
@reports_errors
def next_command(out: Path, source: Path) -> None:
    """Print the version the changes since the previous release justify."""
    from ..release_build import plan

    click.echo(str(plan(source, out).next))


@click.command("versions")
@click.option("--offline", is_flag=True, help="Do not ask the release site; list what is known locally.")
@reports_errors
def versions_command(offline: bool) -> None:
    """List the known releases and whether each is cached."""
    from ..download import DownloadError, cached_formats, known_releases
    from ..versions import Version

    try:
        known = known_releases(refresh=not offline)
    except DownloadError as error:
        click.echo(f"warning: {error}; listing the releases known locally", err=True)
        known = known_releases(refresh=False)
    if not known:
        click.echo("no releases known yet")
    for version in sorted(known, key=Version.parse, reverse=True):
        entry = known[version]
        formats = cached_formats(entry)
        where = f"cached ({', '.join(formats)})" if formats else "not cached"
        click.echo(f"{version:<10} {entry.created[:10]:<10}  {where}")


@click.command("download")
@click.argument("version")
@click.option("--format", "formats", type=click.Choice(["parquet", "csv"]), multiple=True,
              help="Which files to fetch (repeatable; default both).")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also copy the verified files into DEST/tradecurbs-data-VERSION/.")
@reports_errors
def download_command(version: str, formats: tuple[str, ...], dest: Path | None) -> None:
    """Download release VERSION (or `latest`), verify it and cache it."""
    from ..download import FORMATS, download_release

    for path in download_release(version, formats or FORMATS, dest):
        click.echo(str(path))
