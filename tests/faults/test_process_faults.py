"""Faults of the machine and of timing: SIGKILL mid-run, a full disk, two refreshes, status during a
refresh, and the dashboard serving while three new warehouses are swapped in."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from etl import runlog
from etl.archive import COMPLETE
from etl.cli import app
from etl.settings import PROJECT_ROOT
from tests.faults.harness import (
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    NEW_STAMP,
    TALLY,
    copy_data,
    snapshot,
    spawn,
)  # fmt: skip

runner = CliRunner()
SEED = int(os.environ.get("LABOURDASH_FAULT_SEED", "20261201"))


def _stamp(standin, n: int) -> None:
    standin.set_updated("TAB3200", f"2026-11-{20 + n:02d}T07:00:00Z")


def _leftovers(data: Path) -> list[Path]:
    return [*data.glob(".labour.duckdb.building-*"), *data.glob("raw/*/*/*/.*.tmp"),
            *data.glob("raw/.tmp/.*.body.tmp"),  # bodies streamed but never archived
            *[t for t in data.glob("raw/*/*/*") if t.is_dir() and not (t / "_complete.json").exists()]]  # fmt: skip


def _events(data: Path, command: str) -> dict[str, Callable[[], bool]]:
    """Moments of a run, each seen on disk: the conditions a kill waits for."""
    db, log = data / "labour.duckdb", data / "runs.jsonl"
    inode, log_size = db.stat().st_ino, log.stat().st_size
    runs = set((data / "raw").iterdir())

    def in_new_runs(pattern: str) -> bool:
        return any(any(r.glob(pattern)) for r in (data / "raw").iterdir() if r not in runs)

    events = {
        "run logged": lambda: log.stat().st_size > log_size,
        "build started": lambda: any(data.glob(".labour.duckdb.building-*")),
        "warehouse swapped": lambda: db.stat().st_ino != inode,
    }
    if command == "refresh":
        events["first body archived"] = lambda: in_new_runs("*/*/*.body")
        events["first unit committed"] = lambda: in_new_runs(f"*/*/{COMPLETE}")
    return events


def _kill_when(proc: subprocess.Popen, seen: Callable[[], bool], deadline_s: float = 300) -> bool:
    """SIGKILL the run as soon as `seen()` holds (polled); False when it finished first."""
    deadline = time.monotonic() + deadline_s
    while proc.poll() is None:
        with contextlib.suppress(OSError):  # a file replaced or removed between two looks
            if seen():
                break
        assert time.monotonic() < deadline, "the run neither reached its kill point nor ended"
        time.sleep(0.005)  # polling interval only: the kill point is the condition above
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    return not finished


@pytest.mark.parametrize("command", ["refresh", "rebuild"])
def test_sigkill_at_random_points(case, standin, command) -> None:
    """Kill the run at moments chosen by events (a file appears, the log grows, the warehouse is
    swapped), in a seeded random order; the warehouse is always a complete one and status says so."""
    rng = random.Random(f"{SEED}-{command}")
    kills = 5  # 5 refresh + 5 rebuild = 10 kill points
    TALLY.tried += kills - 1  # the case fixture counts one
    good = case.before
    names = sorted(_events(case.data, command))
    order = rng.sample(names, len(names)) * 2
    for n in range(kills):
        _stamp(standin, n)
        events = _events(case.data, command)
        proc = spawn([command], case.env)
        _kill_when(proc, events[order[n]])
        after = snapshot(case.db)
        assert after.sha256 is not None and good.lost(after) == 0, f"kill {n}: rows lost"
        entries = runlog.entries(case.data / "runs.jsonl")
        code, text = _status()
        if entries[-1].get("status") == "running":
            assert code == 1 and "interrupted" in text, (
                f"kill {n} ({order[n]}): status says {text!r}"
            )
        else:
            assert entries[-1]["status"] == "ok" and code == 0, f"kill {n} ({order[n]}): {text!r}"
        good = after
    result = runner.invoke(app, [command])  # the next clean run succeeds and cleans up
    assert result.exit_code == EXIT_OK, result.output
    assert _status()[0] == 0 and _leftovers(case.data) == []
    case.check_rows()
    TALLY.survived += kills - 1


def _status() -> tuple[int, str]:
    result = runner.invoke(app, ["status"])
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture
def small_disk(case, tmp_path: Path):
    """The case's data folder on a tmpfs only a little larger than what it holds."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("disk-full case needs root and mount(8) to mount a small tmpfs")
    mnt = tmp_path / "small"
    mnt.mkdir()
    used = sum(p.stat().st_size for p in case.data.rglob("*") if p.is_file())
    size_kb = used // 1024 + 1024  # 1 MiB more than the data: the fetch or the build runs out
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mnt)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        copy_data(case.data, mnt / "data")
        yield mnt / "data", size_kb
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full(case, standin, small_disk, monkeypatch) -> None:
    data, size_kb = small_disk
    monkeypatch.setenv("LABOURDASH_DB", str(data / "labour.duckdb"))
    before = snapshot(data / "labour.duckdb")
    _stamp(standin, 0)
    standin.set_kpi_fields("N02268", publication_date="2026-11-20")
    result = runner.invoke(app, ["refresh"])
    assert "Traceback" not in result.output
    assert result.exit_code == EXIT_FAILED, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("refresh failed:")]
    assert len(lines) == 1 and "disk full" in lines[0], result.output
    after = snapshot(data / "labour.duckdb")
    assert after.sha256 == before.sha256 and before.lost(after) == 0
    code, text = _status()
    assert code == 1 and "disk full" in text, text  # recorded, not "interrupted"
    assert _leftovers(data) == []
    runs = sorted(p.name for p in (data / "raw").iterdir())
    assert runs == sorted(
        p.name for p in (case.data / "raw").iterdir()
    )  # the failed run's folder is gone
    subprocess.run(["mount", "-o", f"remount,size={size_kb * 4}k", str(data.parent)], check=True)
    again = runner.invoke(app, ["refresh"])
    assert again.exit_code == EXIT_OK, again.output
    assert _status()[0] == 0
    case.before, case.db = before, data / "labour.duckdb"
    case.check_rows()


