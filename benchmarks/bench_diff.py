"""Benchmark: `tradecurbs diff` as a user runs it, beside DuckDB, datacompy, csv-diff and pandas.

Makes (or reuses) an OLD/NEW pair of synthetic packages with a known change set
(benchmarks/pairs.py: ~1% of trade_remedies modified in 1-3 fields, 0.5% removed,
1% added, rows shuffled). Each run is its own process: tradecurbs is the installed
command, `tradecurbs diff OLD NEW --format F` with its output written to a file, timed
from start to exit; the other tools run a small script on the same CSV files. Wall time,
CPU time and peak memory (max RSS) are that process's own. Runs alternate between tools
and the median of --repeat runs is printed.

tradecurbs' JSON is checked cell by cell against the generated ground truth (ids added
and removed, every changed field's old and new value); text and markdown by their
counts line; the other tools by their counts.

Targets at 1M rows on a 2-core machine: JSON at most 1.5x DuckDB's time in the same run
(goal 1.2x), peak memory under 1.2 GB; text and markdown within 10% of JSON.

    pip install ".[bench]"
    python benchmarks/bench_diff.py [--rows 100000 1000000] [--repeat 3] [--pair DIR]
        [--tools tradecurbs duckdb ...] [--baseline OTHER/bin/tradecurbs]
    python benchmarks/bench_diff.py --large     # on demand: 10M rows, tradecurbs and DuckDB only

--pair DIR keeps the generated pair in DIR/ROWS (reused on the next run); without it the
pair lives in a temporary directory. --baseline adds another installed tradecurbs (for
example a previous release in its own virtualenv) as the tool "baseline".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ["json", "text", "markdown"]
TOOLS = ["tradecurbs", "duckdb", "datacompy", "csv-diff", "pandas-merge"]
TABLE = "trade_remedies"


def csv_of(package_dir: Path) -> Path:
    """The trade_remedies CSV of a package directory, wherever its descriptor puts it."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    return package_dir / next(r["path"] for r in descriptor["resources"] if r["name"] == TABLE)


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


RUNNERS = {"duckdb": run_duckdb, "datacompy": run_datacompy, "csv-diff": run_csv_diff,
           "pandas-merge": run_pandas_merge}


def child(tool: str, old: Path, new: Path) -> None:
    """Run one comparison tool and print its counts (the parent times the whole process)."""
    print(json.dumps(RUNNERS[tool](old, new)))


def _timed(command: list[str], output: Path) -> dict:
    """Wall, CPU (user + system) and peak RSS of one process whose stdout goes to ``output``."""
    with open(output, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        err = process.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
            "exit": code, "stderr": err.strip()}


def _check_json(output: Path, cells: dict) -> str:
    """'exact' if the JSON diff has exactly the generated change set, else what differs."""
    report = json.loads(output.read_text(encoding="utf-8"),
                        parse_constant=lambda token: (_ for _ in ()).throw(ValueError(token)))
    others = {n: t["summary"] for n, t in report["tables"].items() if n != TABLE and any(t["summary"].values())}
    table = report["tables"][TABLE]
    key = table["key"][0]
    found = {
        "added": sorted(r[key] for r in table["added"]),
        "removed": sorted(r[key] for r in table["removed"]),
        "modified": {m["key"][key]: m["changes"] for m in table["modified"]},
    }
    wrong = [part for part in ("added", "removed", "modified") if found[part] != cells[part]]
    if others or report["schema"]:
        wrong.append(f"unexpected changes elsewhere: {others or report['schema']}")
    return "exact" if not wrong else "MISMATCH in " + ", ".join(wrong)


def _check_counts_line(output: Path, truth: dict, output_format: str) -> str:
    text = output.read_text(encoding="utf-8")
    want = (f"{TABLE}: {truth['added']} added, {truth['removed']} removed, {truth['modified']} modified"
            if output_format == "text" else
            f"| `{TABLE}` | {truth['added']} | {truth['removed']} | {truth['modified']} |")
    return "counts ok" if want in text else "MISMATCH (counts line missing)"


