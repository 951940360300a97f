"""Property: a damaged CSV either validates with every physical line accounted for, or is reported.

The damage is what editors and hostile contributors do: a quote, comma, line break or
carriage return inserted, deleted or replaced anywhere. An independent reader (the
loader's Arrow parser) then says how many records the file holds.
"""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecurbs import validate
from tradecurbs.checks.catalogue import BY_CODE
from tradecurbs.datapackage import Package
from tradecurbs.loading import read_table

DESCRIPTOR = {"name": "t", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "string", "multiline": True},
    {"name": "c", "type": "string"}]}}]}
READING = {code for code, c in BY_CODE.items() if c.layer == "reading"}
cell = st.text(alphabet="xy ,\"\n", min_size=1, max_size=6).map(str.strip).filter(bool)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _lines(raw: bytes) -> int:
    breaks = raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")
    return breaks + (bool(raw) and raw[-1:] not in (b"\n", b"\r"))


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@SETTINGS
@given(records=st.lists(st.tuples(cell.map(lambda v: v.replace("\n", " ")), cell,
                                  cell.map(lambda v: v.replace("\n", " "))), min_size=1, max_size=6),
       data=st.data())
def test_validate_every_line_of_a_damaged_csv_is_a_record_or_reported(tmp_path_factory, records, data):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(records)
    content = bytearray(buffer.getvalue().encode("utf-8"))
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(len(b"a,b,c\n"), len(content)))
        piece = data.draw(st.sampled_from([b'"', b",", b"\n", b"\r", b"\r\n", b'""', b"x"]))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            content[at:at] = piece
        elif action == "delete":
            del content[at:at + len(piece)]
        else:
            content[at:at + 1] = piece
    raw = bytes(content)
    path = tmp_path_factory.mktemp("pkg")
    (path / "datapackage.json").write_text(json.dumps(DESCRIPTOR))
    (path / "t.csv").write_bytes(raw)

    report = validate(path)
    reading = [p for p in report.problems if p.code in READING]
    lines = _lines(raw)
    if reading:
        assert all(p.line is None or 1 <= p.line <= max(lines, 1) for p in reading)
        return
    table = read_table(Package.from_directory(path), Package.from_directory(path).resource("t"))
    inside = sum(_breaks(v) for v in table.column("b").to_pylist() if v)
    assert table.num_rows + 1 + inside == lines
    assert report.files["t.csv"] == {"lines": lines, "records": table.num_rows, "inside": inside, "reported": 0}
