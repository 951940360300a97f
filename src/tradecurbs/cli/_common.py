"""What every command shares: error handling and shared options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class Trouble(click.ClickException):
    """The command could not run (exit 2, like diff(1)): a one-line message."""

    exit_code = 2


def reports_errors(command: F) -> F:
    """Turn the library's errors into a one-line message and exit status 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import TradecurbsError

        try:
            return command(*args, **kwargs)
        except TradecurbsError as error:
            raise Trouble(str(error)) from None

    return wrapper  # type: ignore[return-value]


def debugging() -> bool:
    """True when ``--debug`` was given (or TRADECURBS_DEBUG=1 is set): show tracebacks."""
    import os

    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    return bool(root is not None and (root.meta.get("tradecurbs.debug"))) or os.environ.get("TRADECURBS_DEBUG") == "1"


class Group(click.Group):
    """The command group: any unexpected error is exit status 2 and one line, never 1.

    Exit status 1 means "problems found" (validate) or "different" (diff), so a crash
    must not look like either. ``--debug`` prints the traceback instead.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader stopped early (`| head`): the rest is not wanted
            _quiet_stdout()
            raise SystemExit(141) from None  # as a shell reports a program ended by SIGPIPE
        except Exception as error:  # noqa: BLE001 - the boundary of every command
            if debugging():
                raise
            first = (str(error).splitlines() or [""])[0][:300]
            raise Trouble(f"internal error: {type(error).__name__}: {first} (run with --debug for the traceback; "
                          "please report it)") from None


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that Python's last flush at exit
    does not fail on the closed pipe again and print a message of its own."""
    import os
    import sys

    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout without a file descriptor (a test runner's)
        pass
    finally:
        os.close(devnull)


def debug_option(command: F) -> F:
    """The group's ``--debug`` flag."""

    def remember(ctx: click.Context, _: click.Parameter, value: bool) -> bool:
        ctx.meta["tradecurbs.debug"] = value
        return value

    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=remember,
                        help="Print the traceback of an unexpected error.")(command)


def format_option(*choices: str, default: str) -> Callable[[F], F]:
    """The shared ``--format`` option."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def lean_memory_pool() -> None:
    """This process's Arrow allocations from jemalloc, where pyarrow ships it (the CLI's
    heavy commands; a library call leaves the caller's process as it is).

    Fresh memory pages are dear where it was measured (the kernel zeroes each one, and
    the default pool asks for 2 MB huge pages), and jemalloc reuses memory in small
    pages. When this was chosen, in alternating runs at 1M rows, validate took 3.1-3.5 s
    instead of 5.4-5.9 s and diff 3.8-3.9 s instead of 6.1-8.3 s, and a 100k-row release
    build 9.2-11.2 s instead of 11.0-12.2 s, each with less peak memory. Checked again
    with the lines-first diff (four alternating runs of `diff --format json` at 1M rows):
    jemalloc 2.97-3.11 s and 1.05-1.07 GB, mimalloc 3.39-3.77 s (twice the system time)
    and 1.12-1.14 GB, the system allocator 2.85-3.50 s and 1.12-1.23 GB.
    """
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a build without jemalloc (Windows, some platforms)
        pass
