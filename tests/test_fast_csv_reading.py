"""The fast CSV paths are exact: blocks cut at any line feed are kept only when provably right.

Arrow's reader, told that no value holds a line break, cuts blocks at any line feed and
may cut a quoted line break in two. The loader keeps such a parse only when it has one
record per line and no value holding a break (``linebreaks.one_record_per_line``);
validation keeps it only when the file is byte for byte the canonical encoding of what
was read (``checks.canonical.is_canonical``), checked without writing the encoding.
Small blocks force the cuts to land everywhere.
"""

from __future__ import annotations

import io
import itertools

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyarrow import csv

import tradecurbs.loading
from tradecurbs import linebreaks
from tradecurbs.checks.canonical import is_canonical
from tradecurbs.datapackage import Package
from tradecurbs.formatting import encode_csv, encode_header
from tradecurbs.loading import read_table

NAMES = ["a", "b", "c"]
HEADER = encode_header(NAMES)


def _lenient(data: bytes) -> pa.Table | None:
    """The parse validation tries first: Arrow, blocks cut at any line feed, text columns."""
    bad: list = []
    try:
        table = csv.read_csv(pa.py_buffer(data), read_options=csv.ReadOptions(
            column_names=NAMES, skip_rows=1, use_threads=False),
            parse_options=csv.ParseOptions(newlines_in_values=False,
                                           invalid_row_handler=lambda row: bad.append(row) or "skip"),
            convert_options=csv.ConvertOptions(column_types={n: pa.string() for n in NAMES}, strings_can_be_null=True,
                                               quoted_strings_can_be_null=True, null_values=[""]))
    except pa.ArrowInvalid:
        return None
    return None if bad else table


def _agrees_with_writing_it(data: bytes) -> None:
    table = _lenient(data)
    if table is None or table.num_rows != linebreaks.physical_lines(data) - 1:
        return  # not the fast path's case: the strict parser reads it
    written = encode_csv(NAMES, table.columns)
    assert is_canonical(data, HEADER, table) == (data == written), data


def test_is_canonical_agrees_with_writing_the_file_for_every_short_record():
    """Every record of up to 8 bytes over the characters that matter (exhaustive), and longer
    ones whose quotes add up but sit in the wrong cells (each found when a check was left out)."""
    for size in range(9):
        for chars in itertools.product('a,"', repeat=size):
            body = "".join(chars).encode()
            _agrees_with_writing_it(HEADER + body + b"\n")
            _agrees_with_writing_it(HEADER + body)
    for body in [b',""a"",""', b'""a"","",', b'a,""a"",""', b',"a"a"",""', b',","a"",""', b',""a"a",""',
                 b'""""a', b'"a"""a', b'a,""""a', b',"a"""a']:
        _agrees_with_writing_it(HEADER + body + b"\n")


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.text(alphabet='ab, "\né', max_size=14), min_size=1, max_size=6))
def test_is_canonical_agrees_with_writing_the_file(lines):
    _agrees_with_writing_it(HEADER + "\n".join(lines).encode("utf-8") + b"\n")


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(*[st.one_of(st.none(), st.text(alphabet='ab,"; é', min_size=1, max_size=8))] * 3),
                     min_size=1, max_size=20))
def test_is_canonical_accepts_what_the_writer_writes(rows):
    columns = [pa.array([row[i] for row in rows], type=pa.string()) for i in range(3)]
    data = encode_csv(NAMES, columns)
    table = _lenient(data)
    assert table is not None and is_canonical(data, HEADER, table)


def _write(tmp_path, body: str, multiline: bool = False, note_type: str = "integer"):
    import json

    fields = [{"name": "id", "type": "string"}, {"name": "note", "type": "string"}, {"name": "n", "type": note_type}]
    if multiline:
        fields[1]["multiline"] = True
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": "t", "path": "t.csv", "format": "csv", "schema": {"fields": fields, "primaryKey": ["id"]}}]}))
    (tmp_path / "t.csv").write_text("id,note,n\n" + body, encoding="utf-8", newline="")
    package = Package.from_directory(tmp_path)
    return package, package.resource("t")


