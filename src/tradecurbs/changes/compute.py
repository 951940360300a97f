"""Compute a diff, vectorized: keys are matched with Arrow hash joins, aligned columns
are compared with Arrow compute, and Python touches only the rows that changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, PackageError
from ..package import Field, Package, Resource
from .model import Diff, Record, TableDiff

if TYPE_CHECKING:
    import pyarrow as pa

_SEP = "\x1f"


def diff(old: Package | str | Path, new: Package | str | Path, tables: list[str] | None = None) -> Diff:
    """What changed from ``old`` to ``new`` (packages, paths, versions or git revisions)."""
    from ..resolve import resolve

    old_pkg = old if isinstance(old, Package) else resolve(old)
    new_pkg = new if isinstance(new, Package) else resolve(new)
    if tables:
        known = set(old_pkg.resources) | set(new_pkg.resources)
        unknown = [t for t in tables if t not in known]
        if unknown:
            from ..errors import UnknownTableError

            raise UnknownTableError(unknown[0], known, "either package")
    result = Diff(old=old_pkg.label, new=new_pkg.label, schema_changes=schema_changes(old_pkg, new_pkg))
    names = [n for n in new_pkg.resources] + [n for n in old_pkg.resources if n not in new_pkg.resources]
    for name in names:
        if tables and name not in tables:
            continue
        result.tables[name] = table_diff(old_pkg, new_pkg, name)
    return result.only(tables) if tables else result


def package_records(package: Package) -> dict[str, list[Record]]:
    """Every table of ``package`` as plain records sorted by key: what ``Diff.apply`` works on."""
    from ..loading import read_table

    out = {}
    for resource in package.resources.values():
        table = read_table(package, resource)
        if resource.primary_key:
            table = table.sort_by([(k, "ascending") for k in resource.primary_key])
        out[resource.name] = _plain(table, resource)
    return out


def schema_changes(old: Package, new: Package) -> list[dict[str, Any]]:
    """Tables and fields added, removed or retyped; enum values; primary keys; required."""
    changes: list[dict[str, Any]] = []
    for name, resource in new.resources.items():
        if name not in old.resources:
            changes.append({"kind": "table_added", "table": name})
            continue
        changes.extend(_resource_changes(old.resources[name], resource))
    for name in old.resources:
        if name not in new.resources:
            changes.append({"kind": "table_removed", "table": name})
    return changes


def _resource_changes(old: Resource, new: Resource) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    old_fields = {f.name: f for f in old.fields}
    new_fields = {f.name: f for f in new.fields}
    for name, field in new_fields.items():
        if name not in old_fields:
            changes.append({"kind": "field_added", "table": new.name, "field": name, "type": field.type,
                            "required": field.required, "empty": [] if field.is_list else None})
            continue
        before = old_fields[name]
        if (before.type, before.item_type) != (field.type, field.item_type):
            changes.append({"kind": "field_retyped", "table": new.name, "field": name,
                            "old": before.type, "new": field.type})
        if field.required and not before.required:
            changes.append({"kind": "required_added", "table": new.name, "field": name})
        if before.enum is not None and field.enum is not None:
            added = [v for v in field.enum if v not in before.enum]
            removed = [v for v in before.enum if v not in field.enum]
            if added:
                changes.append({"kind": "enum_added", "table": new.name, "field": name, "values": added})
            if removed:
                changes.append({"kind": "enum_removed", "table": new.name, "field": name, "values": removed})
        elif (before.enum is None) != (field.enum is None):
            changes.append({"kind": "enum_added" if before.enum is not None else "enum_removed",
                            "table": new.name, "field": name,
                            "values": list(before.enum or field.enum or ())})
    for name in old_fields:
        if name not in new_fields:
            changes.append({"kind": "field_removed", "table": new.name, "field": name})
    if list(old.primary_key) != list(new.primary_key):
        changes.append({"kind": "primary_key_changed", "table": new.name,
                        "old": list(old.primary_key), "new": list(new.primary_key)})
    return changes


def table_diff(old: Package, new: Package, name: str) -> TableDiff:
    """Records added, removed and modified in table ``name``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..loading import read_table

    old_resource, new_resource = old.resources.get(name), new.resources.get(name)
    resource = new_resource or old_resource
    key = list(resource.primary_key)
    if not key:
        raise PackageError(f"table {name!r} declares no primary key, so its records cannot be matched")
    if new_resource is None:
        return TableDiff(key, removed=_plain(read_table(old, old_resource), old_resource))
    if old_resource is None:
        return TableDiff(key, added=_plain(read_table(new, new_resource), new_resource))
    old_table, new_table = read_table(old, old_resource), read_table(new, new_resource)
    if not set(key) <= set(old_resource.field_names):
        return TableDiff(key, added=_plain(new_table, new_resource), removed=_plain(old_table, old_resource))

    old_keys = _key_array(old_table, key, f"{old.label}: {name}")
    new_keys = _key_array(new_table, key, f"{new.label}: {name}")
    in_old = pc.index_in(new_keys, value_set=old_keys)
    in_new = pc.index_in(old_keys, value_set=new_keys)
    added_rows = pc.indices_nonzero(pc.is_null(in_old))
    removed_rows = pc.indices_nonzero(pc.is_null(in_new))
    matched_new = pc.indices_nonzero(pc.is_valid(in_old))
    matched_old = pc.take(in_old, matched_new)
    before = old_table.take(matched_old)
    after = new_table.take(matched_new)

    old_fields = {f.name: f for f in old_resource.fields}
    compared = [f for f in new_resource.fields if f.name not in key]
    masks = {}
    for field in compared:
        right = _comparable(after.column(field.name), field)
        if field.name in old_fields:
            left = _comparable(before.column(field.name), old_fields[field.name])
            if left.type != right.type:
                left, right = left.cast(pa.string()), right.cast(pa.string())
        else:
            left = pa.nulls(len(right), type=right.type)
        differs = pc.fill_null(pc.not_equal(left, right), False)
        masks[field.name] = pc.or_(differs, pc.xor(pc.is_null(left), pc.is_null(right)))
    any_change = pa.array([False] * before.num_rows, type=pa.bool_())
    for mask in masks.values():
        any_change = pc.or_(any_change, mask)
    changed_rows = pc.indices_nonzero(any_change)

    modified = _modifications(before.take(changed_rows), after.take(changed_rows),
                              {n: pc.take(m, changed_rows) for n, m in masks.items()},
                              key, old_fields, {f.name: f for f in compared})
    return TableDiff(
        key,
        added=_plain(new_table.take(added_rows), new_resource),
        removed=_plain(old_table.take(removed_rows), old_resource),
        modified=modified,
    )


