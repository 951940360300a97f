"""The status rules: a record's status on any date, from its dated steps (docs/history.md).

Pure Python over plain values (``datetime.date``, ``str``), so the loader-side views and
the ``validate`` rule use the same rules. Nothing here imports pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

#: Which table a record id's prefix names.
PREFIXES: dict[str, str] = {
    "ec": "export_controls",
    "ir": "import_restrictions",
    "tm": "tariff_measures",
    "tr": "trade_remedies",
    "ta": "travel_advisories",
}
MEASURE_TABLES = ("export_controls", "import_restrictions", "tariff_measures")
ADVISORIES = "travel_advisories"
REMEDIES = "trade_remedies"

#: The step kinds each kind of table may hold.
KINDS: dict[str, tuple[str, ...]] = {
    **{table: ("announced", "issued", "initiated", "in_force", "amended", "extended", "reiterated", "suspended",
               "resumed", "partly_lifted", "final_ruling", "lifted", "expired") for table in MEASURE_TABLES},
    REMEDIES: ("initiated", "preliminary_ruling", "final_ruling", "undertaking", "in_force", "terminated",
               "expired", "review_initiated", "deadline", "deadline_extended", "amended", "extended"),
    ADVISORIES: ("issued", "amended", "extended", "reiterated", "withdrawn"),
}

#: Statuses in which the restriction applies (duties collected, advisory standing).
IN_FORCE = frozenset({"in_force", "preliminary_measures", "final_measures", "undertakings", "standing"})
#: Statuses after which the record is over.
ENDED = frozenset({"lifted", "expired", "terminated", "withdrawn", "superseded"})

#: Order of steps that fall on the same day.
_ORDER = {kind: i for i, kind in enumerate((
    "announced", "initiated", "issued", "in_force", "preliminary_ruling", "final_ruling", "undertaking",
    "amended", "extended", "reiterated", "review_initiated", "deadline", "deadline_extended", "partly_lifted",
    "suspended", "resumed", "lifted", "terminated", "expired", "withdrawn"))}

#: The status a step sets; ``None`` keeps the status it finds (or the table's default if there is none).
_SETS: dict[str, str | None] = {
    "announced": "announced", "in_force": "in_force", "resumed": "in_force", "suspended": "suspended",
    "lifted": "lifted", "expired": "expired", "initiated": "initiated",
    "preliminary_ruling": "preliminary_measures", "final_ruling": "final_measures",
    "undertaking": "undertakings", "terminated": "terminated", "issued": "standing", "withdrawn": "withdrawn",
}
#: Steps of a measure that say it stands (so an announced measure is in force by then).
_STANDING = frozenset({"reiterated", "partly_lifted"})
#: How a measure's (export control, import restriction, tariff) steps differ: ``issued`` is the adoption of its
#: legal act (an announcement), ``initiated`` an investigation before it and ``final_ruling`` a court's ruling on
#: it, which by itself changes nothing (the lifting that follows is its own step).
_MEASURE_SETS: dict[str, str | None] = {"issued": "announced", "initiated": None, "final_ruling": None}
#: The status a status-keeping step implies when it is a record's first step.
_DEFAULT = {**{t: "in_force" for t in MEASURE_TABLES}, REMEDIES: "initiated", ADVISORIES: "standing"}

#: Each date field of a record and the step kind(s) that date it (the first such step in its history).
DATE_FIELDS: dict[str, dict[str, str | tuple[str, ...]]] = {
    **{table: {"announced_on": ("announced", "issued"), "effective_on": "in_force"} for table in MEASURE_TABLES},
    REMEDIES: {"initiated_on": "initiated", "preliminary_on": "preliminary_ruling", "final_on": "final_ruling"},
    ADVISORIES: {"issued_on": "issued", "withdrawn_on": "withdrawn"},
}


@dataclass(frozen=True, order=True)
class Step:
    """One dated step of a record: its date, kind, optional end date, and whether it is only scheduled."""

    on: date
    kind: str
    until: date | None = None
    scheduled: bool = False

    @property
    def sort_key(self) -> tuple[date, int]:
        return (self.on, _ORDER.get(self.kind, len(_ORDER)))


@dataclass(frozen=True)
class Status:
    """Where a record stands on a date: the status and the day it began (None before its first step)."""

    status: str | None
    since: date | None


def table_of(record_id: str) -> str | None:
    """The table a record id's prefix names (``ec-`` export_controls...), or None."""
    return PREFIXES.get(record_id.split("-", 1)[0])


