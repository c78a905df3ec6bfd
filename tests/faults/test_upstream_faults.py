"""Hostile upstreams over real HTTP: redirects and next_url to another host, an answer that would
empty a KPI, a body over the size cap, the refresh's overall deadline, and a stale lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from etl import runlog
from etl.cli import app
from tests.faults.harness import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, NEW_STAMP, snapshot
from tests.standin import StandIn

runner = CliRunner()
KPI = "N02268"
KOLADA = rf"/data/kpi/{KPI}"


@pytest.fixture(scope="module")
def other_host(shared_dir) -> Iterator[StandIn]:
    """A second loopback server (another port: another origin) that answers empty Kolada pages."""
    server = StandIn(shared_dir).start()
    yield server
    server.stop()


def _text(output: str) -> str:
    assert "Traceback" not in output, output
    return " ".join(output.split())


def _status() -> tuple[int, str]:
    result = runner.invoke(app, ["status"])
    return result.exit_code, _text(result.output)


def _something_new(standin) -> None:
    standin.set_updated("TAB3200", NEW_STAMP)
    standin.revise_kpi(KPI, date.today().isoformat(), shift=0.1)


def _assert_unit_failed(case, result, unit: str, words: str) -> None:
    """Exit 4, one failed unit named with its reason, nothing lost, status tells it, no .tmp."""
    text = _text(result.output)
    assert result.exit_code == EXIT_PARTIAL, result.output
    failed = [ln for ln in result.output.splitlines() if " failed " in ln and "updated" in ln]
    assert len(failed) == 1 and unit in failed[0], result.output
    assert words in text, result.output
    case.check_rows()
    assert case.lost == 0, f"{case.lost} rows lost"
    code, status = _status()
    assert code == EXIT_PARTIAL and "is stale" in status and words in status, status
    assert not list((case.data / "raw").glob("*/*/*/.*.tmp"))


def _clean_refresh_after(case, standin) -> None:
    standin.clear_faults()
    again = runner.invoke(app, ["refresh"])
    assert again.exit_code == EXIT_OK, again.output
    case.check_rows()
    assert case.lost == 0


def test_redirect_to_another_host_is_refused(case, standin, other_host) -> None:
    other_host.reset()
    other_host.fault(".*", "empty_values", times=None)
    _something_new(standin)
    target = f"{other_host.kolada_url}/data/kpi/{KPI}/municipality/0180/year/2020"
    standin.fault(KOLADA, "redirect", times=None, status=302, location=target)
    result = runner.invoke(app, ["refresh"])
    _assert_unit_failed(case, result, KPI, "refused")
    assert other_host.requests() == []  # never asked
    _clean_refresh_after(case, standin)


def test_redirect_on_the_same_host_is_followed(case, standin) -> None:
    _something_new(standin)
    # once: a 302 to the same resource on the same host (as a moved path would answer)
    same = f"{standin.scb_url}/tables/TAB3200/metadata?outputFormat=json-stat2&lang=sv"
    fault = standin.fault(r"/tables/TAB3200/metadata\?lang=sv", "redirect", times=1, status=302,
                          location=same)  # fmt: skip
    result = runner.invoke(app, ["refresh"])
    assert result.exit_code == EXIT_OK, result.output
    assert fault.hits == 1
    case.check_rows()


def test_next_url_to_another_host_is_refused(case, standin, other_host) -> None:
    other_host.reset()
    _something_new(standin)

    def offsite(doc: dict) -> dict:
        doc.pop("count", None)
        doc["next_url"] = f"{other_host.kolada_url}/data/kpi/{KPI}?page=2"
        return doc

    standin.fault(KOLADA, "rewrite", times=None, transform=offsite)
    result = runner.invoke(app, ["refresh"])
    _assert_unit_failed(case, result, KPI, "leaves the configured API's host")
    assert other_host.requests() == []
    _clean_refresh_after(case, standin)


def test_empty_answer_does_not_shrink_a_kpi(case, standin) -> None:
    """A full refresh whose KPI answer is empty: the unit fails and keeps its archive."""
    before = {
        p.parent.parent.name for p in (case.data / "raw").glob(f"*/kolada/{KPI}/_complete.json")
    }
    standin.fault(KOLADA, "empty_values", times=None)
    result = runner.invoke(app, ["refresh", "--full"])
    _assert_unit_failed(case, result, KPI, "LABOURDASH_MAX_SHRINK")
    after = {
        p.parent.parent.name for p in (case.data / "raw").glob(f"*/kolada/{KPI}/_complete.json")
    }
    assert after == before  # no new (empty) version of the KPI was committed
    _clean_refresh_after(case, standin)


def test_body_over_the_size_cap(case, standin, monkeypatch) -> None:
    monkeypatch.setenv("LABOURDASH_MAX_RESPONSE_MB", "1")
    _something_new(standin)
    standin.fault(r"/tables/TAB3200/data", "huge", times=None, size=16 * 1024 * 1024)
    result = runner.invoke(app, ["refresh"])
    _assert_unit_failed(case, result, "TAB3200", "larger than the cap of 1 MB")
    _clean_refresh_after(case, standin)


def test_refresh_deadline_stops_the_run_and_releases_the_lock(case, standin, monkeypatch) -> None:
    """Headers trickled for ever, a long request timeout: the run's own deadline ends it."""
    monkeypatch.setenv("LABOURDASH_HTTP_TIMEOUT", "600")
    monkeypatch.setenv("LABOURDASH_REFRESH_DEADLINE", "4")
    _something_new(standin)
    standin.fault(r"/tables/TAB3200/metadata", "trickle_headers", times=None, delay=0.2,
                  give_up=120)  # fmt: skip
    started = time.monotonic()
    result = runner.invoke(app, ["refresh"])
    text = _text(result.output)
    assert result.exit_code == EXIT_FAILED, result.output
    assert "overall deadline of 4 s" in text and "TAB3200/metadata" in text, text
    assert time.monotonic() - started < 120  # cut off by the deadline, not by the stand-in
    case.check_rows()
    assert case.lost == 0 and snapshot(case.db).sha256 == case.before.sha256
    assert runlog.last(case.data / "runs.jsonl")["status"] == "failed"
    code, status = _status()
    assert code == EXIT_FAILED and "deadline" in status
    monkeypatch.setenv("LABOURDASH_REFRESH_DEADLINE", "600")
    _clean_refresh_after(case, standin)  # the lock was released


HOLDER = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("holder", ["over the deadline", "dead"])
def test_stale_lock_is_reported(case, standin, holder) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(case.data / "refresh.lock")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "locked"  # waits until the lock is held
        if holder == "dead":
            gone = subprocess.Popen([sys.executable, "-c", "pass"])
            gone.wait()
            pid, started, words = gone.pid, datetime.now(UTC), "no longer runs"
        else:
            pid, started, words = (
                proc.pid,
                datetime.now(UTC) - timedelta(hours=3),
                "past its deadline",
            )
        runlog.append(case.data / "runs.jsonl", {"run_id": "stuck", "kind": "refresh",
                                                 "status": "running", "pid": pid,
                                                 "started_at": started.isoformat()})  # fmt: skip
        result = runner.invoke(app, ["refresh"])
        text = _text(result.output)
        assert result.exit_code == EXIT_FAILED, text  # not 3: systemd must count it as a failure
        assert "stale refresh lock" in text and words in text, text
        code, status = _status()
        assert code == EXIT_FAILED and "stale refresh lock" in status and words in status, status
    finally:
        proc.stdin.close()
        proc.wait(30)
    case.check_rows()
    assert case.lost == 0 and os.path.exists(case.db)
