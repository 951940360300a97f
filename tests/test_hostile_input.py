"""Hostile and broken input: never a read outside the package, never a lost row, never a crash.

Each test builds its own small package in tmp_path and tries what a hostile
contributor, or a broken editor, would do to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, write_package
from test_validate_helpers import VALID, rows

from tradecurbs import validate
from tradecurbs.cli import main

TR = "trade_remedies.csv"
SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _outside_secret(tmp_path: Path) -> Path:
    """A file outside the package whose every line would fail the schema."""
    secret = tmp_path / "outside" / "config"
    secret.parent.mkdir(parents=True)
    header = (REPO / "data" / TR).read_text(encoding="utf-8").splitlines()[0]
    secret.write_text(header + "\n" + "\n".join(f"{SECRET}-{i},x" for i in range(5)) + "\n", encoding="utf-8")
    return secret


# --- 1. The package root is a wall --------------------------------------------------------


def test_validate_symlinked_data_file_is_reported_and_never_printed(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    secret = _outside_secret(tmp_path)
    (package / "data" / TR).unlink()
    (package / "data" / TR).symlink_to(secret)
    for output_format in ("text", "json", "github"):
        result = run("validate", str(package), "--format", output_format)
        assert result.exit_code == 1
        assert "c2VjcmV0" not in result.output and SECRET not in result.output
        assert "file-unsafe" in result.output and "symbolic link" in result.output


def test_validate_symlinked_data_directory_is_reported_and_format_writes_nothing_outside(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    outside = tmp_path / "elsewhere"
    (package / "data").rename(outside)
    (package / "data").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    (outside / TR).write_bytes((outside / TR).read_bytes().replace(b"Widgets,", b"Widgets ,"))
    before[TR] = (outside / TR).read_bytes()
    report = validate(package)
    assert {p.code for p in report.errors} == {"file-unsafe"}
    assert all("data" in p.message and "symbolic link" in p.message for p in report.errors)
    result = run("format", str(package))
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_release_build_takes_nothing_through_a_symlinked_data_directory(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    outside = tmp_path / "elsewhere"
    (package / "data").rename(outside)
    (package / "data").symlink_to(outside)
    out = tmp_path / "releases"
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(out))
    assert result.exit_code == 2 and "validation error" in result.output
    assert not out.exists() or not list(out.rglob("*.csv"))


def test_validate_fifo_as_data_file_is_reported_without_blocking(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    (package / "data" / TR).unlink()
    os.mkfifo(package / "data" / TR)
    [problem] = [p for p in validate(package).errors if p.file == f"data/{TR}"]
    assert problem.code == "file-unsafe" and "FIFO" in problem.message


def test_datapackage_symlinked_descriptor_is_refused(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    real = tmp_path / "real.json"
    (package / "datapackage.json").rename(real)
    (package / "datapackage.json").symlink_to(real)
    result = run("validate", str(package))
    assert result.exit_code == 2 and "symbolic link" in result.output


def test_load_diff_and_release_build_refuse_a_symlinked_file(tmp_path):
    from tradecurbs.datapackage import Package
    from tradecurbs.errors import PackageError
    from tradecurbs.loading import load_resource

    package = write_package(tmp_path / "p", VALID)
    secret = _outside_secret(tmp_path)
    (package / "data" / TR).unlink()
    (package / "data" / TR).symlink_to(secret)
    with pytest.raises(PackageError, match="symbolic link"):
        load_resource(Package.from_directory(package), "trade_remedies")
    clean = write_package(tmp_path / "clean", VALID)
    result = run("diff", str(clean), str(package))
    assert result.exit_code == 2 and SECRET not in result.output and "symbolic link" in result.output
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"))
    assert result.exit_code == 2 and SECRET not in result.output


def _grow_sparse(path: Path, size: int) -> None:
    """Make ``path`` ``size`` bytes long without writing them (a sparse file: no disk used)."""
    with open(path, "r+b") as handle:
        handle.truncate(size)


def test_a_data_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path):
    from tradecurbs import limits
    from tradecurbs.datapackage import Package
    from tradecurbs.errors import DataError
    from tradecurbs.loading import load_resource

    package = write_package(tmp_path / "p", VALID)
    _grow_sparse(package / "data" / TR, limits.MAX_FILE_BYTES + 1)
    result = run("validate", str(package), "--format", "github")
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if "file-too-large" in line]
    assert f"file=data/{TR}" in line and f"{limits.MAX_FILE_BYTES + 1:,} bytes" in line
    assert "its content was not read" in line
    with pytest.raises(DataError, match=f"{TR}: the file holds {limits.MAX_FILE_BYTES + 1:,} bytes"):
        load_resource(Package.from_directory(package), "trade_remedies")
    clean = write_package(tmp_path / "clean", VALID)
    result = run("diff", str(clean), str(package))
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and "more than the limit" in result.output
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"))
    assert result.exit_code == 2 and "1 validation error" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("grown_to", ["over the limit", "far over the limit"])
def test_load_refuses_a_data_file_that_grows_past_the_byte_limit_after_it_was_opened(tmp_path, monkeypatch,
                                                                                      grown_to):
    """The size is checked on the open file; a file another program makes longer while it
    is read is stopped at the limit, in one line, never read whole or cut short silently."""
    from tradecurbs import limits
    from tradecurbs.datapackage import Package
    from tradecurbs.errors import DataError
    from tradecurbs.loading import load_resource

    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / TR
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", target.stat().st_size + 10)
    opened = Package.open_file

    def open_then_grow(self, resource, format=None):
        handle = opened(self, resource, format)  # checked: within the limit when opened
        if resource.name == "trade_remedies":
            with open(target, "ab") as more:
                more.write(target.read_bytes().split(b"\n", 1)[1] * (1 if grown_to == "over the limit" else 50))
        return handle

    monkeypatch.setattr(Package, "open_file", open_then_grow)
    with pytest.raises(DataError, match=f"{TR}: cannot read the file \\(the file grew past the limit of "
                                        f"{limits.MAX_FILE_BYTES:,} bytes while being read\\)"):
        load_resource(Package.from_directory(package), "trade_remedies")


def test_a_file_at_the_byte_limit_is_read(tmp_path):
    from tradecurbs.datapackage import read_inside
    from tradecurbs.errors import FileTooLargeError

    (tmp_path / "f").write_bytes(b"x" * 10)
    assert read_inside(tmp_path, "f", limit=10) == b"x" * 10
    with pytest.raises(FileTooLargeError, match="holds 10 bytes, more than the limit of 9"):
        read_inside(tmp_path, "f", limit=9)


def test_a_descriptor_over_its_byte_limit_is_refused(tmp_path):
    from tradecurbs import limits

    package = write_package(tmp_path / "p", VALID)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["description"] = "x" * limits.MAX_DESCRIPTOR_BYTES
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    result = run("validate", str(package))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "datapackage.json" in result.output and "more than the limit" in result.output


def test_descriptor_path_leaving_the_root_is_refused_by_every_command(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "../outside.csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    for args in (["format", str(package)], ["summary", str(package)], ["diff", str(package), str(package)]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "leaves the package root" in result.output and "Traceback" not in result.output
    assert [p.code for p in validate(package).errors if p.file == "../outside.csv"] == ["path-error"]


def test_format_replaces_the_file_atomically_keeping_its_mode(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / TR
    target.write_bytes(target.read_bytes().replace(b"Widgets,", b"Widgets ,"))
    target.chmod(0o640)
    inode = target.stat().st_ino
    assert run("format", str(package)).exit_code == 0
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert validate(package).ok


# --- 2. Every physical line is accounted for ---------------------------------------------


def test_validate_stray_quotes_merging_two_rows_are_reported_where_the_record_starts(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / "jurisdictions.csv"
    lines = target.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("AFG,"))
    lines[at] = lines[at].replace("AFG,", 'AFG,"', 1)
    cells = lines[at + 1].split(",")
    cells[1] = cells[1] + '"'
    lines[at + 1] = ",".join(cells)
    target.write_text("\n".join(lines), encoding="utf-8")
    report = validate(package)
    assert not report.ok
    problem = next(p for p in report.errors if p.file == "data/jurisdictions.csv")
    assert (problem.code, problem.line) == ("line-break", at + 1)
    counts = report.files["data/jurisdictions.csv"]
    assert counts["lines"] == 1 + counts["records"] + counts["inside"] + counts["reported"]
    assert counts["reported"] == 2


def test_validate_unclosed_quote_is_reported_where_it_opens_not_where_parity_ends(tmp_path):
    records = [dict(VALID["trade_remedies"][0], id=f"tr-chn-2025-w{i:02d}", summary=f"case {i}, with a comma")
               for i in range(60)]
    package = write_package(tmp_path / "p", {**VALID, "trade_remedies": records})
    target = package / "data" / TR
    lines = target.read_text(encoding="utf-8").split("\n")
    lines[20] = lines[20].replace(",Widgets,", ',"Widgets,', 1)  # line 21 opens a quote that never closes
    target.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in validate(package).errors if p.file == f"data/{TR}"]
    assert [(p.code, p.line) for p in problems] == [("unclosed-quote", 21)]


def test_validate_blank_line_is_reported_and_counted(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / TR
    target.write_bytes(target.read_bytes().replace(b"\n", b"\n\n", 1))
    report = validate(package)
    assert [(p.code, p.line) for p in report.errors] == [("blank-line", 2)]
    assert report.files[f"data/{TR}"] == {"lines": 4, "records": 2, "inside": 0, "reported": 1}
    assert "lines = header + 2 records + 1 in the problems above" in run("validate", str(package)).output


def test_validate_multiline_field_may_hold_line_breaks_and_they_are_counted(tmp_path):
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    remedies = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    next(f for f in remedies["schema"]["fields"] if f["name"] == "summary")["multiline"] = True
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], summary="two\nlines"),
                                        VALID["trade_remedies"][1]]}
    report = validate(write_package(tmp_path / "p", data, descriptor))
    assert report.ok
    assert report.files[f"data/{TR}"] == {"lines": 4, "records": 2, "inside": 1, "reported": 0}


def test_validate_duplicated_header_column_is_named_as_repeated(tmp_path):
    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / TR
    text = target.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    names = header.split(",")
    names[1] = names[0]
    target.write_text(",".join(names) + "\n" + rest, encoding="utf-8")
    [problem] = [p for p in validate(package).errors if p.file == f"data/{TR}"]
    assert problem.code == "header-mismatch" and "repeated: id" in problem.message
    assert "another order" not in problem.message


def test_validate_crlf_inside_a_multiline_cell_is_fixed_by_format(tmp_path):
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    remedies = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
    next(f for f in remedies["schema"]["fields"] if f["name"] == "summary")["multiline"] = True
    data = {**VALID, "trade_remedies": [dict(VALID["trade_remedies"][0], summary="two\r\nlines"),
                                        VALID["trade_remedies"][1]]}
    package = write_package(tmp_path / "p", data, descriptor)
    report = validate(package)
    assert [(p.code, p.hint is not None) for p in report.problems] == [("line-ending", True)]
    assert run("format", str(package)).exit_code == 0
    assert b"\r" not in (package / "data" / TR).read_bytes()
    assert validate(package).problems == []


def test_validate_formula_in_a_later_list_item_is_reported(tmp_path):
    data = rows(trade_remedies={0: {"petitioners": ["Widget makers", "=HYPERLINK(1)"]}})
    report = validate(write_package(tmp_path / "p", data))
    assert [(p.code, p.field) for p in report.errors] == [("formula", "petitioners")]


# --- 3. One set of limits -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["0000-01-01", "0999-12-31"])
def test_validate_dates_outside_years_1000_9999_are_type_errors_and_diff_exits_2(tmp_path, value):
    package = write_package(tmp_path / "p", rows(trade_remedies={0: {"initiated_on": value}}))
    assert [(p.code, p.field) for p in validate(package).errors] == [("type-error", "initiated_on")]
    before = write_package(tmp_path / "before", rows(trade_remedies={}))
    result = run("diff", str(before), str(package))
    assert result.exit_code == 2 and "outside years 1000-9999" in result.output


@pytest.mark.parametrize("value", ["1e309", "INF", "-INF", "NaN", "nan"])
def test_validate_numbers_must_be_finite(tmp_path, value):
    package = write_package(tmp_path / "p", rows(trade_remedies={0: {"preliminary_rate_min_pct": value}}))
    [problem] = validate(package).errors
    assert (problem.code, problem.field) == ("type-error", "preliminary_rate_min_pct")
    assert "finite" in problem.message and "minimum" not in problem.message


def test_load_refuses_a_number_that_is_not_finite(tmp_path):
    from tradecurbs.datapackage import Package
    from tradecurbs.errors import DataError
    from tradecurbs.loading import load_resource

    package = write_package(tmp_path / "p", rows(trade_remedies={0: {"preliminary_rate_min_pct": "1e309"}}))
    with pytest.raises(DataError, match="not a finite number"):
        load_resource(Package.from_directory(package), "trade_remedies")


def test_limits_a_cell_over_the_limit_is_refused_by_validate_and_load_alike(tmp_path):
    from tradecurbs.datapackage import Package
    from tradecurbs.errors import DataError
    from tradecurbs.limits import MAX_CELL_BYTES
    from tradecurbs.loading import load_resource

    package = write_package(tmp_path / "p", rows(trade_remedies={0: {"summary": "x" * (MAX_CELL_BYTES + 1)}}))
    assert [p.code for p in validate(package).errors] == ["cell-too-large"]
    with pytest.raises(DataError, match="bytes"):
        load_resource(Package.from_directory(package), "trade_remedies")


def test_limits_a_50_mib_cell_is_named_as_too_large_by_every_command_not_as_bad_csv(tmp_path):
    package = write_package(tmp_path / "p", rows(trade_remedies={0: {"summary": "x" * (50 << 20)}}))
    checked = run("validate", str(package))
    assert checked.exit_code == 1
    assert "data/trade_remedies.csv:2 [summary]: error cell-too-large" in checked.output
    assert "parse" not in checked.output
    compared = run("diff", str(package), str(package))
    assert compared.exit_code == 2 and "field 'summary' holds more than 1,048,576 bytes" in compared.output
    built = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"))
    assert built.exit_code == 2 and "1 validation error" in built.output
    assert not (tmp_path / "r" / "tradecurbs-data-0.1.0").exists()


def test_limits_cells_just_under_the_limit_validate_load_diff_and_build(tmp_path):
    from tradecurbs.datapackage import Package
    from tradecurbs.limits import MAX_CELL_BYTES
    from tradecurbs.loading import load_resource

    big = "x" * (MAX_CELL_BYTES - 10)
    data = rows(trade_remedies={0: {"summary": big, "product": big, "authority": big}})
    package = write_package(tmp_path / "p", data)
    assert validate(package).ok
    assert load_resource(Package.from_directory(package), "trade_remedies")["summary"][0] == big
    assert run("diff", str(package), str(package)).exit_code == 0
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output


def test_load_a_record_larger_than_the_csv_block_is_read_with_the_large_blocks(tmp_path, monkeypatch):
    import tradecurbs.loading
    from tradecurbs.datapackage import Package
    from tradecurbs.loading import load_resource

    monkeypatch.setattr(tradecurbs.loading, "_BLOCK", 1 << 16)  # a record of 200 kB straddles two blocks
    big = "x" * 200_000
    package = Package.from_directory(write_package(tmp_path / "p", rows(trade_remedies={0: {"summary": big}})))
    # Repeated: the failed first parse's reader thread could move the shared file position
    # under the second parse, now and then ("Expected 2 columns, got 26").
    for _ in range(40):
        assert load_resource(package, "trade_remedies")["summary"][0] == big


def test_validate_lists_at_most_100_problems_per_code_and_counts_the_rest(tmp_path):
    records = [dict(VALID["trade_remedies"][0], id=f"tr-chn-2025-w{i:03d}", status="bogus") for i in range(250)]
    package = write_package(tmp_path / "p", {**VALID, "trade_remedies": records})
    report = validate(package)
    listed = [p for p in report.errors if p.code == "constraint-error"]
    assert len(listed) == 100
    [omitted] = [o for o in report.omitted if o.code == "constraint-error"]
    assert omitted.count == 150 and omitted.file == f"data/{TR}"
    assert report.to_dict()["counts"]["errors"] >= 250
    assert "150 more problems of this code not listed" in run("validate", str(package)).output


def test_validate_junk_rows_are_bounded_in_time_and_output(tmp_path):
    import time

    package = write_package(tmp_path / "p", VALID)
    target = package / "data" / TR
    header = target.read_text(encoding="utf-8").split("\n")[0]
    junk = "\n".join(",".join(f"j{i}" for _ in range(26)) for i in range(50_000))
    target.write_text(header + "\n" + junk + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = validate(package)
    assert time.perf_counter() - started < 20
    assert len(report.problems) < 3000 and not report.ok


# --- 4. Exit codes everywhere -------------------------------------------------------------


@pytest.mark.parametrize("shape", [{"fields": 5}, {"primaryKey": 5}, {"foreignKeys": [5]},
                                   {"fields": [{"name": "id", "constraints": []}]},
                                   {"primaryKey": ["nope"]}])
def test_every_command_refuses_a_descriptor_of_the_wrong_shape_with_exit_2(tmp_path, shape):
    package = write_package(tmp_path / "p", VALID)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"].update(shape)
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    for args in (["validate", str(package)], ["format", str(package)], ["summary", str(package)],
                 ["diff", str(package), str(package)],
                 ["release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r")]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert len(result.output.strip().splitlines()) == 1 and "resource" in result.output


def test_cli_unexpected_error_is_exit_2_one_line_and_debug_shows_the_traceback(tmp_path, monkeypatch):
    import tradecurbs.changes

    def broken(*_args, **_kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(tradecurbs.changes, "diff", broken)
    package = write_package(tmp_path / "p", VALID)
    result = run("diff", str(package), str(package))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: internal error: OverflowError: date value out of range (run with --debug for the traceback; "
        "please report it)"]
    result = CliRunner().invoke(main, ["--debug", "diff", str(package), str(package)])
    assert isinstance(result.exception, OverflowError)


def test_cli_a_crash_in_a_real_process_exits_2_without_traceback(tmp_path):
    script = ("import sys, tradecurbs.checks as c\n"
              "def boom(*a, **k): raise RuntimeError('boom')\n"
              "c.validate = boom\n"
              "from tradecurbs.cli import main\n"
              "sys.argv = ['tradecurbs', 'validate', '.']\n"
              "main()\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error: RuntimeError: boom" in result.stderr


def _workflow_diff_script() -> str:
    text = (REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    block = text.split("Record-level diff", 1)[1].split("run: |", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith("          "):
            break
        lines.append(line[10:])
    return "\n".join(lines)


@pytest.mark.parametrize(("status", "fails"), [(0, False), (1, False), (2, True)])
def test_pull_request_workflow_diff_step_fails_only_on_trouble(tmp_path, status, fails):
    stub = tmp_path / "bin" / "tradecurbs"
    stub.parent.mkdir()
    stub.write_text(f"#!/bin/sh\necho stub\nexit {status}\n")
    stub.chmod(0o755)
    script = _workflow_diff_script().replace("${{ github.base_ref }}", "main")
    env = {**os.environ, "PATH": f"{stub.parent}:{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(tmp_path / "s")}
    result = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert (result.returncode != 0) == fails, result.stderr


def test_pull_request_workflow_checkout_keeps_no_credentials():
    text = (REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "persist-credentials: false" in text


# --- 5, 6, 7. Catalogue, one writer, misuse -----------------------------------------------


def test_catalogue_docs_validate_md_table_is_generated_from_it():
    from tradecurbs.checks.catalogue import update_document

    committed = (REPO / "docs" / "validate.md").read_text(encoding="utf-8")
    assert committed == update_document(committed), "docs/validate.md is stale: run python scripts/make_validate_codes.py"


def test_catalogue_every_code_a_check_can_report_is_in_it():
    import re

    from tradecurbs.checks.catalogue import BY_CODE
    from tradecurbs.checks.rules import SUB_CODES

    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "tradecurbs" / "checks").glob("*.py"))
    emitted = set(re.findall(r'(?:Problem\(|problem\()\s*"([a-z0-9-]+)"', source))
    rules = json.loads((REPO / "validation" / "rules.json").read_text(encoding="utf-8"))["rules"]
    emitted |= {r["id"] for r in rules if r["check"] not in SUB_CODES}
    emitted |= {code for codes in SUB_CODES.values() for code in codes}
    assert len(emitted) > 30
    assert sorted(emitted - set(BY_CODE)) == []
    assert all(c.title and c.description and c.fix for c in BY_CODE.values())


def test_rules_hs_codes_keep_two_codes(tmp_path):
    report = validate(write_package(tmp_path / "p", rows(trade_remedies={0: {"hs_codes": ["28.11", "8099"]}})))
    assert sorted((p.code, p.severity) for p in report.problems) == [("hs-code-format", "error"),
                                                                    ("hs-code-unknown", "warning")]


def test_release_csv_holds_exactly_the_repository_values(tmp_path):
    data = rows(trade_remedies={0: {"preliminary_rate_min_pct": "10.0", "preliminary_rate_max_pct": "32.50"}})
    package = write_package(tmp_path / "p", data)
    assert validate(package).ok
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    released = tmp_path / "r" / "tradecurbs-data-0.1.0"
    for name in ("trade_remedies", "sources", "jurisdictions"):
        assert (released / f"{name}.csv").read_bytes() == (package / "data" / f"{name}.csv").read_bytes()
    assert validate(released).ok


@pytest.mark.parametrize("created", ["yesterday", "2026-13-01", "0000-01-01", "2026-01-01T00:00:00+99"])
def test_release_build_refuses_a_created_that_is_not_a_date(tmp_path, created):
    package = write_package(tmp_path / "p", VALID)
    result = run("release", "build", "--version", "0.1.0", "--source", str(package), "--out", str(tmp_path / "r"),
                 "--created", created)
    assert result.exit_code == 2 and "--created" in result.output
    assert not (tmp_path / "r" / "tradecurbs-data-0.1.0").exists()


def test_load_columns_takes_a_string_or_a_list():
    import tradecurbs

    assert list(tradecurbs.load("sources", columns="id").columns) == ["id"]
    assert list(tradecurbs.load("sources", columns=["id", "url"]).columns) == ["id", "url"]
    for wrong in (5, {"id": 1}, ["id", 5]):
        with pytest.raises(TypeError, match="columns= takes a field name or a list of field names"):
            tradecurbs.load("sources", columns=wrong)


def test_validate_with_no_package_here_validates_the_bundled_data_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 0
    assert "no datapackage.json in the current directory: validated the data bundled with tradecurbs" in result.output
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2 and "not a data package" in result.output


def test_exports_every_exception_from_one_errors_module_and_one_diff():
    import tradecurbs
    import tradecurbs.changes
    import tradecurbs.checks.reading  # the submodules are importable
    import tradecurbs.datapackage
    import tradecurbs.errors
    import tradecurbs.releases.errors

    assert tradecurbs.errors.RegistryError is tradecurbs.releases.errors.RegistryError is tradecurbs.RegistryError
    assert tradecurbs.errors.DownloadError is tradecurbs.releases.errors.DownloadError is tradecurbs.DownloadError
    for name in tradecurbs.errors.__all__:
        assert issubclass(getattr(tradecurbs, name), tradecurbs.TradecurbsError)
    assert tradecurbs.diff is tradecurbs.changes.diff
    assert [n for n in tradecurbs.__all__ if "diff" in n] == ["diff"]


def test_validate_maps_a_data_file_under_the_same_rules_as_reading_it(tmp_path):
    """``map_bytes`` gives the file's bytes without a copy, and refuses what ``read_bytes`` refuses."""
    import mmap

    from tradecurbs.datapackage import Package
    from tradecurbs.errors import UnsafePathError

    package_dir = write_package(tmp_path / "p", VALID)
    package = Package.from_directory(package_dir)
    resource = package.resource("trade_remedies")
    mapped = package.map_bytes(resource)
    assert isinstance(mapped, mmap.mmap) and mapped[:] == package.read_bytes(resource)
    (package_dir / "data" / TR).write_bytes(b"")
    assert package.map_bytes(resource) == b""
    secret = _outside_secret(tmp_path)
    (package_dir / "data" / TR).unlink()
    (package_dir / "data" / TR).symlink_to(secret)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        package.map_bytes(resource)


@pytest.mark.parametrize("content", [b"", b" \n" * 40_000, b"\n\t " * 30_000 + b"id"])
def test_validate_an_empty_or_blank_file_as_mapped(tmp_path, content):
    package = write_package(tmp_path / "p", VALID)
    (package / "data" / TR).write_bytes(content)
    codes = {p.code for p in validate(package).errors if p.file == f"data/{TR}"}
    assert ("file-empty" in codes) == (not content.strip())
    assert codes