def ordered(steps: Iterable[Step]) -> list[Step]:
    """Steps oldest first; steps of one day in the order they happen (announced before in force...)."""
    return sorted(steps, key=lambda s: s.sort_key)


def timeline(table: str, steps: Iterable[Step], superseded_on: date | None = None) -> list[Status]:
    """Every change of status the steps make, oldest first (the status holds until the next change).

    Rules (docs/history.md): a step's kind sets a status (``suspended`` -> suspended,
    ``final_ruling`` -> final_measures...); ``amended``, ``extended``, ``reiterated``,
    ``partly_lifted``, ``review_initiated`` and deadlines keep the status they find (a
    first such step implies the table's standing status; a measure only announced is in
    force once ``reiterated`` or ``partly_lifted``). A ``suspended`` step with ``until``
    runs through that day and ends the day after, back to the status before it (renewed on
    that day, it runs on); a measure's ``in_force`` or a measure's or case's ``extended``
    step with ``until`` expires the day after (a case's ``in_force`` keeps its stage). A measure's ``issued`` (its act adopted) counts as an
    announcement, its ``initiated`` (an investigation before it) and ``final_ruling`` (a
    court's ruling) change nothing.
    Scheduled steps count once their day has come. An advisory is ``superseded`` from
    ``superseded_on`` (the day its successor was issued) unless it ended before.
    """
    changes: list[Status] = []
    status: str | None = None
    pending: tuple[date, str] | None = None  # (day, status then): the end of a suspension or of a term

    def change(new: str, day: date) -> None:
        nonlocal status
        if new != status:
            changes.append(Status(new, day))
            status = new

    for step in ordered(steps):
        if pending is not None and pending[0] <= step.on:
            continued = pending[0] == step.on and status == "suspended" and step.kind in ("suspended", "extended")
            if not continued:  # a suspension renewed the day it would have ended runs on without a gap
                change(pending[1], pending[0])
                pending = None
        before = status
        new = _SETS.get(step.kind)
        if table == REMEDIES and step.kind == "in_force":
            new = None  # a case's duties taking effect: the stage is set by its rulings
        if table in MEASURE_TABLES:
            new = _MEASURE_SETS.get(step.kind, new)
            if step.kind == "initiated" and status is None:
                continue  # an investigation before the measure: the measure does not exist yet
        if step.kind in ("announced", "issued") and status not in (None, "announced"):
            new = status  # a later announcement (of a change) does not undo what stands
        if new is None:
            new = status if status is not None else _DEFAULT.get(table)
            if status == "announced" and step.kind in _STANDING and table in MEASURE_TABLES:
                new = "in_force"  # restated as standing, or partly lifted: it was in force
        if new is not None:
            change(new, step.on)
        if step.kind in ("lifted", "expired", "terminated", "withdrawn", "resumed") or (
                step.kind == "suspended" and step.until is None):
            pending = None  # over, back in force before the planned day, or suspended with no end
        if step.until is None or table == ADVISORIES:
            continue
        end = step.until + timedelta(days=1)  # a step runs through its until_on day
        if step.kind == "suspended":
            if before == "suspended" and pending is not None:
                after = pending[1]
            elif before in IN_FORCE:
                after = before
            else:
                after = _DEFAULT[table]
            pending = (end, after)
        elif step.kind == "extended" and status == "suspended" and pending is not None:
            pending = (end, pending[1])  # the suspension now runs longer
        elif (step.kind == "extended" or step.kind == "in_force" and table != REMEDIES) and status in IN_FORCE:
            pending = (end, "expired")
    if pending is not None:
        change(pending[1], pending[0])
    if superseded_on is not None and table == ADVISORIES:
        held = [c for c in changes if c.since <= superseded_on]
        if held and held[-1].status not in ENDED:
            changes[:] = held + [Status("superseded", superseded_on)]
    return changes


def status_on(table: str, steps: Iterable[Step], on: date, superseded_on: date | None = None) -> Status:
    """The record's status on day ``on`` (``Status(None, None)`` before its first step)."""
    current = Status(None, None)
    for change in timeline(table, steps, superseded_on):
        if change.since > on:
            break
        current = change
    return current