def _careful(package, resource) -> list[dict]:
    """The same file read by Arrow's quote-aware parse, in one block."""
    with open(package.root / resource.path, "rb") as source:
        return csv.read_csv(source, convert_options=csv.ConvertOptions(
            column_types={"id": pa.string(), "note": pa.string(), "n": resource.field("n").type == "integer"
                          and pa.int64() or pa.string()})).to_pylist()


# Quoted line breaks whose halves look like records: with blocks cut at any line feed,
# Arrow returns as many records as the careful parse, with other values in them.
TRICKY = 'r0,"\nr3,""4",z\nr1,"m\nn,o",z\nr2,"m\n1,2",w\nr3,"m\n1,2",w\nr4,"m\n",z\n'


def test_load_reads_quoted_line_breaks_exactly_whatever_the_block_size(tmp_path, monkeypatch):
    """A field without "multiline" may still hold a quoted line break in a file being
    loaded (validate reports it): the loader reads it exactly at every block size."""
    package, resource = _write(tmp_path, TRICKY, note_type="string")
    expected = _careful(package, resource)
    assert len(expected) == 5
    for block in range(8, 81):
        monkeypatch.setattr(tradecurbs.loading, "_BLOCK", block)
        assert read_table(package, resource).to_pylist() == expected, block


@pytest.mark.parametrize("block", [16, 32, 1 << 20])
def test_load_of_a_canonical_file_with_small_blocks_is_exact(tmp_path, monkeypatch, block):
    monkeypatch.setattr(tradecurbs.loading, "_BLOCK", block)
    body = "".join(f'r{i:03d},"a, ""quoted"" note",{i}\n' for i in range(200))
    package, resource = _write(tmp_path, body)
    assert read_table(package, resource).to_pylist() == _careful(package, resource)


def test_load_keeps_blank_lines_and_a_missing_last_line_feed_as_before(tmp_path):
    package, resource = _write(tmp_path, "r1,a,1\n\nr2,b,2")
    assert read_table(package, resource).column("id").to_pylist() == ["r1", "r2"]


def test_one_record_per_line_refuses_fewer_records_than_lines_or_a_value_with_a_break():
    table = pa.table({"a": ["x", "y"]})
    assert linebreaks.one_record_per_line(table, 3)
    assert not linebreaks.one_record_per_line(table, 4)
    assert not linebreaks.one_record_per_line(table, None)
    assert not linebreaks.one_record_per_line(pa.table({"a": ["x", "y\nz"]}), 3)
    assert not linebreaks.one_record_per_line(pa.table({"a": pa.array(["x", "y\r"]).dictionary_encode()}), 3)


def _read_through(reader: linebreaks.CountingReader, size: int) -> bytes:
    """Read ``reader`` to its end in parts of ``size`` bytes, as Arrow does."""
    reader.seek(0)
    parts = []
    while part := reader.read(size):
        parts.append(bytes(part))
    return b"".join(parts)


def test_counting_reader_counts_the_last_line_with_or_without_its_line_feed(tmp_path):
    for content, lines in [(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2), (b"\n\n", 2)]:
        path = tmp_path / "f"
        path.write_bytes(content)
        for size in (1, 2, 3, 1 << 16):
            with open(path, "rb") as handle:
                reader = linebreaks.CountingReader(handle)
                assert _read_through(reader, size) == content
                assert reader.lines() == lines, (content, size)
                assert handle.tell() == 0  # read at absolute offsets: the handle is untouched
            reader = linebreaks.CountingReader(io.BytesIO(content))
            assert _read_through(reader, size) == content and reader.lines() == lines


def test_counting_reader_reads_the_rest_when_no_size_is_given(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"a,b\n1,2\n3,4")
    with open(path, "rb") as handle:
        reader = linebreaks.CountingReader(handle)
        assert bytes(reader.read(4)) == b"a,b\n"
        assert reader.lines() is None
        assert bytes(reader.read()) == b"1,2\n3,4"
        assert len(reader.read()) == 0
        assert reader.lines() == 3 and reader.utf8()


