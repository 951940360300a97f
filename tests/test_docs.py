"""The docs keep up with the code: every command is in README, and every --help works."""

from __future__ import annotations

import click
from click.testing import CliRunner
from conftest import REPO

from tradecurbs.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix}{name} ")
    return names


def test_every_command_is_documented_in_readme():
    missing = [name for name in _commands(main) if f"tradecurbs {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_command_has_help():
    for name in _commands(main):
        result = CliRunner().invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_readme_gives_the_two_set_up_commands():
    assert 'pip install . && tradecurbs' in README
    assert 'pip install ".[test]" && pytest -q' in README
