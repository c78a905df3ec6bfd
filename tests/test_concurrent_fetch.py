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