def active_between(table: str, steps: Iterable[Step], start: date, end: date,
                   superseded_on: date | None = None) -> bool:
    """Whether the record was begun and not over at any time from ``start`` to ``end`` (both included)."""
    changes = timeline(table, steps, superseded_on)
    held = [c for c in changes if c.since <= start][-1:] + [c for c in changes if start < c.since <= end]
    return any(c.status not in ENDED for c in held)


def recorded_until(steps: Iterable[Step]) -> date | None:
    """The day of the newest step that happened (not scheduled): the day the stored status speaks of."""
    days = [s.on for s in steps if not s.scheduled]
    return max(days) if days else None


def steps_from_record(table: str, row: Mapping[str, Any], today: date) -> list[Step]:
    """The steps a record's own date fields state, for a record with no history (and for a backfill).

    Measures: announced_on, effective_on, and ended_on as the step its status names
    (lifted, expired, suspended). Cases: initiated_on, preliminary_on, final_on, deadline_on
    (a scheduled ``deadline``), expires_on (an ``expired`` step, scheduled while in the
    future). Advisories: issued_on, withdrawn_on. A step dated after ``today`` is scheduled.
    """
    steps = []
    for name, kind in DATE_FIELDS.get(table, {}).items():
        if row.get(name) is not None:
            steps.append(Step(row[name], kind if isinstance(kind, str) else kind[0], scheduled=row[name] > today))
    status = row.get("status")
    if table in MEASURE_TABLES and row.get("ended_on") is not None and status in ("lifted", "expired", "suspended"):
        steps.append(Step(row["ended_on"], status, scheduled=row["ended_on"] > today))
    if table == REMEDIES:
        if row.get("deadline_on") is not None:
            steps.append(Step(row["deadline_on"], "deadline", scheduled=True))
        if row.get("expires_on") is not None:
            steps.append(Step(row["expires_on"], "expired", scheduled=row["expires_on"] > today))
    return ordered(steps)


def expected_fields(table: str, steps: list[Step]) -> dict[str, Any]:
    """What a record's status and date fields must say, given its history (the ``history-agrees`` rule).

    Each date field is the first step of its kind (``deadline_on`` the latest deadline,
    ``expires_on`` the latest expiry); ``status`` is the status on the day of the newest
    step that happened; ``ended_on`` (measures) the day that status began when it is
    suspended, lifted or expired, else empty. An advisory has no status field.
    """
    expected: dict[str, Any] = {}
    first_in_force = min((s.on for s in steps if s.kind == "in_force"), default=None)
    for name, kind in DATE_FIELDS.get(table, {}).items():
        kinds = (kind,) if isinstance(kind, str) else kind
        days = [s.on for s in steps if s.kind in kinds]
        if name == "announced_on" and first_in_force is not None:
            days = [d for d in days if d <= first_in_force]  # later announcements are of changes
        expected[name] = min(days) if days else None
    if table == REMEDIES:
        deadlines = [s.on for s in steps if s.kind == "deadline"]
        deadlines += [s.until for s in steps if s.kind == "deadline_extended" and s.until is not None]
        expected["deadline_on"] = max(deadlines) if deadlines else None
        expiries = [s.on for s in steps if s.kind == "expired"]
        expected["expires_on"] = max(expiries) if expiries else None
    reference = recorded_until(steps)
    if table != ADVISORIES and reference is not None:
        now = status_on(table, steps, reference)
        expected["status"] = now.status
        if table in MEASURE_TABLES:
            expected["ended_on"] = now.since if now.status in ("suspended", "lifted", "expired") else None
    return expected


def announcement_agrees(have: date | None, steps: list[Step]) -> bool:
    """A measure's ``announced_on`` agrees with its steps: it is the day of one of its announcements.

    Empty, it agrees when no announcement precedes the measure's taking effect (later ones
    announce changes; a retroactive measure may be announced after it applies).
    """
    days = [s.on for s in steps if s.kind in ("announced", "issued")]
    if have is not None:
        return have in days
    first = min((s.on for s in steps if s.kind == "in_force"), default=None)
    return not days if first is None else all(day > first for day in days)

