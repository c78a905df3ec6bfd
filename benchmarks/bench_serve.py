"""Benchmark: requests per second of ONE gunicorn worker on loopback (bounded in count and time).

Starts `labourdash serve --workers 1` on the demo warehouse, then sends a fixed number of requests
from a few concurrent clients to 127.0.0.1 only: the page shell (GET /), the layout
(GET /_dash-layout) and the map's render callback with the default view (POST
/_dash-update-component, the heaviest common request). Prints requests/s and latency percentiles
per kind. Nothing is asserted. This is not the performance issue's load test (a user session mixes
many callbacks); it gives the order of magnitude for docs/scaling.md.

Run: .venv/bin/python benchmarks/bench_serve.py [--requests 200] [--clients 4] [--max-seconds 120]
Uses LABOURDASH_DB when set, else builds the demo warehouse in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _map_body(db: Path) -> dict:
    from dashboard import ids
    from dashboard.app import create_app

    app = create_app(db)
    app.server.test_client().get("/")
    output, cb = next(
        (k, c) for k, c in app.callback_map.items() if k.startswith(f"..{ids.MAP_GRAPH}.figure")
    )
    deps = [*cb["inputs"], *cb["state"]]
    values = ["sv" if d["id"] == ids.MAP_LANG else None for d in deps]
    items = [
        {"id": d["id"], "property": d["property"], "value": v}
        for d, v in zip(deps, values, strict=True)
    ]
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in output.strip(".").split("...")
    ]
    n = len(cb["inputs"])
    return {"output": output, "outputs": outputs, "inputs": items[:n], "state": items[n:],
            "changedPropIds": [f"{items[0]['id']}.{items[0]['property']}"]}  # fmt: skip


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200, help="requests per kind")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--max-seconds", type=float, default=120.0, help="stop a kind after this long")
    args = ap.parse_args()
    db = Path(os.environ["LABOURDASH_DB"]) if os.environ.get("LABOURDASH_DB") else None
    if db is None:
        from etl.demo.demo import build_demo

        db = Path(tempfile.mkdtemp(prefix="bench-serve-")) / "labour.duckdb"
        recorded = ROOT.parent / "shared" / "recorded"
        build_demo(db, recorded if recorded.exists() else None)
    body = _map_body(db)
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--port", str(port), "--workers", "1"],
        env={**os.environ, "LABOURDASH_DB": str(db)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        kinds = {
            "GET /": lambda c: c.get(base + "/"),
            "GET /_dash-layout": lambda c: c.get(base + "/_dash-layout"),
            "POST map render": lambda c: c.post(base + "/_dash-update-component", json=body),
        }
        print(
            f"one gunicorn worker, {args.clients} concurrent clients, {args.requests} requests per kind"
        )
        with httpx.Client(timeout=60) as warm:
            for send in kinds.values():
                send(warm)  # warm the worker's caches once
        for name, send in kinds.items():
            latencies: list[float] = []
            failures = 0
            stop_at = time.monotonic() + args.max_seconds

            def one(_: int, send=send, stop_at=stop_at, latencies=latencies) -> None:
                nonlocal failures
                if time.monotonic() > stop_at:
                    return
                with httpx.Client(timeout=60) as client:
                    t0 = time.perf_counter()
                    ok = send(client).status_code == 200
                    latencies.append(time.perf_counter() - t0)
                    failures += not ok

            start = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(one, range(args.requests)))
            elapsed = time.perf_counter() - start
            q = statistics.quantiles(latencies, n=20)
            print(f"  {name:18} {len(latencies) / elapsed:7.1f} req/s   p50 {statistics.median(latencies) * 1000:6.0f} ms"
                  f"   p95 {q[18] * 1000:6.0f} ms   non-200: {failures}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
