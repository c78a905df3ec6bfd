"""Load test: closed-loop users replaying a real browser session against `labourdash serve` (gunicorn).

Each simulated user repeats the four captured user actions of benchmarks/sessions/browser_session.json
(map year change, level change, peer selection, trends with 3 areas; see capture_session.py), each
action's callback requests sent in the browser's order, the next one as soon as the last answer is
in (closed loop, no think time). For every worker count and user count it reports latency p50/p95/p99
per request, requests/s, errors (non-200 or transport errors), server CPU per request (utime+stime of
the gunicorn workers from /proc, before and after the phase) and RSS per worker (VmRSS at the end).

Loopback only (127.0.0.1); every phase is bounded in time (--seconds) and in requests (--max-requests).
The load generator runs on the same 2 cores as the server: its own CPU is printed beside the figures.

Run: .venv/bin/python benchmarks/bench_serve.py [--users 10,50,100] [--workers 2,3] [--seconds 30]
     [--threads 1,4] [--view-cache 256]   (BENCH_QUICK=1: 10 and 50 users, 2 workers, 6 s)
The server is `labourdash serve` as configured (LABOURDASH_WORKERS/LABOURDASH_THREADS: threaded
gthread workers with keep-alive by default); --threads 1 measures sync workers beside it.
Uses LABOURDASH_DB (else data/labour.duckdb, else a demo warehouse it builds).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import dashrows  # noqa: E402

SESSION = ROOT / "benchmarks" / "sessions" / "browser_session.json"
TICK = os.sysconf("SC_CLK_TCK")
GOAL_P95_MS, GOAL_CPU_MS = 300.0, 5.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """The gunicorn workers: processes whose parent is the master."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _serve(db: Path, workers: int, port: int, view_cache: int | None,
           threads: int | None = None) -> subprocess.Popen:  # fmt: skip
    env = {**os.environ, "LABOURDASH_DB": str(db)}
    if view_cache is not None:
        env["LABOURDASH_VIEW_CACHE"] = str(view_cache)
    cmd = [sys.executable, "-m", "etl.cli", "serve", "--port", str(port), "--workers", str(workers)]
    cmd += [] if threads is None else ["--threads", str(threads)]  # None: as `labourdash serve`
    server = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    else:
        server.terminate()
        raise SystemExit("the server did not answer within 5 minutes")
    while len(_children(server.pid)) < workers:
        time.sleep(0.2)
    return server


def _actions() -> list[tuple[str, list[dict]]]:
    doc = json.loads(SESSION.read_text("utf-8"))
    return list(doc["actions"].items())


def preflight(base: str, actions) -> None:
    """Send every captured request once: a non-200 means the callbacks changed since the capture."""
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, requests in actions:
            for req in requests:
                resp = client.post(req["path"], json=req["body"])
                if resp.status_code != 200:
                    raise SystemExit(
                        f"{name}: {resp.status_code} {resp.text[:120]!r} for output "
                        f"{str(req['body'].get('output'))[:60]!r}: the callbacks changed since "
                        "the session was captured; re-run benchmarks/capture_session.py"
                    )


