"""Benchmark: the LUA districts — build step time and the /lua page's callback times and payloads.

Builds the demo warehouse (etl.demo.demo.build_demo) in a temporary folder unless LABOURDASH_DB is set,
prints the build's `regso_sets` step time (RegSO sets: members, direct and derived sums, the county
without the districts) and the rendering time of the LUA page's callback (cold = query cache
emptied, warm = same call again) with its JSON size, for each indicator and sex. Nothing is asserted.

Run: make bench, or .venv/bin/python benchmarks/bench_lua.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    """Print the figures."""
    from plotly.io.json import to_json_plotly

    db_env = os.environ.get("LABOURDASH_DB")
    if db_env:
        path = Path(db_env)
    else:
        from etl.demo.demo import build_demo

        tmp = Path(tempfile.mkdtemp(prefix="bench-lua-"))
        path = tmp / "labour.duckdb"
        start = time.perf_counter()
        report = build_demo(path, ROOT.parent / "shared" / "recorded")
        print(f"demo build {time.perf_counter() - start:.1f} s; "
              f"regso_sets step {report['timings_s']['regso_sets']:.2f} s; "
              f"set rows {report['observations']['regso_set_rows']}, "
              f"rows from counts {report['observations']['from_counts']}")  # fmt: skip
    from dashboard.core import db, queries

    db.configure(path)
    from dashboard.app import create_app

    create_app(path)
    from dashboard.views.lua import page as lua
    from dashboard.views.lua.state import indicators

    cat = queries.catalogue()
    print(f"{'indicator':30} {'sex':6} {'cold ms':>8} {'warm ms':>8} {'JSON kB':>8}")
    for ind in indicators(cat, "rank", "lua_alby"):
        for sex in ("total", "women"):
            timings = []
            for cold in (True, False):
                if cold:
                    queries._results.clear()
                start = time.perf_counter()
                out = lua.render_lua("rank", ind, sex, "total", "lua_alby", 2024, "en")
                payload = json.dumps(out, default=lambda o: json.loads(to_json_plotly(o)))
                timings.append(1000 * (time.perf_counter() - start))
            print(
                f"{ind:30} {sex:6} {timings[0]:8.0f} {timings[1]:8.0f} {len(payload) / 1024:8.0f}"
            )


if __name__ == "__main__":
    main()
