"""Hardening of the ETL edges: request deadline, Kolada paging bounds, run log, cleanup, lock reads."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

from etl import errors, housekeeping, runlog, status
from etl.settings import Settings
from etl.sources.http import GoneError, HttpFetcher, MalformedResponse, SourceTimeout
from etl.sources.kolada import KoladaClient, page_items
from etl.warehouse import lock_held, refresh_lock

META = "/tables/TAB3200/metadata"
AREAS, YEARS = ["0180", "0114"], [2020, 2021, 2022]


@pytest.fixture
def kolada(standin):
    standin.set_page_sizes(kolada=2)
    with KoladaClient(standin.kolada_url, retries=0) as client:
        yield client


def test_a_slow_drip_is_cut_off_at_the_overall_deadline(standin) -> None:
    standin.fault(META, "drip", times=None, delay=0.05, chunk=20)  # ~400 bytes/s for a 15 kB body
    with HttpFetcher(timeout=1.0, retries=0) as fetcher:
        start = time.monotonic()
        with pytest.raises(SourceTimeout, match="deadline"):
            fetcher.get(standin.scb_url + META)
        assert time.monotonic() - start < 1.6  # not 15 kB / 400 B/s ≈ 38 s


def test_a_reset_mid_body_is_a_retryable_broken_response(standin) -> None:
    standin.fault(META, "reset", times=1)
    with HttpFetcher(timeout=5, retries=1, backoff=0.01) as fetcher:
        assert fetcher.get(standin.scb_url + META).json()["id"][0] == "Region"
    assert [r.fault for r in standin.requests(path="metadata")] == ["reset", None]


def test_410_from_v3_does_not_blame_v2(standin) -> None:
    standin.fault("/kpi", "status", status=410, detail="KPI withdrawn")
    with KoladaClient(standin.kolada_url, retries=0) as client, pytest.raises(GoneError) as err:
        client.kpis(["N02267"])
    text = str(err.value)
    assert "410" in text and "KPI withdrawn" in text and "v2" not in text and "gone" in text
    with KoladaClient(standin.kolada_v2_url, retries=0) as v2, pytest.raises(GoneError) as err:
        v2.municipalities()
    assert "LABOURDASH_KOLADA_URL" in str(err.value)


def test_looping_next_url_is_detected(standin, kolada) -> None:
    standin.fault("/data/", "next_loop", times=None)
    with pytest.raises(MalformedResponse, match="loops back"):
        kolada.values(["N02267"], AREAS, YEARS)
    assert len(standin.requests(path="/data/")) == 1


def test_endless_next_url_stops_at_the_first_empty_page(standin, kolada) -> None:
    standin.fault("/data/", "next_endless", times=None)
    items = page_items(kolada.values(["N02267"], AREAS, YEARS))
    assert len(items) == 6  # 3 pages of 2, then the empty page ends it
    assert len(standin.requests(path="/data/")) == 4


def test_next_url_that_keeps_serving_values_hits_the_hard_cap(standin) -> None:
    standin.set_page_sizes(kolada=1)
    standin.fault("/data/", "next_endless", times=None)
    with (
        KoladaClient(standin.kolada_url, retries=0, max_pages=4) as client,
        pytest.raises(MalformedResponse, match="more than 4 pages"),
    ):
        client.values(["N02267"], AREAS, YEARS)  # 6 values, 1 a page: the cap stops it
    assert len(standin.requests(path="/data/")) == 4


def test_a_repeated_page_body_is_a_loop(standin, kolada, monkeypatch) -> None:
    from etl.sources import paging

    guard = paging.PageGuard()
    result = type("R", (), {"url": "http://x/a?page=1", "sha256": "s", "method": "GET"})()
    body = {"values": [{"kpi": "N1"}], "count": 1, "next_url": "http://x/a?page=2"}
    assert guard.next(result, body) == "http://x/a?page=2"
    again = type("R", (), {"url": "http://x/a?page=2", "sha256": "s", "method": "GET"})()
    with pytest.raises(MalformedResponse, match="repeats page 1"):
        guard.next(again, body)


def test_count_as_a_total_bounds_the_pages() -> None:
    from etl.sources.paging import PageGuard

    guard = PageGuard()

    def page(n: int):
        return type("R", (), {"url": f"http://x/a?page={n}", "sha256": str(n), "method": "GET"})()

    body = lambda n: {"values": [{"n": n}] * 2, "count": 4, "next_url": f"?page={n + 1}"}  # noqa: E731
    assert guard.next(page(1), body(1)).endswith("page=2")
    assert guard.next(page(2), body(2)) is None  # 4 of 4 values are in: next_url ignored
    with pytest.raises(MalformedResponse, match="count 1 but holds 2"):
        PageGuard().next(page(1), {"values": [1, 2], "count": 1, "next_url": None})


def test_run_log_survives_a_full_disk_and_a_torn_line(tmp_path: Path, monkeypatch) -> None:
    log_path = tmp_path / "runs.jsonl"
    runlog.append(log_path, {"run_id": "a", "status": "ok"})
    assert runlog.reserve_path(log_path).stat().st_size == runlog.RESERVE_BYTES
    with open(log_path, "a") as fh:
        fh.write('{"run_id": "b", "sta')  # torn by an older writer
    real_write = runlog._write
    calls = []

    def full_once(path, line):
        calls.append(line)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, line)

    monkeypatch.setattr(runlog, "_write", full_once)
    runlog.append(log_path, {"run_id": "c", "status": "failed", "error": "disk full"})
    assert not runlog.reserve_path(log_path).exists()  # given up to record the failure
    assert [e["run_id"] for e in runlog.entries(log_path)] == ["a", "c"]
    assert runlog.last(log_path)["error"] == "disk full"
    monkeypatch.setattr(
        runlog, "_write", lambda p, line: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
    )
    assert runlog.record(log_path, {"run_id": "d"}) is False  # never raises
    assert not runlog.tmp_path(log_path).exists()


def test_disk_full_is_said_plainly() -> None:
    exc = OSError(errno.ENOSPC, "No space left on device")
    assert errors.describe(exc, "/srv/data").startswith(
        "disk full: no space left on the device in /srv/data"
    )
    wrapped = RuntimeError("IO Error: Could not write file: No space left on device")
    assert errors.is_disk_full(wrapped)
    assert errors.describe(KeyError("id")) == "missing key 'id' in the data"
    msg = errors.parse_failure(
        "kolada N02267 (values)", "http://k/v3/data", "kolada_values", KeyError("period")
    )
    assert (
        "kolada N02267" in msg and "http://k/v3/data" in msg and "expected Kolada v3 values" in msg
    )
    assert "missing key 'period'" in msg


def test_housekeeping_removes_what_killed_runs_left(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    settings = Settings()
    raw = settings.raw_dir
    done = raw / "20260101T000000000000Z" / "scb" / "TAB3200"
    done.mkdir(parents=True)
    (done / "0000.body").write_bytes(b"{}")
    (done / "_complete.json").write_text("{}")
    half = raw / "20260102T000000000000Z" / "kolada" / "N02267"
    half.mkdir(parents=True)
    (half / ".0000.body.tmp").write_bytes(b"x" * 100)
    building = tmp_path / ".labour.duckdb.building-4242"
    building.write_bytes(b"x")
    Path(str(building) + ".wal").write_bytes(b"x")
    (tmp_path / ".runs.jsonl.tmp").write_text("x")
    removed = housekeeping.clean_stale(settings)
    assert done.exists() and (done / "0000.body").exists()
    assert not (raw / "20260102T000000000000Z").exists()
    assert not building.exists() and not Path(str(building) + ".wal").exists()
    assert not (tmp_path / ".runs.jsonl.tmp").exists()
    assert len(removed) >= 3


def test_status_reads_the_lock_without_taking_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    settings = Settings()
    runlog.append(
        settings.run_log,
        {"run_id": "r", "kind": "refresh", "status": "running", "pid": os.getpid()},
    )
    import filelock

    def never(*a, **k):
        raise AssertionError("status took the lock")

    with refresh_lock(settings.lock_path):
        assert lock_held(settings.lock_path) is True
        monkeypatch.setattr(filelock.FileLock, "acquire", never)
        monkeypatch.setattr(filelock.UnixFileLock, "acquire", never)
        st = status.collect(settings)
        assert not any("interrupted" in p for p in st.problems)
        monkeypatch.undo()
        monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    assert lock_held(settings.lock_path) is False
    st = status.collect(settings)
    assert any("interrupted" in p for p in st.problems) and not st.healthy


def test_a_refresh_that_finishes_while_status_looks_is_not_called_interrupted(
    tmp_path: Path, monkeypatch
) -> None:
    """Status reads the log (running), the refresh writes `ok` and lets go, status sees the lock free."""
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    settings = Settings()
    runlog.append(settings.run_log, {"run_id": "r", "kind": "refresh", "status": "running"})
    looks = []

    def finishes_meanwhile(lock_path):
        if not looks:
            runlog.append(settings.run_log, {"run_id": "r", "kind": "refresh", "status": "ok"})
        looks.append(lock_path)
        return False

    monkeypatch.setattr(status, "lock_held", finishes_meanwhile)
    st = status.collect(settings)
    assert looks, "the lock was never looked at"
    assert st.last_run["status"] == "ok"
    assert not any("interrupted" in p for p in st.problems), st.problems


def test_a_killed_rebuild_is_visible(tmp_path: Path, monkeypatch) -> None:
    from etl import pipeline

    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    settings = Settings()
    seen = {}

    def killed(archive, db_path, info):
        seen["entries"] = runlog.entries(settings.run_log)
        raise KeyboardInterrupt  # stands for the kill: no failure entry gets written

    monkeypatch.setattr(pipeline, "build", killed)
    with pytest.raises(KeyboardInterrupt):
        pipeline.rebuild(settings)
    assert seen["entries"][-1]["kind"] == "rebuild" and seen["entries"][-1]["status"] == "running"
    st = status.collect(settings)
    assert "the last rebuild was interrupted before it finished" in st.problems and any(
        "interrupted" in p for p in st.problems
    )
    assert json.loads(status.to_json(st))["healthy"] is False