def test_counting_reader_takes_at_most_one_byte_past_its_limit_whatever_is_asked(tmp_path):
    """A read of the rest, or of a large block, of a file past the limit stops one byte over
    it: the reader neither allocates nor reads the whole file to find out."""
    import errno

    path = tmp_path / "f"
    path.write_bytes(b"x" * 1000)
    for make in (lambda: open(path, "rb"), lambda: io.BytesIO(path.read_bytes())):
        for size in (-1, 1 << 20):
            with make() as source:
                reader = linebreaks.CountingReader(source, limit=10)
                assert bytes(reader.read(4)) == b"xxxx"
                with pytest.raises(OSError) as caught:
                    reader.read(size)
                assert caught.value.errno == errno.EFBIG and "limit of 10 bytes" in str(caught.value)
                assert reader.tell() == 11


def test_counting_reader_knows_nothing_of_a_pass_that_was_not_whole(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    with open(path, "rb") as handle:
        reader = linebreaks.CountingReader(handle)
        reader.read(5)
        assert reader.lines() is None and not reader.utf8()  # stopped early
        reader.seek(4)
        while reader.read(4):
            pass
        assert reader.lines() is None and not reader.utf8()  # did not start at the start
        _read_through(reader, 4)
        assert reader.lines() == 3 and reader.utf8()


@settings(max_examples=300, deadline=None)
@given(data=st.lists(st.sampled_from([b"a", b"\n", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x99\x82", b"\xc3",
                                      b"\xff", b"\x80", b"\xed\xa0\x80"]), max_size=12).map(b"".join),
       size=st.integers(1, 8))
@example(data=b"\xc3a\xa9", size=1)  # a part of ASCII between a lead byte and a continuation
def test_counting_reader_finds_invalid_utf8_wherever_the_parts_are_cut(data, size):
    """A character cut across two reads is still checked whole, and any byte that is not
    UTF-8 (a stray continuation, a surrogate, a truncated last character) is found."""
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    reader = linebreaks.CountingReader(io.BytesIO(data))
    assert _read_through(reader, size) == data
    assert reader.utf8() == valid
    assert reader.lines() == linebreaks.physical_lines(data.replace(b"\r", b""))


def test_load_of_a_plain_file_parses_it_once_the_fast_way(tmp_path, monkeypatch):
    """The guard's counts come from the reader Arrow reads through: a canonical file is
    parsed once, blocks cut at any line feed and no UTF-8 check of Arrow's own."""
    package, resource = _write(tmp_path, "".join(f'r{i},"a, \u00e9 note",{i}\n' for i in range(500)))
    calls = []
    parse = tradecurbs.loading._parse_csv_blocks

    def recording(*args, **kwargs):
        calls.append((kwargs.get("newlines_in_values", True), kwargs.get("check_utf8", True)))
        return parse(*args, **kwargs)

    monkeypatch.setattr(tradecurbs.loading, "_parse_csv_blocks", recording)
    monkeypatch.setattr(tradecurbs.loading, "_BLOCK", 64)
    table = read_table(package, resource)
    assert calls == [(False, False)]
    assert table.column("note").to_pylist() == ["a, \u00e9 note"] * 500


def test_load_of_a_file_that_is_not_utf8_is_one_line_error(tmp_path):
    """Arrow no longer checks UTF-8 on the fast path: the reader does, and the careful
    parse names the problem as before."""
    from tradecurbs.errors import DataError

    package, resource = _write(tmp_path, "r1,fine,1\n")
    (tmp_path / "t.csv").write_bytes(b"id,note,n\nr1,caf\xe9,1\n")
    with pytest.raises(DataError, match=r"t\.csv: cannot parse CSV .*UTF"):
        read_table(package, resource)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=64).map(lambda b: b.replace(b"\x00", b"")))
def test_physical_lines_counts_lf_crlf_and_lone_cr(data):
    text = data.decode("latin-1")
    expected = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) - (text[-1:] in ("\n", "\r")) \
        if text else 0
    assert linebreaks.physical_lines(data) == expected


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(0, 6), min_size=1, max_size=5),
       picks=st.lists(st.integers(-2, 30), max_size=12), ordered=st.booleans())
