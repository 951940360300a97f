"""Structure layer: the Table Schema of each resource, checked column by column in Arrow.

Every column is checked as text (empty = missing): type shape, required, enum, pattern
(anchored to the whole value, as frictionless does), minimum/maximum, unique, and a
primary key that is unique and never empty. Each constraint is one vectorized Arrow
compute check giving a mask over the column; only the failing rows become Problems.
A check that cannot run (a pattern RE2 rejects, say) is itself reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..arrays import (
    integer_scalar,
    missing_text,
    number_scalar,
    rows_where,
    take,
    text_array,
    text_scalar,
    to_numpy,
    true_for_missing,
)
from ..datapackage import Field
from ..limits import MAX_PROBLEMS_PER_CODE, MAX_YEAR, MIN_YEAR
from .reading import NUMBER, Text
from .report import Problem, shorten

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_SHAPES = {
    "integer": r"[+-]?[0-9]+",
    "number": NUMBER,
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "boolean": r"true|false|True|False|TRUE|FALSE|1|0",
    "year": r"[1-9][0-9]{3}",  # years 1000-9999, as for dates (tradecurbs.limits)
}


def _type_check(field: Field, text: Text):
    """A vectorized check that each present value has the field's type."""
    import pyarrow.compute as pc

    shape = _SHAPES.get(field.type)

    def check() -> pa.ChunkedArray:
        values = text.column(field.name)
        if field.type == "date":
            ok = pc.and_(pc.is_valid(text.dates(field.name)), pc.equal(pc.binary_length(values), integer_scalar(10)))
        elif field.type == "number":
            ok = pc.is_valid(text.numbers(field.name))
        else:
            ok = pc.match_substring_regex(values, f"^(?:{shape})$")
        return pc.or_kleene(pc.is_null(values), ok)

    return check


def _bound_check(field: Field, text: Text, bound: float, lower: bool):
    import pyarrow.compute as pc

    def check() -> pa.ChunkedArray:
        numbers = text.numbers(field.name) if field.type == "number" else _integers(text.column(field.name))
        limit = number_scalar(bound)
        ok = pc.greater_equal(numbers, limit) if lower else pc.less_equal(numbers, limit)
        return true_for_missing(ok)

    return check


def _integers(values):
    import pyarrow as pa
    import pyarrow.compute as pc

    shaped = pc.match_substring_regex(values, f"^(?:{_SHAPES['integer']})$")
    return pc.if_else(shaped, values, missing_text()[0]).cast(pa.float64())


def _pattern_check(field: Field, text: Text):
    import pyarrow.compute as pc

    def check() -> pa.ChunkedArray:
        ok = pc.match_substring_regex(text.column(field.name), f"^(?:{field.pattern})$")
        return true_for_missing(ok)

    return check


def _enum_check(field: Field, text: Text):
    import pyarrow.compute as pc

    allowed = text_array([str(v) for v in field.enum or ()])

    def check() -> pa.ChunkedArray:
        ok = pc.is_in(text.column(field.name), value_set=allowed)
        return true_for_missing(ok)

    return check


def _field_checks(f: Field, text: Text) -> list[tuple[str, Callable[[], pa.ChunkedArray]]]:
    """(check name, check) for each value constraint of field ``f``; a check gives True where a cell passes."""
    checks = []
    if f.type in _SHAPES:
        checks.append((f"type-error:{f.type}", _type_check(f, text)))
    if f.enum is not None and not f.is_list:
        checks.append(("enum", _enum_check(f, text)))
    if f.pattern is not None and not f.is_list:
        checks.append(("pattern", _pattern_check(f, text)))
    if f.minimum is not None:
        checks.append(("minimum", _bound_check(f, text, f.minimum, True)))
    if f.maximum is not None:
        checks.append(("maximum", _bound_check(f, text, f.maximum, False)))
    return checks


def check_structure(text: Text) -> list[Problem]:
    """Every cell of ``text`` that breaks its field's Table Schema constraints, as Problems.

    Each check is a mask over a whole column; the rows it fails are found with numpy and
    only those (at most the cap per code, the rest counted) are turned into Python values.
    """
    return [problem for job in structure_jobs(text) for problem in job()]


def structure_jobs(text: Text) -> list[Callable[[], list[Problem]]]:
    """``check_structure`` as independent jobs (one per field, one for a composite key), whose
    problems, in this order, are ``check_structure``'s: ``validate`` runs them side by side."""
    resource = text.resource
    if text.table.column_names != resource.field_names:
        mismatch = Problem("header-mismatch", f"the table's fields {text.table.column_names} are not the schema's "
                           f"{resource.field_names}", file=text.file, line=1, table=resource.name)
        return [lambda: [mismatch]]
    jobs: list[Callable[[], list[Problem]]] = [lambda f=f: _check_field(text, f) for f in resource.fields]
    if len(resource.primary_key) > 1:
        jobs.append(lambda: _check_composite_key(text))
    return jobs


