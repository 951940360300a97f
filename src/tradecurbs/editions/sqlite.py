"""The SQLite edition: every table with its keys, list fields as JSON, link tables, full-text search.

Built with sqlite-utils, so ``datasette FILE`` serves it as it is. Rows are inserted in
primary-key order and nothing records the time, so the same package gives the same file
with the same SQLite library. Another SQLite library may lay the same content out in other
bytes (the header records the writer's version at offset 96, and page and full-text index
layout are the library's own), so ``content_digest`` says what a file holds independently
of the library: a release is checked by it (ARCHITECTURE.md, "Releases").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from ..datapackage import Package, Resource
from ..errors import TradecurbsError
from ..extras import requires

_TYPES = {"string": str, "integer": int, "number": float, "date": str, "boolean": int, "list": str}
#: List fields whose items name rows of another table: field -> (table, column).
_LINKS = {"target_jurisdictions": ("jurisdictions", "code"), "exporting_jurisdictions": ("jurisdictions", "code"),
          "source_ids": ("sources", "id")}


def export_sqlite(package: Package, path: str | Path) -> dict[str, int]:
    """Write ``package`` to the SQLite file ``path`` (replaced atomically); rows per table.

    Each table keeps its primary key and its scalar foreign keys. A list field is a JSON
    array in its column and, for querying, a link table ``<table>_<field>`` with one row
    per item (``position``, ``item``), which references jurisdictions or sources where the
    items name them. Text fields are indexed for full-text search (``<table>_fts``).
    """
    sqlite_utils = requires("sqlite_utils", "sqlite")

    from ..loading import read_table
    from ..records import table_columns

    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".tradecurbs-", suffix=".db", dir=target.parent if target.parent.exists() else None)
    os.close(handle)
    os.unlink(temporary)
    counts: dict[str, int] = {}
    lists: dict[str, dict[str, list[tuple]]] = {}
    try:
        db = sqlite_utils.Database(temporary)
        # A build's scratch file, moved into place only when complete: no journal, no fsync.
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        order = sorted(package.table_names, key=lambda n: n not in ("jurisdictions", "sources"))
        for name in order:
            resource = package.resource(name)
            columns = table_columns(read_table(package, resource), resource)
            counts[name], lists[name] = _write_table(db, resource, columns, _foreign_keys(package, resource))
        for name in order:
            resource = package.resource(name)
            _link_tables(db, package, resource, lists.pop(name))
            text = [f.name for f in resource.fields if f.type in ("string", "list") and _is_text(f)]
            if text:
                db[name].enable_fts(text, create_triggers=False, tokenize="porter")
        db.conn.execute("VACUUM")
        db.conn.close()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


def _is_text(field) -> bool:
    """Words people search for: free text and names, not codes, ids, enums or dates."""
    return field.enum is None and field.pattern is None and not field.name.endswith(
        ("_ids", "_jurisdictions", "hs_codes", "url"))


def _write_table(db, resource: Resource, columns: dict[str, list[Any]], foreign: list[tuple[str, str, str]]
                 ) -> tuple[int, dict[str, list[tuple]]]:
    """Insert the rows (``columns`` of plain values) in key order; return their count and,
    per list field, each row's key values and items in that order (the link tables' rows,
    without reading the JSON back). Rows go from columns straight to tuples: no record
    dicts (at 100k rows they cost more than the inserts)."""
    types = {f.name: _TYPES.get(f.type, str) for f in resource.fields}
    key = list(resource.primary_key)
    sort_keys = [tuple(map(str, values)) for values in zip(*(columns[k] for k in key))]
    order = sorted(range(len(sort_keys)), key=sort_keys.__getitem__)
    ordered = {name: [columns[name][i] for i in order] for name in types}
    keys = list(zip(*(ordered[k] for k in key)))
    items: dict[str, list[tuple]] = {}
    for field in resource.fields:
        if field.type == "list":
            items[field.name] = list(zip(keys, ordered[field.name]))
            ordered[field.name] = [_json_list(value) for value in ordered[field.name]]
        elif field.type == "boolean":
            ordered[field.name] = [None if value is None else int(value) for value in ordered[field.name]]
    table = db[resource.name]
    table.create(types, pk=key[0] if len(key) == 1 else tuple(key), not_null=set(key), foreign_keys=foreign)
    names = list(types)
    _insert(db, resource.name, names, list(zip(*(ordered[n] for n in names))))
    return len(order), items


def _json_list(items: list[str]) -> str:
    """A list of text as ``json.dumps(items, ensure_ascii=False)`` writes it, with the same
    escaping function, without building an encoder per cell."""
    return "[" + ", ".join(map(encode_basestring, items)) + "]"


def _insert(db, table: str, columns: list[str], rows: list[tuple]) -> None:
    """``rows`` into ``table``, in order, in one transaction. (sqlite-utils' ``insert_all``
    builds each row's statement in Python and commits every batch: 30 s of a 100k-row
    release build, against about 3 s.)"""
    sql = (f"INSERT INTO {_quoted(table)} ({', '.join(_quoted(c) for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    with db.conn:
        db.conn.executemany(sql, rows)


def _foreign_keys(package: Package, resource: Resource) -> list[tuple[str, str, str]]:
    """The scalar foreign keys of ``resource`` as sqlite-utils takes them: (column, table, column)."""
    keys = []
    for fk in resource.foreign_keys:
        if len(fk.fields) != 1:
            continue
        other = fk.reference_table or resource.name
        if other in package.table_names:
            keys.append((fk.fields[0], other, fk.reference_fields[0]))
    return keys


def _link_tables(db, package: Package, resource: Resource, lists: dict[str, list[tuple]]) -> None:
    """One table per list field: a row per item, with its record's key and its position."""
    key = list(resource.primary_key)
    for field in (f for f in resource.fields if f.type == "list"):
        name = f"{resource.name}_{field.name}"
        columns: dict[str, type] = {k: str for k in key} | {"position": int, "item": str}
        rows = [(*values, position, item) for values, items in lists[field.name]
                for position, item in enumerate(items or [], 1)]
        foreign = []
        if len(key) == 1:
            foreign.append((key[0], resource.name, key[0]))
        if field.name in _LINKS and _LINKS[field.name][0] in package.table_names:
            foreign.append(("item", *_LINKS[field.name]))
        db[name].create(columns, pk=tuple(key + ["position"]), foreign_keys=foreign)
        _insert(db, name, list(columns), rows)
        db[name].create_index(["item"])


