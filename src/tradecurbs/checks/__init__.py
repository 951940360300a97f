"""``validate(path)``: every problem of a Data Package, in one Report.

Layers, each vectorized: reading (file, UTF-8, CSV shape, header), structure (the
Table Schema compiled into pandera), relations (foreign keys, list items included),
rules (``validation/rules.json``) and hygiene (canonical shape, formula-like text,
unused sources). A table that cannot be read is reported and skipped by later layers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from .report import ERROR, WARNING, Problem, Report

if TYPE_CHECKING:
    import numpy as np

    from .reading import Text

__all__ = ["ERROR", "WARNING", "Problem", "Report", "validate"]


def validate(path: str | Path = ".", today: date | None = None) -> Report:
    """Validate the package whose ``datapackage.json`` is in directory ``path``.

    Bad data is reported, never raised. PackageError (the CLI's exit 2) is raised only
    when there is no package to validate: no descriptor, one that is not valid JSON, or
    one of the wrong shape (a resource or field without a name, for example).
    ``today`` (default: the current date) is the limit of the future-date rule.
    """
    from ..errors import PackageError
    from ..datapackage import Package
    from . import hygiene
    from .reading import read_text_table
    from .relations import check_foreign_keys
    from .rules import load_rules, run_rules
    from .structure import check_structure

    try:
        package = Package.from_directory(path)
    except (KeyError, TypeError, AttributeError, ValueError) as error:  # a descriptor of the wrong shape
        raise PackageError(f"{path}: datapackage.json is not a valid Data Package descriptor "
                           f"({type(error).__name__}: {error})") from None
    report = Report(str(path), tables=package.table_names)
    texts = {}
    for resource in package.resources.values():
        text, problems = read_text_table(package, resource)
        report.problems += problems
        if text is not None:
            texts[resource.name] = text
    for text in texts.values():
        structure = check_structure(text)
        report.problems += structure
        report.problems += check_foreign_keys(text, texts, set(package.table_names))
        for check in hygiene.TABLE_CHECKS:
            report.problems += check(text)
        report.problems += hygiene.duplicate_rows(text, _repeated_keys(text, structure))
    report.problems += run_rules(load_rules(), texts, today or date.today())
    report.problems += hygiene.unused_sources(texts)
    return report


def _repeated_keys(text: Text, structure: list[Problem]) -> np.ndarray | None:
    """Rows whose primary key repeats an earlier row's (None when the table has no primary key)."""
    import numpy as np

    if not text.resource.primary_key:
        return None
    lines = [p.line for p in structure if p.code == "primary-key"]
    return np.searchsorted(text.lines, np.asarray(lines, dtype=np.int64))
