"""The validate checks that look at a few bytes first find exactly what the plain definition finds.

``whitespace``, ``formulas`` and ``sorted_by_key`` pick candidate cells from the first and
last bytes of each value (``arrays.edge_bytes``) or from neighbouring values, and only those
go through Arrow's Unicode-aware kernels. Each is compared here, over random tables split
into random chunks, with the definition written out in Python.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecurbs.arrays import edge_bytes
from tradecurbs.checks import hygiene
from tradecurbs.checks.reading import Text
from tradecurbs.datapackage import Resource

# ASCII and Unicode spaces, formula starters, digits, a multi-byte letter and the list delimiter
ALPHABET = " \t\x0b\x1fa1.e=+-@;é\u00a0\u2003\u3000\u2028"
CELL = st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=6))


def _text(columns: dict[str, list], cuts: list[int], key: tuple[str, ...] = ()) -> Text:
    fields = [{"name": "note", "type": "string"}, {"name": "ids", "type": "list"}]
    resource = Resource.from_descriptor({"name": "t", "path": "t.csv",
                                         "schema": {"fields": fields, "primaryKey": list(key)}})
    rows = len(columns["note"])
    bounds = sorted({0, rows, *(c % (rows + 1) for c in cuts)})
    table = pa.table({name: pa.chunked_array([pa.array(values[a:b], pa.string()) for a, b in itertools.pairwise(bounds)]
                                             or [pa.array([], pa.string())], type=pa.string())
                      for name, values in columns.items()})
    return Text(resource, "t.csv", table, np.arange(2, rows + 2, dtype=np.int64))


def _lines(problems) -> list[tuple[str, int, str | None]]:
    return sorted((p.code, p.line, p.field) for p in problems)


def _number(value: str) -> bool:
    import re

    return re.fullmatch(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", value) is not None


@settings(max_examples=300, deadline=None)
@given(notes=st.lists(CELL, max_size=12), data=st.data())
def test_whitespace_and_formulas_find_what_their_definition_finds(notes, data):
    ids = data.draw(st.lists(CELL, min_size=len(notes), max_size=len(notes)))
    cuts = data.draw(st.lists(st.integers(0, 12), max_size=3))
    text = _text({"note": notes, "ids": ids}, cuts)
    expected_whitespace = [("whitespace", row + 2, name) for name, values in (("note", notes), ("ids", ids))
                           for row, value in enumerate(values) if value and value.strip() != value]
    assert _lines(hygiene.whitespace(text)) == sorted(expected_whitespace)

    def formula(value: str) -> bool:
        return value[:1] in ("=", "+", "-", "@") and not _number(value)

    expected_formulas = [("formula", row + 2, "note") for row, value in enumerate(notes) if value and formula(value)]
    expected_formulas += [("formula", row + 2, "ids") for row, value in enumerate(ids)
                          if value and any(formula(item.strip()) for item in value.split(";"))]
    assert _lines(hygiene.formulas(text)) == sorted(expected_formulas)


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.text(alphabet="ab\u00e9", max_size=3), min_size=2, max_size=10),
       cuts=st.lists(st.integers(0, 10), max_size=3))
def test_sorted_by_key_reports_the_first_row_after_a_greater_one(ids, cuts):
    text = _text({"note": ids, "ids": [None] * len(ids)}, cuts, key=("note",))
    encoded = [value.encode() for value in ids]
    later = [row for row in range(1, len(ids)) if encoded[row] < encoded[row - 1]]
    assert [p.line for p in hygiene.sorted_by_key(text)] == ([later[0] + 2] if later else [])


@settings(max_examples=200, deadline=None)
@given(values=st.lists(CELL, max_size=10), cuts=st.lists(st.integers(0, 10), max_size=3))
def test_edge_bytes_are_each_values_first_and_last_byte(values, cuts):
    column = _text({"note": values, "ids": values}, cuts).column("note")
    first, last, present = edge_bytes(column)
    encoded = [value.encode() if value else b"" for value in values]
    assert present.tolist() == [bool(value) for value in encoded]
    assert [int(b) for b, has in zip(first, present) if has] == [value[0] for value in encoded if value]
    assert [int(b) for b, has in zip(last, present) if has] == [value[-1] for value in encoded if value]


def _sequential_report(path):
    """What ``validate`` reports when every layer runs one after another on one thread."""
    from datetime import date

    from tradecurbs import limits
    from tradecurbs.checks import Report, _read_all, _repeated_keys
    from tradecurbs.checks.relations import check_foreign_keys
    from tradecurbs.checks.rules import load_rules, run_rules
    from tradecurbs.checks.structure import check_structure
    from tradecurbs.datapackage import Package

    package = Package.from_directory(path, paths_checked=False)
    report = Report(str(path), tables=package.table_names, cap=limits.MAX_PROBLEMS_PER_CODE)
    texts = _read_all(package, report)  # the reading is the same; what follows is one thread
    for text in texts.values():
        structure = check_structure(text)
        report.add(structure)
        report.add(check_foreign_keys(text, texts, set(package.table_names)))
        for check in hygiene.TABLE_CHECKS:
            report.add(check(text))
        report.add(hygiene.duplicate_rows(text, _repeated_keys(text, structure)))
    report.add(run_rules(load_rules(), texts, date(2026, 12, 7)))
    report.add(hygiene.unused_sources(texts))
    return report


def test_validate_on_two_threads_reports_what_one_thread_reports_in_the_same_order(tmp_path):
    """Problems in many fields and tables, past the cap of one code: the same list, the same order."""
    import copy
    from datetime import date

    from conftest import write_package
    from test_validate_helpers import VALID

    from tradecurbs import limits, validate

    data = copy.deepcopy(VALID)
    template = data["trade_remedies"][0]
    data["trade_remedies"] = [dict(template, id=f"tr-chn-2025-w{i:04d}", status="bogus" if i % 2 else "initiated",
                                   initiated_on="2025-13-01" if i % 3 else "2025-01-05", product=f" Widgets {i}",
                                   hs_codes=["28.11"] if i % 5 == 0 else ["281290"], summary="=1+1" if i % 7 == 0 else "x")
                              for i in range(limits.MAX_PROBLEMS_PER_CODE + 60)]
    data["export_controls"][0]["status"] = "bogus"
    path = write_package(tmp_path / "p", data)
    expected = [p.to_dict() for p in _sequential_report(path).problems]
    assert len(expected) > limits.MAX_PROBLEMS_PER_CODE
    assert len({p["code"] for p in expected}) >= 5
    for _ in range(3):
        report = validate(path, today=date(2026, 12, 7))
        assert [p.to_dict() for p in report.problems] == expected


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(alphabet="ab\u00e9", max_size=2)), max_size=12),
       ordered=st.booleans(), cuts=st.lists(st.integers(0, 12), max_size=3))
def test_repeated_values_by_neighbours_are_those_by_hash(values, ordered, cuts):
    from tradecurbs.checks.structure import _repeated, _repeated_by_hash

    if ordered:
        values = sorted((v for v in values if v is not None), key=lambda v: v.encode())
    column = _text({"note": values, "ids": values}, cuts).column("note")
    found = _repeated(column)
    assert found.tolist() == _repeated_by_hash(column).tolist()
    assert found.dtype == np.int64


NUMBERISH = st.one_of(st.none(), st.text(alphabet="0123456789+-.eEnaNifINFty x_,", max_size=8),
                      st.floats(allow_nan=True).map(repr), st.integers().map(str))


@settings(max_examples=500, deadline=None)
@given(values=st.lists(NUMBERISH, min_size=1, max_size=8), cuts=st.lists(st.integers(0, 8), max_size=2))
def test_numbers_are_the_finite_values_of_the_number_shape(values, cuts):
    """Arrow's cast, tried on the whole column first, gives what the NUMBER pattern and a
    cast of the shaped values give: the finite decimals, missing for everything else."""
    import math
    import re

    text = _text({"note": values, "ids": values}, cuts)
    expected = []
    for value in values:
        number = float(value) if value and re.fullmatch(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?",
                                                        value) else None
        expected.append(number if number is not None and math.isfinite(number) else None)
    assert text.numbers("note").to_pylist() == expected


@settings(max_examples=200, deadline=None)
@given(values=st.lists(CELL, max_size=8), cuts=st.lists(st.integers(0, 8), max_size=2))
def test_list_items_trimmed_are_arrows_trim(values, cuts):
    import pyarrow.compute as pc

    _, raw, trimmed = _text({"note": values, "ids": values}, cuts).items("ids")
    assert trimmed.to_pylist() == pc.utf8_trim_whitespace(raw).to_pylist()
    assert raw.to_pylist() == [item for value in values if value is not None for item in value.split(";")]
