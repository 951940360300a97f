"""Specification of the reading layer: bad files are reported, never raised."""

from __future__ import annotations

from test_validate_helpers import VALID, found

from tradecurbs import validate

TR = "trade_remedies.csv"


def _package_with(make_package, content: bytes):
    path = make_package(VALID)
    (path / "data" / TR).write_bytes(content)
    return path


def _codes(report):
    return [(p.line, p.code) for p in report.errors]


def test_reading_missing_file(make_package):
    path = make_package(VALID)
    (path / "data" / TR).unlink()
    [problem] = validate(path).errors
    assert (problem.file, problem.code) == ("data/trade_remedies.csv", "file-missing")


def test_reading_empty_file(make_package):
    assert _codes(validate(_package_with(make_package, b""))) == [(1, "file-empty")]


def test_reading_invalid_utf8_names_the_line(make_package):
    header = (make_package(VALID) / "data" / TR).read_bytes().split(b"\n")[0]
    report = validate(_package_with(make_package, header + b"\ntr-a,CHN,\xff\xfe\n"))
    assert _codes(report) == [(2, "encoding-error")]


def test_reading_binary_garbage(make_package):
    report = validate(_package_with(make_package, bytes(range(256)) * 10))
    assert [p.code for p in report.errors] == ["encoding-error"]


def test_reading_header_mismatch_lists_missing_fields(make_package):
    report = validate(_package_with(make_package, b"id,status\ntr-a,initiated\n"))
    [problem] = report.errors
    assert (problem.line, problem.code) == (1, "header-mismatch")
    assert problem.message.startswith("the header does not match the schema (missing: investigating_jurisdiction")


def test_reading_row_with_too_many_or_too_few_cells(make_package):
    original = (make_package(VALID) / "data" / TR).read_bytes().rstrip(b"\n").split(b"\n")
    broken = b"\n".join([original[0], original[1] + b",extra", original[2].rsplit(b",", 3)[0]]) + b"\n"
    report = validate(_package_with(make_package, broken))
    assert _codes(report) == [(2, "row-length"), (3, "row-length")]
    assert report.errors[0].message.startswith("the row has 27 cells where the header has 26")


def test_reading_unclosed_quote_is_reported_where_it_opens(make_package):
    original = (make_package(VALID) / "data" / TR).read_bytes().rstrip(b"\n").split(b"\n")
    broken = b"\n".join([original[0], original[1].replace(b"Widgets,", b'"Widgets,', 1), original[2]]) + b"\n"
    assert _codes(validate(_package_with(make_package, broken))) == [(2, "unclosed-quote")]


def test_reading_lines_count_line_breaks_inside_cells(make_package):
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], summary="two\nlines"),
                                        dict(VALID["trade_remedies"][1], status="bogus")]}
    assert (TR, 4, "status", "constraint-error") in found(validate(make_package(data)))


def test_reading_a_large_cell_is_reported_shortened(make_package):
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], status="x" * 900_000),
                                        VALID["trade_remedies"][1]]}
    [problem] = validate(make_package(data)).errors
    assert problem.code == "constraint-error" and len(problem.value) == 60 and len(problem.message) < 1000


def test_reading_a_cell_over_the_shared_limit_is_reported_shortened(make_package):
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], summary="x" * 2_000_000),
                                        VALID["trade_remedies"][1]]}
    [problem] = validate(make_package(data)).errors
    assert (problem.code, problem.line, problem.field) == ("cell-too-large", 2, "summary")
    assert len(problem.value) == 60 and len(problem.message) < 1000


def test_reading_refuses_a_path_that_leaves_the_package(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [{"name": "t", "path": "../secret.csv"}]}')
    [problem] = validate(tmp_path).errors
    assert (problem.code, problem.file) == ("path-error", "../secret.csv")


def test_reading_a_broken_constraint_in_the_descriptor_is_reported_not_raised(tmp_path):
    (tmp_path / "datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": '
        '[{"name": "id", "constraints": {"pattern": "["}}]}}]}')
    (tmp_path / "t.csv").write_text("id\na\n")
    [problem] = validate(tmp_path).errors
    assert (problem.code, problem.field) == ("schema-error", "id")
    assert problem.message.startswith("the check pattern of field id could not run")


def test_reading_a_byte_order_mark_is_reported(make_package):
    path = make_package(VALID)
    target = path / "data" / TR
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())
    assert _codes(validate(path)) == [(1, "encoding-error")]


def test_validate_reading_header_with_a_stray_carriage_return_is_a_problem_not_a_crash(tmp_path):
    from conftest import write_package

    from tradecurbs.checks import validate

    package = write_package(tmp_path / "p", {})
    target = package / "data" / "sources.csv"
    target.write_bytes(b'id,pub\rlisher,title,url\nx,y,z,w\n')
    report = validate(package)
    assert not report.ok
    assert any(p.file.endswith("sources.csv") and p.line == 1 for p in report.errors)