def phase(base: str, users: int, seconds: float, max_requests: int, actions) -> dict:
    """Run `users` closed-loop users for `seconds` (or until max_requests); returns the figures."""
    latencies: list[float] = []
    errors = [0]
    sent = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(k: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            i = k
            while time.monotonic() < stop_at:
                _, requests = actions[i % len(actions)]
                i += 1
                for req in requests:
                    with lock:
                        if sent[0] >= max_requests:
                            return
                        sent[0] += 1
                    t0 = time.perf_counter()
                    try:
                        ok = client.post(req["path"], json=req["body"]).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    dt = time.perf_counter() - t0
                    with lock:
                        latencies.append(dt * 1000)
                        errors[0] += not ok
                    if time.monotonic() >= stop_at:
                        return

    threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(users)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    elapsed = time.perf_counter() - start
    return {"n": len(latencies), "errors": errors[0], "elapsed": elapsed,
            "p50": dashrows.pct(latencies, 50), "p95": dashrows.pct(latencies, 95),
            "p99": dashrows.pct(latencies, 99), "rps": len(latencies) / elapsed}  # fmt: skip


def main() -> None:
    """Serve, load, print, write the rows."""
    quick = dashrows.quick()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", default="10,50" if quick else "10,50,100")
    ap.add_argument("--workers", default="2" if quick else "2,3")
    ap.add_argument("--seconds", type=float, default=6.0 if quick else 30.0)
    ap.add_argument(
        "--threads",
        default=None,
        help="threads per worker to compare, e.g. 1,4 (default: as `labourdash serve`)",
    )
    ap.add_argument("--max-requests", type=int, default=100_000, help="per phase")
    ap.add_argument("--view-cache", type=int, default=None,
                    help="LABOURDASH_VIEW_CACHE for the server (0: rendered-view cache off)")  # fmt: skip
    args = ap.parse_args()
    db = dashrows.warehouse()
    actions = _actions()
    per_action = {name: len(reqs) for name, reqs in actions}
    cache_note = "" if args.view_cache is None else f", LABOURDASH_VIEW_CACHE={args.view_cache}"
    print(f"warehouse {db}; actions {per_action}; {os.cpu_count()} cores{cache_note}")
    rows = []
    from etl.settings import get_settings

    served = get_settings().serve_threads
    configs = [(int(w), None if args.threads is None else int(t))
               for w in args.workers.split(",") for t in (args.threads or "0").split(",")]  # fmt: skip
    for workers, threads in configs:
        port = _port()
        server = _serve(db, workers, port, args.view_cache, threads)
        base = f"http://127.0.0.1:{port}"
        shown = served if threads is None else threads
        kind = "sync workers" if shown <= 1 else f"workers x {shown} threads"
        try:
            pids = _children(server.pid)
            preflight(base, actions)
            phase(base, workers * shown, 3.0, 200, actions)  # every worker imports, opens and warms
            for users in [int(u) for u in args.users.split(",")]:
                cpu0, me0, load0 = _cpu_seconds(pids), time.process_time(), os.getloadavg()[0]
                r = phase(base, users, args.seconds, args.max_requests, actions)
                cpu_ms = (_cpu_seconds(pids) - cpu0) * 1000 / max(r["n"], 1)
                own_s = time.process_time() - me0
                own_ms = own_s * 1000 / max(r["n"], 1)
                load = (load0 + os.getloadavg()[0]) / 2
                rss = [_rss_mib(p) for p in pids]
                print(f"  {workers} {kind}, {users:3d} users: {r['n']:6d} requests in {r['elapsed']:.0f} s, "
                      f"{r['rps']:6.1f} req/s, p50 {r['p50']:6.0f} ms, p95 {r['p95']:6.0f} ms, "
                      f"p99 {r['p99']:6.0f} ms, errors {r['errors']}, server CPU {cpu_ms:5.1f} ms/req "
                      f"({cpu_ms * r['rps'] / 1000:.2f} cores), load generator CPU {own_ms:4.1f} ms/req "
                      f"({own_s / r['elapsed']:.2f} cores), load average {load:.1f}, RSS per worker "
                      f"{', '.join(f'{x:.0f}' for x in rss)} MiB")  # fmt: skip
                label = f"load test, {users} users, {workers} {kind}{cache_note}"
                is50 = users == 50
                rows += [
                    dashrows.row(f"{label}: p95 latency", "p95 < 300 ms at 50 users" if is50 else "",
                                 r["p95"], "ms", runs=r["n"], stat="p95",
                                 measured=f"p50 {r['p50']:.0f} / p95 {r['p95']:.0f} / p99 {r['p99']:.0f} ms",
                                 met=(r["p95"] < GOAL_P95_MS and r["errors"] == 0) if is50 else None),
                    dashrows.row(f"{label}: requests/s", "", r["rps"], "req/s", runs=r["n"], stat="mean"),
                    dashrows.row(f"{label}: errors", "0 errors", r["errors"], "requests",
                                 runs=r["n"], stat="count", met=r["errors"] == 0),
                    dashrows.row(f"{label}: server CPU per request", "< 5 ms per request",
                                 cpu_ms, "ms", runs=r["n"], stat="mean", met=cpu_ms < GOAL_CPU_MS),
                    dashrows.row(f"{label}: RSS per worker", "", max(rss or [0]), "MiB", runs=len(rss),
                                 stat="max", measured=", ".join(f"{x:.0f}" for x in rss) + " MiB"),
                    dashrows.row(f"{label}: load generator CPU (same cores)", "", own_ms, "ms",
                                 runs=r["n"], stat="mean", measured=f"{own_ms:.1f} ms/req, "
                                 f"{own_s / r['elapsed']:.2f} cores; load average {load:.1f}"),
                ]  # fmt: skip
        finally:
            server.terminate()
            server.wait(30)
    stem = Path(__file__).stem + ("" if args.view_cache is None else f"_cache{args.view_cache}")
    dashrows.write_rows(stem, rows)


if __name__ == "__main__":
    main()
