"""``tradecurbs validate`` and ``tradecurbs format``: check a package, rewrite its CSVs canonically."""

from __future__ import annotations

import click

from ._common import format_option, lean_memory_pool, reports_errors


@click.command("validate")
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@format_option("text", "json", "github", default="text")
@reports_errors
def validate_command(path: str, output_format: str) -> None:
    """Check the Data Package in PATH (default: the current directory).

    Reports every problem with its file, line and field. Exit status: 0 valid
    (warnings allowed), 1 problems found, 2 the package cannot be read.
    """
    from ..checks import validate
    from ..checks.render import RENDERERS

    lean_memory_pool()
    report = validate(path)
    click.echo(RENDERERS[output_format](report))
    raise SystemExit(0 if report.ok else 1)


@click.command("format")
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@reports_errors
def format_command(path: str) -> None:
    """Rewrite the CSV files of the package in PATH canonically.

    Rows sorted by primary key, LF line endings, minimal quoting, whitespace
    trimmed; no value is otherwise changed. Nothing is written if a file does not parse.
    """
    from ..formatting import format_package

    results = format_package(path)
    for result in results:
        click.echo(f"{result.path}: {'rewritten' if result.changed else 'already canonical'}")