def content_digest(path: str | Path) -> str:
    """The sha256 of what the SQLite file ``path`` holds, whatever SQLite library wrote it.

    It covers every table's columns, keys, indexes and rows (in rowid order), and each
    full-text table's definition; the full-text indexes themselves, whose bytes are the
    library's own, must pass FTS5's integrity check against their tables instead. A file
    SQLite finds corrupt is a TradecurbsError. The file is read from a private copy, so
    ``path`` is never written.
    """
    import sqlite3

    digest = hashlib.sha256()

    def feed(*parts: object) -> None:
        digest.update(repr(parts).encode("utf-8") + b"\n")

    with tempfile.TemporaryDirectory(prefix="tradecurbs-sqlite-") as tmp:
        copy = Path(tmp) / "copy.sqlite"
        shutil.copyfile(path, copy)
        db = sqlite3.connect(copy)
        try:
            if db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise TradecurbsError(f"{path}: SQLite finds the file corrupt (PRAGMA integrity_check)")
            objects = db.execute("SELECT type, name, sql FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").fetchall()
            virtual = [name for _, name, sql in objects if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
            for _, name, sql in objects:
                quoted = _quoted(name)
                if name in virtual:
                    feed("fts", name, " ".join(sql.split()))
                    db.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('integrity-check')")
                    continue
                if any(name.startswith(f"{v}_") for v in virtual):
                    continue  # a full-text index's own storage, checked above
                feed("table", name, db.execute(f"PRAGMA table_info({quoted})").fetchall(),
                     db.execute(f"PRAGMA foreign_key_list({quoted})").fetchall())
                for index in sorted(db.execute(f"PRAGMA index_list({quoted})").fetchall(), key=lambda i: i[1]):
                    columns = db.execute(f"PRAGMA index_info({_quoted(index[1])})").fetchall()
                    feed("index", index[1:], columns)
                for row in db.execute(f"SELECT rowid, * FROM {quoted} ORDER BY rowid"):
                    feed(row)
        except sqlite3.DatabaseError as error:
            raise TradecurbsError(f"{path}: not a readable SQLite edition ({error})") from None
        finally:
            db.close()
    return digest.hexdigest()


def _quoted(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
