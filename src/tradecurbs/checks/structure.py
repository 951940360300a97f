"""Structure layer: the Table Schema of each resource, compiled into a pandera schema.

pandera's own frictionless importer lacks list, date and foreign-key support, so the
compiler is ours. Every column is checked as text (empty = missing): type shape,
required, enum, pattern (anchored to the whole value, as frictionless does),
minimum/maximum, unique, and a primary key that is unique and never empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..arrays import integer_scalar, missing_text, number_scalar, text_array, text_scalar, true_for_missing
from ..datapackage import Field
from ..limits import MAX_PROBLEMS_PER_CODE, MAX_YEAR, MIN_YEAR
from .reading import NUMBER, Text
from .report import Problem, shorten

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa_schema

_SHAPES = {
    "integer": r"[+-]?[0-9]+",
    "number": NUMBER,
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "boolean": r"true|false|True|False|TRUE|FALSE|1|0",
    "year": r"[1-9][0-9]{3}",  # years 1000-9999, as for dates (tradecurbs.limits)
}


def _to_series(mask, series: pd.Series | None) -> pd.Series:
    """An Arrow boolean mask as the pandas Series pandera expects from a check (the mask
    itself when called without a series, by the pandera-free first pass)."""
    if series is None:
        return mask
    import pandas as pd

    return pd.Series(mask.to_numpy(zero_copy_only=False), index=series.index)


def _type_check(field: Field, text: Text):
    """A vectorized check that each present value has the field's type."""
    import pyarrow.compute as pc

    shape = _SHAPES.get(field.type)

    def check(series: pd.Series) -> pd.Series:
        values = text.column(field.name)
        if field.type == "date":
            ok = pc.and_(pc.is_valid(text.dates(field.name)), pc.equal(pc.binary_length(values), integer_scalar(10)))
        elif field.type == "number":
            ok = pc.is_valid(text.numbers(field.name))
        else:
            ok = pc.match_substring_regex(values, f"^(?:{shape})$")
        return _to_series(pc.or_kleene(pc.is_null(values), ok), series)

    return check


def _bound_check(field: Field, text: Text, bound: float, lower: bool):
    import pyarrow.compute as pc

    def check(series: pd.Series) -> pd.Series:
        numbers = text.numbers(field.name) if field.type == "number" else _integers(text.column(field.name))
        limit = number_scalar(bound)
        ok = pc.greater_equal(numbers, limit) if lower else pc.less_equal(numbers, limit)
        return _to_series(true_for_missing(ok), series)

    return check


def _integers(values):
    import pyarrow as pa
    import pyarrow.compute as pc

    shaped = pc.match_substring_regex(values, f"^(?:{_SHAPES['integer']})$")
    return pc.if_else(shaped, values, missing_text()[0]).cast(pa.float64())


def _pattern_check(field: Field, text: Text):
    import pyarrow.compute as pc

    def check(series: pd.Series) -> pd.Series:
        ok = pc.match_substring_regex(text.column(field.name), f"^(?:{field.pattern})$")
        return _to_series(true_for_missing(ok), series)

    return check


def _enum_check(field: Field, text: Text):
    import pyarrow.compute as pc

    allowed = text_array([str(v) for v in field.enum or ()])

    def check(series: pd.Series) -> pd.Series:
        ok = pc.is_in(text.column(field.name), value_set=allowed)
        return _to_series(true_for_missing(ok), series)

    return check


def _field_checks(f: Field, text: Text) -> list[tuple[str, Callable]]:
    """(pandera check name, check) for each constraint of field ``f``."""
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


def _passes(text: Text) -> bool:
    """Whether every structure check passes, decided on the Arrow columns alone.

    The same checks the pandera schema runs, so a valid table is validated without
    importing pandas or pandera (most of a small package's time). Any doubt (a failing
    cell, an empty cell in a unique column, a check that raises) returns False, and
    pandera then runs the full schema and reports every problem.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    resource = text.resource
    key = list(resource.primary_key)
    if text.table.column_names != resource.field_names:
        return False
    try:
        for f in resource.fields:
            column = text.column(f.name)
            unique = f.unique or (len(key) == 1 and f.name in key)
            if (f.required or f.name in key or unique) and column.null_count:
                return False
            if unique and pc.count_distinct(column).as_py() != len(column):
                return False
            for _, check in _field_checks(f, text):
                mask = check(None)
                if mask.null_count or (len(mask) and not pc.all(mask).as_py()):
                    return False
        if len(key) > 1:
            joined = pc.binary_join_element_wise(*[text.column(k).cast(pa.string()) for k in key],
                                                 text_scalar("\x1f"))
            if joined.null_count or pc.count_distinct(joined).as_py() != len(joined):
                return False
    except Exception:  # noqa: BLE001 - pandera runs the check again and reports why it cannot run
        return False
    return True


def compile_schema(text: Text) -> pa_schema.DataFrameSchema:
    """The pandera schema of a table's text frame, compiled from its Table Schema.

    Checks compute on the table's Arrow columns (shared with the rules, parsed once).
    """
    import pandera.pandas as pa_schema

    resource = text.resource

    key = set(resource.primary_key)
    columns = {}
    for f in resource.fields:
        checks = [pa_schema.Check(check, name=name, ignore_na=False) for name, check in _field_checks(f, text)]
        columns[f.name] = pa_schema.Column(
            None, checks=checks, nullable=not (f.required or f.name in key),
            unique=f.unique or (len(key) == 1 and f.name in key), required=True, coerce=False,
        )
    unique = list(resource.primary_key) if len(resource.primary_key) > 1 else None
    return pa_schema.DataFrameSchema(columns, unique=unique, report_duplicates="all", name=resource.name)


def check_structure(text: Text) -> list[Problem]:
    """Run the compiled schema over the text table; every failing cell becomes a Problem."""
    if _passes(text):
        return []
    import pandas as pd
    import pandera.errors as pandera_errors

    frame = text.table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = pd.RangeIndex(len(frame))
    schema = compile_schema(text)
    try:
        schema.validate(frame, lazy=True)
    except pandera_errors.SchemaErrors as errors:
        return _problems(text, errors.failure_cases)
    return []


def _problems(text: Text, failures: pd.DataFrame) -> list[Problem]:
    resource = text.resource
    problems: list[Problem] = []
    for _, failure in failures[failures["index"].isna()].iterrows():
        problems.append(Problem(
            "schema-error", f"the check {failure['check']} of field {failure['column']} could not run "
            f"({failure['failure_case']}); fix the field's constraints in datapackage.json",
            file=text.file, field=failure["column"], table=resource.name))
    failures = failures[failures["index"].notna()]
    for (column, check), group in failures.groupby(["column", "check"], sort=False, dropna=False):
        rows = group["index"].astype("int64").to_numpy()
        if check == "field_uniqueness" or check == "multiple_fields_uniqueness" or check == "DataFrameSchema":
            problems += _duplicates(text, rows, column)
            continue
        values = group["failure_case"].iloc[:MAX_PROBLEMS_PER_CODE].tolist()  # the rest are only counted
        field = resource.field(column)
        code, message = _describe(field, str(check))
        messages = [message(shorten(v)) for v in values]
        problems += text.problem(code, rows, column, values, messages)
    return problems


def _duplicates(text: Text, rows, column: Any) -> list[Problem]:
    import numpy as np

    resource = text.resource
    names = list(resource.primary_key) if column not in resource.field_names else [column]
    key = text.table.select(names).take(np.unique(rows)).to_pylist()
    rows = np.unique(rows)
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
    """(problem code, value -> sentence) for a failed pandera check."""
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
