"""Rules Table Schema cannot say, kept as data in ``validation/rules.json``.

Each rule there has an id, a description, a check (a function named in CHECKS below),
a severity and the tables it applies to, each with its parameters. Adding a table to
a rule is a change to that file, not to this code. Each check is small, vectorized
over a whole column, and yields problems; none prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..arrays import date_scalar, integer_scalar, rows_where, take, text_array, text_scalar, to_numpy
from ..errors import PackageError
from .reading import FORMAT_HINT, Text
from .relations import list_reference
from .report import Problem

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Rule:
    """One entry of rules.json."""

    id: str
    description: str
    check: str
    severity: str
    applies: tuple[dict[str, Any], ...]


def validation_dir() -> Path:
    """The ``validation/`` directory: beside the package source in a checkout, in ``_data`` when installed."""
    from ..datapackage import bundled_root

    return Path(str(bundled_root())) / "validation"


def load_rules(path: Path | None = None) -> list[Rule]:
    """Read and check rules.json; a malformed file is misuse (PackageError)."""
    path = path or validation_dir() / "rules.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PackageError(f"{path.name}: cannot read the validation rules ({error})") from None
    rules = []
    for entry in spec.get("rules", []):
        if entry.get("check") not in CHECKS:
            raise PackageError(f"rule {entry.get('id')!r}: unknown check {entry.get('check')!r}; "
                               f"known checks: {', '.join(sorted(CHECKS))}")
        rules.append(Rule(entry["id"], entry.get("description", ""), entry["check"],
                          entry.get("severity", "error"), tuple(entry.get("applies", []))))
    return rules


def run_rules(rules: list[Rule], texts: dict[str, Text], today: date) -> Iterator[Problem]:
    """Apply every rule to the tables it names that were read and have the fields it needs."""
    for rule in rules:
        for applies in rule.applies:
            params = {k: v for k, v in applies.items() if k != "table"}
            for name in _tables(applies["table"], texts):
                text = texts[name]
                if not _has_fields(text, params):
                    continue
                for problem in CHECKS[rule.check](text, texts=texts, today=today, **params):
                    yield _tag(problem, rule)


def _tables(name: str, texts: dict[str, Text]) -> list[str]:
    return list(texts) if name == "*" else [name] if name in texts else []


def _has_fields(text: Text, params: dict[str, Any]) -> bool:
    names = set(text.resource.field_names)
    wanted = []
    for key in ("field", "status_field", "own", "list"):
        if isinstance(params.get(key), str):
            wanted.append(params[key])
    for pair in params.get("pairs", []):
        wanted += pair[:2]
    wanted += list(params.get("requires", {}).values())
    return all(w in names for w in wanted)


def _tag(problem: Problem, rule: Rule) -> Problem:
    from dataclasses import replace

    code = problem.code if problem.code in SUB_CODES.get(rule.check, ()) else rule.id
    return replace(problem, code=code, severity=rule.severity if problem.severity == "error" else problem.severity)


#: Checks whose problems keep their own codes, finer than the rule id (see checks/catalogue.py).
SUB_CODES: dict[str, tuple[str, ...]] = {"hs_codes": ("hs-code-format", "hs-code-unknown")}


def _mask_rows(mask: pa.Array) -> Any:

    return rows_where(mask)


def _dates(text: Text, name: str) -> pa.Array:
    return text.dates(name)


def date_order(text: Text, pairs: list[list[str]], **_: Any) -> Iterator[Problem]:
    """For each [earlier, later(, "strict")] pair of date fields, earlier <= later when both are given."""
    import pyarrow.compute as pc

    for pair in pairs:
        first, second = pair[0], pair[1]
        strict = len(pair) > 2 and pair[2] == "strict"
        a, b = _dates(text, first), _dates(text, second)
        bad = pc.greater_equal(a, b) if strict else pc.greater(a, b)
        rows = _mask_rows(bad)
        firsts, seconds = take(text.column(first), rows).to_pylist(), take(text.column(second), rows).to_pylist()
        relation = "before" if strict else "on or before"
        yield from text.problem(
            "date-order", rows, second, seconds,
            [f"{second} {s} comes before {first} {f}; {first} must be {relation} {second}: "
             "check both dates" for f, s in zip(firsts, seconds)])


def status_needs_date(text: Text, requires: dict[str, str], status_field: str = "status",
                      **_: Any) -> Iterator[Problem]:
    """A record in status S must give the date field that S names in ``requires``."""
    import pyarrow.compute as pc

    status = text.column(status_field)
    for value, name in requires.items():
        rows = _mask_rows(pc.and_(pc.equal(status, text_scalar(value)), pc.is_null(text.column(name))))
        yield from text.problem("status-needs-date", rows, name, None,
                                f"status is {value} but {name} is empty; give the {name} date or change the status")


def min_le_max(text: Text, pairs: list[list[str]], **_: Any) -> Iterator[Problem]:
    """For each [min, max] pair of number fields, min <= max when both are given."""
    import pyarrow.compute as pc

    for low, high in pairs:
        numbers = [text.numbers(low), text.numbers(high)]
        rows = _mask_rows(pc.greater(numbers[0], numbers[1]))
        lows, highs = take(text.column(low), rows).to_pylist(), take(text.column(high), rows).to_pylist()
        yield from text.problem("min-max", rows, low, lows,
                                [f"{low} {a} is greater than {high} {b}; the minimum cannot exceed the maximum"
                                 for a, b in zip(lows, highs)])


def not_self(text: Text, own: str, list: str, **_: Any) -> Iterator[Problem]:  # noqa: A002
    """The jurisdiction in field ``own`` must not appear among the items of list field ``list``."""
    import numpy as np
    import pyarrow.compute as pc

    parents, _, items = text.items(list)
    owners = text.column(own).take(parents)
    where = rows_where(pc.equal(items, owners))
    rows = np.unique(to_numpy(take(parents, where)))
    values = take(text.column(own), rows).to_pylist()
    yield from text.problem("self-target", rows, list, values,
                            [f"{list} names {v}, which is also the {own}; a jurisdiction does not target itself"
                             for v in values])


def no_future_dates(text: Text, today: date, allowed: list[str] = (), **_: Any) -> Iterator[Problem]:
    """No date field (except those in ``allowed``, such as deadlines and expiries) is after today."""
    import pyarrow.compute as pc

    limit = date_scalar(today)
    for field in text.resource.fields:
        if field.type != "date" or field.name in allowed:
            continue
        rows = _mask_rows(pc.greater(_dates(text, field.name), limit))
        values = take(text.column(field.name), rows).to_pylist()
        yield from text.problem("future-date", rows, field.name, values,
                                [f"{field.name} {v} is later than today ({today.isoformat()}); only "
                                 f"{', '.join(allowed) or 'no fields'} may lie in the future" for v in values])


def https_url(text: Text, field: str, **_: Any) -> Iterator[Problem]:
    """Field ``field`` holds an https:// address (left to the schema when its pattern says so already)."""
    import pyarrow.compute as pc

    if (text.resource.field(field).pattern or "").startswith("https://"):
        return

    column = text.column(field)
    rows = _mask_rows(pc.and_(pc.is_valid(column), pc.invert(pc.starts_with(column, "https://"))))
    values = take(column, rows).to_pylist()
    yield from text.problem("https-url", rows, field, values,
                            [f"{field} {v!r} is not an https:// address; link the https page" for v in values])


