"""Benchmark: parse a json-stat2 response at SCB's per-call cell limit (150,000 cells).

Compares etl.parse.jsonstat (vectorised index arithmetic) with pxwebpy's `unpack_table_data`
(itertools.product + one dict per cell) followed by a DataFrame. Prints figures; never fails.
Run: make bench  (or .venv/bin/python benchmarks/bench_parse.py)
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc

import pandas as pd

from etl.demo import synthetic
from etl.parse import jsonstat

try:
    from pxweb._internal.functions import unpack_table_data
except ImportError:  # pxwebpy is a test extra
    unpack_table_data = None


def _doc(cells: int = 150_000) -> dict:
    meta = synthetic.scb_metadata("TAB3200")
    regions = list(meta["dimension"]["Region"]["category"]["index"])
    selection = {
        "Region": regions[:198], "Kon": ["1", "2", "1+2"], "Alder": ["20-64", "20-65", "20-66"],
        "Fodelseregion": ["tot", "in", "ut"], "ContentsCode": ["000002NS", "000002NT", "000002NU",
        "000002NN", "000002NM", "000002NL", "000002NK"], "Tid": ["2020", "2021", "2022", "2023"],
    }  # fmt: skip
    doc = synthetic.scb_dataset(meta, selection)
    return json.loads(json.dumps(doc))  # plain JSON types, as off the wire


def _time(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    """Print median time and peak memory per parser."""
    doc = _doc()
    n = len(doc["value"])
    ours, ours_mb = _time(lambda: jsonstat.parse(doc))
    print(f"cells: {n:,}")
    print(f"etl.parse.jsonstat   median {ours * 1000:8.1f} ms   peak {ours_mb:7.1f} MiB")
    if unpack_table_data is not None:
        theirs, theirs_mb = _time(
            lambda: pd.DataFrame(unpack_table_data(doc, show="code")), repeat=3
        )
        print(f"pxwebpy unpack + df  median {theirs * 1000:8.1f} ms   peak {theirs_mb:7.1f} MiB")
        print(f"speed-up: {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
