"""Apply a diff to OLD's records: the inverse check of ``compute`` (apply(diff(A, B), A) == B)."""

from __future__ import annotations

from typing import Any

from .model import Diff, Record


def _key(record: Record, key: list[str]) -> tuple[Any, ...]:
    return tuple(record.get(k) for k in key)


def apply_diff(diff: Diff, old: dict[str, list[Record]]) -> dict[str, list[Record]]:
    removed_tables = {c["table"] for c in diff.schema_changes if c["kind"] == "table_removed"}
    result: dict[str, list[Record]] = {}
    for name, records in old.items():
        if name in removed_tables:
            continue
        result[name] = [dict(r) for r in records]
    for change in diff.schema_changes:
        table = change.get("table")
        if change["kind"] == "field_removed" and table in result:
            for record in result[table]:
                record.pop(change["field"], None)
        elif change["kind"] == "field_added" and table in result:
            for record in result[table]:
                record.setdefault(change["field"], change.get("empty"))
        elif change["kind"] == "table_added":
            result.setdefault(table, [])
    for name, table_diff in diff.tables.items():
        key = table_diff.key
        rows = {_key(r, key): r for r in result.get(name, [])}
        for record in table_diff.removed:
            rows.pop(_key(record, key), None)
        for change in table_diff.modified:
            target = rows[tuple(change["key"][k] for k in key)]
            for field_name, (_, new_value) in change["changes"].items():
                target[field_name] = new_value
        for record in table_diff.added:
            rows[_key(record, key)] = dict(record)
        result[name] = [rows[k] for k in sorted(rows, key=_sort_key)]
    return result


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((value is None, str(value)) for value in key)
