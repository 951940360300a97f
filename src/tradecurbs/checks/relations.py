"""Relations layer: foreign keys, on scalar fields (from the schema) and on list items (from rules).

Values are compared with vectorized set membership (``pyarrow.compute.is_in``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..arrays import rows_where, take, text_scalar, to_numpy
from .reading import Text
from .report import Problem

if TYPE_CHECKING:
    import pyarrow as pa


def _values(texts: dict[str, Text], targets: list[tuple[str, str]]) -> pa.Array | None:
    """Every value of the target columns (None when no target table could be read)."""
    import pyarrow as pa

    arrays = [texts[t].column(f) for t, f in targets if t in texts and f in texts[t].resource.field_names]
    if not arrays:
        return None
    chunks = [chunk for array in arrays for chunk in array.cast(pa.string()).chunks]
    return pa.chunked_array(chunks, type=pa.string()).drop_null()


def check_foreign_keys(text: Text, texts: dict[str, Text], tables: set[str]) -> Iterator[Problem]:
    """Each schema foreign key (single field) must name an existing value of its target.

    ``texts`` are the tables that could be read, ``tables`` all the package's table names.
    """
    import pyarrow.compute as pc

    for key in text.resource.foreign_keys:
        if len(key.fields) != 1:
            continue
        name, target_table, target_field = key.fields[0], key.reference_table, key.reference_fields[0]
        if target_table not in tables:
            yield Problem("schema-error", f"the foreign key on {name} refers to table {target_table!r}, which the "
                          f"package does not have; tables: {', '.join(sorted(tables))}",
                          file=text.file, field=name, table=text.resource.name)
            continue
        allowed = _values(texts, [(target_table, target_field)])
        if allowed is None:
            continue
        column = text.column(name)
        bad = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=allowed)))
        rows = rows_where(bad)
        values = take(column, rows).to_pylist()
        yield from text.problem(
            "foreign-key", rows, name, values,
            [f"{name} {v!r} is not a {target_field} in table {target_table}; use an existing "
             f"{target_field} or add that record to {target_table}" for v in values])


def list_reference(text: Text, texts: dict[str, Text], field: str, targets: list[list[str]],
                   **_: object) -> Iterator[Problem]:
    """Each item of list ``field`` must be a value of one of ``targets`` ([table, field] pairs)."""
    import pyarrow.compute as pc

    allowed = _values(texts, [(t, f) for t, f in targets])
    if allowed is None:
        return
    if text.column(field).null_count == len(text.column(field)):
        return
    parents, _, items = text.items(field)
    bad = pc.and_(pc.not_equal(items, text_scalar("")), pc.invert(pc.is_in(items, value_set=allowed)))
    where = rows_where(bad)
    rows = to_numpy(take(parents, where))
    values = take(items, where).to_pylist()
    names = " or ".join(f"a {f} in table {t}" for t, f in targets)
    yield from text.problem(
        "foreign-key", rows, field, values,
        [f"{field} item {v!r} is not {names}; use an existing one or add that record" for v in values])
