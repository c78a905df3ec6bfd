"""The real `labourdash serve` on loopback: every worker complete from its first request (one CSP,
every script 200, after a recycle too), /_ready, and hostile clients bounded (chunked body cap,
long request line, slowloris header trickle, control characters in the logs). Every wait has a
generous deadline; nothing is timed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from etl.settings import PROJECT_ROOT

BURST = 24  # concurrent requests in the first burst


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A `labourdash serve` process, its address and its log file."""

    def __init__(self, db: Path, log: Path, workers: int = 3, threads: int = 4,
                 extra: str = "") -> None:  # fmt: skip
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "LABOURDASH_DB": str(db), "GUNICORN_CMD_ARGS": extra,
               "LABOURDASH_HEADER_TIMEOUT": "3"}  # fmt: skip
        self.out = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "etl.cli", "serve", "--port", str(self.port),
             "--workers", str(workers), "--threads", str(threads)],
            env=env, cwd=PROJECT_ROOT, stdout=self.out, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_listening(self, deadline_s: float = 240) -> None:
        """Wait until the port accepts a connection (nothing is requested)."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not listen within the deadline")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)
        self.out.close()

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]


@pytest.fixture
def serve(demo_db: Path, tmp_path: Path) -> Iterator:
    started: list[Served] = []

    def start(**kwargs) -> Served:
        served = Served(demo_db, tmp_path / f"serve{len(started)}.log", **kwargs)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def _get(base: str, path: str) -> tuple[int, str | None]:
    with httpx.Client(timeout=120) as client:  # a fresh connection each: spread over the workers
        answer = client.get(base + path)
        return answer.status_code, answer.headers.get("Content-Security-Policy")


def _burst(base: str) -> tuple[list[int], set[str], list[str]]:
    """The page and every script it names, BURST at once, as the first requests after start."""
    with ThreadPoolExecutor(BURST) as pool:
        pages = list(pool.map(lambda _: _get(base, "/"), range(BURST)))
        page = httpx.get(base + "/", timeout=120).text
        scripts = re.findall(r'<script src="(/[^"]+)"', page)
        assert len(scripts) >= 10, page[:500]
        answers = list(pool.map(lambda p: _get(base, p), scripts * 2))
    everything = pages + answers
    return [s for s, _ in everything], {c for _, c in pages}, scripts


def test_first_burst_after_start_is_complete_with_one_csp(serve) -> None:
    for _ in range(3):  # several fresh starts
        served = serve()
        served.wait_listening()
        statuses, csps, _ = _burst(served.base)
        assert set(statuses) == {200}, statuses
        assert len(csps) == 1 and None not in csps, csps
        csp = csps.pop()
        assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split(";")[1]
        served.stop()


def test_recycled_workers_are_as_complete_as_the_first(serve) -> None:
    served = serve(extra="--max-requests 15")  # every worker is replaced after 15 requests
    served.wait_listening()
    first = set(served.workers())
    statuses, csps, _ = _burst(served.base)
    before = next(iter(csps))
    os.kill(sorted(served.workers())[0], signal.SIGTERM)  # and one is stopped outright
    deadline = time.monotonic() + 120
    while first & set(served.workers()) and time.monotonic() < deadline:
        _burst(served.base)  # drives max_requests
        time.sleep(0.2)
    assert not first & set(served.workers()), "no worker was recycled"
    statuses, csps, _ = _burst(served.base)
    assert set(statuses) == {200} and csps == {before}, (statuses, csps)


def test_ready_route_says_ready_with_the_same_csp_in_every_worker(serve) -> None:
    served = serve()
    served.wait_listening()
    with ThreadPoolExecutor(12) as pool:
        answers = list(
            pool.map(lambda _: httpx.get(served.base + "/_ready", timeout=60), range(12))
        )
    assert {a.status_code for a in answers} == {200}
    docs = [a.json() for a in answers]
    assert all(d["ready"] and d["problems"] == [] for d in docs)
    assert len({d["csp_sha256"] for d in docs}) == 1


def test_chunked_body_over_the_cap_is_refused(serve) -> None:
    served = serve(workers=1, threads=2)
    served.wait_listening()

    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 4 MiB offered in 64 KiB chunks; the cap is 256 KiB
            yield b"[" + b"0," * 32767 + b"0]"

    answer = httpx.post(served.base + "/_dash-update-component", content=chunks(),
                        headers={"Content-Type": "application/json"}, timeout=120)  # fmt: skip
    assert answer.status_code == 413
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert httpx.get(served.base + "/_ready", timeout=60).status_code == 200


def _raw(port: int, data: bytes, deadline_s: float = 60) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=deadline_s) as s:
        s.sendall(data)
        got = b""
        while chunk := s.recv(65536):
            got += chunk
    return got


def test_long_request_line_is_refused_with_the_friendly_page_and_headers(serve) -> None:
    served = serve(workers=1, threads=2)
    served.wait_listening()
    answer = _raw(served.port, b"GET /?x=" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414")
    assert b"Content-Security-Policy: default-src 'none'" in head and b"nosniff" in head
    assert b"<!DOCTYPE html>" in body  # the dashboard's own page, not gunicorn's
    middle = httpx.get(
        served.base + "/?x=" + "a" * 6000, timeout=60
    )  # app's limit, under gunicorn's
    assert middle.status_code == 414 and "<!DOCTYPE html>" in middle.text
    bad = _raw(served.port, b"GET / HTTP/1.1\r\nBad Header\r\n\r\n")
    assert bad.startswith(b"HTTP/1.1 400") and b"X-Content-Type-Options: nosniff" in bad


def test_slowloris_header_trickle_does_not_hold_the_workers(serve) -> None:
    served = serve(workers=1, threads=2)
    served.wait_listening()
    stop = threading.Event()
    closed_by_server: list[bool] = []

    def trickle() -> None:
        with socket.create_connection(("127.0.0.1", served.port), timeout=2) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            for _ in range(600):  # at most 5 minutes
                if stop.is_set():
                    return
                try:
                    s.sendall(b"X")  # one byte of a header line that never ends
                    if s.recv(1, socket.MSG_DONTWAIT) == b"":
                        closed_by_server.append(True)
                        return
                except BlockingIOError:
                    pass
                except OSError:
                    closed_by_server.append(True)
                    return
                time.sleep(0.5)

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(6)]  # 3x the threads
    for t in threads:
        t.start()
    try:
        assert httpx.get(served.base + "/_ready", timeout=120).status_code == 200
    finally:
        deadline = time.monotonic() + 120
        while len(closed_by_server) < len(threads) and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
    assert len(closed_by_server) == len(threads)  # the server cut every trickling client


def test_log_lines_escape_control_characters_and_are_cut(serve) -> None:
    served = serve(workers=1, threads=2)
    served.wait_listening()
    # C1 controls (0x9b is an 8-bit terminal escape), NUL-like and bidi bytes in a header that
    # gunicorn accepts, long enough to need cutting; then a request line gunicorn refuses
    evil = b"ev\x9b31mil\x85\xe2\x80\xae" + b"z" * 7000
    _raw(served.port, b"GET /?q=%00 HTTP/1.1\r\nHost: x\r\nUser-Agent: " + evil
         + b"\r\nConnection: close\r\n\r\n")  # fmt: skip
    _raw(served.port, b"GET /\x1b[2J HTTP/1.1\r\nHost: x\r\n\r\n")  # refused by gunicorn, logged
    assert httpx.get(served.base + "/_ready", timeout=60).status_code == 200
    served.stop()
    text = served.log.read_bytes().decode("utf-8", "replace")
    assert "ev\\x9b31mil\\x85" in text  # the user agent was logged, escaped
    assert "more characters]" in text  # and cut
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)
    assert max(len(line) for line in text.splitlines()) < 2300