def test_take_from_a_chunked_column_is_arrow_take(sizes, picks, ordered):
    """`arrays.take` takes ascending rows chunk by chunk (no copy of the column); it gives
    what Arrow's own take gives, and refuses a position outside the column the same way."""
    from tradecurbs.arrays import from_numpy, take

    counter = itertools.count()
    column = pa.chunked_array([pa.array([f"v{next(counter)}" for _ in range(n)], pa.string()) for n in sizes],
                              type=pa.string())
    rows = sorted(picks) if ordered else picks
    try:
        expected = column.take(pa.array(rows, pa.int64())).to_pylist()
    except (IndexError, pa.ArrowIndexError):
        with pytest.raises((IndexError, pa.ArrowIndexError)):
            take(column, rows)
        return
    import numpy as np

    assert take(column, rows).to_pylist() == expected
    assert take(column, from_numpy(np.asarray(rows, dtype=np.int64))).to_pylist() == expected


def test_load_reads_right_a_file_whose_cut_lines_would_not_convert(tmp_path, monkeypatch):
    """Cut at the quoted line break, the record's second line looks like a record whose
    integer field is text: the conversion error must not be reported, the file is valid."""
    import json

    fields = [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}, {"name": "note", "type": "string"}]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": "t", "path": "t.csv", "format": "csv", "schema": {"fields": fields, "primaryKey": ["id"]}}]}))
    body = "".join(f'r{i},{i},"first\nx,y,w"\n' for i in range(6))
    (tmp_path / "t.csv").write_text("id,n,note\n" + body, encoding="utf-8", newline="")
    package = Package.from_directory(tmp_path)
    expected = [{"id": f"r{i}", "n": i, "note": "first\nx,y,w"} for i in range(6)]
    for block in range(8, 64):
        monkeypatch.setattr(tradecurbs.loading, "_BLOCK", block)
        assert read_table(package, package.resource("t")).to_pylist() == expected, block


def test_is_canonical_counts_quotes_across_the_chunks_it_reads():
    """Quotes are counted a few MB at a time: a file of several such chunks, canonical and
    with one needless pair of quotes far into it, is judged as writing it out judges it."""
    count = 400_000
    columns = [pa.array([f"r{i:06d}" for i in range(count)]), pa.array(['say "hi", then go'] * count),
               pa.array(["plain"] * count)]
    data = encode_csv(NAMES, columns)
    assert len(data) > 3 * (1 << 22)
    assert is_canonical(data, HEADER, _lenient(data))
    middle = data.index(b",plain\n", len(data) // 2)
    quoted = data[:middle] + b',"plain"\n' + data[middle + len(b",plain\n"):]
    assert _lenient(quoted).num_rows == count and not is_canonical(quoted, HEADER, _lenient(quoted))


@pytest.mark.parametrize("step", [1, 2, 3, 7])
def test_is_canonical_is_the_same_whatever_the_bytes_scanned_at_a_time(monkeypatch, step):
    """Lines, and quotes, that straddle the parts the file is scanned in are counted whole."""
    import tradecurbs.checks.canonical as canonical

    files = [HEADER + b"".join(body) for size in range(6) for body in itertools.product(
        [b'a,"b,c",\n', b'"a""",b,c\n', b'a,b,c\n', b'a,"b",c\n', b'a,b"",c\n'], repeat=min(size, 2))]
    parsed = [(data, _lenient(data)) for data in files]
    parsed = [(data, table) for data, table in parsed if table is not None and
              table.num_rows == linebreaks.physical_lines(data) - 1]
    assert sum(data == encode_csv(NAMES, table.columns) for data, table in parsed) >= 4
    expected = [is_canonical(data, HEADER, table) for data, table in parsed]
    assert any(expected) and not all(expected)
    monkeypatch.setattr(canonical, "_STEP", step)
    assert [is_canonical(data, HEADER, table) for data, table in parsed] == expected
    assert expected == [data == encode_csv(NAMES, table.columns) for data, table in parsed]
