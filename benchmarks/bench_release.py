"""Benchmark: `tradecurbs release build` of a synthetic package, and that rebuilds are byte-identical.

Generates a package with N trade_remedies rows (default 100,000, `synth.generate`), then
builds release 0.0.1 of it into a fresh release site, --repeat times, each build its own
process (start-up included), and prints the median wall time and the peak memory. Every
build must give the same bytes (each file's sha256 is compared with the first build's).

--baseline-src DIR adds a second tradecurbs, imported from the source tree DIR (for
example a `git worktree` of an older commit's ``src``) with this interpreter, timed
alternately with the installed one on the same package.

    python benchmarks/bench_release.py [--rows 100000] [--repeat 5] [--baseline-src OLD/src]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = "import sys; from tradecurbs.cli import main; sys.argv[0] = 'tradecurbs'; main()"


def build(source: Path, out: Path, pythonpath: str | None) -> dict:
    """One `release build` in its own process: wall seconds, peak RSS and each file's sha256."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    command = [sys.executable, "-c", MAIN, "release", "build", "--source", str(source), "--version", "0.0.1",
               "--out", str(out), "--created", "2025-06-30T00:00:00Z"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    err = process.stderr.read().decode(errors="replace").strip()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"release build failed: {err[-500:]}")
    release = out / "tradecurbs-data-0.0.1"
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(release.iterdir())}
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "digests": digests}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-src", help="another tradecurbs source tree (its src/) to time beside this one")
    args = parser.parse_args()
    tools = {"tradecurbs": None}
    if args.baseline_src:
        tools["baseline"] = str(Path(args.baseline_src).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "package"
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(source), "--rows", str(args.rows)],
                       check=True, capture_output=True)
        runs: dict[str, list[dict]] = {name: [] for name in tools}
        for repeat in range(args.repeat):
            order = list(tools) if repeat % 2 == 0 else list(reversed(tools))
            for name in order:
                out = Path(tmp) / f"site-{name}-{repeat}"
                runs[name].append(build(source, out, tools[name]))
        print(f"\nrelease build, {args.rows:,} trade_remedies rows; median of {args.repeat} run(s), alternating")
        print(f"{'tool':<12}{'wall s':>8}{'peak MB':>9}  rebuilds")
        for name, results in runs.items():
            same = all(r["digests"] == results[0]["digests"] for r in results)
            print(f"{name:<12}{statistics.median(r['seconds'] for r in results):>8.2f}"
                  f"{max(r['peak_mb'] for r in results):>9.0f}  {'byte-identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
