"""Deterministic synthetic packages for the validation (and diff) benchmarks.

`generate(out_dir, rows, seed, errors)` writes a complete, schema-valid copy of the
repository's package: every table of datapackage.json, `rows` trade_remedies
records and proportionally fewer of the others, realistic ids, jurisdictions taken
from data/jurisdictions.csv, ordered dates, rates, HS codes and `;`-separated lists.
With `errors=K` it injects K cell errors into trade_remedies (a bad enum value, an
impossible date, a negative rate, an unknown jurisdiction, in turn) and returns
their ground truth.

    python benchmarks/synth.py OUT --rows 1000000 [--seed 0] [--errors 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tradecurbs.formatting import encode_csv

ROOT = Path(__file__).resolve().parent.parent
EPOCH = date(1970, 1, 1)
#: Everything generated is dated at least this far in the past, so no rule sees a future date.
LATEST = (date(2025, 6, 30) - EPOCH).days
EARLIEST = (date(2010, 1, 1) - EPOCH).days
PRODUCERS = ["CHN", "JPN", "USA", "EUU", "KOR", "CAN", "IND", "TWN", "VNM", "MYS", "BRA", "MEX", "AUS", "TUR", "IDN"]
HS = ["2811", "281290", "2804", "381800", "720851", "7208", "760612", "850440", "8541", "854142",
      "290241", "3907", "390761", "731815", "481013", "8471", "847130", "292151"]
AUTHORITIES = ["Ministry of Commerce", "European Commission", "Department of Commerce",
               "Trade Remedies Authority", "Canada Border Services Agency", "Directorate General of Trade Remedies"]
PRODUCTS = ["Dichlorosilane", "Stainless steel cold-rolled flat products", "Polyethylene terephthalate, bottle grade",
            "Hot-rolled steel plate", "Aluminium foil", "Photovoltaic cells", "Optical fibre", "Epoxy resins",
            "Fasteners, iron or steel", "Coated paper, for printing"]
REASONS = ["crime", "detention risk", "political tension", "public security", "natural disaster", "terrorism"]
INJECTED = [
    ("status", "bogus", "constraint-error"),
    ("injury_period_start", "2021-13-45", "type-error"),
    ("final_rate_min_pct", "-5", "constraint-error"),
    ("investigating_jurisdiction", "ZZZ", "foreign-key"),
]


def generate(out_dir: Path, rows: int, seed: int = 0, errors: int = 0) -> dict:
    """Write a synthetic package to ``out_dir``; return row counts and the injected errors.

    The result is ``{"rows": {table: n}, "errors": [{"table", "line", "field", "value", "code"}]}``;
    ``line`` is the physical line in the CSV (the header is line 1).
    """
    out_dir = Path(out_dir)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    (out_dir / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    shutil.copyfile(ROOT / "data" / "jurisdictions.csv", out_dir / "data" / "jurisdictions.csv")
    n_sources = max(20, rows // 50)
    source_ids = pa.array([f"src-{i:07d}" for i in range(n_sources)])
    counts = {
        "trade_remedies": rows,
        "export_controls": max(5, rows // 100),
        "import_restrictions": max(5, rows // 100),
        "travel_advisories": max(5, rows // 100),
        "sources": n_sources,
    }
    tables = {
        "sources": _sources(rng, source_ids),
        "trade_remedies": _trade_remedies(rng, rows, source_ids),
        "export_controls": _measures(rng, counts["export_controls"], source_ids, "ec", "items"),
        "import_restrictions": _measures(rng, counts["import_restrictions"], source_ids, "ir", "products"),
        "travel_advisories": _advisories(rng, counts["travel_advisories"], source_ids),
    }
    truth = _inject(rng, tables["trade_remedies"], errors)
    for resource in descriptor["resources"]:
        table, names = resource["name"], [f["name"] for f in resource["schema"]["fields"]]
        if table == "jurisdictions":
            continue
        columns = tables.get(table)
        if columns is None or any(n not in columns for n in names):  # a table this generator does not know
            columns, counts[table] = {n: pa.array([], pa.string()) for n in names}, 0
        write_csv(out_dir / resource["path"], names, [columns[n] for n in names], encode_csv)
    counts["jurisdictions"] = sum(1 for _ in open(ROOT / "data" / "jurisdictions.csv", encoding="utf-8")) - 1
    return {"rows": counts, "errors": truth}


def write_csv(path: Path, names: list[str], columns: list, encode, step: int = 1_000_000) -> None:
    """Write ``encode(names, columns)`` a million rows at a time: a whole 10M-row table's
    text would pass Arrow's 2 GB limit for one string array."""
    rows = len(columns[0]) if columns else 0
    with open(path, "wb") as out:
        for start in range(0, max(rows, 1), step):
            parts = [c.slice(start, step) for c in columns]
            part = encode(names, [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in parts])
            out.write(part if start == 0 else part[part.index(b"\n") + 1:])


