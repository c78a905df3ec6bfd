"""The dashboard benchmarks' shared bits: quick mode, percentiles and the contract's JSON rows.

Every `bench_*.py` writes `benchmarks/out/<script-stem>.json`, a list of rows
{figure, goal, measured, value, unit, peer, peer_value, ratio, runs, stat, command, met}
(the contract with the ETL benchmarks; `benchmarks/report.py` turns them into RESULTS.md).
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import benchlib  # noqa: E402
from benchmarks.benchlib import OUT, command, quick, write_rows  # noqa: E402, F401  (the scripts call them here)


def pct(values: list[float], q: float) -> float:
    """Percentile q (0..100) by linear interpolation; the value itself for one sample."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[min(99, max(1, round(q))) - 1]


def row(figure: str, goal: str, value: float, unit: str, *, runs: int, stat: str = "median",
        measured: str | None = None, peer: str | None = None, peer_value: float | None = None,
        ratio: float | None = None, met: bool | None = None) -> dict[str, Any]:  # fmt: skip
    """One row of the benchmark contract (`measured` defaults to value and unit)."""
    shown = measured if measured is not None else f"{value:,.1f} {unit}"
    return benchlib.row(figure, goal, shown, value, unit, runs=runs, stat=stat, peer=peer,
                        peer_value=peer_value, ratio=ratio, met=met)  # fmt: skip


def warehouse() -> Path:
    """LABOURDASH_DB, else data/labour.duckdb, else a demo warehouse built into a temporary folder."""
    root = Path(__file__).resolve().parent.parent
    path = Path(os.environ.get("LABOURDASH_DB") or root / "data" / "labour.duckdb")
    if path.exists():
        return path
    import tempfile

    sys.path.insert(0, str(root))
    from etl.demo.demo import build_demo

    path = Path(tempfile.mkdtemp(prefix="labourdash-bench-")) / "labour.duckdb"
    recorded = root.parent / "shared" / "recorded"
    print(f"no warehouse: building the demo warehouse at {path} ...", flush=True)
    build_demo(path, recorded if recorded.is_dir() else None)
    return path
