"""Deterministic synthetic packages for the benchmarks.

`synthetic_table` makes a schema-typed table of N rows with realistic shapes (slugs,
jurisdiction codes, dates, rates, short lists). `write_package` writes it as a one-table
Data Package using the real contract; `make_pair` writes OLD and NEW packages with a
known change set (about 1% of rows modified in 1-3 fields, 0.5% removed, 1% added, rows
shuffled) and returns the ground-truth counts.

    python benchmarks/synthetic.py OUT --rows 100000 [--seed 0] [--pair]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tradecurbs.package import Package, Resource
from tradecurbs.release_build import csv_bytes
from tradecurbs.schema import arrow_schema

ROOT = Path(__file__).resolve().parent.parent
CODES = ["CHN", "JPN", "USA", "EUU", "KOR", "CAN", "IND", "TWN", "VNM", "MYS"]
TABLE = "trade_remedies"


def contract(table: str = TABLE) -> dict:
    """The repository's descriptor reduced to one table whose CSV sits beside it."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    spec = next(r for r in descriptor["resources"] if r["name"] == table)
    spec["path"] = f"{table}.csv"
    spec["schema"]["foreignKeys"] = []
    descriptor["resources"] = [spec]
    return descriptor


def synthetic_table(resource: Resource, rows: int, seed: int = 0, first_id: int = 0) -> pa.Table:
    """A deterministic table of ``rows`` rows typed by ``resource``'s schema."""
    rng = np.random.default_rng(seed)
    columns = {}
    for field in resource.fields:
        if field.name == "id":
            values = pa.array([f"tr-syn-{i:08d}" for i in range(first_id, first_id + rows)])
        elif field.is_list:
            lengths = rng.integers(0, 4, rows)
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype("int32")
            items = pa.array(np.array(CODES)[rng.integers(0, len(CODES), int(offsets[-1]))])
            values = pa.ListArray.from_arrays(pa.array(offsets), items)
        elif field.type == "date":
            days = rng.integers(18000, 20400, rows).astype("int32")
            values = pa.array(days, mask=rng.random(rows) < 0.3).cast(pa.date32())
        elif field.type == "number":
            values = pa.array(np.round(rng.random(rows) * 100, 1), mask=rng.random(rows) < 0.5)
        elif field.enum:
            values = pa.array(np.array(field.enum)[rng.integers(0, len(field.enum), rows)])
        elif "jurisdiction" in field.name:
            values = pa.array(np.array(CODES)[rng.integers(0, len(CODES), rows)])
        else:
            values = pa.array(np.char.add(f"{field.name} ", rng.integers(0, 5000, rows).astype(str)))
        columns[field.name] = values
    return pa.table(columns).cast(arrow_schema(resource))


def write_package(directory: Path, table: pa.Table, descriptor: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    resource = Package(descriptor, directory, str(directory)).resource(TABLE)
    (directory / resource.path).write_bytes(csv_bytes(table, resource))
    return directory


def make_pair(out: Path, rows: int, seed: int = 0) -> dict[str, int]:
    """OLD and NEW packages under ``out`` with a known change set; returns the true counts.

    Every modification is built to differ from the old value (text gets a suffix, a
    number or date moves, a status takes the next value, a list gains an item), so the
    ground truth is exact by construction.
    """
    descriptor = contract()
    resource = Package(descriptor, out, str(out)).resource(TABLE)
    old = synthetic_table(resource, rows, seed)
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
    new = pa.concat_tables([new, synthetic_table(resource, n_added, seed + 3, first_id=rows)])
    new = new.take(pa.array(rng.permutation(new.num_rows)))

    write_package(out / "old", old, descriptor)
    write_package(out / "new", new, descriptor)
    truth = {"added": n_added, "removed": n_removed, "modified": n_modified}
    (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return truth


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
    parser.add_argument("--pair", action="store_true", help="write OLD/NEW with a known change set")
    args = parser.parse_args()
    if args.pair:
        print(json.dumps(make_pair(args.out, args.rows, args.seed)))
    else:
        descriptor = contract()
        resource = Package(descriptor, args.out, str(args.out)).resource(TABLE)
        write_package(args.out, synthetic_table(resource, args.rows, args.seed), descriptor)
        print(f"wrote {args.out} ({args.rows} rows)")


if __name__ == "__main__":
    main()