def _check_field(text: Text, f: Field) -> list[Problem]:
    import pyarrow as pa
    import pyarrow.compute as pc

    resource = text.resource
    key = list(resource.primary_key)
    problems: list[Problem] = []
    column = text.column(f.name)
    if (f.required or f.name in key) and column.null_count:
        code, message = _describe(f, "not_nullable")
        problems += text.problem(code, rows_where(pc.is_null(column)), f.name, None, message(None))
    if f.unique or (len(key) == 1 and f.name in key):
        problems += _duplicates(text, _repeated(column), f.name)
    for name, check in _field_checks(f, text):
        try:
            failing = rows_where(pc.invert(check()))
        except (pa.ArrowException, ValueError, TypeError) as error:
            problems.append(Problem(
                "schema-error", f"the check {name} of field {f.name} could not run ({error}); fix the field's "
                "constraints in datapackage.json", file=text.file, field=f.name, table=resource.name))
            continue
        if len(failing):
            code, message = _describe(f, name)
            values = take(column, failing[:MAX_PROBLEMS_PER_CODE]).to_pylist()  # the rest are only counted
            problems += text.problem(code, failing, f.name, values, [message(shorten(v)) for v in values])
    return problems


def _check_composite_key(text: Text) -> list[Problem]:
    import pyarrow as pa
    import pyarrow.compute as pc

    key = list(text.resource.primary_key)
    joined = pc.binary_join_element_wise(*[text.column(k).cast(pa.string()) for k in key], text_scalar("\x1f"))
    return _duplicates(text, _repeated(joined), None)


def _repeated(values: pa.ChunkedArray) -> np.ndarray:
    """Rows whose (present) value occurs more than once, in order; missing values never repeat.

    A column in ascending order (as a canonical file's key is) holds its repeats side by
    side, so comparing neighbours finds them; any other column goes through a hash table.
    """
    import numpy as np
    import pyarrow.compute as pc

    if not values.null_count and len(values) > 1:
        previous, current = values.slice(0, len(values) - 1), values.slice(1)
        if not pc.any(pc.less(current, previous)).as_py():
            same = np.flatnonzero(to_numpy(pc.equal(current, previous)))
            return np.union1d(same, same + 1).astype(np.int64)
    return _repeated_by_hash(values)


def _repeated_by_hash(values: pa.ChunkedArray) -> np.ndarray:
    import numpy as np
    import pyarrow.compute as pc

    present = len(values) - values.null_count
    if pc.count_distinct(values, mode="only_valid").as_py() == present:
        return np.empty(0, dtype=np.int64)
    counts = pc.value_counts(values)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), integer_scalar(1)))
    return rows_where(pc.is_in(values, value_set=repeated.drop_null(), skip_nulls=True))


def _duplicates(text: Text, rows, column: Any) -> list[Problem]:
    import numpy as np

    resource = text.resource
    if not len(rows):
        return []
    names = list(resource.primary_key) if column not in resource.field_names else [column]
    rows = np.unique(rows)
    key = text.table.select(names).take(rows).to_pylist()
    first: dict[tuple, int] = {}
    out = []
    for row, record in zip(rows.tolist(), key):
        value = tuple(record[n] for n in names)
        if value not in first:
            first[value] = row
            continue
        shown = ", ".join(str(v) for v in value)
        name = names[0] if len(names) == 1 else None
        kind = "primary key" if set(names) == set(resource.primary_key) else "unique field"
        out += text.problem(
            "primary-key" if kind == "primary key" else "unique-error", [row], name, [shown],
            f"{kind} {', '.join(names)} = {shown!r} repeats line {int(text.lines[first[value]])}; "
            "each record needs its own value")
    return out


def _describe(field: Field, check: str):
    """(problem code, value -> sentence) for a failed check."""
    name = field.name
    if check.startswith("type-error"):
        example = {"date": f"a date YYYY-MM-DD in years {MIN_YEAR}-{MAX_YEAR}, for example 2026-01-31",
                   "integer": "a whole number", "number": "a finite number such as 12.5 (not NaN or INF)",
                   "boolean": "true or false", "year": f"a year YYYY in {MIN_YEAR}-{MAX_YEAR}"}
        return "type-error", lambda v: f"{name} {v!r} is not {example.get(field.type, field.type)}"
    if check == "enum":
        allowed = ", ".join(map(str, field.enum or ()))
        return "constraint-error", lambda v: f"{name} {v!r} is not one of: {allowed}"
    if check == "pattern":
        return "constraint-error", lambda v: f"{name} {v!r} does not match the pattern {field.pattern} (whole value)"
    if check == "minimum":
        return "constraint-error", lambda v: f"{name} {v!r} is below the minimum {field.minimum:g}"
    if check == "maximum":
        return "constraint-error", lambda v: f"{name} {v!r} is above the maximum {field.maximum:g}"
    if check == "not_nullable":
        return "required-error", lambda v: f"{name} is empty; it is required"
    return "constraint-error", lambda v: f"{name} {v!r} fails the check {check}"
