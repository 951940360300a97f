"""Time `tradecurbs validate` against `frictionless validate` on the same synthetic packages.

Each tool runs in its own process; wall time includes start-up, peak RSS is that
process's own. Both must find the errors injected by synth.py. frictionless is slow,
so by default it runs only up to --frictionless-max rows and its time at larger sizes
is extrapolated linearly (marked "extrapolated").

Each size is validated --repeat times, alternating with --baseline if given: the
median time is shown with the range, and the largest peak RSS. First, the bundled
package (the repository's own datapackage.json): `tradecurbs validate` against `frictionless validate datapackage.json`, both the installed commands in fresh
processes, alternating, median of --repeat runs; and the share of tradecurbs' time spent
importing modules (`python -X importtime`, top-level imports summed).

    python benchmarks/bench_validate.py [--rows 100000 1000000] [--errors 20] [--frictionless-max 100000]
        [--repeat 5] [--skip-bundled] [--baseline OTHER/bin/tradecurbs]

`tradecurbs` and `frictionless` are the commands found on PATH, so a light install's
tradecurbs can be timed by putting its bin/ first; --baseline adds another one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYNTH = Path(__file__).resolve().parent / "synth.py"
REPO = Path(__file__).resolve().parent.parent

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


def tradecurbs(path: Path, command: str | None = None) -> tuple[float, float, set]:
    seconds, rss, output = _run([command or _command("tradecurbs"), "validate", str(path), "--format", "json"])
    report = json.loads(output)
    return seconds, rss, {(p["table"], p["line"], p["field"]) for p in report["errors"]}


def frictionless(path: Path) -> tuple[float, float, set]:
    seconds, rss, output = _run([sys.executable, "-c", FRICTIONLESS, str(path / "datapackage.json")])
    return seconds, rss, {tuple(e) for e in json.loads(output)}


def _command(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).with_name(name))


def import_seconds(path: Path) -> tuple[float, float]:
    """(wall seconds, seconds importing) of one `tradecurbs validate` run under -X importtime."""
    start = time.perf_counter()
    python = Path(_command("tradecurbs")).with_name("python")  # the interpreter of the command timed
    done = subprocess.run([str(python), "-X", "importtime", "-m", "tradecurbs", "validate", str(path)],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    top = [int(m.group(1)) for m in re.finditer(r"^import time:\s+\d+ \|\s+(\d+) \| \S", done.stderr, re.MULTILINE)]
    return seconds, sum(top) / 1e6


def bundled(repeat: int, baseline: str | None) -> None:
    """The repository's own package: each command, alternating, medians."""
    commands = {"tradecurbs validate": [_command("tradecurbs"), "validate", str(REPO)],
                "frictionless validate": [_command("frictionless"), "validate", str(REPO / "datapackage.json")]}
    if baseline:
        commands["baseline validate"] = [baseline, "validate", str(REPO)]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(repeat):
        for name in list(commands) if i % 2 == 0 else list(commands)[::-1]:
            times[name].append(_run(commands[name])[0])
    shares = [import_seconds(REPO) for _ in range(repeat)]
    medians = {name: statistics.median(t) for name, t in times.items()}
    wall, imports = statistics.median(s[0] for s in shares), statistics.median(s[1] for s in shares)
    print(f"bundled package, median of {repeat} alternating runs")
    for name, seconds in medians.items():
        print(f"  {name:<22} {seconds:6.2f} s   / frictionless = {seconds / medians['frictionless validate']:.2f}")
    print(f"  imports: {imports:.2f} s of {wall:.2f} s under -X importtime ({imports / wall:.0%})\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--errors", type=int, default=20)
    parser.add_argument("--frictionless-max", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--baseline", help="another tradecurbs executable to time beside this one")
    args = parser.parse_args()
    if not args.skip_bundled:
        bundled(args.repeat, args.baseline)
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
            # tradecurbs (and the baseline) alternately, --repeat times: the median time, the largest peak.
            runs: dict[str, list[tuple[float, float, set]]] = {"baseline": [], "tradecurbs": []}
            for _ in range(args.repeat):
                if args.baseline:
                    runs["baseline"].append(tradecurbs(path, args.baseline))
                runs["tradecurbs"].append(tradecurbs(path))
            for tool, results in runs.items():
                if not results:
                    continue
                seconds = statistics.median(r[0] for r in results)
                rss = max(r[1] for r in results)
                missed = set().union(*(expected - r[2] for r in results))
                note = "all injected errors found" if not missed else f"MISSED {sorted(missed)}"
                spread = f"; {min(r[0] for r in results):.2f}-{max(r[0] for r in results):.2f} s" if len(results) > 1 else ""
                print(f"{rows:>10}  {tool:<13} {seconds:>8.2f}  {rss:>11.0f}  {len(results[0][2]):>12}  "
                      f"{note}{spread}")
            ours = statistics.median(r[0] for r in runs["tradecurbs"])
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
