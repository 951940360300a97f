"""Benchmark: loading a table from a cached release Parquet vs plain pandas.read_parquet.

Builds a synthetic trade_remedies table of N rows (default 1,000,000) with `synth.generate`,
writes it the way a release does (Parquet with the release writer options, and the
canonical CSV), then times, in one run:

- `tradecurbs.loading.load_resource(..., format="parquet")` (what `load(version=...)` does
  once the release is cached),
- `pandas.read_parquet` of the same file,
- loading the CSV twin,

The table is placed in a temporary release cache (``TRADECURBS_CACHE_DIR``) with its
index entry, so the timed call is the real ``tradecurbs.load(table, version=...)``,
sha256 verification of the cached files included. Prints the Parquet and CSV sizes. Target: tradecurbs at most 1.5x read_parquet.

    python benchmarks/bench_load.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import tradecurbs
from tradecurbs import registry
from tradecurbs.loading import read_table
from tradecurbs.datapackage import Package
from tradecurbs.release_build import csv_bytes, write_parquet

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRADECURBS_CACHE_DIR"] = tmp
        os.environ["TRADECURBS_RELEASES_URL"] = "http://127.0.0.1:9"  # never reached: all cached
        directory = Path(tmp) / "tradecurbs-data-0.0.1"
        directory.mkdir()
        descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
        spec = next(r for r in descriptor["resources"] if r["name"] == "trade_remedies")
        spec.update(path="trade_remedies.csv", alternates=[{"path": "trade_remedies.parquet", "format": "parquet"}])
        descriptor["resources"] = [spec]
        (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        package = Package.from_directory(directory)
        resource = package.resource("trade_remedies")
        generate(Path(tmp) / "generated", args.rows)
        generated = Package.from_directory(Path(tmp) / "generated")
        table = read_table(generated, generated.resource("trade_remedies"))
        write_parquet(table, directory / "trade_remedies.parquet")
        (directory / "trade_remedies.csv").write_bytes(csv_bytes(table, resource))
        files = tuple(
            registry.ReleaseFile(p.name, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(directory.iterdir())
        )
        release = registry.Release("0.0.1", "2026-01-01T00:00:00Z", directory.name, files)
        (Path(tmp) / registry.INDEX).write_text(registry.render_index({"0.0.1": release}), encoding="utf-8")

        parquet = directory / "trade_remedies.parquet"
        ours = timed(lambda: tradecurbs.load("trade_remedies", version="0.0.1"), args.repeat)
        plain = timed(lambda: pd.read_parquet(parquet), args.repeat)
        from_csv = timed(lambda: tradecurbs.load("trade_remedies", version="0.0.1", format="csv"), args.repeat)
        parquet_mb = parquet.stat().st_size / 1e6
        csv_mb = (directory / "trade_remedies.csv").stat().st_size / 1e6

    print(f"trade_remedies, {args.rows:,} rows, best of {args.repeat}")
    print(f"{'what':<44}{'seconds':>10}")
    print(f"{'tradecurbs.load(version=) cached Parquet':<44}{ours:>10.2f}")
    print(f"{'pandas.read_parquet (same file)':<44}{plain:>10.2f}")
    print(f"{'tradecurbs.load(version=, format=csv)':<44}{from_csv:>10.2f}")
    print(f"ratio tradecurbs / read_parquet: {ours / plain:.2f}x (target <= 1.5x)")
    print(f"sizes: Parquet {parquet_mb:.1f} MB, CSV {csv_mb:.1f} MB ({csv_mb / parquet_mb:.1f}x)")


if __name__ == "__main__":
    main()
