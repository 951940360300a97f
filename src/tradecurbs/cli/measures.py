"""`tradecurbs measures`, `history` and `timeline`: questions over time, thin over the library."""

from __future__ import annotations

import json
from datetime import date

import click

from ._common import format_option, reports_errors

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: object) -> date | None:
    return value.date() if value is not None else None


def _emit(frame: object, output_format: str) -> None:
    from ..records import frame_records, to_csv_text, to_markdown_table
    from .browse import _as_text_table

    records, types = frame_records(frame)
    columns = list(frame.columns)
    if output_format == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        click.echo(to_csv_text(records, None, columns, types), nl=False)
    elif output_format == "markdown":
        click.echo(to_markdown_table(records, columns), nl=False)
    else:
        click.echo(_as_text_table(records, columns, full=("id", "record_id")))


#: The columns the text and markdown views show (csv and json show all).
_SHORT = ["table", "id", "target_match", "kind", "what", "started_on", "ended_on", "status", "status_since"]


@click.command("measures")
@click.option("--by", "imposing", metavar="ISO3", help="Imposing (issuing, investigating) jurisdiction.")
@click.option("--against", "target", metavar="ISO3",
              help="Target jurisdiction; measures on all destinations (WLD) match too.")
@click.option("--in-force-on", type=_DATE, metavar="DATE", help="Only measures in force on DATE.")
@click.option("--between", nargs=2, type=_DATE, metavar="START END", help="Only measures active in the interval.")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable).")
@click.option("--hs", metavar="CODE", help="HS code prefix, matched both ways.")
@click.option("--text", metavar="WORDS", help="Words to find in the text fields (case-insensitive).")
@click.option("--on", type=_DATE, metavar="DATE", help="Give the status on DATE (default: the filter's date or today).")
@click.option("--version", "version", metavar="VERSION", help="Query a pinned release instead of the bundled data.")
@format_option("table", "csv", "json", "markdown", default="table")
@reports_errors
def measures_command(imposing, target, in_force_on, between, tables, hs, text, on, version,
                     output_format: str) -> None:
    """List measures from every measure table, with their status on a day."""
    from ..temporal.measures import measures

    frame = measures(imposing=imposing, target=target, in_force_on=_day(in_force_on),
                     between=(_day(between[0]), _day(between[1])) if between else None,
                     table=list(tables) or None, hs=hs, text=text, on=_day(on), version=version)
    _emit(frame if output_format in ("json", "csv") else frame[_SHORT], output_format)


@click.command("current")
@click.option("--by", "imposing", metavar="ISO3", help="Imposing (issuing, investigating) jurisdiction.")
@click.option("--against", "target", metavar="ISO3", help="Target jurisdiction (WLD measures match too).")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable).")
@click.option("--hs", metavar="CODE", help="HS code prefix, matched both ways.")
@click.option("--text", metavar="WORDS", help="Words to find in the text fields (case-insensitive).")
@click.option("--on", type=_DATE, metavar="DATE", help="What stood on DATE (default today).")
@click.option("--version", "version", metavar="VERSION", help="Query a pinned release instead of the bundled data.")
@format_option("table", "csv", "json", "markdown", default="table")
@reports_errors
def current_command(imposing, target, tables, hs, text, on, version, output_format: str) -> None:
    """List what stands: measures not over, the latest advisory per issuer, destination and type."""
    from ..temporal.current import current

    frame = current(imposing=imposing, target=target, table=list(tables) or None, hs=hs, text=text,
                    on=_day(on), version=version)
    _emit(frame if output_format in ("json", "csv") else frame[_SHORT], output_format)


@click.command("history")
@click.argument("record_id", metavar="ID")
@click.option("--version", "version", metavar="VERSION", help="Read a pinned release instead of the bundled data.")
@format_option("table", "csv", "json", "markdown", default="table")
@reports_errors
def history_command(record_id: str, version: str | None, output_format: str) -> None:
    """Show the dated steps of record ID, oldest first, with their sources."""
    from ..temporal.measures import history

    frame = history(record_id, version=version)
    shown = ["event_on", "kind", "until_on", "scheduled", "status_after", "summary", "source_ids"]
    _emit(frame if output_format in ("json", "csv") else frame[shown], output_format)


@click.command("timeline")
@click.option("--by", "imposing", required=True, metavar="ISO3", help="Imposing jurisdiction.")
@click.option("--against", "target", required=True, metavar="ISO3", help="Target jurisdiction.")
@click.option("--since", type=_DATE, metavar="DATE", help="First day shown (default: a year before --until).")
@click.option("--until", type=_DATE, metavar="DATE", help="Last day shown (default today).")
@click.option("--both-ways", is_flag=True, help="Also the measures of --against on --by.")
@click.option("--include-wld", is_flag=True, help="Also measures aimed at all destinations (WLD).")
@click.option("--all-active", is_flag=True, help="Also measures active in the window without a step in it.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE.png|FILE.svg",
              help="Picture to write.")
@reports_errors
def timeline_command(imposing: str, target: str, since, until, both_ways: bool, include_wld: bool,
                     all_active: bool, out: str) -> None:
    """Draw the measures between two jurisdictions as bars over time, one lane per measure."""
    from ..api import load
    from ..outputs.timeline import draw, timeline_data

    data = timeline_data(imposing, target, _day(since), _day(until), both_ways=both_ways, include_wld=include_wld,
                         all_active=all_active)
    jurisdictions = load("jurisdictions")
    names = dict(zip(jurisdictions["code"].astype(str), jurisdictions["name"].astype(str), strict=True))
    path = draw(data, out, names)
    click.echo(f"wrote {path} ({len(data['lanes'])} measures)")
