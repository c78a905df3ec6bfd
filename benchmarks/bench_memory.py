"""Peak resident memory (RSS) of `labourdash refresh`, `rebuild` and `demo`, each in a child process.

The peak is the child's `ru_maxrss` (resource.getrusage(RUSAGE_CHILDREN) read in a fresh wrapper
process per command, so one command's peak never hides another's). The refresh runs against the
local stand-in; rebuild and demo are offline. DuckDB runs with LABOURDASH_DUCKDB_MEMORY_LIMIT /
LABOURDASH_DUCKDB_THREADS as set (defaults 512MB / 2).

Prints figures and writes benchmarks/out/bench_memory.json.

    .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchlib import row, write_rows  # noqa: E402
from tests.standin import StandIn  # noqa: E402

GIB = 2**30
WRAPPER = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'rc': r.returncode, 'wall': time.perf_counter() - t,\n"
    "                  'maxrss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,\n"
    "                  'tail': (r.stderr or r.stdout)[-300:]}))\n"
)


def peak(args: list[str], env: dict[str, str]) -> dict:
    """Run one command in a wrapper process; its exit code, wall time and peak RSS in bytes."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["bytes"] = result["maxrss_kib"] * 1024
    return result


def main() -> None:
    """Measure the three commands and write the rows."""
    cli = str(ROOT / ".venv" / "bin" / "labourdash")
    recorded = ROOT.parent / "shared" / "recorded"
    rows = []
    with StandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
        env = {**os.environ, "LABOURDASH_DB": str(Path(tmp) / "data" / "labour.duckdb"),
               "LABOURDASH_SCB_URL": standin.scb_url, "LABOURDASH_KOLADA_URL": standin.kolada_url,
               "LABOURDASH_GEODATA_URL": standin.geodata_url, "LABOURDASH_LOG_LEVEL": "WARNING"}  # fmt: skip
        demo_env = {**env, "LABOURDASH_DB": str(Path(tmp) / "demo" / "labour.duckdb")}
        demo_args = [cli, "demo", *(["--recorded", str(recorded)] if recorded.is_dir() else [])]
        for name, args, e in (("refresh", [cli, "refresh"], env), ("rebuild", [cli, "rebuild"], env),
                              ("demo", demo_args, demo_env)):  # fmt: skip
            start = time.perf_counter()
            got = peak(args, e)
            gib = got["bytes"] / GIB
            status = "ok" if got["rc"] in (0, 4) else f"exit {got['rc']}: {got['tail']!r}"
            print(f"peak RSS {name:8s} {gib:5.2f} GiB  wall {time.perf_counter() - start:6.1f} s  "
                  f"{status}")  # fmt: skip
            rows.append(row(f"peak RSS, labourdash {name}", "< 1 GiB", f"{gib:.2f} GiB", gib,
                            "GiB", runs=1, stat="peak (ru_maxrss)",
                            met=gib < 1 and got["rc"] in (0, 4)))  # fmt: skip
    limit = os.environ.get("LABOURDASH_DUCKDB_MEMORY_LIMIT", "512MB")
    threads = os.environ.get("LABOURDASH_DUCKDB_THREADS", "2")
    print(f"DuckDB memory_limit {limit}, threads {threads}; cores {os.cpu_count()}")
    write_rows("bench_memory", rows)


if __name__ == "__main__":
    main()
