"""Hygiene layer: the file is in the one canonical shape, and nothing in it is dangerous.

Whitespace, line endings and row order are fixed by ``tradecurbs format``, so those
problems carry that hint. Formula-like text and duplicate rows need a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..arrays import (
    edge_bytes,
    false_for_missing,
    integer_scalar,
    maybe_padded,
    rows_where,
    take,
    text_scalar,
    to_numpy,
)
from .reading import FORMAT_HINT, Text
from .report import Problem

_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def whitespace(text: Text) -> Iterator[Problem]:
    """No cell starts or ends with whitespace."""
    import numpy as np
    import pyarrow.compute as pc

    for field in text.resource.fields:
        if field.type not in ("string", "list") or field.enum is not None or field.pattern is not None:
            continue  # other fields would fail their type, enum or pattern check anyway
        name = field.name
        column = text.column(name)
        # Arrow's Unicode trim decides, for the few cells that may be padded.
        candidates = np.flatnonzero(maybe_padded(column))
        if not len(candidates):
            continue
        values = take(column, candidates)
        rows = candidates[to_numpy(false_for_missing(pc.not_equal(pc.utf8_trim_whitespace(values), values)))]
        yield from text.problem("whitespace", rows, name, take(column, rows).to_pylist(),
                                f"{name} has leading or trailing whitespace", hint=FORMAT_HINT)


def formulas(text: Text) -> Iterator[Problem]:
    """No text cell, nor list item, starts with = + - @ (a spreadsheet would run it), unless it is a number."""
    import numpy as np
    import pyarrow.compute as pc

    starters = np.frombuffer(b"=+-@", dtype=np.uint8)
    for field in text.resource.fields:
        if field.type not in ("string", "list"):
            continue
        column = text.column(field.name)
        # every item, not only the first: a spreadsheet may get them split
        values = text.items(field.name)[2] if field.is_list else column
        first, _, present = edge_bytes(values)  # the four starters are ASCII: one byte each
        candidates = np.flatnonzero(present & np.isin(first, starters))
        if not len(candidates):
            continue
        numeric = to_numpy(false_for_missing(pc.match_substring_regex(take(values, candidates), _NUMBER)))
        rows = candidates[~numeric]
        if field.is_list:
            rows = np.unique(to_numpy(take(text.items(field.name)[0], rows)))
        yield from text.problem(
            "formula", rows, field.name, take(column, rows).to_pylist(),
            f"{field.name} (or one of its items) starts with = + - or @, so a spreadsheet would run it as a "
            "formula; "
            "reword the start of the text")


def line_endings(text: Text) -> Iterator[Problem]:
    """Lines end with LF only."""
    if text.carriage_returns is None:
        return
    line, count = text.carriage_returns
    yield Problem("line-ending", f"the file uses CR or CRLF line endings ({count} CRLF); lines must end with LF",
                  file=text.file, line=line, table=text.resource.name, hint=FORMAT_HINT)


def sorted_by_key(text: Text) -> Iterator[Problem]:
    """Rows are in ascending primary-key order (reported once, at the first row out of order)."""
    import numpy as np
    import pyarrow.compute as pc

    key = list(text.resource.primary_key)
    if not key or text.table.num_rows < 2:
        return
    values = text.column(key[0])
    if len(key) == 1 and not values.null_count:  # sorted (stably) exactly when no value is less than the one before
        descending = rows_where(pc.less(values.slice(1), values.slice(0, len(values) - 1)))
        if not len(descending):
            return
        row = int(descending[0]) + 1
    else:
        order = to_numpy(pc.sort_indices(text.table.select(key), sort_keys=[(k, "ascending") for k in key]))
        if np.array_equal(order, np.arange(len(order))):
            return
        descending = rows_where(pc.greater(values.slice(0, len(values) - 1), values.slice(1)))
        row = int(descending[0]) + 1 if len(descending) else int(np.flatnonzero(order != np.arange(len(order)))[0])
    yield from text.problem("unsorted", [row], key[0], [values[row].as_py()],
                            f"rows are not sorted by {', '.join(key)}: this row comes after "
                            f"{values[row - 1].as_py()!r}", hint=FORMAT_HINT)


def duplicate_rows(text: Text, suspects: Any = None) -> Iterator[Problem]:
    """No two rows are identical in every field.

    ``suspects`` are the rows whose primary key repeats (from the structure layer):
    only those can be identical rows. Without it, rows sharing a first field are compared.
    """
    import pyarrow.compute as pc

    if text.table.num_rows < 2:
        return
    names = text.resource.field_names
    if suspects is not None:
        if len(suspects) == 0:
            return
        first = pc.fill_null(text.column(text.resource.primary_key[0]), text_scalar("\x00"))
        shared = take(first, suspects)
        candidates = rows_where(pc.is_in(first, value_set=shared))
    else:
        first = pc.fill_null(text.column(names[0]), text_scalar("\x00"))
        counts = pc.value_counts(first)
        if pc.max(counts.field("counts")).as_py() < 2:
            return
        shared = counts.field("values").filter(pc.greater(counts.field("counts"), integer_scalar(1)))
        candidates = rows_where(pc.is_in(first, value_set=shared))
    subset = take(text.table, candidates)
    cells = [pc.fill_null(subset.column(n).combine_chunks(), text_scalar("\x00")) for n in names]
    joined = (pc.binary_join_element_wise(*cells, text_scalar("\x1f")) if len(cells) > 1 else cells[0]).to_pylist()
    seen: dict[str, int] = {}
    for row, value in zip(candidates.tolist(), joined):
        if value in seen:
            yield from text.problem("duplicate-row", [row], None, None,
                                    f"this row repeats line {int(text.lines[seen[value]])} exactly; delete one")
        else:
            seen[value] = row


def unused_sources(texts: dict[str, Text], table: str = "sources", field: str = "source_ids") -> Iterator[Problem]:
    """Every source is cited by some record's ``source_ids`` (a warning)."""
    import numpy as np
    import pyarrow.compute as pc

    if table not in texts:
        return
    cited = [t.items(field)[2] for name, t in texts.items() if name != table and field in t.resource.field_names]
    if not cited:
        return
    sources = texts[table]
    ids = sources.column("id")
    # Look the (many) cited items up among the (few) distinct ids, not the other way round.
    distinct = pc.unique(ids)
    is_cited = np.zeros(len(distinct), dtype=bool)
    for items in cited:
        is_cited[to_numpy(pc.index_in(items, value_set=distinct).drop_null())] = True
    rows = rows_where(pc.invert(pc.is_in(ids, value_set=take(distinct, np.flatnonzero(is_cited)))))
    yield from sources.problem("unused-source", rows, "id", take(ids, rows).to_pylist(),
                               f"no record cites this source in {field}; cite it or remove it", severity="warning")


TABLE_CHECKS = (whitespace, formulas, line_endings, sorted_by_key)
