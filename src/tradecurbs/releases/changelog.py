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
    block = section.rstrip("\n") + "\n\n"
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        block = "\n" + block
    changelog.write_text("".join(lines[:at]) + block + "".join(lines[at:]), encoding="utf-8")


def is_unreleased(line: str) -> bool:
    return line.strip().lower().startswith("## [unreleased]")
