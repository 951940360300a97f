"""Benchmark: `tradecurbs measures --against JPN --in-force-on 2026-01-15` against `tradecurbs show trade_remedies`.

Each command runs in a fresh process (imports included, as a user sees it), alternating,
R times; the script prints the median and best wall time of each and their ratio.
Target: measures within 1.5x of show (docs/history.md).

    python benchmarks/bench_measures.py [--repeat R]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "show trade_remedies": ["show", "trade_remedies"],
    "measures --against JPN --in-force-on 2026-01-15": ["measures", "--against", "JPN", "--in-force-on",
                                                        "2026-01-15"],
}


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    executable = shutil.which("tradecurbs")
    base = [executable] if executable else [sys.executable, "-m", "tradecurbs"]
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for name, argv in COMMANDS.items():  # warm the file cache once
        _time(base + argv)
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():
            times[name].append(_time(base + argv))
    for name, values in times.items():
        print(f"{name:<52} median {statistics.median(values):.3f} s  best {min(values):.3f} s  (n={len(values)})")
    show, measures = (statistics.median(times[name]) for name in COMMANDS)
    print(f"ratio (median): {measures / show:.2f}x  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
