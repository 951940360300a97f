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


@settings(max_examples=300, deadline=None)
@given(old=st.lists(st.sampled_from("abcdefgh"), max_size=8), new=st.lists(st.sampled_from("abcdefgh"), max_size=8),
       cuts=st.lists(st.integers(0, 8), max_size=3))
def test_keys_are_matched_as_a_dictionary_would_match_them(old, new, cuts):
    """Every NEW row's OLD row and every OLD row's NEW row, or the first repeated key named."""
    import itertools

    import numpy as np
    import pyarrow as pa
    import pytest

    from tradecurbs.changes.compute import _match_keys
    from tradecurbs.errors import DataError

    def table(keys):
        bounds = sorted({0, len(keys), *(c % (len(keys) + 1) for c in cuts)})
        chunks = [pa.array(keys[a:b], pa.string()) for a, b in itertools.pairwise(bounds)] or [pa.array([], pa.string())]
        return pa.table({"id": pa.chunked_array(chunks, type=pa.string())})

    repeated = [k for keys in (old, new) for i, k in enumerate(keys) if k in keys[:i]]
    if repeated:
        first_side = old if any(k in old[:i] for i, k in enumerate(old)) else new
        first = next(k for k in first_side if first_side.count(k) > 1)
        with pytest.raises(DataError, match=f"key '{first}' appears more than once"):
            _match_keys(table(old).column("id"), table(new).column("id"), "old", "new")
        return
    in_old, in_new = _match_keys(table(old).column("id"), table(new).column("id"), "old", "new")
    assert in_old.tolist() == [old.index(k) if k in old else -1 for k in new]
    assert in_new.tolist() == [new.index(k) if k in new else -1 for k in old]
    assert in_old.dtype == in_new.dtype == np.int64
