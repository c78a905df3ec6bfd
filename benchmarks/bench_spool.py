"""Peak RSS with a large stand-in answer: the fetch into the archive, and a whole refresh.

The stand-in's `huge` fault answers `/tables/TAB3200/data` with a chunked (no Content-Length) JSON
body of N MB (`{"pad": "xxx…"}`). Two figures per size, each in a fresh child process
(`ru_maxrss`):
- fetch + archive: HttpFetcher.get of that URL (no JSON check) and TableWriter.add of the body;
- refresh: `labourdash refresh` of a small catalogue (TAB3200 and two KPIs) from an empty data
  folder; TAB3200 fails its checks (the answer is no json-stat2), the rest is built.
`--src DIR` runs the children on another checkout's `etl` (e.g. the commit before streaming), so
before and after come from the same stand-in and the same script.

    .venv/bin/python benchmarks/bench_spool.py [--sizes 0,50,200] [--src DIR]
"""

from __future__ import annotations

import argparse
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

MIB = 2**20
WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'rc': r.returncode, 'tail': (r.stderr or r.stdout)[-300:],\n"
    "                  'maxrss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
)
FETCH = """
import inspect, sys
from pathlib import Path
from etl.archive import Archive, Provenance
from etl.sources.http import HttpFetcher
url, data = sys.argv[1], Path(sys.argv[2])
kw = {"timeout": 600, "retries": 0}
if "spool_dir" in inspect.signature(HttpFetcher).parameters:
    kw["spool_dir"] = data / "raw" / ".tmp"
with HttpFetcher(**kw) as fetcher:
    result = fetcher.request("GET", url, expect_json=False)
writer = Archive(data / "raw").table_writer("20261206T000000000000Z", "scb", "TAB3200")
body = getattr(result, "body", None) or result.content
writer.add(body, Provenance("scb", "TAB3200", "data", "jsonstat2", url, "2026-12-06T00:00:00Z"))
"""
REFRESH = """
import sys
import pytest
from tests.faults.harness import small_catalogue
from etl.cli import app
small_catalogue(pytest.MonkeyPatch())
sys.argv = ["labourdash", "refresh"]
app()
"""


def peak(code: str, args: list[str], env: dict[str, str], src: Path) -> dict:
    """Run `python -c code args` in a wrapper; its exit code, wall time and peak RSS in MiB."""
    start = time.perf_counter()
    child = [sys.executable, "-c", code, *args]
    out = subprocess.run([sys.executable, "-c", WRAPPER, *child], env=env, cwd=src,
                         capture_output=True, text=True, check=True)  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["mib"] = result["maxrss_kib"] / 1024
    result["wall"] = time.perf_counter() - start
    return result


def main() -> None:
    """Measure both figures for each size and print them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,50,200", help="answer sizes in MB (0: no fault)")
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout whose etl the child uses")
    opts = parser.parse_args()
    src = opts.src.resolve()
    label = "this checkout" if src == ROOT else str(src)
    rows = []
    with StandIn() as standin:
        standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
        for mb in (int(s) for s in opts.sizes.split(",")):
            standin.reset()
            standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
            if mb:
                standin.fault(r"/tables/TAB3200/data", "huge", times=None, size=mb * MIB)
            for figure in ("fetch + archive", "refresh"):
                if figure == "fetch + archive" and not mb:
                    continue
                with tempfile.TemporaryDirectory() as tmp:
                    data = Path(tmp) / "data"
                    env = {**os.environ, "PYTHONPATH": str(src),
                           "LABOURDASH_DB": str(data / "labour.duckdb"),
                           "LABOURDASH_SCB_URL": standin.scb_url,
                           "LABOURDASH_KOLADA_URL": standin.kolada_url,
                           "LABOURDASH_GEODATA_URL": standin.geodata_url,
                           "LABOURDASH_HTTP_TIMEOUT": "600", "LABOURDASH_HTTP_RETRIES": "0",
                           "LABOURDASH_LOG_LEVEL": "WARNING"}  # fmt: skip
                    if figure == "refresh":
                        got = peak(REFRESH, [], env, src)
                        ok = got["rc"] in (0, 4)
                    else:
                        data.mkdir()
                        url = standin.scb_url + "/tables/TAB3200/data?lang=sv"
                        got = peak(FETCH, [url, str(data)], env, src)
                        ok = got["rc"] == 0
                status = "ok" if ok else f"exit {got['rc']}: {got['tail']!r}"
                print(f"peak RSS {figure:15s} answer {mb:4d} MB: {got['mib']:7.0f} MiB  "
                      f"wall {got['wall']:6.1f} s  {status}  ({label})", flush=True)  # fmt: skip
                rows.append(row(f"peak RSS, {figure}, {mb} MB answer", "flat in the answer size",
                                f"{got['mib']:.0f} MiB", round(got["mib"]), "MiB", runs=1,
                                stat="peak (ru_maxrss)", met=None))  # fmt: skip
    write_rows("bench_spool", rows)


if __name__ == "__main__":
    main()
