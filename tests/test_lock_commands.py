"""refresh, rebuild and demo on a held lock: a live holder is 3, a dead or over-deadline one is 1.

A second process really holds the kernel lock; the run log says which run holds it (its pid and
start). The warehouse file that was there stays byte for byte, and nothing is built.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl import runlog
from etl.cli import EXIT_FAILED, EXIT_LOCKED, app

runner = CliRunner()

HOLDER = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""
OLD_WAREHOUSE = b"the previous warehouse, kept byte for byte"
COMMANDS = {
    "refresh": ["refresh"],
    "rebuild": ["rebuild"],
    "demo": ["demo", "--years", "2020-2021"],
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with a (stand-in) warehouse file; the APIs point at a closed port."""
    db = tmp_path / "labour.duckdb"
    db.write_bytes(OLD_WAREHOUSE)
    monkeypatch.setenv("LABOURDASH_DB", str(db))
    for var in ("LABOURDASH_SCB_URL", "LABOURDASH_KOLADA_URL", "LABOURDASH_GEODATA_URL"):
        monkeypatch.setenv(var, "http://127.0.0.1:9/never-asked")
    monkeypatch.setenv("LABOURDASH_REFRESH_DEADLINE", "7200")
    return tmp_path


@pytest.fixture
def holder(data_dir: Path) -> Iterator[subprocess.Popen]:
    """A process that holds the refresh lock until the test ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir / "refresh.lock")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "locked"  # waits until the lock is held
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(60)


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def _log_running(data_dir: Path, pid: int, started: datetime) -> None:
    runlog.append(data_dir / "runs.jsonl", {"run_id": "20261206T010000000000Z", "kind": "refresh",
                                            "status": "running", "pid": pid,
                                            "started_at": started.isoformat()})  # fmt: skip


def _invoke(command: str) -> tuple[int, str]:
    result = runner.invoke(app, COMMANDS[command])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, " ".join(result.output.split())


def _untouched(data_dir: Path) -> None:
    assert (data_dir / "labour.duckdb").read_bytes() == OLD_WAREHOUSE
    leftovers = [p.name for p in data_dir.glob(".labour.duckdb.building-*")]
    assert leftovers == [], leftovers


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_live_lock_refuses_with_exit_3(command: str, data_dir: Path, holder) -> None:
    _log_running(data_dir, holder.pid, datetime.now(UTC))
    code, text = _invoke(command)
    assert code == EXIT_LOCKED, text
    assert "another refresh is running" in text and "stale" not in text, text
    assert len(text) < 300, text  # one line, not a report
    _untouched(data_dir)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("why", ["dead", "over the deadline"])
def test_stale_lock_is_named_with_exit_1(command: str, why: str, data_dir: Path, holder) -> None:
    if why == "dead":
        _log_running(data_dir, _dead_pid(), datetime.now(UTC))
        words = "no longer runs"
    else:
        _log_running(data_dir, holder.pid, datetime.now(UTC) - timedelta(hours=3))
        words = "past its deadline of 2 h"
    code, text = _invoke(command)
    assert code == EXIT_FAILED, text
    assert "stale refresh lock: the refresh 20261206T010000000000Z" in text, text
    assert words in text and "stop that process" in text, text
    _untouched(data_dir)


def test_free_lock_after_a_dead_run_is_not_called_stale(data_dir: Path) -> None:
    """A dead run whose lock went with it: rebuild goes on (and fails on the empty archive)."""
    _log_running(data_dir, _dead_pid(), datetime.now(UTC))
    code, text = _invoke("rebuild")
    assert code == EXIT_FAILED and "stale" not in text and "holds no committed table" in text, text
    _untouched(data_dir)
