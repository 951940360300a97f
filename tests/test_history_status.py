"""Properties of the status rules (docs/history.md): statuses on any day, from a record's steps."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tradecurbs.temporal.status import (
    ENDED,
    IN_FORCE,
    Status,
    Step,
    active_between,
    expected_fields,
    status_on,
    steps_from_record,
    timeline,
)

DAYS = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
GAPS = st.integers(min_value=1, max_value=900)


def test_status_no_steps_is_none_before_and_after():
    assert status_on("export_controls", [], date(2026, 1, 1)) == Status(None, None)


@given(announced=DAYS, gap=GAPS, effective_gap=st.integers(min_value=0, max_value=200), on=DAYS)
def test_status_record_without_steps_falls_back_to_its_own_dates(announced, gap, effective_gap, on):
    effective = announced + timedelta(days=effective_gap)
    ended = effective + timedelta(days=gap)
    row = {"announced_on": announced, "effective_on": effective, "ended_on": ended, "status": "lifted"}
    steps = steps_from_record("export_controls", row, today=date(2100, 1, 1))
    status = status_on("export_controls", steps, on).status
    if on < announced:
        assert status is None
    elif on < effective:
        assert status == "announced"
    elif on < ended:
        assert status == "in_force"
    else:
        assert status == "lifted"
    assert expected_fields("export_controls", steps) == {"announced_on": announced, "effective_on": effective,
                                                          "status": "lifted", "ended_on": ended}


@given(start=DAYS, suspend_gap=GAPS, resume_gap=GAPS, on=DAYS)
def test_status_suspension_and_resumption(start, suspend_gap, resume_gap, on):
    suspended, resumed = start + timedelta(days=suspend_gap), start + timedelta(days=suspend_gap + resume_gap)
    steps = [Step(start, "in_force"), Step(suspended, "suspended"), Step(resumed, "resumed")]
    status = status_on("import_restrictions", steps, on)
    if on < start:
        assert status.status is None
    elif on < suspended:
        assert status == Status("in_force", start)
    elif on < resumed:
        assert status == Status("suspended", suspended)
    else:
        assert status == Status("in_force", resumed)


@given(start=DAYS, suspend_gap=GAPS, length=GAPS, on=DAYS, today=DAYS)
def test_status_suspension_until_a_day_ends_the_day_after_scheduled_or_not(start, suspend_gap, length, on, today):
    suspended = start + timedelta(days=suspend_gap)
    until = suspended + timedelta(days=length)
    steps = [Step(start, "in_force"), Step(suspended, "suspended", until=until, scheduled=until > today)]
    status = status_on("export_controls", steps, on).status
    if start <= on < suspended or on > until:
        assert status == "in_force"  # a planned end that has passed counts, in the past and the future alike
    elif suspended <= on <= until:
        assert status == "suspended"  # through its until day


@given(start=DAYS, length=GAPS, renewal=GAPS, on=DAYS)
def test_status_suspension_renewed_the_day_after_it_ends_runs_on_without_a_gap(start, length, renewal, on):
    first_end = start + timedelta(days=length)
    renewed = first_end + timedelta(days=1)
    steps = [Step(start - timedelta(days=10), "in_force"), Step(start, "suspended", until=first_end),
             Step(renewed, "suspended", until=renewed + timedelta(days=renewal))]
    status = status_on("tariff_measures", steps, on)
    if start <= on <= renewed + timedelta(days=renewal):
        assert status == Status("suspended", start)
    assert expected_fields("tariff_measures", steps)["ended_on"] == start


@given(start=DAYS, term=GAPS, on=DAYS)
def test_status_scheduled_end_expires_the_measure_once_its_day_has_come(start, term, on):
    end = start + timedelta(days=term)
    steps = [Step(start, "in_force"), Step(end, "expired", scheduled=True)]
    status = status_on("tariff_measures", steps, on).status
    assert status == (None if on < start else "in_force" if on < end else "expired")
    assert active_between("tariff_measures", steps, on, on) == (start <= on < end)
    assert active_between("tariff_measures", steps, min(on, start), max(on, start))  # overlaps the start


@given(issued=DAYS, gaps=st.lists(GAPS, min_size=1, max_size=5), on=DAYS)
def test_status_chain_of_superseding_advisories_leaves_only_the_newest_standing(issued, gaps, on):
    days = [issued]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    chain = [(day, days[i + 1] if i + 1 < len(days) else None) for i, day in enumerate(days)]
    statuses = [status_on("travel_advisories", [Step(day, "issued")], on, superseded_on=next_day).status
                for day, next_day in chain]
    standing = [s for s in statuses if s == "standing"]
    assert len(standing) <= 1
    if on >= issued:
        assert len(standing) == 1 and statuses[-1 if on >= days[-1] else max(i for i, d in enumerate(days)
                                                                             if d <= on)] == "standing"
        assert all(s == "superseded" for s, (day, nxt) in zip(statuses, chain) if nxt is not None and on >= nxt)
    else:
        assert statuses == [None] * len(statuses)


@given(issued=DAYS, withdrawn_gap=GAPS, successor_gap=GAPS)
def test_status_withdrawal_before_supersession_stays_withdrawn(issued, withdrawn_gap, successor_gap):
    withdrawn = issued + timedelta(days=withdrawn_gap)
    steps = [Step(issued, "issued"), Step(withdrawn, "withdrawn")]
    successor = withdrawn + timedelta(days=successor_gap)
    assert status_on("travel_advisories", steps, successor, superseded_on=successor) == Status("withdrawn", withdrawn)
    assert [c.status for c in timeline("travel_advisories", steps, successor)] == ["standing", "withdrawn"]


@given(initiated=DAYS, gaps=st.lists(GAPS, min_size=3, max_size=3), on=DAYS)
def test_status_case_stages_follow_rulings_and_deadlines_change_nothing(initiated, gaps, on):
    preliminary = initiated + timedelta(days=gaps[0])
    final = preliminary + timedelta(days=gaps[1])
    deadline = initiated + timedelta(days=gaps[2])
    steps = [Step(initiated, "initiated"), Step(deadline, "deadline", scheduled=True),
             Step(preliminary, "preliminary_ruling"), Step(final, "final_ruling")]
    status = status_on("trade_remedies", steps, on).status
    expected = (None if on < initiated else "initiated" if on < preliminary else
                "preliminary_measures" if on < final else "final_measures")
    assert status == expected
    assert (status in IN_FORCE) == (expected in ("preliminary_measures", "final_measures"))
    assert expected_fields("trade_remedies", steps)["deadline_on"] == deadline


def test_status_reiteration_of_an_announced_measure_means_it_stands():
    steps = [Step(date(2025, 11, 19), "announced"), Step(date(2026, 3, 10), "reiterated")]
    assert status_on("import_restrictions", steps, date(2026, 1, 1)).status == "announced"
    assert status_on("import_restrictions", steps, date(2026, 3, 10)) == Status("in_force", date(2026, 3, 10))
    assert "lifted" in ENDED and "suspended" not in ENDED
