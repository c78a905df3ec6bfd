"""The Kolada fetch runs beside SCB's: both run, changes keep their order, errors reach the caller."""

from __future__ import annotations

import errno
import threading
from types import SimpleNamespace

import pytest

from etl.concurrent_fetch import run_beside
from etl.pipeline import RefreshPlan, RunContext, TableChange


def _ctx() -> RunContext:
    return RunContext(archive=None, run_id="r", plan=RefreshPlan(), progress=SimpleNamespace(),
                      store=None, previous={})  # type: ignore[arg-type]  # fmt: skip


def test_both_run_at_once_and_side_changes_come_after_main():
    ctx = _ctx()
    both = threading.Barrier(2, timeout=10)  # only passes when the two run at the same time

    def main(c: RunContext) -> None:
        both.wait()
        c.plan.changes.append(TableChange("scb", "TAB3200", "fetched"))

    def side(c: RunContext) -> None:
        assert c.plan is not ctx.plan and c.store is ctx.store
        both.wait()
        c.plan.changes.append(TableChange("kolada", "N02267", "unchanged"))

    run_beside(ctx, main, side)
    assert [c.table_key for c in ctx.plan.changes] == ["TAB3200", "N02267"]


def test_an_error_of_the_side_fetch_is_raised_in_the_caller():
    ctx = _ctx()

    def side(c: RunContext) -> None:
        c.plan.changes.append(TableChange("kolada", "N02267", "fetched"))
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        run_beside(ctx, lambda c: c.plan.changes.append(TableChange("scb", "T", "fetched")), side)
    assert [c.table_key for c in ctx.plan.changes] == ["T", "N02267"]


def test_an_error_of_the_main_fetch_waits_for_the_side_and_wins():
    ctx = _ctx()
    done = threading.Event()

    def main(c: RunContext) -> None:
        raise OSError(errno.ENOSPC, "No space left on device (scb)")

    with pytest.raises(OSError, match=r"\(scb\)"):
        run_beside(ctx, main, lambda c: done.set())
    assert done.is_set()


def test_refresh_fetches_kolada_while_scb_waits_on_its_rate_limit(standin, tmp_path, monkeypatch):
    from etl import pipeline, seeds
    from etl.settings import Settings

    tables = seeds.scb_tables()
    monkeypatch.setattr(pipeline.seeds, "scb_tables", lambda: tables[tables.table_key == "TAB3200"])
    monkeypatch.setattr(pipeline.seeds, "kolada_kpis", lambda: ["N02267", "N02268"])
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    monkeypatch.setenv("LABOURDASH_PARALLEL_FETCH", "1")
    standin.set_scb_limits(max_cells=150_000, max_calls=3, window=2)  # SCB must wait
    report = pipeline.refresh(Settings())
    assert report["status"] == "ok"
    sources = [c["source"] for c in report["changes"]]
    assert sources == sorted(sources, key=["scb", "kolada"].index)  # SCB's units first, as before
    assert {c["action"] for c in report["changes"] if c["source"] == "kolada"} == {"fetched"}
    assert not [
        r for r in standin.requests("scb") if r.status == 429
    ]  # the limiter kept to /config
    scb = [r.at for r in standin.requests("scb")]
    kolada = [r.at for r in standin.requests("kolada", path=r"/data/kpi/")]
    assert min(kolada) < max(scb)  # Kolada values came in while SCB was still being fetched
