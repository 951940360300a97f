"""Specification of `tradecurbs export sqlite`: keys, list link tables, full-text search."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3

from click.testing import CliRunner
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from tradecurbs.cli import main
from tradecurbs.datapackage import Package
from tradecurbs.editions import export_sqlite
from tradecurbs.editions.sqlite import _json_list
from tradecurbs.loading import load_resource
from tradecurbs.records import to_records


def test_export_sqlite_row_counts_equal_the_package(tmp_path):
    package = Package.from_directory(REPO)
    counts = export_sqlite(package, tmp_path / "t.db")
    db = sqlite3.connect(tmp_path / "t.db")
    for table in package.table_names:
        with (REPO / package.resource(table).path).open(encoding="utf-8", newline="") as handle:
            expected = sum(1 for _ in csv.DictReader(handle))
        assert db.execute(f"select count(*) from [{table}]").fetchone()[0] == expected == counts[table], table


def test_export_sqlite_lists_are_json_and_link_tables(tmp_path):
    export_sqlite(Package.from_directory(REPO), tmp_path / "t.db")
    db = sqlite3.connect(tmp_path / "t.db")
    record, sources = db.execute("select id, source_ids from trade_remedies order by id limit 1").fetchone()
    linked = [row[0] for row in db.execute(
        "select item from trade_remedies_source_ids where id = ? order by position", (record,))]
    assert json.loads(sources) == linked and linked
    missing = db.execute("select count(*) from export_controls_source_ids l left join sources s on s.id = l.item "
                         "where s.id is null").fetchone()[0]
    assert missing == 0
    fks = {row[2] for row in db.execute("pragma foreign_key_list(export_controls_target_jurisdictions)")}
    assert fks == {"export_controls", "jurisdictions"}


def test_export_sqlite_full_text_search_finds_a_known_record(tmp_path):
    export_sqlite(Package.from_directory(REPO), tmp_path / "t.db")
    db = sqlite3.connect(tmp_path / "t.db")
    found = {row[0] for row in db.execute(
        "select id from trade_remedies where rowid in "
        "(select rowid from trade_remedies_fts where trade_remedies_fts match 'dichlorosilane')")}
    assert "tr-chn-2026-dichlorosilane" in found


def test_export_sqlite_is_byte_identical_on_rebuild(tmp_path):
    package = Package.from_directory(REPO)
    export_sqlite(package, tmp_path / "a.db")
    export_sqlite(package, tmp_path / "b.db")
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


def test_cli_export_sqlite(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["export", "sqlite", str(tmp_path / "t.db")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{tmp_path / 't.db'}: ") and "(datasette " in result.output


@given(st.lists(st.text()))
def test_sqlite_list_cells_are_written_as_json_dumps_writes_them(items):
    assert _json_list(items) == json.dumps(items, ensure_ascii=False)


def test_export_sqlite_rows_are_the_typed_loaders_records_in_key_order(tmp_path):
    """Each table's rows, in rowid order, are the records `tradecurbs.load` gives, sorted by
    primary key, with list cells as JSON and booleans as 0/1, from files whose rows are not
    in key order (here: the repository's rows reversed)."""
    source = tmp_path / "package"
    (source / "data").mkdir(parents=True)
    shutil.copyfile(REPO / "datapackage.json", source / "datapackage.json")
    for csv_file in (REPO / "data").glob("*.csv"):
        header, *rows = csv_file.read_bytes().splitlines(keepends=True)
        (source / "data" / csv_file.name).write_bytes(header + b"".join(reversed(rows)))
    package = Package.from_directory(source)
    export_sqlite(package, tmp_path / "t.db")
    db = sqlite3.connect(tmp_path / "t.db")
    for name in package.table_names:
        resource = package.resource(name)
        key = list(resource.primary_key)
        records = sorted(to_records(load_resource(package, name)), key=lambda r: tuple(str(r[k]) for k in key))
        expected = [tuple(json.dumps(r[f.name], ensure_ascii=False) if f.type == "list"
                          else (None if r[f.name] is None else int(r[f.name])) if f.type == "boolean"
                          else r[f.name] for f in resource.fields) for r in records]
        names = ", ".join(f"[{f.name}]" for f in resource.fields)
        assert db.execute(f"select {names} from [{name}] order by rowid").fetchall() == expected, name
