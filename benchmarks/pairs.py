"""OLD/NEW package pairs with a known change set, for the diff benchmark.

OLD is a synthetic package from `synth.generate` (every table, realistic values);
NEW is a copy whose trade_remedies table has about 1% of rows modified in 1-3 fields,
0.5% removed and 1% added, with its rows shuffled. Every modification is built to
differ from the old value, so the returned counts are the exact ground truth.
``truth.json`` holds the counts; ``truth-cells.json`` the ids added and removed and,
per modified id, each changed field's [old, new] value as the files hold them (read
back with the package's reader, in the diff's JSON spelling), so a diff's output can
be checked cell by cell.

    python benchmarks/pairs.py OUT --rows 100000 [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tradecurbs.datapackage import Package
from tradecurbs.loading import read_table
from tradecurbs.releases.build import csv_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate, write_csv  # noqa: E402

TABLE = "trade_remedies"


def make_pair(out: Path, rows: int, seed: int = 0) -> dict[str, int]:
    """OLD and NEW packages under ``out`` with a known change set; returns the true counts.

    Every modification is built to differ from the old value (text gets a suffix, a
    number or date moves, a status takes the next value, a list gains an item), so the
    ground truth is exact by construction.
    """
    generate(out / "old", rows, seed)
    old_package = Package.from_directory(out / "old")
    resource = old_package.resource(TABLE)
    old = read_table(old_package, resource)
    rng = np.random.default_rng(seed + 1)
    order = rng.permutation(rows)
    n_removed, n_modified, n_added = rows // 200, rows // 100, rows // 100
    removed = order[:n_removed]
    modified = np.sort(order[n_removed:n_removed + n_modified])

    # Each modified row changes 1 to 3 of these fields.
    picks = np.argsort(rng.random((n_modified, len(EDITS))), axis=1)
    how_many = rng.integers(1, 4, n_modified)
    chosen = np.zeros((n_modified, len(EDITS)), dtype=bool)
    for k in range(3):
        rows_with_k = how_many > k
        chosen[np.arange(n_modified)[rows_with_k], picks[rows_with_k, k]] = True

    columns = {name: old.column(name).combine_chunks() for name in old.column_names}
    for j, (name, edit) in enumerate(EDITS.items()):
        at = modified[chosen[:, j]]
        current = columns[name]
        plain = current.cast(pa.string()) if pa.types.is_dictionary(current.type) else current
        replacement = edit(plain.take(pa.array(at)), resource.field(name)).cast(plain.type)
        index = np.arange(rows)
        index[at] = rows + np.arange(len(at))  # point the edited rows at their replacements
        merged = pa.concat_arrays([plain, replacement]).take(pa.array(index))
        columns[name] = merged.cast(current.type)
    keep = np.ones(rows, dtype=bool)
    keep[removed] = False
    new = pa.table(columns, schema=old.schema).filter(pa.array(keep))
    donors = old.take(pa.array(rng.integers(0, rows, n_added)))
    fresh_ids = pa.array([f"tr-added-{i:08d}" for i in range(n_added)])
    new = pa.concat_tables([new, donors.set_column(0, "id", fresh_ids)])
    new = new.take(pa.array(rng.permutation(new.num_rows)))

    shutil.copytree(out / "old", out / "new")
    write_csv(out / "new" / resource.path, resource.field_names, [new], lambda _, parts: csv_bytes(parts[0], resource))
    truth = {"added": n_added, "removed": n_removed, "modified": n_modified}
    (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    cells = _cells(out, old.column("id").take(pa.array(removed)), fresh_ids,
                   old.column("id").take(pa.array(modified)), chosen, resource)
    (out / "truth-cells.json").write_text(json.dumps(cells), encoding="utf-8")
    return truth


def _cells(out: Path, removed_ids, added_ids, modified_ids, chosen, resource) -> dict:
    """The exact change set, with values read back from the written files."""
    tables = []
    for side in ("old", "new"):
        package = Package.from_directory(out / side)
        table = read_table(package, package.resource(TABLE))
        tables.append({i: n for n, i in enumerate(table.column("id").to_pylist())})
        tables.append(table)
    old_rows, old_table, new_rows, new_table = tables
    modified = {}
    for i, record_id in enumerate(modified_ids.to_pylist()):
        changes = {}
        for j, name in enumerate(EDITS):
            if chosen[i, j]:
                field = resource.field(name)
                before = old_table.column(name)[old_rows[record_id]].as_py()
                after = new_table.column(name)[new_rows[record_id]].as_py()
                changes[name] = [_plain(before, field), _plain(after, field)]
        modified[record_id] = changes
    return {"added": sorted(added_ids.to_pylist()), "removed": sorted(removed_ids.to_pylist()),
            "modified": modified}


def _plain(value, field):
    """A value in the diff's documented JSON spelling."""
    if field.is_list:
        return list(value or [])
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _suffix(values: pa.Array, field) -> pa.Array:
    return pc.binary_join_element_wise(pc.fill_null(values.cast(pa.string()), ""), "rev", " ")


def _next_enum(values: pa.Array, field) -> pa.Array:
    enum = list(field.enum)
    return pa.array([enum[(enum.index(v) + 1) % len(enum)] for v in values.cast(pa.string()).to_pylist()])


def _shift_number(values: pa.Array, field) -> pa.Array:
    return pc.fill_null(pc.add(values, 1.5), 1.5)


def _shift_date(values: pa.Array, field) -> pa.Array:
    days = pc.fill_null(values.cast(pa.int32()), 18000)
    return pc.add(days, pa.scalar(1, pa.int32())).cast(pa.int32()).cast(pa.date32())


def _append_item(values: pa.Array, field) -> pa.Array:
    return pa.array([(v or []) + ["WLD"] for v in values.to_pylist()], type=pa.list_(pa.string()))


EDITS = {
    "product": _suffix,
    "authority": _suffix,
    "status": _next_enum,
    "final_rate_max_pct": _shift_number,
    "initiated_on": _shift_date,
    "exporting_jurisdictions": _append_item,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(make_pair(args.out, args.rows, args.seed)))


if __name__ == "__main__":
    main()
