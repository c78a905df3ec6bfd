"""Refresh scaling: a full refresh at 1x, 4x and 16x the municipalities against the stand-in.

The stand-in's test-double area multiplier (tests/standin/scale.py) serves synthetic copies of
every municipality (coded and named as the demo scale names them; a copy's cells are its
municipality's), from a process of its own like a real API; each refresh reads a reference
folder scaled by the same multiplier (etl.demo.scale.write_reference) so the build knows the copies. To keep 16x within minutes,
every point uses the same declared subset: the SCB tables SUBSET_TABLES (the others withdrawn at
the stand-in, so their units fail and the run is partial), the Kolada KPIs SUBSET_KPIS (the
others retired) and the years YEARS. SCB's limits are shrunk by a bench knob (--window, default
1 s instead of 10 s; reported as such). Each multiplier runs in a fresh child process, so its
peak RSS (ru_maxrss) is the refresh's own (the stand-in's is not counted).

Rows per multiplier: wall time, SCB calls and the rate-limit bound, build time, peak RSS, and
the cost per area against 1x (goal: no worse than linear, ratio <= 1). Figures only.

    .venv/bin/python benchmarks/bench_scaling_refresh.py [--multipliers 1,4,16] [--window 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchlib import quick, row, write_rows  # noqa: E402

SUBSET_TABLES = ("TAB3200", "TAB6383")  # the id TAB3200 serves TAB3200 and TAB3200_AGE
SUBSET_KPIS = ("N02267", "N02268")
YEARS = (2020, 2024)
MODULE = "benchmarks.bench_scaling_refresh"
GIB = 2**30


def _serve(multiplier: int, window: float, calls: int) -> None:
    """The stand-in in its own process (its generator at 1x; copies by the multiplier).

    Prints its URLs as one JSON line, serves until stdin closes, then prints the call counts.
    """
    from etl import seeds
    from tests.standin import StandIn
    from tests.standin.data import kolada_kpi_catalogue, scb_tables

    with StandIn() as standin:
        standin.set_years(YEARS)  # generated tables: only YEARS
        standin.set_area_multiplier(multiplier)
        standin.set_scb_limits(max_cells=150_000, max_calls=calls, window=window)
        for table_id in scb_tables(standin.state.shared_dir):
            if table_id not in SUBSET_TABLES:
                standin.withdraw(table_id, 404)
        listed = {k["id"] for k in kolada_kpi_catalogue()}
        for kpi in seeds.kolada_kpis():
            if kpi not in SUBSET_KPIS and kpi in listed:
                standin.retire_kpi(kpi)
        print(json.dumps({"LABOURDASH_SCB_URL": standin.scb_url,
                          "LABOURDASH_KOLADA_URL": standin.kolada_url,
                          "LABOURDASH_GEODATA_URL": standin.geodata_url}), flush=True)  # fmt: skip
        sys.stdin.read()
        scb = standin.requests("scb")
        print(json.dumps({"calls": len(scb), "refused": sum(1 for r in scb if r.status == 429),
                          "kolada_calls": len(standin.requests("kolada"))}), flush=True)  # fmt: skip


def _child(multiplier: int) -> dict:
    """One full refresh at `multiplier` in this process (URLs from the environment); its figures."""
    from etl.demo.scale import using_reference, write_reference
    from etl.pipeline import refresh
    from etl.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        reference = Settings().reference_dir
        if multiplier > 1:
            reference = write_reference(reference, Path(tmp) / "reference", multiplier)
        os.environ["LABOURDASH_DB"] = str(Path(tmp) / "labour.duckdb")
        start = time.perf_counter()
        with using_reference(reference):
            report = refresh(Settings())
        wall = time.perf_counter() - start
        return {
            "wall": wall, "build": sum((report.get("timings_s") or {}).values()),
            "timings": report.get("timings_s") or {}, "status": report["status"],
            "observations": (report.get("rows") or {}).get("mart.observation"),
            "fetched": sorted(c["table_key"] for c in report["changes"] if c["action"] == "fetched"),
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }  # fmt: skip


def _measure(mult: int, args: argparse.Namespace, env: dict[str, str]) -> dict | None:
    """Start the stand-in process, refresh against it in a child process, collect both sides."""
    knobs = ["--window", str(args.window), "--calls", str(args.calls)]
    server = subprocess.Popen([sys.executable, "-m", MODULE, "--serve", str(mult), *knobs],
                              cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    try:
        urls = json.loads(server.stdout.readline())
        out = subprocess.run([sys.executable, "-m", MODULE, "--child", str(mult), *knobs],
                             cwd=ROOT, env={**env, **urls}, capture_output=True, text=True)  # fmt: skip
        counts, _ = server.communicate("", timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    if out.returncode != 0:
        print(f"{mult}x failed: {(out.stderr or out.stdout)[-400:]}")
        return None
    return {**json.loads(out.stdout.strip().splitlines()[-1]),
            **json.loads(counts.strip().splitlines()[-1])}  # fmt: skip


def main() -> None:
    """Refresh at each multiplier in a child process, print the figures and write the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multipliers", default="1,4" if quick() else "1,4,16")
    parser.add_argument("--window", type=float, default=1.0)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.window, args.calls)
        return
    if args.child:
        print(json.dumps(_child(args.child)))
        return
    env = {**os.environ, "LABOURDASH_LOG_LEVEL": "ERROR"}
    limit = f"{args.calls} calls / {args.window:g} s" + (
        " (SCB's real limit)" if (args.calls, args.window) == (30, 10) else " (bench knob)"
    )
    subset = (f"subset: SCB {', '.join(SUBSET_TABLES)}, Kolada {', '.join(SUBSET_KPIS)}, "
              f"{YEARS[0]}-{YEARS[1]}")  # fmt: skip
    rows, base = [], None
    for mult in [int(m) for m in args.multipliers.split(",")]:
        got = _measure(mult, args, env)
        if got is None:
            continue
        bound = math.ceil(got["calls"] / args.calls) * args.window
        gib = got["maxrss"] / GIB
        top = sorted(got["timings"].items(), key=lambda kv: -kv[1])[:3]
        print(f"{mult}x: refresh {got['wall']:.1f} s ({got['status']}), SCB calls {got['calls']} "
              f"({got['refused']} answered 429), Kolada calls {got['kolada_calls']}, bound "
              f"{bound:.0f} s, build {got['build']:.1f} s ({', '.join(f'{k} {v:.1f}' for k, v in top)}), "
              f"{got['observations']} observations, peak RSS {gib:.2f} GiB; fetched {got['fetched']}")  # fmt: skip
        base = base or (mult, got["wall"])
        ratio = (got["wall"] / base[1]) / (mult / base[0])
        rows.append(row(
            f"refresh at {mult}x municipalities ({subset}; {got['calls']} SCB calls at {limit}, "
            f"bound {bound:.0f} s; build {got['build']:.0f} s; peak RSS {gib:.2f} GiB)",
            "cost per area no worse than 1x (ratio <= 1)", f"{got['wall']:.1f} s", got["wall"], "s",
            runs=1, stat="single run", peer=f"{base[0]}x refresh {base[1]:.1f} s",
            peer_value=base[1], ratio=ratio, met=ratio <= 1.0,
        ))  # fmt: skip
    print(f"cores: {os.cpu_count()}")
    write_rows("bench_scaling_refresh", rows)


if __name__ == "__main__":
    main()
