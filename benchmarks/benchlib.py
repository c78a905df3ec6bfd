"""Shared helpers of the benchmark scripts: quick mode, medians and the JSON rows report.py reads.

Each `bench_*.py` writes `benchmarks/out/<script-stem>.json`: a list of rows in the shape of
`row()` (the contract shared by the ETL and dashboard benchmark scripts).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
ROW_KEYS = ("figure", "goal", "measured", "value", "unit", "peer", "peer_value", "ratio", "runs",
            "stat", "command", "met")  # fmt: skip


def quick() -> bool:
    """True for a smoke run (`BENCH_QUICK=1`, `make bench-quick`): few repetitions, small sizes."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def command() -> str:
    """The command line that reproduces this script's figures."""
    args = " ".join(sys.argv[1:])
    prefix = "BENCH_QUICK=1 " if quick() else ""
    return f"{prefix}.venv/bin/python benchmarks/{Path(sys.argv[0]).name} {args}".rstrip()


def median_time(fn: Callable[[], Any], runs: int) -> float:
    """Median wall time in seconds of `runs` calls of fn."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(ours: Callable[[], Any], peer: Callable[[], Any], runs: int,
                   peer_runs: int | None = None) -> tuple[float, float]:  # fmt: skip
    """Median times of two functions, in alternate rounds so machine load hits both alike.

    In each round a function is called once untimed and then timed, so no timed call pays for
    the memory the other function just freed.
    """
    a: list[float] = []
    b: list[float] = []
    for i in range(max(runs, peer_runs or runs)):
        for fn, times, n in ((ours, a, runs), (peer, b, peer_runs or runs)):
            if i < n:
                fn()
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def row(figure: str, goal: str, measured: str, value: float, unit: str, *, runs: int,
        peer: str | None = None, peer_value: float | None = None, ratio: float | None = None,
        met: bool | None = None, stat: str = "median") -> dict[str, Any]:  # fmt: skip
    """One result row of the benchmark contract."""
    return {"figure": figure, "goal": goal, "measured": measured, "value": float(value),
            "unit": unit, "peer": peer, "peer_value": None if peer_value is None else float(peer_value),
            "ratio": None if ratio is None else float(ratio), "runs": int(runs), "stat": stat,
            "command": command(), "met": met}  # fmt: skip


def write_rows(stem: str, rows: list[dict[str, Any]]) -> Path:
    """Write one script's rows to benchmarks/out/<stem>.json and return the path."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{stem}.json"
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(OUT.parent.parent)}")
    return path
