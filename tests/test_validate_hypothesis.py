"""Bad input never crashes `validate`: random bytes and mutated rows give a report or a clean error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_helpers import VALID

from tradecurbs import validate
from tradecurbs.errors import PackageError

TR = "trade_remedies.csv"
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(content=st.binary(max_size=400))
def test_validate_survives_random_bytes_as_a_data_file(make_package, content):
    path = make_package(VALID)
    (path / "data" / TR).write_bytes(content)
    report = validate(path)
    assert all(p.code and p.message for p in report.problems)


@SETTINGS
@given(content=st.binary(max_size=200))
def test_validate_survives_random_bytes_as_the_descriptor(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("pkg")
    (path / "datapackage.json").write_bytes(content)
    try:
        validate(path)
    except PackageError as error:
        assert str(error)


@SETTINGS
@given(data=st.data())
def test_validate_survives_mutations_of_real_rows(make_package, data):
    path = make_package(VALID)
    target = path / "data" / TR
    content = bytearray(target.read_bytes())
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(content)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data.draw(st.sampled_from([b",", b'"', b"\n", b"\r\n", b";", b" ", b"=", b"\xff", b"x", b""]))
        if action == "insert":
            content[at:at] = piece
        elif action == "delete":
            del content[at:at + len(piece) + 1]
        else:
            content[at:at + 1] = piece
    target.write_bytes(bytes(content))
    report = validate(path)
    assert all(p.code and p.message and (p.line is None or p.line >= 1) for p in report.problems)
