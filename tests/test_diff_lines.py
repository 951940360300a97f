"""The diff's line-by-line reading (tradecurbs.changes.lines): it gives the answer the whole
reading gives, takes only files that are one plain record per line, and finds keys right."""

from __future__ import annotations

import itertools
import json
import re
from unittest import mock

import pyarrow as pa
import pytest
from click.testing import CliRunner
from conftest import REMEDY, SOURCE, write_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecurbs.changes import compute, diff, lines
from tradecurbs.cli import main
from tradecurbs.datapackage import Package

# The grammar of a plain record, written independently of the module: fields unquoted with
# no quote or comma, or quoted with doubled quotes inside.
_FIELD = r'(?:[^",]*|"(?:[^"]|"")*")'
_RECORD = re.compile(rf"{_FIELD}(?:,{_FIELD})*")

line_text = st.text(st.sampled_from(['a', 'b', ',', '"', ' ', 'é', '\u2028']), max_size=16)


def chunked(values: list[str], cuts: list[int]) -> pa.ChunkedArray:
    """``values`` as text chunks cut at ``cuts``, each chunk a slice of a larger array (so
    its offsets do not start at zero)."""
    bounds = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    parts = [pa.array(["pad", *values[a:b], "pad"], pa.string()).slice(1, b - a) for a, b in itertools.pairwise(bounds)]
    return pa.chunked_array(parts, type=pa.string())


@settings(max_examples=400, deadline=None)
@given(values=st.lists(line_text, min_size=1, max_size=6), cuts=st.lists(st.integers(0, 6), max_size=2))
def test_plain_accepts_exactly_the_lines_a_record_grammar_accepts(values, cuts):
    records = chunked(values, cuts)
    got = all(lines._plain(chunk) for chunk in records.chunks if len(chunk))
    assert got == all(_RECORD.fullmatch(v) for v in values), values


keys = st.text(st.characters(exclude_characters=',"\r\n', exclude_categories=("Cs",)), min_size=1, max_size=20)
rests = st.text(st.characters(exclude_characters='\r\n', exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(keys, st.none() | rests), min_size=1, max_size=8),
       cuts=st.lists(st.integers(0, 8), max_size=2))
def test_keys_are_the_first_field_of_each_line_short_or_long(pairs, cuts):
    """Keys of 12 bytes or fewer are held in their view, longer ones point into the line."""
    import pyarrow.compute as pc

    values = [key if rest is None else f"{key},{rest}" for key, rest in pairs]
    records = chunked(values, cuts)
    views, buffers = lines._views(records)
    found = lines.key_views(records, views, buffers)
    assert found is not None
    keys = lines.view_array(found, buffers)
    keys.validate(full=True)
    expected = pa.array([key for key, _ in pairs], pa.string())
    assert keys.cast(pa.string()).equals(expected)
    assert pc.all(pc.equal(keys, expected.cast(pa.string_view()))).as_py()  # views compare as Arrow's own


@pytest.mark.parametrize("first", ['"quoted",x', ",x", ""])
def test_an_empty_or_quoted_key_is_left_to_the_whole_reading(first):
    records = chunked(["tr-1,x", first], [])
    assert lines.key_views(records, *lines._views(records)) is None


spellings = st.sampled_from(["10", "10.0", "1e1", "", "7.25", "0"])
texts = st.text(st.sampled_from(['a', 'b', ',', '"', ' ', 'é', ';']), min_size=1, max_size=8)


@st.composite
def spelled_pair(draw):
    """OLD and NEW rows where some values change, some only change spelling, some rows go,
    come or stay byte for byte."""
    size = draw(st.integers(0, 10))
    old = [{**REMEDY, "id": f"tr-{i:03d}", "product": draw(texts), "final_rate_max_pct": draw(spellings),
            "exporting_jurisdictions": draw(st.lists(st.sampled_from(["JPN", "KOR"]), max_size=2))}
           for i in range(size)]
    new = []
    for row in old:
        action = draw(st.sampled_from(["keep", "keep", "drop", "respell", "edit"]))
        if action == "keep":
            new.append(dict(row))
        elif action == "respell":
            new.append({**row, "final_rate_max_pct": draw(spellings)})
        elif action == "edit":
            new.append({**row, "product": draw(texts), "summary": draw(texts)})
    new += [{**REMEDY, "id": f"tr-new-{i}", "product": draw(texts)} for i in range(draw(st.integers(0, 2)))]
    return old, draw(st.permutations(new))


def whole_reading(old: Package, new: Package) -> dict:
    with mock.patch.object(lines, "applies", return_value=False):
        return diff(old, new).to_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=spelled_pair(), crlf=st.booleans())
