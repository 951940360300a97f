"""A release's section of a Keep-a-Changelog file."""

from __future__ import annotations

from pathlib import Path


def insert_section(changelog: Path, section: str) -> None:
    """Insert a release's section below the ``## [Unreleased]`` block of a Keep-a-Changelog file."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else "# Changelog\n\n## [Unreleased]\n"
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    unreleased = next((i for i in starts if is_unreleased(lines[i])), None)
    after = [i for i in starts if unreleased is not None and i > unreleased]
    at = after[0] if after else len(lines)
    before, rest = "".join(lines[:at]).rstrip("\n"), "".join(lines[at:])
    block = section.strip("\n") + "\n"  # set apart by one blank line on each side
    changelog.write_text(before + "\n\n" + block + ("\n" + rest if rest else ""), encoding="utf-8")


def is_unreleased(line: str) -> bool:
    return line.strip().lower().startswith("## [unreleased]")