@lru_cache(maxsize=1)
def hs_nomenclature() -> frozenset[str]:
    """The HS 2022 chapter, heading and subheading codes shipped in validation/."""
    path = validation_dir() / "hs2022-codes.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _hs_array():
    """The nomenclature as one Arrow array, built once per process (not once per table)."""

    return text_array(sorted(hs_nomenclature()))


def hs_codes(text: Text, field: str, **_: Any) -> Iterator[Problem]:
    """Items are 2, 4, 6 or more digits; unknown HS 2022 codes (by 6- then 4-digit prefix) are warnings."""
    import pyarrow.compute as pc

    parents, _, items = text.items(field)
    shaped = pc.match_substring_regex(items, r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6,})$")
    malformed = rows_where(pc.and_(pc.invert(shaped), pc.not_equal(items, text_scalar(""))))
    values = take(items, malformed).to_pylist()
    yield from text.problem("hs-code-format", to_numpy(take(parents, malformed)), field, values,
                            [f"hs code {v!r} is not 2, 4, 6 or more digits; write HS codes as digits without dots"
                             for v in values])
    known = _hs_array()
    # Only a well-formed code not listed as it is needs its prefixes looked up.
    unlisted = rows_where(pc.and_(shaped, pc.invert(pc.is_in(items, value_set=known))))
    codes = take(items, unlisted)
    long = pc.greater(pc.utf8_length(codes), integer_scalar(6))
    by_prefix = pc.and_(long, pc.or_(pc.is_in(pc.utf8_slice_codeunits(codes, 0, 6), value_set=known),
                                     pc.is_in(pc.utf8_slice_codeunits(codes, 0, 4), value_set=known)))
    unknown = unlisted[~to_numpy(by_prefix)]
    values = take(items, unknown).to_pylist()
    yield from text.problem("hs-code-unknown", to_numpy(take(parents, unknown)), field, values,
                            [f"hs code {v!r} is not in the HS 2022 nomenclature (codes longer than 6 digits are "
                             "checked by their 6- or 4-digit prefix); check the code" for v in values],
                            severity="warning")


