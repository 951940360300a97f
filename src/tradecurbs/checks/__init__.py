"""``validate(path)``: every problem of a Data Package, in one Report.

Layers, each vectorized: reading (file, UTF-8, CSV shape, header), structure (the
Table Schema, one Arrow check per constraint), relations (foreign keys, list items included),
rules (``validation/rules.json``) and hygiene (canonical shape, formula-like text,
unused sources). A table that cannot be read is reported and skipped by later layers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .report import ERROR, WARNING, Problem, Report

if TYPE_CHECKING:
    import numpy as np

    from ..datapackage import Package
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
    texts = _read_all(package, report)
    for problems in _checks(package, texts, today or date.today()):
        report.add(problems)
    return report


def _read_all(package: Package, report: Report) -> dict[str, Text]:
    """Every table of ``package`` read as text; what cannot be read goes into ``report``,
    with each CSV file's lines accounted for."""
    from .reading import read_text_table

    texts = {}
    for resource in package.resources.values():
        text, problems = read_text_table(package, resource)
        report.add(problems)
        if text is not None:
            texts[resource.name] = text
            if resource.format == "csv" and text.file == resource.path:  # not a Parquet alternate read instead
                report.files[text.file] = {"lines": text.physical_lines, "records": text.table.num_rows,
                                           "inside": text.inside, "reported": text.reported}
    return texts


def _checks(package: Package, texts: dict[str, Text], today: date) -> Iterator[list[Problem]]:
    """Every check after reading, as lists of problems in the order they are reported.

    Arrow and numpy release the GIL, so the checks run on two threads: first the parsed
    columns several checks share (dates, numbers, list items), then the checks themselves.
    The problems come back in the order of the jobs, whatever order they finish in, so a
    report (and which problems fill the cap per code) never depends on the timing.
    """
    from concurrent.futures import ThreadPoolExecutor

    from . import hygiene
    from .relations import check_foreign_keys
    from .rules import load_rules, run_rules
    from .structure import structure_jobs

    shared = []
    for text in texts.values():
        for f in text.resource.fields:
            if f.is_list:
                shared.append(partial(text.items, f.name))
            elif f.type in ("date", "number"):
                shared.append(partial(text.dates if f.type == "date" else text.numbers, f.name))
    names = set(package.table_names)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in pool.map(lambda job: job(), shared):
            pass
        per_table = {name: ([pool.submit(job) for job in structure_jobs(text)],
                            [pool.submit(lambda t=text: list(check_foreign_keys(t, texts, names)))]
                            + [pool.submit(lambda t=text, c=check: list(c(t))) for check in hygiene.TABLE_CHECKS])
                     for name, text in texts.items()}
        rules = pool.submit(lambda: list(run_rules(load_rules(), texts, today)))
        unused = pool.submit(lambda: list(hygiene.unused_sources(texts)))
        for name, (structure, others) in per_table.items():
            found = [problem for job in structure for problem in job.result()]
            yield found
            for job in others:
                yield job.result()
            yield list(hygiene.duplicate_rows(texts[name], _repeated_keys(texts[name], found)))
        yield rules.result()
        yield unused.result()


def _repeated_keys(text: Text, structure: list[Problem]) -> np.ndarray | None:
    """Rows whose primary key repeats an earlier row's (None when the table has no primary key)."""
    import numpy as np

    if not text.resource.primary_key:
        return None
    lines = [p.line for p in structure if p.code == "primary-key"]
    return np.searchsorted(text.lines, np.asarray(lines, dtype=np.int64))
