"""Properties of diff: diff(A, A) is empty; apply(diff(A, B), A) == B; counts match the truth."""

from __future__ import annotations

import random
from datetime import date

from conftest import REMEDY, SOURCE, write_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecurbs.changes import diff, package_records
from tradecurbs.datapackage import Package

products = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
rates = st.none() | st.integers(0, 300).map(str) | st.floats(0, 300, allow_nan=False).map(lambda f: f"{f:.1f}")
lists = st.lists(st.sampled_from(["JPN", "KOR", "USA", "EUU"]), max_size=3)


@st.composite
def record(draw, number: int):
    return {**REMEDY, "id": f"tr-gen-{number:04d}", "product": draw(products),
            "final_rate_max_pct": draw(rates), "exporting_jurisdictions": draw(lists),
            "initiated_on": draw(st.none() | st.dates(min_value=date(1000, 1, 1)).map(str))}  # the documented range


@st.composite
def change_set(draw):
    size = draw(st.integers(0, 12))
    base = [draw(record(i)) for i in range(size)]
    seed = draw(st.integers(0, 10_000))
    rng = random.Random(seed)
    removed = {r["id"] for r in base if rng.random() < 0.2}
    modified = {}
    for r in base:
        if r["id"] not in removed and rng.random() < 0.3:
            new_product = r["product"] + "*"
            modified[r["id"]] = {**r, "product": new_product}
    added = [draw(record(1000 + i)) for i in range(draw(st.integers(0, 3)))]
    new = [modified.get(r["id"], r) for r in base if r["id"] not in removed] + added
    rng.shuffle(new)
    return base, new, {"added": len(added), "removed": len(removed), "modified": len(modified)}


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def package(tmp_path_factory, rows):
    return Package.from_directory(write_package(tmp_path_factory.mktemp("p"), {"sources": [SOURCE], "trade_remedies": rows}))


@SETTINGS
@given(case=change_set())
def test_diff_of_a_with_itself_is_empty(tmp_path_factory, case):
    a = package(tmp_path_factory, case[0])
    assert diff(a, a).is_empty


@SETTINGS
@given(case=change_set())
def test_apply_diff_to_a_gives_b_and_counts_match_the_truth(tmp_path_factory, case):
    base, new, truth = case
    a, b = package(tmp_path_factory, base), package(tmp_path_factory, new)
    result = diff(a, b)
    assert result.tables["trade_remedies"].summary == truth
    assert result.apply(package_records(a)) == package_records(b)
