"""Benchmark: `tradecurbs.load(table, version=...)` from a served release vs `pandas.read_parquet`.

Generates a synthetic package with N trade_remedies rows (default 1,000,000, `synth.generate`),
builds release 0.0.1 of it with `tradecurbs release build` (timed: the build reads the
source, validates it and writes Parquet + CSV), serves the release site on 127.0.0.1 and
then times, in one run:

- cold: the first `load("trade_remedies", version="0.0.1")` of a fresh cache (download,
  sha256 verification, read);
- cached, new process: the first load in a new Python process once the files are cached
  (the files are verified again, once);
- warm: the same load again in the same process (best of R);
- `pandas.read_parquet` of the same cached file (best of R).

Version 0.0.1 is not pinned by the installed package, so the benchmark opts in to
unpinned releases (``TRADECURBS_ALLOW_UNPINNED=1``); the timings are the same as for a
pinned release.

    python benchmarks/bench_load.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate  # noqa: E402

LOAD = "import tradecurbs, time; t = time.perf_counter(); tradecurbs.load('trade_remedies', version='0.0.1'); " \
       "print(time.perf_counter() - t)"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


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
        root = Path(tmp)
        generate(root / "source", args.rows)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from tradecurbs.cli import main; main()", "release", "build", "--version", "0.0.1",
                        "--source", str(root / "source"), "--out", str(root / "site")], check=True,
                       stdout=subprocess.DEVNULL)
        build_seconds = time.perf_counter() - start

        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root / "site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        os.environ.update(TRADECURBS_CACHE_DIR=str(root / "cache"), TRADECURBS_ALLOW_UNPINNED="1",
                          TRADECURBS_RELEASES_URL=f"http://127.0.0.1:{server.server_address[1]}")
        import warnings

        import pandas as pd

        import tradecurbs

        warnings.simplefilter("ignore")
        cold = timed(lambda: tradecurbs.load("trade_remedies", version="0.0.1"), 1)
        server.shutdown()
        server.server_close()
        fresh = float(subprocess.run([sys.executable, "-W", "ignore", "-c", LOAD], check=True, capture_output=True,
                                     text=True).stdout.split()[-1])
        warm = timed(lambda: tradecurbs.load("trade_remedies", version="0.0.1"), args.repeat)
        parquet = next((root / "cache").rglob("trade_remedies.parquet"))
        plain = timed(lambda: pd.read_parquet(parquet), args.repeat)
        parquet_mb = parquet.stat().st_size / 1e6

    print(f"trade_remedies, {args.rows:,} rows (Parquet {parquet_mb:.1f} MB); warm and read_parquet best of {args.repeat}")
    print(f"{'what':<52}{'seconds':>10}")
    print(f"{'tradecurbs release build (whole package)':<52}{build_seconds:>10.2f}")
    print(f"{'load(version=) cold: download + verify + read':<52}{cold:>10.2f}")
    print(f"{'load(version=) cached, first call of a new process':<52}{fresh:>10.2f}")
    print(f"{'load(version=) warm: again in the same process':<52}{warm:>10.2f}")
    print(f"{'pandas.read_parquet (same file)':<52}{plain:>10.2f}")
    print(f"ratio warm load / read_parquet: {warm / plain:.2f}x")


if __name__ == "__main__":
    main()
