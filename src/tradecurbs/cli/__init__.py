"""The ``tradecurbs`` command line: thin commands over the library.

Only click is imported at start-up; each command imports what it needs when it
runs, so ``tradecurbs --help`` stays fast.
"""

from __future__ import annotations

import os

import click

# numpy starts an OpenBLAS worker thread per core when it is imported, which then spins for
# a while; no command uses BLAS, and on a small machine it takes CPU from Arrow's threads.
# A value the user set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .._version import __version__
from ._common import Group, debug_option
from .browse import show, summary, tables_command
from .changes import diff_command
from .check import format_command, validate_command
from .ingest import ingest
from .measures import current_command, history_command, measures_command, timeline_command
from .outputs import export, site
from .releases import download_command, release, versions_command


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@debug_option
@click.version_option(__version__, "--version", prog_name="tradecurbs", message="%(prog)s %(version)s")
def main() -> None:
    """Curated, sourced tables of trade restrictions: browse, validate, diff, release."""


main.add_command(tables_command)
main.add_command(show)
main.add_command(summary)
main.add_command(diff_command)
main.add_command(release)
main.add_command(versions_command)
main.add_command(download_command)
main.add_command(validate_command)
main.add_command(format_command)
main.add_command(ingest)
main.add_command(site)
main.add_command(export)
for command in (measures_command, current_command, history_command, timeline_command):
    main.add_command(command)
