"""Compute a diff, vectorized: where both files allow it, only the lines that are not the
same in both are read and typed (``lines``); keys are matched by one Arrow dictionary
encoding, columns are aligned and compared with Arrow compute on two threads, and Python
touches only the cells that changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datapackage import Field, Package, Resource
from ..errors import DataError, PackageError
from ..records import column_records, plain_column, table_records
from .model import Diff, Record, TableDiff

if TYPE_CHECKING:
    import pyarrow as pa

_SEP = "\x1f"
_SLICE = 1 << 18  # rows compared at a time, per column
_ONE_ARRAY = 1 << 31  # bytes: past this a text column stays chunked
#: Share of both sides' lines past which the lines that differ are not read as a
#: selection: the whole reading types them without holding the lines and their copy too.
_MOSTLY_CHANGED = 0.25


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
    with _collector_paused():
        for name in names:
            if tables and name not in tables:
                continue
            result.tables[name] = table_diff(old_pkg, new_pkg, name)
    return result.only(tables) if tables else result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the diff builds its records, then as it was.

    The records hold no cycles, and the collector's passes over a heap that keeps growing
    cost about 0.25 s of CPU at 1M rows (measured), for nothing to collect.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def package_records(package: Package) -> dict[str, list[Record]]:
    """Every table of ``package`` as plain records sorted by key: what ``Diff.apply`` works on."""
    out = {}
    for resource in package.resources.values():
        table = _read(package, resource)
        if resource.primary_key:
            table = table.sort_by([(k, "ascending") for k in resource.primary_key])
        out[resource.name] = table_records(table, resource)
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

    old_resource, new_resource = old.resources.get(name), new.resources.get(name)
    resource = new_resource or old_resource
    key = list(resource.primary_key)
    if not key:
        raise PackageError(f"table {name!r} declares no primary key, so its records cannot be matched")
    if new_resource is None:
        return TableDiff(key, removed=table_records(_read(old, old_resource), old_resource))
    if old_resource is None:
        return TableDiff(key, added=table_records(_read(new, new_resource), new_resource))
    labels = f"{old.label}: {name}", f"{new.label}: {name}"
    chosen = _rows_that_may_differ(old, old_resource, new, new_resource, labels)
    old_table, new_table = chosen or _read_both(old, old_resource, new, new_resource)
    if not set(key) <= set(old_resource.field_names):
        return TableDiff(key, added=table_records(new_table, new_resource), removed=table_records(old_table, old_resource))

    from ..arrays import from_numpy, take

    in_old, in_new = _match_keys(_key_array(old_table, key, labels[0]), _key_array(new_table, key, labels[1]), *labels)
    matched = in_old >= 0
    added_rows = from_numpy(np.flatnonzero(~matched))
    removed_rows = from_numpy(np.flatnonzero(in_new < 0))
    # OLD's rows in NEW's order (missing where NEW's row is new): one take, of one side only.
    positions = from_numpy(in_old, mask=~matched)
    old_fields = {f.name: f for f in old_resource.fields}
    new_fields = {f.name: f for f in new_resource.fields}
    old_columns = {n: old_table.column(n) for n in old_table.column_names}
    new_columns = {n: new_table.column(n) for n in new_table.column_names}
    del old_table, new_table

    def column_work(field_name: str) -> dict[str, Any]:
        """One column, start to end: its added and removed cells, then its matched rows
        compared a slice at a time. OLD's column, taken from in random order, is made
        contiguous once (at 10M rows a take from a few hundred chunks was far slower); NEW's,
        only sliced in order, stays in the reader's chunks. The chunked original is dropped
        on the way, so memory falls as the diff goes."""
        new_field, old_field = new_fields.get(field_name), old_fields.get(field_name)
        right = new_columns.pop(field_name) if new_field else None
        left = _contiguous(old_columns.pop(field_name)) if old_field else None
        done: dict[str, Any] = {"rows": [], "old": [], "new": []}
        if right is not None:
            done["added"] = _plain_column(take(right, added_rows), new_field)
        if left is not None:
            done["removed"] = _plain_column(take(left, removed_rows), old_field)
        if field_name in key:
            done["key"] = right
            return done
        if right is None:
            return done  # a field NEW dropped: a schema change, not a change of each record
        for start in range(0, len(right), _SLICE):
            new_part = right.slice(start, _SLICE)
            old_part = (left.take(positions.slice(start, _SLICE)) if left is not None
                        else pa.nulls(len(new_part), type=new_part.type))
            found = np.flatnonzero(_differs(old_part, new_part, old_field or new_field, new_field)
                                   & matched[start:start + _SLICE])
            at = from_numpy(found)
            done["rows"].append(found + start)
            done["old"] += _plain_column(old_part.take(at), old_field or new_field)
            done["new"] += _plain_column(take(new_part, at), new_field)
        return done

    from concurrent.futures import ThreadPoolExecutor

    names = list(new_fields) + [n for n in old_fields if n not in new_fields]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's kernels release the GIL
        work = dict(zip(names, pool.map(column_work, names), strict=True))
    added = column_records({n: work[n]["added"] for n in new_fields})
    removed = column_records({n: work[n]["removed"] for n in old_fields})
    rows_of = {n: np.concatenate(w["rows"]) for n, w in work.items() if w["rows"]}
    changed = np.unique(np.concatenate([np.array([], dtype=np.int64), *rows_of.values()]))
    at = from_numpy(changed)
    keys = {k: _plain_column(take(work[k]["key"], at), new_fields[k]) for k in key}
    modified: list[dict[str, Any]] = [
        {"key": {k: keys[k][i] for k in key}, "changes": {}} for i in range(len(changed))
    ]
    for field_name, rows in rows_of.items():
        old_values, new_values = work[field_name]["old"], work[field_name]["new"]
        for slot, old_value, new_value in zip(np.searchsorted(changed, rows).tolist(), old_values, new_values,
                                              strict=True):
            modified[slot]["changes"][field_name] = [old_value, new_value]
    return TableDiff(key, added=added, removed=removed, modified=modified)


def _contiguous(column: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The column as one array, unless its text passes the 2 GB one array can hold."""
    return column.combine_chunks() if column.nbytes < _ONE_ARRAY else column


