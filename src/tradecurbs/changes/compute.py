"""Compute a diff, vectorized: keys are matched with Arrow hash joins, aligned columns
are compared with Arrow compute, and Python touches only the rows that changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, PackageError
from ..datapackage import Field, Package, Resource
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
    out = {}
    for resource in package.resources.values():
        table = _read(package, resource)
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
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    old_resource, new_resource = old.resources.get(name), new.resources.get(name)
    resource = new_resource or old_resource
    key = list(resource.primary_key)
    if not key:
        raise PackageError(f"table {name!r} declares no primary key, so its records cannot be matched")
    if new_resource is None:
        return TableDiff(key, removed=_plain(_read(old, old_resource), old_resource))
    if old_resource is None:
        return TableDiff(key, added=_plain(_read(new, new_resource), new_resource))
    old_table, new_table = _read_both(old, old_resource, new, new_resource)
    if not set(key) <= set(old_resource.field_names):
        return TableDiff(key, added=_plain(new_table, new_resource), removed=_plain(old_table, old_resource))

    in_old, in_new = _match_keys(old_table, new_table, key, f"{old.label}: {name}", f"{new.label}: {name}")
    matched = in_old >= 0
    added_rows = pa.array(np.flatnonzero(~matched))
    removed_rows = pa.array(np.flatnonzero(in_new < 0))
    # OLD's rows in NEW's order (missing where NEW's row is new): one take, of one side only.
    positions = pa.array(in_old, mask=~matched)

    old_fields = {f.name: f for f in old_resource.fields}
    compared = [f for f in new_resource.fields if f.name not in key]
    any_change = np.zeros(new_table.num_rows, dtype=bool)
    masks = {}
    for field in compared:
        right = _comparable(new_table.column(field.name), field)
        if field.name in old_fields:
            left = _comparable(old_table.column(field.name), old_fields[field.name]).take(positions)
            if left.type != right.type:
                left, right = left.cast(pa.string()), right.cast(pa.string())
        else:
            left = pa.nulls(len(right), type=right.type)
        differs = pc.fill_null(pc.not_equal(left, right), False)
        mask = pc.or_(differs, pc.xor(pc.is_null(left), pc.is_null(right))).to_numpy(zero_copy_only=False) & matched
        masks[field.name] = mask
        any_change |= mask
    changed = np.flatnonzero(any_change)
    changed_new = pa.array(changed)
    changed_old = pa.array(in_old[changed])
    modified = _modifications(
        old_table.take(changed_old), new_table.take(changed_new),
        {n: m[changed] for n, m in masks.items()}, key, old_fields, {f.name: f for f in compared},
    )
    return TableDiff(
        key,
        added=_plain(new_table.take(added_rows), new_resource),
        removed=_plain(old_table.take(removed_rows), old_resource),
        modified=modified,
    )


def _read(package: Package, resource: Resource) -> pa.Table:
    from ..loading import read_table

    return read_table(package, resource, lists_as_text=True)


def _read_both(old: Package, old_resource: Resource, new: Package, new_resource: Resource):
    """Both sides, one after the other: the CSV reader already uses every core, and reading
    them at once only raised peak memory (measured: 1.7 GB against 1.3 GB at 1M rows)."""
    return _read(old, old_resource), _read(new, new_resource)


def _match_keys(old: pa.Table, new: pa.Table, key: list[str], old_label: str, new_label: str):
    """For each NEW row its OLD row (-1 if none), and for each OLD row its NEW row.

    One dictionary encoding over both key columns gives every key a code; numpy turns
    the codes into positions and finds duplicate keys on the way.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    old_keys, new_keys = _key_array(old, key, old_label), _key_array(new, key, new_label)
    codes = pc.dictionary_encode(pa.concat_arrays([old_keys, new_keys])).indices.to_numpy()
    old_codes, new_codes = codes[: len(old_keys)], codes[len(old_keys):]
    size = int(codes.max()) + 1 if len(codes) else 0
    for codes_of, keys, label in ((old_codes, old_keys, old_label), (new_codes, new_keys, new_label)):
        counts = np.bincount(codes_of, minlength=size)
        if len(counts) and counts.max() > 1:
            duplicate = keys[int(np.flatnonzero(counts[codes_of] > 1)[0])].as_py()
            raise DataError(f"{label}: key {duplicate!r} appears more than once; run `tradecurbs validate`")
    old_position = np.full(size, -1, dtype=np.int64)
    old_position[old_codes] = np.arange(len(old_codes))
    new_position = np.full(size, -1, dtype=np.int64)
    new_position[new_codes] = np.arange(len(new_codes))
    return old_position[new_codes], new_position[old_codes]


def _key_array(table: pa.Table, key: list[str], label: str) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [table.column(k).combine_chunks().cast(pa.string()) for k in key]
    keys = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP)
    if keys.null_count:
        raise DataError(f"{label}: {keys.null_count} record(s) have an empty key ({', '.join(key)}); "
                        "run `tradecurbs validate`")
    return keys


def _comparable(column: pa.ChunkedArray, field: Field) -> pa.Array:
    """A column in a form where equal values compare equal (lists as delimited text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks()
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        joined = pc.binary_join(array, field.delimiter)
        return pc.if_else(pc.equal(pc.fill_null(joined, ""), ""), pa.scalar(None, pa.string()), joined)
    if pa.types.is_dictionary(array.type):
        return array.cast(pa.string())
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


def _plain_list(value: Any, delimiter: str = ";") -> list[str]:
    """A list cell as a list, whether it was read as a list or as delimited text."""
    if isinstance(value, str):
        return value.split(delimiter) if value else []
    return list(value or [])


def _plain(table: pa.Table, resource: Resource) -> list[Record]:
    """Rows as JSON-ready records: dates ISO, numbers by value, missing lists as [].

    Built column by column: Arrow turns dates and enums into text, so Python only
    touches the number and list cells.
    """
    import pyarrow as pa

    columns = {}
    for field in resource.fields:
        column = table.column(field.name)
        if pa.types.is_date(column.type) or pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        values = column.to_pylist()
        if field.is_list:
            values = [_plain_list(v, field.delimiter) for v in values]
        elif pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
            values = [_plain_value(v) for v in values]
        elif pa.types.is_string(column.type):
            values = [v if v != "" else None for v in values]
        columns[field.name] = values
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _modifications(before: pa.Table, after: pa.Table, masks: dict[str, Any], key: list[str],
                   old_fields: dict[str, Field], new_fields: dict[str, Field]) -> list[dict[str, Any]]:
    keys = after.select(key).to_pylist()
    out: list[dict[str, Any]] = [{"key": {k: _plain_value(v) for k, v in row.items()}, "changes": {}} for row in keys]
    for name, mask in masks.items():
        rows = mask.tolist()
        if not any(rows):
            continue
        new_values = after.column(name).to_pylist()
        old_values = before.column(name).to_pylist() if name in old_fields else [None] * len(rows)
        is_list = new_fields[name].is_list
        delimiter = new_fields[name].delimiter
        for i, changed in enumerate(rows):
            if changed:
                old_value, new_value = old_values[i], new_values[i]
                if is_list:
                    out[i]["changes"][name] = [_plain_list(old_value, delimiter), _plain_list(new_value, delimiter)]
                else:
                    out[i]["changes"][name] = [_plain_value(old_value), _plain_value(new_value)]
    return out
