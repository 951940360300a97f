"""`tradecurbs tables`, `show` and `summary`: look at the bundled data, or at any package
(a path, a release version or a git revision, as `tradecurbs diff` takes them)."""

from __future__ import annotations

import json

import click

from ._common import format_option, reports_errors


def _package(spec: str | None):
    from ..api import package
    from ..resolve import resolve

    return package() if spec is None else resolve(spec)


@click.command("tables")
@click.argument("package", required=False, default=None)
@reports_errors
def tables_command(package: str | None) -> None:
    """List the tables with their row counts and descriptions.

    PACKAGE is a package directory, a release version or a git revision (default: the bundled data).
    """
    from ..loading import load_resource

    pkg = _package(package)
    for name in pkg.table_names:
        rows = len(load_resource(pkg, name))
        click.echo(f"{name:<20} {rows:>6} rows  {pkg.resource(name).description}")


@click.command()
@click.argument("table")
@click.argument("package", required=False, default=None)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most N rows.")
@format_option("table", "csv", "json", default="table")
@reports_errors
def show(table: str, package: str | None, limit: int | None, output_format: str) -> None:
    """Print the rows of TABLE (of PACKAGE: a directory, a release version or a git revision)."""
    from ..loading import load_resource
    from ..records import to_csv_text, to_records

    pkg = _package(package)
    resource = pkg.resource(table)
    frame = load_resource(pkg, table)
    if limit is not None:
        frame = frame.head(limit)
    records = to_records(frame)
    if output_format == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        click.echo(to_csv_text(records, resource, resource.field_names), nl=False)
    else:
        click.echo(_as_text_table(records, resource.field_names))


def _as_text_table(records: list[dict], columns: list[str], width: int = 32, full: tuple[str, ...] = ()) -> str:
    """Records as aligned text columns; cells cut to ``width`` characters except in the ``full`` columns."""
    def cell(value: object, column: str) -> str:
        text = ";".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        text = text.replace("\n", " ")
        return text if len(text) <= width or column in full else text[: width - 1] + "…"

    cells = [[cell(r[c], c) for c in columns] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(records)} rows)")
    return "\n".join(lines)


@click.command()
@click.argument("path", required=False, default=None)
@format_option("text", "markdown", "json", default="text")
@reports_errors
def summary(path: str | None, output_format: str) -> None:
    """Show what the data covers: counts by jurisdiction, year and status.

    PATH is a package directory, a release version or a git revision (default: the bundled data).
    """
    from ..coverage import coverage, render_markdown, render_text

    result = coverage(_package(path))
    if output_format == "json":
        click.echo(json.dumps(result, indent=2))
    elif output_format == "markdown":
        click.echo(render_markdown(result), nl=False)
    else:
        click.echo(render_text(result))
