"""The build alone, per step, at 1x, 2x and 4x the municipalities: time per step and peak RSS.

A demo archive is generated once per multiplier (`labourdash demo --areas-multiplier N`, with
`--years` if given), then the build is rerun on that archive in a child process, the way
`labourdash rebuild` reruns it, so the figures are the build's own. Each row sets a multiplier's
build time against 1x's: a ratio of time to areas at or below 1.0 means no worse than linear.

`--digest FILE` also writes each mart table's row count and content hash (doubles rounded to 6
places, order-independent), to show a change to the build leaves every mart table identical.

Prints figures and writes benchmarks/out/bench_build.json; never a pass/fail on time.

    .venv/bin/python benchmarks/bench_build.py [--multipliers 1,2,4] [--years 2015-2025]
        [--keep DIR] [--digest digest.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_memory import GIB, peak  # noqa: E402
from benchmarks.benchlib import quick, row, write_rows  # noqa: E402

# mart tables whose rows carry the build's own time or run id: compared by row count only
VOLATILE = {"mart.etl_run", "mart.warehouse_info", "mart.unit_status"}
CHILD = "benchmarks.bench_build"


def digest(db: Path) -> dict[str, list]:
    """Per mart table: [rows, order-independent hash of its rows with doubles rounded]."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    out = {}
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart' ORDER BY 1"
    ).fetchall()
    for (name,) in tables:
        full = f"mart.{name}"
        cols = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'mart' "
            "AND table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        exprs = [f'round("{c}", 6)' if t in ("DOUBLE", "FLOAT") else f'"{c}"' for c, t in cols]
        n = con.execute(f"SELECT count(*) FROM {full}").fetchone()[0]
        if full in VOLATILE:
            out[full] = [n, None]
            continue
        h = con.execute(
            f"SELECT coalesce(sum(hash(row({', '.join(exprs)})) % 1000000007), 0) FROM {full}"
        ).fetchone()[0]
        out[full] = [n, int(h)]
    con.close()
    return out


def _child(archive: str, db: str, multiplier: int, years: str | None, mode: str) -> None:
    """In a fresh process: make the demo archive (mode 'demo') or rebuild from it (mode 'build')."""
    from datetime import UTC, datetime

    from etl import build as build_module
    from etl.archive import Archive, new_run_id
    from etl.build import BuildInfo
    from etl.demo import demo as demo_module
    from etl.demo.demo import build_demo
    from etl.demo.scale import Scale, parse_years, using_reference

    scale = Scale(multiplier, parse_years(years))
    if mode == "demo":  # the archive only: the build is measured on its own below
        recorded = ROOT.parent / "shared" / "recorded"
        demo_module.build = lambda *_a, **_k: {}
        build_demo(Path(db), recorded if recorded.is_dir() else None, scale=scale)
        return
    # the scaled reference folder the demo wrote beside its archive (none at 1x)
    reference = Path(archive).parent / "demo-reference" / f"x{multiplier}"
    with using_reference(reference if multiplier > 1 else None):
        started = datetime.now(UTC)
        cpu: dict[str, float] = {}
        wall_timer = build_module._timed

        @contextmanager
        def timed(timings: dict, step: str, on_step=lambda s: None):  # noqa: ANN001, ANN202
            start = time.process_time()  # this process's CPU (DuckDB's threads included)
            with wall_timer(timings, step, on_step):
                yield
            cpu[step] = round(time.process_time() - start, 3)

        build_module._timed = timed
        info = BuildInfo(new_run_id(started), "rebuild", started)
        report = build_module.build(Archive(Path(archive)), Path(db), info)
    Path(db + ".json").write_text(json.dumps({
        "timings_s": report["timings_s"], "cpu_s": cpu,
        "observations": report["rows"].get("mart.observation")}))  # fmt: skip


def main() -> None:
    """Build at each multiplier, print the step timings and write the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multipliers", default="1,2" if quick() else "1,2,4")
    parser.add_argument("--years", default="2021-2025" if quick() else None)
    parser.add_argument("--keep", type=Path, help="folder to keep the demo archives in (reused)")
    parser.add_argument("--digest", type=Path, help="write mart row counts and hashes (1x) here")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        archive, db, mult, years, mode = args.child
        _child(archive, db, int(mult), None if years == "-" else years, mode)
        return
    env = {**os.environ, "LABOURDASH_LOG_LEVEL": "WARNING"}
    rows, base = [], None
    with tempfile.TemporaryDirectory() as tmp:
        top = args.keep or Path(tmp)
        for mult in [int(m) for m in args.multipliers.split(",")]:
            folder = top / f"x{mult}{'_' + args.years if args.years else ''}"
            demo_db = folder / "labour.duckdb"
            years = args.years or "-"
            if not (folder / "demo-raw").is_dir():
                subprocess.run([sys.executable, "-m", CHILD, "--child", "", str(demo_db), str(mult),
                                years, "demo"], cwd=ROOT, env=env, check=True)  # fmt: skip
            db = folder / "rebuilt.duckdb"
            got = peak([sys.executable, "-m", CHILD, "--child", str(folder / "demo-raw"), str(db),
                        str(mult), years, "build"], env)  # fmt: skip
            if got["rc"] != 0:
                print(f"{mult}x: build failed: {got['tail']}")
                continue
            result = json.loads(Path(str(db) + ".json").read_text())
            steps = result.get("timings_s", {})
            cpu = result.get("cpu_s", {})
            total, cpu_total = sum(steps.values()), sum(cpu.values())
            gib = got["bytes"] / GIB
            top3 = sorted(cpu.items(), key=lambda kv: -kv[1])[:4]
            print(f"{mult}x: build {total:.1f} s wall, {cpu_total:.1f} s CPU (process wall "
                  f"{got['wall']:.1f} s), peak RSS {gib:.2f} GiB, {result.get('observations')} "
                  "observations; steps wall/CPU s: "
                  + ", ".join(f"{k} {v:.1f}/{cpu.get(k, 0):.1f}" for k, v in steps.items()))  # fmt: skip
            if base is None:
                base = (mult, cpu_total)
                if args.digest:
                    args.digest.write_text(json.dumps(digest(db), indent=1) + "\n")
                    print(f"wrote {args.digest}")
            ratio = (cpu_total / base[1]) / (mult / base[0])
            rows.append(row(
                f"build CPU at {mult}x municipalities{' ' + args.years if args.years else ''} "
                f"(wall {total:.0f} s; largest steps CPU: {', '.join(f'{k} {v:.0f} s' for k, v in top3)}; "
                f"peak RSS {gib:.2f} GiB)", "CPU per area no worse than 1x (ratio <= 1), RSS < 1 GiB",
                f"{cpu_total:.1f} s", cpu_total, "s", runs=1, stat="single run",
                peer=f"{base[0]}x build CPU {base[1]:.1f} s", peer_value=base[1], ratio=ratio,
                met=ratio <= 1.0 and gib < 1,
            ))  # fmt: skip
    write_rows("bench_build", rows)


if __name__ == "__main__":
    main()