def _choice(rng: np.random.Generator, values: list[str], n: int) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object)[rng.integers(0, len(values), n)], type=pa.string())


def _dates(days: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    array = pa.array(days.astype("int32"), type=pa.int32()).cast(pa.date32()).cast(pa.string())
    if present is None:
        return array
    return pc.if_else(pa.array(present), array, pa.scalar(None, pa.string()))


def _ids(prefix: str, n: int, rng: np.random.Generator) -> pa.Array:
    codes = np.asarray(PRODUCERS, dtype=object)[rng.integers(0, len(PRODUCERS), n)]
    return pa.array([f"{prefix}-{i:07d}-{c.lower()}" for i, c in enumerate(codes)])


def _list(rng: np.random.Generator, pool: list[str] | pa.Array, n: int, most: int, empty_share: float = 0.0) -> pa.Array:
    """`;`-joined lists of 1..most distinct items (or empty, for ``empty_share`` of rows)."""
    pool = pool.to_pylist() if isinstance(pool, pa.Array) else pool
    sizes = rng.integers(1, most + 1, n)
    picks = rng.integers(0, len(pool), (n, most))
    cells = []
    empties = rng.random(n) < empty_share
    for row in range(n):
        if empties[row]:
            cells.append(None)
            continue
        chosen = dict.fromkeys(pool[k] for k in picks[row, : sizes[row]])
        cells.append(";".join(chosen))
    return pa.array(cells, type=pa.string())


def _other_than(rng: np.random.Generator, own: np.ndarray) -> np.ndarray:
    """A producer code different from ``own`` in every row."""
    shift = rng.integers(1, len(PRODUCERS), len(own))
    index = np.array([PRODUCERS.index(c) for c in own])
    return np.asarray(PRODUCERS, dtype=object)[(index + shift) % len(PRODUCERS)]


def _rates(rng: np.random.Generator, present: np.ndarray) -> tuple[pa.Array, pa.Array]:
    low = np.round(rng.uniform(0, 60, len(present)), 1)
    high = np.round(low + rng.uniform(0, 120, len(present)), 1)
    return (pa.array(low, mask=~present).cast(pa.string()), pa.array(high, mask=~present).cast(pa.string()))


def _trade_remedies(rng: np.random.Generator, n: int, source_ids: pa.Array) -> dict[str, pa.Array]:
    own = np.asarray(PRODUCERS, dtype=object)[rng.integers(0, len(PRODUCERS), n)]
    initiated = rng.integers(EARLIEST, LATEST - 500, n)
    stage = rng.choice(["initiated", "preliminary_measures", "final_measures", "undertakings", "terminated"],
                       n, p=[0.15, 0.15, 0.5, 0.1, 0.1])
    has_pre = stage != "initiated"
    has_final = np.isin(stage, ["final_measures", "undertakings"])
    period_end = initiated - rng.integers(60, 200, n)
    preliminary = initiated + rng.integers(120, 240, n)
    final = preliminary + rng.integers(60, 240, n)
    pre_min, pre_max = _rates(rng, has_pre)
    fin_min, fin_max = _rates(rng, has_final)
    return {
        "id": _ids("tr", n, rng),
        "investigating_jurisdiction": pa.array(own, type=pa.string()),
        "authority": _choice(rng, AUTHORITIES, n),
        "remedy_type": _choice(rng, ["anti_dumping", "countervailing", "safeguard", "anti_circumvention"], n),
        "case_reference": pa.array([f"AD{i % 9000 + 1000}" for i in range(n)]),
        "product": _choice(rng, PRODUCTS, n),
        "hs_codes": _list(rng, HS, n, 3, empty_share=0.2),
        "exporting_jurisdictions": pa.array(_other_than(rng, own), type=pa.string()),
        "petitioners": _choice(rng, ["Domestic industry association", "Steel producers' federation", "Acme Chemicals Co., Ltd."], n),
        "initiated_on": _dates(initiated),
        "investigation_period_start": _dates(period_end - 365),
        "investigation_period_end": _dates(period_end),
        "injury_period_start": _dates(period_end - 3 * 365),
        "injury_period_end": _dates(period_end),
        "preliminary_on": _dates(preliminary, has_pre),
        "preliminary_rate_min_pct": pre_min,
        "preliminary_rate_max_pct": pre_max,
        "final_on": _dates(final, has_final),
        "final_rate_min_pct": fin_min,
        "final_rate_max_pct": fin_max,
        "deadline_on": _dates(initiated + 365),
        "expires_on": _dates(final + 5 * 365, has_final),
        "status": pa.array(stage, type=pa.string()),
        "related_ids": pa.nulls(n, pa.string()),
        "summary": _choice(rng, ["An investigation into imports, opened at the request of the domestic industry.",
                                 "Duties imposed after a finding of dumping and injury; rates vary by exporter."], n),
        "source_ids": _list(rng, source_ids, n, 2),
    }


def _measures(rng: np.random.Generator, n: int, source_ids: pa.Array, prefix: str, goods: str) -> dict[str, pa.Array]:
    own = np.asarray(PRODUCERS, dtype=object)[rng.integers(0, len(PRODUCERS), n)]
    announced = rng.integers(EARLIEST, LATEST - 400, n)
    effective = announced + rng.integers(0, 90, n)
    status = rng.choice(["announced", "in_force", "lifted"], n, p=[0.1, 0.7, 0.2])
    ended = effective + rng.integers(30, 300, n)
    types = (["export_ban", "licence_requirement", "entity_listing", "end_use_control", "quota", "other"]
             if prefix == "ec" else
             ["import_ban", "import_suspension", "licence_requirement", "quota", "testing_requirement", "other"])
    columns = {
        "id": _ids(prefix, n, rng),
        "imposing_jurisdiction": pa.array(own, type=pa.string()),
        "authority": _choice(rng, AUTHORITIES, n),
        "legal_instrument": pa.array([f"Announcement No. {i % 90 + 1} of {2010 + i % 15}" for i in range(n)]),
        "measure_type": _choice(rng, types, n),
        "target_jurisdictions": pa.array(_other_than(rng, own), type=pa.string()),
        goods: _choice(rng, ["Gallium and germanium", "Rare-earth magnets", "Seafood", "Dual-use items"], n),
        "hs_codes": _list(rng, HS, n, 2, empty_share=0.3),
        "entities": _choice(rng, ["Acme Heavy Industries, Ltd.", "Example Corporation"], n),
        "announced_on": _dates(announced),
        "effective_on": _dates(effective, status != "announced"),
        "ended_on": _dates(ended, status == "lifted"),
        "status": pa.array(status, type=pa.string()),
        "related_ids": pa.nulls(n, pa.string()),
        "summary": _choice(rng, ["A measure restricting trade in the listed goods."], n),
        "source_ids": _list(rng, source_ids, n, 2),
    }
    return columns


def _advisories(rng: np.random.Generator, n: int, source_ids: pa.Array) -> dict[str, pa.Array]:
    own = np.asarray(PRODUCERS, dtype=object)[rng.integers(0, len(PRODUCERS), n)]
    issued = rng.integers(EARLIEST, LATEST, n)
    ids = _ids("ta", n, rng)
    supersedes = pa.array([None] + ids.to_pylist()[:-1], type=pa.string())
    keep = pa.array(rng.random(n) < 0.2)
    return {
        "id": ids,
        "issuing_jurisdiction": pa.array(own, type=pa.string()),
        "authority": _choice(rng, ["Ministry of Foreign Affairs", "Department of State", "Ministry of Education"], n),
        "destination_jurisdiction": pa.array(_other_than(rng, own), type=pa.string()),
        "region": pa.nulls(n, pa.string()),
        "advisory_type": _choice(rng, ["travel", "study", "business"], n),
        "level": pa.array(rng.integers(1, 5, n)).cast(pa.string()),
        "level_label": _choice(rng, ["Exercise increased caution", "Reconsider travel"], n),
        "issued_on": _dates(issued),
        "withdrawn_on": pa.nulls(n, pa.string()),
        "reasons": _list(rng, REASONS, n, 2, empty_share=0.3),
        "supersedes_id": pc.if_else(keep, supersedes, pa.scalar(None, pa.string())),
        "summary": _choice(rng, ["An advisory telling citizens to take care."], n),
        "source_ids": _list(rng, source_ids, n, 2),
    }


def _sources(rng: np.random.Generator, ids: pa.Array) -> dict[str, pa.Array]:
    n = len(ids)
    published = rng.integers(EARLIEST, LATEST, n)
    return {
        "id": ids,
        "publisher": _choice(rng, ["Ministry of Commerce", "Reuters", "Official Journal of the European Union"], n),
        "title": pc.binary_join_element_wise(pa.array(["Notice"] * n), ids, " "),
        "url": pc.binary_join_element_wise(pa.array(["https://example.org/notices"] * n), ids, "/"),
        "published_on": _dates(published),
        "language": _choice(rng, ["en", "zh", "ja"], n),
        "kind": _choice(rng, ["official", "news", "analysis"], n),
        "accessed_on": _dates(published + 30),
    }


def _inject(rng: np.random.Generator, table: dict[str, pa.Array], errors: int) -> list[dict]:
    """Overwrite ``errors`` cells of distinct rows; return where and what, sorted by line."""
    n = len(table["id"])
    if errors <= 0:
        return []
    if errors > n:
        raise ValueError(f"cannot inject {errors} errors into {n} rows")
    status = table["status"].to_numpy(zero_copy_only=False)
    final_rows = np.flatnonzero(np.isin(status, ["final_measures", "undertakings"]))
    rows = [int(r) for r in rng.choice(n, errors, replace=False)]
    truth = []
    edits: dict[str, dict[int, str]] = {}
    for k, row in enumerate(rows):
        field, value, code = INJECTED[k % len(INJECTED)]
        if field == "final_rate_min_pct":
            row = int(final_rows[rng.integers(0, len(final_rows))])
            while row in edits.get(field, {}) or any(row == t["line"] - 2 for t in truth):
                row = int(final_rows[rng.integers(0, len(final_rows))])
        edits.setdefault(field, {})[row] = value
        truth.append({"table": "trade_remedies", "line": row + 2, "field": field, "value": value, "code": code})
    for field, cells in edits.items():
        values = table[field].to_pylist()
        for row, value in cells.items():
            values[row] = value
        table[field] = pa.array(values, type=pa.string())
    return sorted(truth, key=lambda t: t["line"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to write the package into")
    parser.add_argument("--rows", type=int, default=100_000, help="trade_remedies rows")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="cell errors to inject into trade_remedies")
    args = parser.parse_args()
    result = generate(args.out, args.rows, args.seed, args.errors)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