def test_the_line_by_line_diff_equals_the_whole_reading(tmp_path_factory, case, crlf):
    old_rows, new_rows = case
    old = Package.from_directory(write_package(tmp_path_factory.mktemp("old"), {"sources": [SOURCE], "trade_remedies": old_rows}))
    new_dir = write_package(tmp_path_factory.mktemp("new"), {"sources": [SOURCE], "trade_remedies": new_rows})
    if crlf:  # line ends do not make a record differ
        path = new_dir / "data" / "trade_remedies.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    new = Package.from_directory(new_dir)
    resource = new.resource("trade_remedies")
    assert lines.read_lines(new, resource) is not None  # the line-by-line reading was taken
    with mock.patch.object(compute, "_MOSTLY_CHANGED", 1.0):  # however many lines differ
        assert diff(old, new).to_dict() == whole_reading(old, new)


def test_a_quoted_line_break_sends_the_file_to_the_whole_reading(make_package):
    """A value holding a line break makes a record of two lines: read_lines refuses the file
    (no field of the schema is multi-line), and the diff is the whole reading's."""
    old = Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": [REMEDY]}))
    broken = {**REMEDY, "summary": 'first line\ntr-chn-2026-example,"second'}
    new = Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": [broken]}))
    assert lines.read_lines(new, new.resource("trade_remedies")) is None
    result = diff(old, new).to_dict()
    assert result == whole_reading(old, new)
    [change] = result["tables"]["trade_remedies"]["modified"]
    assert change["changes"]["summary"] == [REMEDY["summary"], broken["summary"]]


def test_a_bad_value_in_an_unchanged_record_is_left_to_validate(make_package):
    """A record that is the same line in both files is not typed: a value wrong in both is
    no change, and `tradecurbs validate` reports it (docs/diff.md)."""
    path = make_package({"sources": [SOURCE], "trade_remedies": [{**REMEDY, "final_rate_max_pct": "NaN"}]})
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(path), str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["tables"]["trade_remedies"]["summary"] == {"added": 0, "removed": 0, "modified": 0}
    checked = runner.invoke(main, ["validate", str(path)])
    assert checked.exit_code == 1 and "final_rate_max_pct" in checked.output


ODD_FILES = {  # NEW's file, as bytes, made odd
    "byte order mark": lambda data: b"\xef\xbb\xbf" + data,
    "lone CR line ends": lambda data: data.replace(b"\n", b"\r"),
    "CR CR LF line ends": lambda data: data.replace(b"\n", b"\r\r\n"),
    "an empty line between records": lambda data: data.replace(b"\n", b"\n\n", 2),
    "no line end after the last record": lambda data: data.rstrip(b"\n"),
    "a record separator in a value": lambda data: data.replace(b"Example chemical", b"Example\x1echemical"),
    "a quoted key": lambda data: data.replace(b"\ntr-chn-2026-old,", b'\n"tr-chn-2026-old",'),
    "a quote inside an unquoted value": lambda data: data.replace(b"Example chemical", b'Example "chemical'),
    "a line break in a quoted value": lambda data: data.replace(b"Example chemical", b'"Example\nchemical"'),
    "a CR in a quoted value": lambda data: data.replace(b"Example chemical", b'"Example\rchemical"'),
    "bytes that are not UTF-8": lambda data: data.replace(b"Example chemical", b"Example \xff chemical"),
    "a NUL byte": lambda data: data.replace(b"Example chemical", b"Example \x00 chemical"),
}


@pytest.mark.parametrize("shape", sorted(ODD_FILES))
def test_odd_files_get_the_whole_readings_answer_or_its_error(make_package, shape):
    """Whatever shape NEW's file has, the diff says what the whole reading says: the same
    result, or the same error."""
    from tradecurbs.errors import DataError

    rows = [{**REMEDY, "id": "tr-chn-2026-old"}, {**REMEDY, "id": "tr-chn-2026-kept", "product": "Kept"}]
    old = Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": rows}))
    new_dir = make_package({"sources": [SOURCE], "trade_remedies": rows})
    path = new_dir / "data" / "trade_remedies.csv"
    data = path.read_bytes()
    odd = ODD_FILES[shape](data)
    assert odd != data
    path.write_bytes(odd)
    new = Package.from_directory(new_dir)

    def outcome(run):
        try:
            return run()
        except DataError as error:
            return f"DataError: {error}"

    with mock.patch.object(compute, "_MOSTLY_CHANGED", 1.0):
        assert outcome(lambda: diff(old, new).to_dict()) == outcome(lambda: whole_reading(old, new))


def test_when_most_lines_differ_the_files_are_read_whole(make_package):
    """Typing most of a file as a selection would hold its lines and their copy at once:
    past a quarter of the lines the whole reading is taken, with the same answer."""
    rows = [{**REMEDY, "id": f"tr-{i:03d}"} for i in range(8)]
    old = Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": rows}))
    few = [dict(r, product="Changed") if i < 1 else r for i, r in enumerate(rows)]
    most = [dict(r, product="Changed") if i < 5 else r for i, r in enumerate(rows)]
    for changed, line_by_line in ((few, True), (most, False)):
        new = Package.from_directory(make_package({"sources": [SOURCE], "trade_remedies": changed}))
        labels = ("old", "new")
        chosen = compute._rows_that_may_differ(old, old.resource("trade_remedies"), new,
                                               new.resource("trade_remedies"), labels)
        assert (chosen is not None) == line_by_line
        assert diff(old, new).to_dict() == whole_reading(old, new)
