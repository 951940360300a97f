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
