"""Fault suite fixtures: a baseline data folder, a per-case environment, and the summary line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import (
    KPIS,
    SCB_TABLES,
    TALLY,
    Snapshot,
    copy_data,
    small_catalogue,
    snapshot,
)


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the suite's one summary line (only when fault cases ran)."""
    if TALLY.tried:
        terminalreporter.write_sep("=", TALLY.line())
        for failure in TALLY.failures:
            terminalreporter.write_line(f"  did not survive: {failure}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the case fixture knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def env_for(standin, db: Path) -> dict[str, str]:
    """Environment of a run against the stand-in with fast retries."""
    return {
        "LABOURDASH_DB": str(db), "LABOURDASH_SCB_URL": standin.scb_url,
        "LABOURDASH_KOLADA_URL": standin.kolada_url, "LABOURDASH_GEODATA_URL": standin.geodata_url,
        "LABOURDASH_HTTP_RETRIES": "2", "LABOURDASH_HTTP_BACKOFF": "0.01",
        "LABOURDASH_HTTP_TIMEOUT": "5", "LABOURDASH_MAX_RETRY_AFTER": "5",
    }  # fmt: skip


@pytest.fixture(scope="session")
def baseline(refreshed) -> Path:
    """A data folder after one clean refresh of the small catalogue (copied by every case)."""
    return refreshed(tuple(SCB_TABLES), tuple(KPIS))


class Case:
    """One fault case: its data folder, the snapshot before, and the tally entry."""

    def __init__(self, name: str, data: Path, env: dict[str, str], before: Snapshot) -> None:
        self.name, self.data, self.env, self.before = name, data, env, before
        self.db = data / "labour.duckdb"
        self.lost = 0

    def check_rows(self) -> Snapshot:
        """Snapshot after; rows lost are counted (and fail the case)."""
        after = snapshot(self.db)
        self.lost = self.before.lost(after)
        return after


@pytest.fixture
def case(request, standin, baseline: Path, tmp_path: Path, monkeypatch) -> Iterator[Case]:
    """A fresh copy of the baseline, settings pointing at it, the stand-in reset; tallied."""
    data = tmp_path / "data"
    copy_data(baseline, data)
    env = env_for(standin, data / "labour.duckdb")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    small_catalogue(monkeypatch)
    standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
    standin.set_page_sizes(kolada=1000)
    c = Case(request.node.name, data, env, snapshot(data / "labour.duckdb"))
    TALLY.tried += 1
    try:
        yield c
    finally:
        report = getattr(request.node, "rep_call", None)
        failed = report is None or report.failed
        TALLY.rows_lost += c.lost
        if failed or c.lost:
            TALLY.failures.append(c.name)
        else:
            TALLY.survived += 1
        with contextlib.suppress(Exception):
            standin.reset()