def _key_array(table: pa.Table, key: list[str], label: str) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [table.column(k).combine_chunks().cast(pa.string()) if not pa.types.is_dictionary(table.column(k).type)
             else table.column(k).combine_chunks().cast(pa.string()) for k in key]
    keys = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP)
    if keys.null_count:
        raise DataError(f"{label}: {keys.null_count} record(s) have an empty key ({', '.join(key)}); "
                        "run `tradecurbs validate`")
    if pc.count_distinct(keys).as_py() != len(keys):
        counts = pc.value_counts(keys)
        duplicate = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
        raise DataError(f"{label}: key {duplicate!r} appears more than once; run `tradecurbs validate`")
    return keys


def _comparable(column: pa.ChunkedArray, field: Field) -> pa.Array:
    """A column in a form where equal values compare equal: lists as joined text, '' as missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks()
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        joined = pc.binary_join(array, _SEP)
        return pc.if_else(pc.equal(pc.fill_null(joined, ""), ""), pa.scalar(None, pa.string()), joined)
    if pa.types.is_dictionary(array.type):
        array = array.cast(pa.string())
    if pa.types.is_string(array.type):
        return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        return array.cast(pa.float64())
    return array


def _plain_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def _plain(table: pa.Table, resource: Resource) -> list[Record]:
    """Rows as JSON-ready records: dates ISO, numbers by value, missing lists as []."""
    lists = {f.name for f in resource.fields if f.is_list}
    rows = table.to_pylist()
    for row in rows:
        for name, value in row.items():
            row[name] = (value or []) if name in lists else _plain_value(value)
    return rows


def _modifications(before: pa.Table, after: pa.Table, masks: dict[str, pa.Array], key: list[str],
                   old_fields: dict[str, Field], new_fields: dict[str, Field]) -> list[dict[str, Any]]:
    keys = after.select(key).to_pylist()
    out: list[dict[str, Any]] = [{"key": {k: _plain_value(v) for k, v in row.items()}, "changes": {}} for row in keys]
    for name, mask in masks.items():
        rows = mask.to_pylist()
        if not any(rows):
            continue
        new_values = after.column(name).to_pylist()
        old_values = before.column(name).to_pylist() if name in old_fields else [None] * len(rows)
        is_list = new_fields[name].is_list
        for i, changed in enumerate(rows):
            if changed:
                old_value, new_value = old_values[i], new_values[i]
                if is_list:
                    out[i]["changes"][name] = [old_value or [], new_value or []]
                else:
                    out[i]["changes"][name] = [_plain_value(old_value), _plain_value(new_value)]
    return out