def list_items(text: Text, **_: Any) -> Iterator[Problem]:
    """Every list field's items are non-empty and have no surrounding whitespace."""
    import numpy as np
    import pyarrow.compute as pc

    for field in text.resource.fields:
        if not field.is_list:
            continue
        parents, items, trimmed = text.items(field.name)
        empty = pc.equal(trimmed, text_scalar(""))
        untrimmed = pc.not_equal(trimmed, items)
        for mask, message in ((empty, f"{field.name} has an empty item; remove the doubled or trailing "
                               f"{field.delimiter!r}"),
                              (pc.and_(untrimmed, pc.invert(empty)), f"{field.name} has an item with spaces "
                               f"around it; write items separated by {field.delimiter!r} alone")):
            rows = np.unique(to_numpy(take(parents, rows_where(mask))))
            hint = FORMAT_HINT if "spaces" in message else None
            yield from text.problem("list-item", rows, field.name, take(text.column(field.name), rows).to_pylist(),
                                    message, hint=hint)


CHECKS: dict[str, Callable[..., Iterator[Problem]]] = {
    "date_order": date_order,
    "status_needs_date": status_needs_date,
    "min_le_max": min_le_max,
    "not_self": not_self,
    "no_future_dates": no_future_dates,
    "https_url": https_url,
    "hs_codes": hs_codes,
    "list_items": list_items,
    "list_reference": list_reference,
}


# --- History (measure_events): the steps of each record, and the record agreeing with them ---------------

def _event_rows(text: Text) -> tuple[list[str], list[Any], list[str], list[Any], list[bool]]:
    """measure_events as plain columns: record id, day, kind, until day, scheduled."""
    scheduled = [str(v).lower() in ("true", "1") for v in text.column("scheduled").to_pylist()]
    return (text.column("record_id").to_pylist(), text.dates("event_on").to_pylist(),
            text.column("kind").to_pylist(), text.dates("until_on").to_pylist(), scheduled)


def event_record(text: Text, texts: dict[str, Text], **_: Any) -> Iterator[Problem]:
    """Each step's record_id names a record of the table its prefix names (ec- export_controls...)."""
    import pyarrow.compute as pc

    from ..arrays import false_for_missing, to_numpy
    from ..temporal.status import PREFIXES, table_of

    records = text.column("record_id").to_pylist()
    named = {table_of(r) for r in records if r} & set(PREFIXES.values()) & set(texts)
    # Whether each step's record_id is an id of a given table: one hash lookup per table named.
    known = {table: to_numpy(false_for_missing(pc.is_in(text.column("record_id"), value_set=texts[table].column("id"))))
             for table in named}
    rows, messages, values = [], [], []
    for row, record in enumerate(records):
        if record is None:
            continue
        table = table_of(record)
        if table is None:
            rows.append(row); values.append(record)
            messages.append(f"record_id {record!r} does not start with a table prefix "
                            f"({', '.join(p + '-' for p in PREFIXES)})")
        elif table in known and not known[table][row]:
            rows.append(row); values.append(record)
            messages.append(f"record_id {record!r} names no record of {table}; add the record or correct the id")
    yield from text.problem("event-record", rows, "record_id", values, messages)


def event_kind(text: Text, **_: Any) -> Iterator[Problem]:
    """A step's kind is one its record's table can have (a ruling belongs to a case, a withdrawal to an advisory)."""
    from ..temporal.status import KINDS, table_of

    rows, messages, values = [], [], []
    for row, (record, kind) in enumerate(zip(text.column("record_id").to_pylist(),
                                             text.column("kind").to_pylist(), strict=True)):
        table = table_of(record or "")
        if table is None or kind is None or kind not in {k for kinds in KINDS.values() for k in kinds}:
            continue  # a bad prefix or an unknown kind is reported elsewhere
        if kind not in KINDS[table]:
            rows.append(row); values.append(kind)
            messages.append(f"{record}: a step of kind {kind!r} does not belong to {table}; "
                            f"its steps are {', '.join(KINDS[table])}")
    yield from text.problem("event-kind", rows, "kind", values, messages)


def event_not_future(text: Text, today: date, **_: Any) -> Iterator[Problem]:
    """A step that happened (not scheduled) is not dated after today; scheduled steps may be."""
    records, days, kinds, _until, scheduled = _event_rows(text)
    rows = [i for i, (day, planned) in enumerate(zip(days, scheduled, strict=True))
            if day is not None and day > today and not planned]
    yield from text.problem(
        "event-future", rows, "event_on", [text.column("event_on")[i].as_py() for i in rows],
        [f"{records[i]}: the {kinds[i]} step on {days[i]} is later than today ({today}) but not scheduled; "
         "mark it scheduled=true or correct the date" for i in rows])


