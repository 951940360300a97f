"""``tradecurbs ingest``: read a publisher's advisory feed into a review set; apply a review set."""

from __future__ import annotations

import datetime

import click

from ._common import format_option, reports_errors

FEEDS = ("us-state", "smartraveller", "canada-gac")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


@click.group("ingest")
def ingest() -> None:
    """Ingest official travel-advisory feeds: FEED LOCATION writes a review set, apply adds it to data/."""


def _feed_command(slug: str) -> click.Command:
    @click.command(slug)
    @click.argument("location")
    @click.option("--out", "out", type=click.Path(file_okay=False), help="Write the review set into this directory.")
    @click.option("--captured-on", callback=_date, help="Day the feed was captured (default: today).")
    @click.option("--against", help="Compare with an earlier snapshot (file or URL) instead of the data.")
    @click.option("--against-captured-on", callback=_date, help="Day the earlier snapshot was captured.")
    @click.option("--only", help="Comma-separated ISO3 codes: compare only these destinations.")
    @click.option("--path", "root", default=".", show_default=True, type=click.Path(file_okay=False),
                  help="The package whose data the feed is compared with.")
    @format_option("markdown", "json", default="markdown")
    @reports_errors
    def command(location: str, out: str | None, captured_on: str | None, against: str | None,
                against_captured_on: str | None, only: str | None, root: str, output_format: str) -> None:
        """Read the feed at LOCATION (a file or URL) and report what it changes.

        Exit status: 0 nothing to change, 1 changes (or unreadable items) found, 2 cannot run.
        """
        import json

        from ..datapackage import Package
        from ..ingest import ingest_feed, render_markdown, write_review

        captured = captured_on or datetime.date.today().isoformat()
        codes = {c.strip().upper() for c in only.split(",") if c.strip()} if only else None
        review = ingest_feed(slug, location, captured, root=root, against=against,
                             captured_against=against_captured_on, only=codes)
        if out:
            if against is not None:
                raise click.UsageError("--out writes rows for the data: it cannot be used with --against")
            write_review(review, out, Package.from_directory(root))
        click.echo(render_markdown(review) if output_format == "markdown"
                   else json.dumps(review.to_dict(), indent=2, sort_keys=True))
        changed = review.count("new") + review.count("level_changed") + review.count("gone") + len(review.bad)
        raise SystemExit(1 if changed else 0)

    command.help = f"Read the {slug} feed at LOCATION (a file or URL) and report what it changes.\n\n" \
                   "Exit status: 0 nothing to change, 1 changes (or unreadable items) found, 2 cannot run."
    return command


for _slug in FEEDS:
    ingest.add_command(_feed_command(_slug))


@ingest.command("apply")
@click.argument("review_dir", type=click.Path(file_okay=False))
@click.option("--path", "root", default=".", show_default=True, type=click.Path(file_okay=False),
              help="The package to add the rows to.")
@reports_errors
def apply_command(review_dir: str, root: str) -> None:
    """Add the rows of the review set in REVIEW_DIR to the package's data, then validate it.

    Nothing is changed if the result would not validate.
    """
    from ..ingest import apply_review

    applied = apply_review(review_dir, root)
    for table, count in applied.added.items():
        click.echo(f"{table}: {count} rows added")
