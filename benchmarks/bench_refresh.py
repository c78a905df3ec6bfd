"""Refresh figures against the local stand-in: full refresh, no-change refresh, one changed unit.

Prints wall times (median of --runs no-change refreshes) and whether the no-change refresh left
the warehouse file untouched. Figures, never a pass/fail on time.

    .venv/bin/python benchmarks/bench_refresh.py [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.pipeline import refresh  # noqa: E402
from etl.settings import Settings  # noqa: E402
from tests.standin import StandIn  # noqa: E402


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    """Run the refreshes and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with StandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
        os.environ.update({
            "LABOURDASH_DB": str(Path(tmp) / "labour.duckdb"), "LABOURDASH_SCB_URL": standin.scb_url,
            "LABOURDASH_KOLADA_URL": standin.kolada_url, "LABOURDASH_GEODATA_URL": standin.geodata_url,
        })  # fmt: skip
        settings = Settings()
        start = time.perf_counter()
        report = refresh(settings)
        full = time.perf_counter() - start
        units = len(report["changes"])
        print(f"full refresh: {full:.1f} s, {units} units, status {report['status']}")
        before = _digest(settings.db_path)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            report = refresh(settings)
            times.append(time.perf_counter() - start)
        untouched = _digest(settings.db_path) == before
        actions = sorted({c["action"] for c in report["changes"]})
        print(f"no-change refresh: median {statistics.median(times):.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}); actions {actions}; "
              f"warehouse file untouched: {untouched}")  # fmt: skip
        standin.set_updated("TAB3200", "2026-11-30T07:00:00Z")
        start = time.perf_counter()
        report = refresh(settings)
        print(f"one table changed (TAB3200): {time.perf_counter() - start:.1f} s "
              f"(fetch + rebuild), status {report['status']}")  # fmt: skip
        print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
