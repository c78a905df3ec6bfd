"""Refresh figures against the local stand-in, which enforces SCB's /config limits (429 over them).

The stand-in runs in a process of its own (tests/standin/process.py), as the real APIs are remote:
in the bench's process its Python would share one GIL with the refresh's fetch and staging threads.

1. Full refresh: wall time against the rate-limit bound ceil(SCB calls / maxCallsPerTimeWindow) x
   timeWindow, with the calls counted at the stand-in. The default window is SCB's real one
   (30 calls / 10 s); `--window 1` (or BENCH_QUICK=1) shrinks it to keep a smoke run short.
2. No-change refresh: median of --runs, and whether it left the warehouse file untouched.
3. One changed table (TAB3200): fetch + rebuild.

Prints figures and writes benchmarks/out/bench_refresh.json; never a pass/fail on time.

    .venv/bin/python benchmarks/bench_refresh.py [--runs 3] [--window 10] [--calls 30]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import quick, row, write_rows  # noqa: E402
from etl.pipeline import refresh  # noqa: E402
from etl.settings import Settings  # noqa: E402
from tests.standin.process import StandInProcess  # noqa: E402


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    """Run the refreshes, print one line per figure and write the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2 if quick() else 5)
    parser.add_argument("--window", type=float, default=1.0 if quick() else 10.0)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    rows = []
    limit = f"{args.calls} calls / {args.window:g} s" + (
        " (SCB's real limit)" if (args.calls, args.window) == (30, 10) else " (bench knob)"
    )
    with StandInProcess() as standin, tempfile.TemporaryDirectory() as tmp:
        standin.set_scb_limits(max_cells=150_000, max_calls=args.calls, window=args.window)
        os.environ.update({
            "LABOURDASH_DB": str(Path(tmp) / "labour.duckdb"), "LABOURDASH_SCB_URL": standin.scb_url,
            "LABOURDASH_KOLADA_URL": standin.kolada_url, "LABOURDASH_GEODATA_URL": standin.geodata_url,
        })  # fmt: skip
        settings = Settings()
        standin.clear_log()
        start = time.perf_counter()
        report = refresh(settings)
        full = time.perf_counter() - start
        scb = standin.requests("scb")
        calls = len(scb)
        refused = sum(1 for r in scb if r.status == 429)
        bound = math.ceil(calls / args.calls) * args.window
        build = sum((report.get("timings_s") or {}).values())
        kolada = len(standin.requests("kolada"))
        print(f"full refresh: {full:.1f} s, {len(report['changes'])} units, status "
              f"{report['status']}; SCB calls {calls} ({refused} answered 429), Kolada calls "
              f"{kolada}; bound {bound:.0f} s at {limit}; ratio {full / bound:.2f}; "
              f"build steps {build:.1f} s")  # fmt: skip
        rows.append(row(
            f"full refresh ÷ rate-limit bound ({calls} SCB calls at {limit}; build {build:.0f} s)",
            "<= 1.2x", f"{full:.1f} s", full, "s", runs=1, stat="single run",
            peer=f"bound ceil({calls}/{args.calls}) x {args.window:g} s = {bound:.0f} s",
            peer_value=bound, ratio=full / bound, met=full / bound <= 1.2,
        ))  # fmt: skip
        fetch = full - build
        rows.append(row(
            "fetch phase of the full refresh ÷ bound (SCB and Kolada fetched side by side)",
            "figure only (the build follows the fetch)", f"{fetch:.1f} s", fetch, "s", runs=1,
            stat="single run", peer=f"bound {bound:.0f} s", peer_value=bound, ratio=fetch / bound,
        ))  # fmt: skip
        before = _digest(settings.db_path)
        times = []
        standin.clear_log()
        for _ in range(args.runs):
            start = time.perf_counter()
            report = refresh(settings)
            times.append(time.perf_counter() - start)
        calls_nc = len(standin.requests()) / args.runs
        untouched = _digest(settings.db_path) == before
        actions = sorted({c["action"] for c in report["changes"]})
        nochange = statistics.median(times)
        print(f"no-change refresh: median {nochange:.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}); {calls_nc:.0f} requests per run; "
              f"actions {actions}; warehouse file untouched: {untouched}")  # fmt: skip
        rows.append(row(
            f"no-change refresh ({calls_nc:.0f} requests, file untouched: {untouched})", "< 3 s",
            f"{nochange:.2f} s", nochange, "s", runs=args.runs, met=nochange < 3 and untouched,
        ))  # fmt: skip
        standin.set_updated("TAB3200", "2026-11-30T07:00:00Z")
        start = time.perf_counter()
        report = refresh(settings)
        one = time.perf_counter() - start
        print(
            f"one table changed (TAB3200): {one:.1f} s (fetch + rebuild), status {report['status']}"
        )
        rows.append(row("one changed table (TAB3200): fetch + rebuild", "figure only",
                        f"{one:.1f} s", one, "s", runs=1, stat="single run"))  # fmt: skip
        print(f"cores: {os.cpu_count()}")
    write_rows("bench_refresh", rows)


if __name__ == "__main__":
    main()