def event_overdue(text: Text, today: date, **_: Any) -> Iterator[Problem]:
    """A scheduled step whose day has passed, or a case still open after its deadline: record what happened (warnings)."""
    from ..temporal.status import Step, status_on, table_of

    records, days, kinds, until, scheduled = _event_rows(text)
    rows = [i for i, (day, kind, planned) in enumerate(zip(days, kinds, scheduled, strict=True))
            if planned and day is not None and day < today and kind != "deadline"]
    yield from text.problem(
        "event-overdue", rows, "scheduled", ["true"] * len(rows),
        [f"{records[i]}: the {kinds[i]} step was scheduled for {days[i]}, which has passed; record whether "
         "it happened (scheduled=false, with a source) or what happened instead" for i in rows],
        severity="warning")
    steps: dict[str, list[Step]] = {}
    for record, day, kind, end, planned in zip(records, days, kinds, until, scheduled, strict=True):
        if record is not None and day is not None and kind is not None:
            steps.setdefault(record, []).append(Step(day, kind, end, planned))
    late = [i for i, (record, day, kind) in enumerate(zip(records, days, kinds, strict=True))
            if kind == "deadline" and day is not None and day < today and table_of(record or "") == "trade_remedies"
            and day == max(s.on for s in steps[record] if s.kind == "deadline")
            and status_on("trade_remedies", steps[record], today).status == "initiated"]
    yield from text.problem(
        "event-overdue", late, "event_on", [days[i].isoformat() for i in late],
        [f"{records[i]}: the case's deadline {days[i]} has passed but its history has no ruling, termination or "
         "extended deadline; record what the authority decided, with its source" for i in late],
        severity="warning")


def history_agrees(text: Text, texts: dict[str, Text], history: str = "measure_events",
                   **_: Any) -> Iterator[Problem]:
    """A record's status and date fields say what its steps in ``history`` say (docs/history.md)."""
    import pyarrow.compute as pc

    from ..temporal.status import MEASURE_TABLES, Step, announcement_agrees, expected_fields, ordered

    events = texts.get(history)
    if events is None:
        return
    table = text.resource.name
    steps: dict[str, list[Step]] = {}
    for record, day, kind, until, planned in zip(*_event_rows(events), strict=True):
        if record is not None and day is not None and kind is not None:
            steps.setdefault(record, []).append(Step(day, kind, until, planned))
    names = set(text.resource.field_names)
    ids = text.column("id")
    rows = rows_where(pc.is_in(ids, value_set=text_array(list(steps)))) if steps else []
    stored_columns: dict[str, list[Any]] = {}  # the fields of those rows only
    for index, (row, record) in enumerate(zip(list(rows), take(ids, rows).to_pylist())):
        record_steps = ordered(steps[record])
        expected = expected_fields(table, record_steps)
        for name, want in expected.items():
            if name not in names:
                continue
            if name not in stored_columns:
                stored_columns[name] = take(text.column(name) if name == "status" else text.dates(name),
                                            rows).to_pylist()
            have = stored_columns[name][index]
            if have == want or (name == "status" and want is None):
                continue
            if name == "announced_on" and table in MEASURE_TABLES and announcement_agrees(have, record_steps):
                continue
            if name == "status" and have == "in_force" and want == "announced" and expected.get("effective_on") is None:
                yield from text.problem("history-agrees", [row], name, [have],
                                        f"{record}: status is in_force but no source dates the day it took effect, "
                                        "so its history says announced; give effective_on and its in_force step "
                                        "when a source dates it", severity="warning")
                continue
            yield from text.problem("history-agrees", [row], name, [have],
                                    f"{record}: {name} is {_said(have)} but its history in {history} says "
                                    f"{_said(want)} ({_why(name, want, record_steps)}); correct the field or "
                                    "add the missing step with its source")


def _said(value: Any) -> str:
    return "empty" if value is None else str(value)


def _why(name: str, want: Any, steps: list[Any]) -> str:
    from ..temporal.status import DATE_FIELDS, recorded_until

    if name == "status" or name == "ended_on":
        reference = recorded_until(steps)
        last = [s for s in steps if s.on <= reference][-1]
        table_status = "status" if name == "status" else "the status"
        return f"{table_status} after its newest step, {last.kind} on {last.on}"
    kinds = {field: kind if isinstance(kind, str) else " or ".join(kind)
             for mapping in DATE_FIELDS.values() for field, kind in mapping.items()}
    kinds.update({"deadline_on": "deadline", "expires_on": "expired"})
    kind = kinds.get(name, name)
    return f"its {'first' if name not in ('deadline_on', 'expires_on') else 'latest'} {kind} step" \
        if want is not None else f"it has no {kind} step"


CHECKS.update({
    "event_record": event_record,
    "event_kind": event_kind,
    "event_not_future": event_not_future,
    "event_overdue": event_overdue,
    "history_agrees": history_agrees,
})
