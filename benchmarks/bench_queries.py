"""Benchmark: what the dashboard's hot queries read (EXPLAIN ANALYZE), and the catalogue load time.

Captures the SQL the real query functions send (queries.observations for trends with 4 areas,
queries.pivot for the municipality map and a peer set, the catalogue load) and runs each under
EXPLAIN ANALYZE on the warehouse: rows the table scan reads, row groups scanned, rows returned,
median milliseconds. With `--before OLD.duckdb` (a warehouse built without the sort order and the
precomputed tables), the same functions are measured on it too and the ratio is reported.

Run: .venv/bin/python benchmarks/bench_queries.py [--before OLD.duckdb] [--runs 7]
Uses LABOURDASH_DB (else data/labour.duckdb, else a demo warehouse it builds) as the warehouse measured.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import dashrows  # noqa: E402

SCAN = re.compile(r"(?:Table Scan|TABLE_SCAN|SEQ_SCAN)(.*?)╰", re.S)
ROWS = re.compile(r"│\s*([\d,]+) rows")
GROUPS = re.compile(r"Row Groups Scanned:\s*(\d+)\s*/\s*(\d+)")


def captured(call: Callable[[], object]) -> list[tuple[str, object]]:
    """The (sql, params) pairs a dashboard query function sends to DuckDB."""
    from dashboard.core import db, queries

    sent: list[tuple[str, object]] = []
    real = db.query

    def spy(sql, params=None):
        sent.append((sql, params))
        return real(sql, params)

    db.query = spy
    with queries._cache_lock:
        queries._results.clear()
    try:
        call()
    finally:
        db.query = real
    return sent


def explain(sql: str, params: object, runs: int) -> dict[str, float]:
    """Rows scanned, row groups scanned, rows out and median ms of one statement."""
    from dashboard.core import db

    cur = db._cursor()
    text = cur.execute("EXPLAIN ANALYZE " + sql, params or {}).fetchall()[0][1]
    scanned = groups = total_groups = 0
    for box in SCAN.findall(text):
        rows = ROWS.findall(box)
        scanned += int(rows[-1].replace(",", "")) if rows else 0
        g = GROUPS.search(box)
        if g:
            groups += int(g.group(1))
            total_groups += int(g.group(2))
    times, out = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        out = len(cur.execute(sql, params or {}).fetchall())
        times.append((time.perf_counter() - start) * 1000)
    return {"scanned": scanned, "groups": groups, "total_groups": total_groups, "out": out,
            "ms": statistics.median(times)}  # fmt: skip


def measure(path: Path, runs: int) -> dict[str, dict[str, float]]:
    """Every hot query of the dashboard on one warehouse."""
    from dashboard.core import db, queries, readpaths
    from dashboard.core.gaps import GAPS

    db.configure(path)
    readpaths._layout.clear()
    queries._catalogue = None
    cat_ms = []
    for _ in range(runs):
        queries._catalogue = None
        start = time.perf_counter()
        cat = queries.catalogue()
        cat_ms.append((time.perf_counter() - start) * 1000)
    gap = GAPS["fw_sw"]
    m = "1280"
    areas = [m, str(cat.areas.at[m, "county_code"]), str(cat.areas.at[m, "la_code"]), "00"]
    year = cat.years_for("employment_rate", "20-64")[-2]
    peers = queries.peer_codes("county", m)
    calls = {
        "trends 4 areas": lambda: queries.observations(
            "employment_rate", "20-64", area_codes=areas, groups=[gap.a, gap.b]
        ),
        "map municipality, 1 year": lambda: queries.pivot(
            "employment_rate", "20-64", [gap.a, gap.b], level="municipality", years=[year]
        ),
        "peers (county set), 2 years": lambda: queries.pivot(
            "employment_rate", "20-64", [gap.a, gap.b], area_codes=peers, years=[year - 4, year]
        ),
    }
    out = {"catalogue load": {"ms": statistics.median(cat_ms), "scanned": 0, "out": 0}}
    for name, call in calls.items():
        sent = captured(call)
        sql, params = sent[-1]
        out[name] = explain(sql, params, runs)
    return out


def main() -> None:
    """Measure, print, write the rows."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, help="a warehouse built before the change, for ratios")
    ap.add_argument("--runs", type=int, default=3 if dashrows.quick() else 7)
    args = ap.parse_args()
    path = dashrows.warehouse()
    after = measure(path, args.runs)
    before = measure(args.before, args.runs) if args.before else None
    rows = []
    print(f"warehouse {path}" + (f", before: {args.before}" if before else ""))
    for name, a in after.items():
        b = before[name] if before else None
        line = f"  {name:<30} {a['ms']:7.1f} ms"
        if a.get("scanned"):
            line += f"  scan reads {int(a['scanned']):>9,} rows ({int(a['groups'])}/{int(a['total_groups'])} row groups) for {int(a['out']):,}"
        if b:
            line += f"   | before {b['ms']:7.1f} ms"
            if b.get("scanned"):
                line += f", {int(b['scanned']):,} rows read ({int(b['groups'])}/{int(b['total_groups'])} row groups)"
        print(line)
        rows.append(dashrows.row(
            f"{name} query, median ms", "cheap (a few ms)" if name != "catalogue load" else "cheap",
            a["ms"], "ms", runs=args.runs, peer="before (long table, year-sorted)" if b else None,
            peer_value=b["ms"] if b else None, ratio=(a["ms"] / b["ms"]) if b else None))  # fmt: skip
        if a.get("scanned"):
            rows.append(dashrows.row(
                f"{name} query, rows the scan reads", "only the filtered rows' row groups",
                a["scanned"], "rows", runs=1, stat="EXPLAIN ANALYZE",
                measured=f"{int(a['scanned']):,} rows read for {int(a['out']):,} returned",
                peer="before" if b else None, peer_value=b["scanned"] if b else None,
                ratio=(a["scanned"] / b["scanned"]) if b and b["scanned"] else None))  # fmt: skip
    dashrows.write_rows(Path(__file__).stem, rows)


if __name__ == "__main__":
    main()
