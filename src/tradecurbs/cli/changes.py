"""`tradecurbs diff OLD NEW`: record-level differences, exit status as diff(1)."""

from __future__ import annotations

import sys

import click

from ._common import format_option, lean_memory_pool, reports_errors


@click.command("diff")
@click.argument("old")
@click.argument("new")
@format_option("text", "markdown", "json", default="text")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable).")
@click.option("--summary", "summary_only", is_flag=True, help="Counts only.")
@reports_errors
def diff_command(old: str, new: str, output_format: str, tables: tuple[str, ...], summary_only: bool) -> None:
    """Show what changed from OLD to NEW.

    OLD and NEW are each a package directory (`.`), a release version (`0.1.0`,
    `latest`) or a git revision (`HEAD~1`, `origin/main`). Exit status: 0 same,
    1 different, 2 trouble.
    """
    from ..changes import diff
    from ..changes.render import render_json, render_markdown, render_text

    lean_memory_pool()
    result = diff(old, new, list(tables) or None)
    if output_format == "json":
        click.echo(render_json(result, summary_only))
    elif output_format == "markdown":
        click.echo(render_markdown(result, summary_only), nl=False)
    else:
        click.echo(render_text(result, summary_only, colour=sys.stdout.isatty()))
    sys.exit(0 if result.is_empty else 1)

