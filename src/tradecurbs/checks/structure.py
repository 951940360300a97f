"""Structure layer: the Table Schema of each resource, compiled into a pandera schema.

pandera's own frictionless importer lacks list, date and foreign-key support, so the
compiler is ours. Every column is checked as text (empty = missing): type shape,
required, enum, pattern (anchored to the whole value, as frictionless does),
minimum/maximum, unique, and a primary key that is unique and never empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def _to_series(mask, series: pd.Series) -> pd.Series:
    """An Arrow boolean mask as the pandas Series pandera expects from a check."""
    import pandas as pd

    return pd.Series(mask.to_numpy(zero_copy_only=False), index=series.index)


def _type_check(field: Field, text: Text):
    """A vectorized check that each present value has the field's type."""
    import pyarrow.compute as pc

    shape = _SHAPES.get(field.type)

    def check(series: pd.Series) -> pd.Series:
        values = text.column(field.name)
        if field.type == "date":
            ok = pc.and_(pc.is_valid(text.dates(field.name)), pc.equal(pc.binary_length(values), 10))
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
        ok = pc.greater_equal(numbers, bound) if lower else pc.less_equal(numbers, bound)
        return _to_series(pc.fill_null(ok, True), series)

    return check


def _integers(values):
    import pyarrow as pa
    import pyarrow.compute as pc

    shaped = pc.match_substring_regex(values, f"^(?:{_SHAPES['integer']})$")
    return pc.if_else(shaped, values, pa.scalar(None, pa.string())).cast(pa.float64())


def _pattern_check(field: Field, text: Text):
    import pyarrow.compute as pc

    def check(series: pd.Series) -> pd.Series:
        ok = pc.match_substring_regex(text.column(field.name), f"^(?:{field.pattern})$")
        return _to_series(pc.fill_null(ok, True), series)

    return check


def _enum_check(field: Field, text: Text):
    import pyarrow as pa
    import pyarrow.compute as pc

    allowed = pa.array([str(v) for v in field.enum or ()], type=pa.string())

    def check(series: pd.Series) -> pd.Series:
        ok = pc.is_in(text.column(field.name), value_set=allowed)
        return _to_series(pc.fill_null(ok, True), series)

    return check


def compile_schema(text: Text) -> pa_schema.DataFrameSchema:
    """The pandera schema of a table's text frame, compiled from its Table Schema.

    Checks compute on the table's Arrow columns (shared with the rules, parsed once).
    """
    import pandera.pandas as pa_schema

    resource = text.resource

    key = set(resource.primary_key)
    columns = {}
    for f in resource.fields:
        checks = []
        if f.type in _SHAPES:
            checks.append(pa_schema.Check(_type_check(f, text), name=f"type-error:{f.type}", ignore_na=False))
        if f.enum is not None and not f.is_list:
            checks.append(pa_schema.Check(_enum_check(f, text), name="enum", ignore_na=False))
        if f.pattern is not None and not f.is_list:
            checks.append(pa_schema.Check(_pattern_check(f, text), name="pattern", ignore_na=False))
        if f.minimum is not None:
            checks.append(pa_schema.Check(_bound_check(f, text, f.minimum, True), name="minimum", ignore_na=False))
        if f.maximum is not None:
            checks.append(pa_schema.Check(_bound_check(f, text, f.maximum, False), name="maximum", ignore_na=False))
        columns[f.name] = pa_schema.Column(
            None, checks=checks, nullable=not (f.required or f.name in key),
            unique=f.unique or (len(key) == 1 and f.name in key), required=True, coerce=False,
        )
    unique = list(resource.primary_key) if len(resource.primary_key) > 1 else None
    return pa_schema.DataFrameSchema(columns, unique=unique, report_duplicates="all", name=resource.name)


def check_structure(text: Text) -> list[Problem]:
    """Run the compiled schema over the text table; every failing cell becomes a Problem."""
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