def _read(package: Package, resource: Resource) -> pa.Table:
    from ..loading import read_table

    return read_table(package, resource, lists_as_text=True)


def _read_both(old: Package, old_resource: Resource, new: Package, new_resource: Resource):
    """Both sides, one after the other: the CSV reader already uses every core, and reading
    them at once only raised peak memory (measured: 1.7 GB against 1.3 GB at 1M rows)."""
    return _read(old, old_resource), _read(new, new_resource)


def _rows_that_may_differ(old: Package, old_resource: Resource, new: Package, new_resource: Resource,
                          labels: tuple[str, str]) -> tuple[pa.Table, pa.Table] | None:
    """OLD's and NEW's records that are not the same line in both files (added, removed, or
    different in any byte), read and typed; None where the files must be read whole
    (``lines``: a file not one plain record per line, fields read differently, or a
    problem the whole reading reports with its row)."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from . import lines

    if not lines.applies(old_resource, new_resource):
        return None
    with ThreadPoolExecutor(max_workers=2) as pool:  # each side's text checks on a core of its own
        old_lines, new_lines = pool.map(lines.read_lines, (old, new), (old_resource, new_resource))
    if old_lines is None or new_lines is None:
        return None
    try:
        in_old, in_new = _match_keys(old_lines.keys, new_lines.keys, *labels)
    except DataError:
        return None
    new_rows = np.flatnonzero(lines.differing(old_lines, new_lines, in_old))
    old_of_new = in_old[new_rows]
    old_rows = np.sort(np.concatenate([np.flatnonzero(in_new < 0), old_of_new[old_of_new >= 0]]))
    if len(old_rows) + len(new_rows) > (len(in_new) + len(in_old)) * _MOSTLY_CHANGED:
        return None  # most lines differ: typing them as a selection would cost more than the whole reading
    try:
        return (lines.read_rows(old, old_resource, old_lines, old_rows),
                lines.read_rows(new, new_resource, new_lines, new_rows))
    except DataError:
        return None


def _match_keys(old_keys: pa.Array | pa.ChunkedArray, new_keys: pa.Array | pa.ChunkedArray, old_label: str,
                new_label: str):
    """For each NEW row its OLD row (-1 if none), and for each OLD row its NEW row.

    One dictionary encoding over both sides' keys gives every key a code; numpy turns
    the codes into positions and finds duplicate keys on the way.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..arrays import to_numpy

    # One hash table over both sides' chunks (no copy of the keys): the codes are shared.
    def chunks(keys: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
        return keys.chunks if isinstance(keys, pa.ChunkedArray) else [keys]

    encoded = pc.dictionary_encode(pa.chunked_array(chunks(old_keys) + chunks(new_keys), type=new_keys.type))
    codes = np.concatenate([to_numpy(c.indices) for c in encoded.chunks] + [np.array([], dtype=np.int32)])
    old_codes, new_codes = codes[: len(old_keys)], codes[len(old_keys):]
    size = len(encoded.chunks[0].dictionary) if encoded.num_chunks else 0
    # Codes are given in order of first appearance, OLD first: OLD's keys are distinct
    # exactly when its codes are 0, 1, 2, ..., so its last code is its last row.
    if len(old_codes) and old_codes[-1] != len(old_codes) - 1:
        _raise_duplicate(old_codes, old_keys, size, old_label)
    seen = np.zeros(size, dtype=bool)
    seen[new_codes] = True
    if np.count_nonzero(seen) != len(new_codes):
        _raise_duplicate(new_codes, new_keys, size, new_label)
    # So a code below len(OLD) is OLD's row itself, and NEW's rows are placed by code.
    in_old = np.where(new_codes < len(old_codes), new_codes, -1).astype(np.int64)
    new_position = np.full(size, -1, dtype=np.int64)
    new_position[new_codes] = np.arange(len(new_codes))
    return in_old, new_position[: len(old_codes)]


def _raise_duplicate(codes, keys: pa.ChunkedArray, size: int, label: str) -> None:
    """DataError naming the first key of ``keys`` (by row) that another row repeats."""
    import numpy as np

    counts = np.bincount(codes, minlength=size)
    duplicate = keys[int(np.flatnonzero(counts[codes] > 1)[0])].as_py()
    raise DataError(f"{label}: key {duplicate!r} appears more than once; run `tradecurbs validate`")


def _key_array(table: pa.Table, key: list[str], label: str) -> pa.ChunkedArray:
    """The key of each row as one text value (fields joined by an unlikely separator)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [table.column(k) for k in key]
    parts = [p if pa.types.is_string(p.type) else p.cast(pa.string()) for p in parts]
    from ..arrays import text_scalar

    keys = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, text_scalar(_SEP))
    if keys.null_count:
        raise DataError(f"{label}: {keys.null_count} record(s) have an empty key ({', '.join(key)}); "
                        "run `tradecurbs validate`")
    return keys


def _differs(left: pa.ChunkedArray, right: pa.ChunkedArray, old_field: Field, new_field: Field):
    """Where two aligned columns differ, as a numpy bool array.

    Equal values compare equal whatever their spelling: numbers by value (integers
    exactly, NaN equal to NaN), lists as their delimited text, empty text as missing.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..arrays import false_for_missing, to_numpy

    left, right = _comparable(left, old_field), _comparable(right, new_field)
    if left.type != right.type:
        numeric = all(pa.types.is_integer(t.type) or pa.types.is_floating(t.type) for t in (left, right))
        target = pa.float64() if numeric else pa.string()
        left, right = left.cast(target), right.cast(target)
    differs = false_for_missing(pc.not_equal(left, right))
    if pa.types.is_floating(left.type):
        both_nan = false_for_missing(pc.and_(pc.is_nan(left), pc.is_nan(right)))
        differs = pc.and_not(differs, both_nan)
    left_missing, right_missing = _missing(left), _missing(right)
    return to_numpy(pc.or_(pc.and_not(differs, pc.and_(left_missing, right_missing)),
                           pc.xor(left_missing, right_missing)))


def _missing(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Null cells, and empty text (a Parquet file may hold '' where a CSV holds nothing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..arrays import empty_or_missing

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return empty_or_missing(column)
    return pc.is_null(column)


def _comparable(column: pa.ChunkedArray, field: Field) -> pa.ChunkedArray:
    """A column in a form where equal values compare equal (lists as delimited text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        from ..arrays import empty_or_missing, missing_text

        joined = pc.binary_join(column, field.delimiter)
        return pc.if_else(empty_or_missing(joined), missing_text()[0], joined)
    if pa.types.is_dictionary(column.type):
        return column.cast(pa.string())
    return column


def _plain_column(column: pa.ChunkedArray | pa.Array, field: Field) -> list[Any]:
    return plain_column(column, field.is_list, field.delimiter)
