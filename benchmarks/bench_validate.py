"""Time `tradecurbs validate` against `frictionless validate` on the same synthetic packages.

Each tool runs in its own process; wall time includes start-up, peak RSS is that
process's own. Both must find the errors injected by synth.py. frictionless is slow,
so by default it runs only up to --frictionless-max rows and its time at larger sizes
is extrapolated linearly (marked "extrapolated").

    python benchmarks/bench_validate.py [--rows 100000 1000000] [--errors 20] [--frictionless-max 100000]
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

SYNTH = Path(__file__).resolve().parent / "synth.py"

FRICTIONLESS = """
import json, sys
import frictionless
report = frictionless.validate(sys.argv[1])
found = []
for task in report.tasks:
    for error in task.errors:
        fields = getattr(error, "field_names", None) or [getattr(error, "field_name", None)]
        found += [[task.name, error.row_number, f] for f in fields]
print(json.dumps(found))
"""


def _run(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8")


def tradecurbs(path: Path) -> tuple[float, float, set]:
    seconds, rss, output = _run([sys.executable, "-m", "tradecurbs", "validate", str(path), "--format", "json"])
    report = json.loads(output)
    return seconds, rss, {(p["table"], p["line"], p["field"]) for p in report["errors"]}


def frictionless(path: Path) -> tuple[float, float, set]:
    seconds, rss, output = _run([sys.executable, "-c", FRICTIONLESS, str(path / "datapackage.json")])
    return seconds, rss, {tuple(e) for e in json.loads(output)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--errors", type=int, default=20)
    parser.add_argument("--frictionless-max", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{'rows':>10}  {'tool':<13} {'seconds':>8}  {'peak RSS MB':>11}  {'errors found':>12}  note")
    friction_rate = None
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.rows:
            path = Path(scratch) / f"pkg-{rows}"
            # Generate in a child process: a child's peak RSS counts its parent's pages at fork time.
            made = subprocess.run([sys.executable, str(SYNTH), str(path), "--rows", str(rows), "--seed",
                                   str(args.seed), "--errors", str(args.errors)], capture_output=True, check=True)
            truth = json.loads(made.stdout)["errors"]
            expected = {(e["table"], e["line"], e["field"]) for e in truth}
            seconds, rss, found = tradecurbs(path)
            note = "all injected errors found" if expected <= found else f"MISSED {sorted(expected - found)}"
            print(f"{rows:>10}  {'tradecurbs':<13} {seconds:>8.2f}  {rss:>11.0f}  {len(found):>12}  {note}")
            ours = seconds
            if rows <= args.frictionless_max:
                seconds, rss, found = frictionless(path)
                friction_rate = seconds / rows
                note = "all injected errors found" if expected <= found else f"MISSED {sorted(expected - found)}"
                print(f"{rows:>10}  {'frictionless':<13} {seconds:>8.2f}  {rss:>11.0f}  {len(found):>12}  {note}")
            elif friction_rate is not None:
                seconds = friction_rate * rows
                note = f"extrapolated from the largest measured size; tradecurbs {seconds / ours:.0f}x faster"
                print(f"{rows:>10}  {'frictionless':<13} {seconds:>8.2f}  {'-':>11}  {'-':>12}  {note}")
                continue
            else:
                continue
            print(f"{'':>10}  {'speed-up':<13} {seconds / ours:>7.1f}x")


if __name__ == "__main__":
    main()
