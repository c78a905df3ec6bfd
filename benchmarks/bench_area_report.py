"""Benchmark: the area profile and its PDF report on a demo warehouse. Prints figures; never fails.

For Botkyrka (municipality), Stockholm county and a LUA district: the profile's render (median of
3), the PDF's first render (headless Chromium, fresh cache) and a cached request; then the planner's
table as PDF for Stockholm county and an LA region (first render and cached).
Run: .venv/bin/python benchmarks/bench_area_report.py [warehouse]  (default: data/labour.duckdb)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from etl.settings import PROJECT_ROOT


def main() -> None:
    """Print the timings."""
    path = sys.argv[1] if len(sys.argv) > 1 else str(PROJECT_ROOT / "data" / "labour.duckdb")
    os.environ["LABOURDASH_REPORT_CACHE"] = tempfile.mkdtemp(prefix="bench-area-")
    from dashboard.app import create_app
    from dashboard.views.area import render, state

    app = create_app(path)
    client = app.server.test_client()
    for code in ("0127", "01", "lua_alby"):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            render.profile(state.AreaState(area=code), "sv")
            runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        first = client.get(f"/area/report.pdf?area={code}&lang=sv")
        pdf_s = time.perf_counter() - start
        start = time.perf_counter()
        client.get(f"/area/report.pdf?area={code}&lang=sv")
        cached_s = time.perf_counter() - start
        print(f"area {code:9s} profile {statistics.median(runs):5.2f} s  pdf {pdf_s:5.2f} s "
              f"({first.status_code}, {len(first.data) // 1024} KiB)  cached {cached_s * 1000:5.1f} ms")  # fmt: skip
    for code in ("01", "LA2401"):
        start = time.perf_counter()
        first = client.get(f"/area/planner.pdf?area={code}&lang=sv")
        pdf_s = time.perf_counter() - start
        start = time.perf_counter()
        client.get(f"/area/planner.pdf?area={code}&lang=sv")
        cached_s = time.perf_counter() - start
        print(f"planner {code:7s} pdf {pdf_s:5.2f} s ({first.status_code}, "
              f"{len(first.data) // 1024} KiB)  cached {cached_s * 1000:5.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
