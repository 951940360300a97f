"""Benchmark: tradecurbs diff against csv-diff, datacompy, DuckDB and a pandas merge.

Makes an OLD/NEW pair of synthetic trade_remedies packages with a known change set
(benchmarks/pairs.py: ~1% modified in 1-3 fields, 0.5% removed, 1% added, rows
shuffled), then runs each tool in its own process on the same CSV files and prints wall
time, peak memory (max RSS of that process) and the counts it found next to the ground
truth. Targets at 1M rows on a 2-core machine: tradecurbs under 4 s, within 2x of DuckDB,
at least 5x faster than datacompy and csv-diff, peak memory under 1.5 GB.

    pip install ".[bench]"
    python benchmarks/bench_diff.py [--rows 100000 1000000] [--tools tradecurbs duckdb ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = ["tradecurbs", "duckdb", "datacompy", "csv-diff", "pandas-merge"]


def csv_of(package_dir: Path) -> Path:
    """The trade_remedies CSV of a package directory, wherever its descriptor puts it."""
    from tradecurbs.datapackage import Package

    package = Package.from_directory(package_dir)
    return package_dir / package.resource("trade_remedies").path


def run_tradecurbs(old: Path, new: Path) -> dict[str, int]:
    import tradecurbs

    return tradecurbs.diff(str(old), str(new)).tables["trade_remedies"].summary


def run_duckdb(old: Path, new: Path) -> dict[str, int]:
    import duckdb

    old_csv, new_csv = csv_of(old), csv_of(new)
    with open(old_csv, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split(",")
    compared = [c for c in header if c != "id"]
    distinct = " OR ".join(f'o."{c}" IS DISTINCT FROM n."{c}"' for c in compared)
    query = f"""
        WITH o AS (SELECT * FROM read_csv('{old_csv}', all_varchar=true)),
             n AS (SELECT * FROM read_csv('{new_csv}', all_varchar=true))
        SELECT count(*) FILTER (WHERE o.id IS NULL) AS added,
               count(*) FILTER (WHERE n.id IS NULL) AS removed,
               count(*) FILTER (WHERE o.id IS NOT NULL AND n.id IS NOT NULL AND ({distinct})) AS modified
        FROM o FULL OUTER JOIN n ON o.id = n.id"""
    added, removed, modified = duckdb.sql(query).fetchall()[0]
    return {"added": added, "removed": removed, "modified": modified}


def _read_strings(path: Path):
    import pandas as pd

    return pd.read_csv(csv_of(path), dtype=str, keep_default_na=False)


def run_datacompy(old: Path, new: Path) -> dict[str, int]:
    import datacompy

    compare = datacompy.PandasCompare(_read_strings(old), _read_strings(new), join_columns="id")
    return {"added": len(compare.df2_unq_rows), "removed": len(compare.df1_unq_rows),
            "modified": len(compare.all_mismatch())}


def run_csv_diff(old: Path, new: Path) -> dict[str, int]:
    from csv_diff import compare, load_csv

    with open(csv_of(old), encoding="utf-8") as a, open(csv_of(new), encoding="utf-8") as b:
        result = compare(load_csv(a, key="id"), load_csv(b, key="id"))
    return {"added": len(result["added"]), "removed": len(result["removed"]), "modified": len(result["changed"])}


def run_pandas_merge(old: Path, new: Path) -> dict[str, int]:
    merged = _read_strings(old).merge(_read_strings(new), on="id", how="outer", suffixes=("_o", "_n"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    columns = [c[:-2] for c in merged.columns if c.endswith("_o")]
    differs = sum((both[f"{c}_o"] != both[f"{c}_n"]) for c in columns).astype(bool)
    return {"added": int((merged["_merge"] == "right_only").sum()),
            "removed": int((merged["_merge"] == "left_only").sum()), "modified": int(differs.sum())}


RUNNERS = {"tradecurbs": run_tradecurbs, "duckdb": run_duckdb, "datacompy": run_datacompy,
           "csv-diff": run_csv_diff, "pandas-merge": run_pandas_merge}


def child(tool: str, old: Path, new: Path) -> None:
    start = time.perf_counter()
    counts = RUNNERS[tool](old, new)
    print(json.dumps({"seconds": time.perf_counter() - start, "counts": counts}))


def measure(tool: str, old: Path, new: Path) -> dict:
    process = subprocess.Popen([sys.executable, __file__, "--child", tool, str(old), str(new)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    if status != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {status}"}
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--tools", nargs="+", default=TOOLS, choices=TOOLS)
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, old, new = args.child
        child(tool, Path(old), Path(new))
        return
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            # Generated in its own process, so this one stays small: a child's peak RSS
            # would otherwise include the parent's memory from before exec.
            made = subprocess.run([sys.executable, str(HERE / "pairs.py"), tmp, "--rows", str(rows)],
                                  capture_output=True, text=True, check=True)
            truth = json.loads(made.stdout.strip().splitlines()[-1])
            print(f"\n{rows:,} rows; ground truth: {truth}")
            print(f"{'tool':<14}{'seconds':>9}{'peak MB':>9}  counts")
            results = {}
            for tool in args.tools:
                result = measure(tool, Path(tmp) / "old", Path(tmp) / "new")
                results[tool] = result
                if "error" in result:
                    print(f"{tool:<14}  failed: {result['error']}")
                    continue
                mark = "ok" if result["counts"] == truth else "MISMATCH"
                print(f"{tool:<14}{result['seconds']:>9.2f}{result['peak_mb']:>9.0f}  {result['counts']} {mark}")
            ours = results.get("tradecurbs", {}).get("seconds")
            if ours:
                for tool, result in results.items():
                    if tool != "tradecurbs" and "seconds" in result:
                        print(f"  {tool} / tradecurbs: {result['seconds'] / ours:.1f}x")


if __name__ == "__main__":
    main()