def test_two_refreshes_and_status_during_a_refresh(case, standin) -> None:
    _stamp(standin, 1)
    standin.fault(
        r"/tables/TAB3200/metadata", "timeout", times=None, delay=0.8
    )  # slow, under the timeout
    first = spawn(["refresh"], case.env)
    deadline = time.monotonic() + 300
    while not standin.requests("scb", path="TAB3200/metadata"):  # the first holds the lock now
        assert time.monotonic() < deadline and first.poll() is None, "the first refresh never asked"
        time.sleep(0.01)
    second = runner.invoke(app, ["refresh"])
    assert second.exit_code == EXIT_LOCKED and "another refresh is running" in second.output
    codes = []
    while first.poll() is None:
        codes.append(_status())  # never blocks or fails the refresh
        time.sleep(0.1)  # pacing only: the loop ends on the process's exit
    assert first.returncode == EXIT_OK, first.stdout.read()
    assert codes and all(code == 0 for code, _ in codes), [
        c for c in codes if c[0]
    ]  # not "interrupted"
    assert _status()[0] == 0
    case.check_rows()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dashboard_serves_during_three_swaps(case, standin) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--port", str(port), "--workers", "2"],
        env={**os.environ, **case.env}, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    statuses: list[int] = []
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 300
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(base + "/", timeout=30).status_code == 200:
                    break
            assert time.monotonic() < deadline and server.poll() is None, "the server never came up"
            time.sleep(0.3)

        def poll() -> None:
            with httpx.Client(timeout=60) as client:
                while not stop.is_set():
                    for path in ("/", "/_dash-layout", "/geo/county.json"):
                        statuses.append(client.get(base + path).status_code)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        versions = {snapshot(case.db).sha256}
        for n in range(3):
            _stamp(standin, n + 2)
            result = runner.invoke(app, ["refresh", "--source", "scb"])
            assert result.exit_code == EXIT_OK, result.output
            versions.add(snapshot(case.db).sha256)
        seen = len(statuses)
        deadline = time.monotonic() + 300
        while len(statuses) < seen + 6:  # two full rounds of requests after the last swap
            assert time.monotonic() < deadline and poller.is_alive(), "the poller stopped"
            time.sleep(0.05)
        stop.set()
        poller.join(30)
    finally:
        server.terminate()
        server.wait(20)
    assert len(versions) == 4  # three new warehouses swapped in
    assert len(statuses) > 10 and set(statuses) == {200}, sorted(set(statuses))
    case.check_rows()


assert NEW_STAMP  # the API cases' stamp; these cases step their own
