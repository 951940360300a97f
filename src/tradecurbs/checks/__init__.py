"""``validate(path)``: every problem of a Data Package, in one Report.

Layers, each vectorized: reading (file, UTF-8, CSV shape, header), structure (the
Table Schema, one Arrow check per constraint), relations (foreign keys, list items included),
rules (``validation/rules.json``) and hygiene (canonical shape, formula-like text,
unused sources). A table that cannot be read is reported and skipped by later layers.
"""

from __future__ import annotations

import os
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

    With the default ``"."`` and no ``datapackage.json`` there, the data bundled with
    tradecurbs is validated, and the report's ``note`` says so.

    Bad data is reported, never raised. PackageError (the CLI's exit 2) is raised only
    when there is no package to validate: no descriptor, one that is not valid JSON, or
    one of the wrong shape (a resource or field without a name, for example).
    ``today`` (default: the current date) is the limit of the future-date rule.
    """
    from .. import limits
    from .._version import __version__
    from ..datapackage import DESCRIPTOR, Package
    from ..errors import PackageError
    from . import hygiene
    from .reading import read_text_table
    from .relations import check_foreign_keys
    from .rules import load_rules, run_rules
    from .structure import check_structure

    note = None
    if str(path) == "." and not os.path.lexists(DESCRIPTOR):
        package = Package.bundled()
        note = (f"no {DESCRIPTOR} in the current directory: validated the data bundled with tradecurbs "
                f"{__version__} ({package.label})")
    else:
        try:
            package = Package.from_directory(path, paths_checked=False)
        except (KeyError, TypeError, AttributeError, ValueError) as error:  # defensive: the shape is checked
            raise PackageError(f"{path}: datapackage.json is not a valid Data Package descriptor "
                               f"({type(error).__name__}: {error})") from None
    report = Report(package.label if note else str(path), tables=package.table_names,
                    cap=limits.MAX_PROBLEMS_PER_CODE, note=note)
    texts = {}
    for resource in package.resources.values():
        text, problems = read_text_table(package, resource)
        report.add(problems)
        if text is not None:
            texts[resource.name] = text
            if resource.format == "csv" and text.file == resource.path:  # not a Parquet alternate read instead
                report.files[text.file] = {"lines": text.physical_lines, "records": text.table.num_rows,
                                           "inside": text.inside, "reported": text.reported}
    for text in texts.values():
        structure = check_structure(text)
        report.add(structure)
        report.add(check_foreign_keys(text, texts, set(package.table_names)))
        for check in hygiene.TABLE_CHECKS:
            report.add(check(text))
        report.add(hygiene.duplicate_rows(text, _repeated_keys(text, structure)))
    report.add(run_rules(load_rules(), texts, today or date.today()))
    report.add(hygiene.unused_sources(texts))
    return report


def _repeated_keys(text: Text, structure: list[Problem]) -> np.ndarray | None:
    """Rows whose primary key repeats an earlier row's (None when the table has no primary key)."""
    import numpy as np

    if not text.resource.primary_key:
        return None
    lines = [p.line for p in structure if p.code == "primary-key"]
    return np.searchsorted(text.lines, np.asarray(lines, dtype=np.int64))