def measure(job: str, command: list[str], pair: Path, truth: dict, cells: dict, scratch: Path) -> dict:
    output = scratch / f"{job.replace(' ', '-')}.out"
    result = _timed(command, output)
    tool, _, output_format = job.partition(" ")
    if tool in ("tradecurbs", "baseline"):
        if result["exit"] != 1:
            result["check"] = f"FAILED: exit {result['exit']}: {result['stderr'][-300:]}"
        elif output_format == "json":
            result["check"] = _check_json(output, cells)
        else:
            result["check"] = _check_counts_line(output, truth, output_format)
    elif result["exit"] != 0:
        result["check"] = f"FAILED: {result['stderr'].splitlines()[-1] if result['stderr'] else result['exit']}"
    else:
        counts = json.loads(output.read_text().strip().splitlines()[-1])
        result["check"] = "counts ok" if counts == truth else f"MISMATCH {counts}"
    output.unlink(missing_ok=True)
    return result


def jobs(tools: list[str], formats: list[str], baseline: str | None, old: Path, new: Path) -> dict[str, list[str]]:
    """Every job name and its command line."""
    command = shutil.which("tradecurbs") or str(Path(sys.executable).with_name("tradecurbs"))
    out: dict[str, list[str]] = {}
    for tool in tools:
        if tool == "tradecurbs":
            for output_format in formats:
                out[f"tradecurbs {output_format}"] = [command, "diff", str(old), str(new), "--format", output_format]
            if baseline:
                for output_format in formats:
                    out[f"baseline {output_format}"] = [baseline, "diff", str(old), str(new), "--format",
                                                        output_format]
        else:
            out[tool] = [sys.executable, __file__, "--child", tool, str(old), str(new)]
    return out


def make_pair(where: Path, rows: int) -> None:
    if (where / "truth-cells.json").is_file():
        return
    shutil.rmtree(where, ignore_errors=True)
    # Generated in its own process, so this one stays small.
    subprocess.run([sys.executable, str(HERE / "pairs.py"), str(where), "--rows", str(rows)],
                   capture_output=True, text=True, check=True)


def bench(rows: int, pair: Path, args: argparse.Namespace, scratch: Path) -> None:
    make_pair(pair, rows)
    truth = json.loads((pair / "truth.json").read_text(encoding="utf-8"))
    cells = json.loads((pair / "truth-cells.json").read_text(encoding="utf-8"))
    todo = jobs(args.tools, args.formats, args.baseline, pair / "old", pair / "new")
    runs: dict[str, list[dict]] = {job: [] for job in todo}
    for repeat in range(args.repeat):
        order = list(todo) if repeat % 2 == 0 else list(reversed(todo))  # alternate, so drift hits all alike
        for job in order:
            runs[job].append(measure(job, todo[job], pair, truth, cells, scratch))
    print(f"\n{rows:,} rows; ground truth: {truth}; median of {args.repeat} run(s) each, alternating")
    print(f"{'tool':<22}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}{'x duckdb':>10}{'per round':>14}  check")
    anchor = statistics.median(r["seconds"] for r in runs["duckdb"]) if "duckdb" in runs else None
    for job, results in runs.items():
        checks = sorted({r["check"] for r in results})
        seconds = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        ratio = f"{seconds / anchor:.2f}x" if anchor else "-"
        rounds = "-"
        if anchor and len(results) > 1:  # each run against DuckDB's run of the same round
            each = [r["seconds"] / d["seconds"] for r, d in zip(results, runs["duckdb"], strict=True)]
            rounds = f"{min(each):.2f}-{max(each):.2f}x"
        print(f"{job:<22}{seconds:>8.2f}{cpu:>8.2f}{peak:>9.0f}{ratio:>10}{rounds:>14}  {'; '.join(checks)}")
    print("(peak MB is the largest of the runs; all times are whole processes, start-up included;")
    print(" per round: the lowest and highest ratio of a run to DuckDB's run in the same round)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--tools", nargs="+", default=TOOLS, choices=TOOLS)
    parser.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pair", type=Path, help="keep generated pairs under this directory and reuse them")
    parser.add_argument("--baseline", help="another tradecurbs executable to time beside this one")
    parser.add_argument("--large", action="store_true",
                        help="10M rows, tradecurbs (JSON) and DuckDB only, one run each")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, old, new = args.child
        child(tool, Path(old), Path(new))
        return
    if args.large:
        args.rows, args.tools, args.formats, args.repeat = [10_000_000], ["tradecurbs", "duckdb"], ["json"], 1
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for rows in args.rows:
            pair = (args.pair / str(rows)) if args.pair else scratch / f"pair-{rows}"
            bench(rows, pair, args, scratch)


if __name__ == "__main__":
    main()
