"""Staging during the fetch (LABOURDASH_STAGE_DURING_FETCH=1, the production default; the rest of
the suite runs with 0): the same warehouse as the build staging everything, a fallback when the
early staging fails, nothing staged by a run that changes nothing, and a failed unit's last
archive still built."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from benchmarks.bench_build import digest as _digest  # every mart table's rows and hash
from etl import prestage
from etl.pipeline import rebuild, refresh
from etl.settings import Settings
from tests.catalogue import use_catalogue

SCB_TABLES = ("TAB3200", "REGSO_LABOUR")
KPIS = ("N02267", "N02268")


@pytest.fixture
def folder(standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A data folder for one refresh of the small catalogue, staging during the fetch."""
    use_catalogue(monkeypatch, SCB_TABLES, KPIS)
    monkeypatch.setenv("LABOURDASH_HTTP_BACKOFF", "0.01")
    standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)

    def make(name: str, stage: str) -> Settings:
        monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / name / "labour.duckdb"))
        monkeypatch.setenv("LABOURDASH_STAGE_DURING_FETCH", stage)
        return Settings()

    return make


def _building_files(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.data_dir.glob(".*building*"))


def test_staging_during_the_fetch_builds_the_same_warehouse(folder, tmp_path: Path) -> None:
    settings = folder("early", "1")
    early = refresh(settings)
    assert early["staged_during_fetch"] == len(SCB_TABLES) + len(KPIS) + 2  # groups, boundaries
    assert _building_files(settings) == []
    copy = tmp_path / "rebuilt"
    shutil.copytree(settings.data_dir, copy)
    rebuilt = rebuild(folder("rebuilt", "0"))  # the build stages every table of the same archive
    assert rebuilt["staged_during_fetch"] == 0
    assert _digest(copy / "labour.duckdb") == _digest(settings.db_path)
    assert early["rows"] == rebuilt["rows"]


@pytest.fixture
def from_baseline(folder, refreshed, standin):
    """A copy of the session's refreshed small catalogue, staging during the fetch."""

    def make(name: str) -> Settings:
        base = refreshed(SCB_TABLES, KPIS)  # built (once per session) before staging is turned on
        standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)  # `refreshed` resets
        settings = folder(name, "1")
        shutil.copytree(base, settings.data_dir)
        return settings

    return make


def _revise(standin) -> None:
    standin.revise_kpi("N02268", date.today().isoformat(), shift=0.5)  # changed: fetched again
    standin.revise_kpi("N02267", date.today().isoformat(), shift=0.5)


def test_a_failure_while_staging_early_falls_back_to_the_build(
    from_baseline, folder, standin, monkeypatch
) -> None:
    seen = []

    class Failing(prestage.Stager):
        def add(self, table) -> None:
            seen.append(table.table_key)
            raise RuntimeError("disk hiccup")

    monkeypatch.setattr(prestage, "Stager", Failing)
    settings = from_baseline("failing")
    _revise(standin)
    report = refresh(settings)
    assert seen and report["status"] == "ok" and report["staged_during_fetch"] == 0
    assert _building_files(settings) == []
    copy = settings.data_dir.parent / "reference"
    shutil.copytree(settings.data_dir, copy)
    rebuild(folder("reference", "0"))
    assert _digest(settings.db_path) == _digest(copy / "labour.duckdb")


def test_a_run_that_changes_nothing_stages_nothing(from_baseline, monkeypatch) -> None:
    settings = from_baseline("again")
    started = []
    monkeypatch.setattr(prestage.Prestager, "_run", lambda self: started.append(self))
    before = settings.db_path.read_bytes()
    report = refresh(settings)
    assert report.get("note") == "no unit produced a new archive; the warehouse is unchanged"
    assert started == [] and _building_files(settings) == []
    assert settings.db_path.read_bytes() == before


def _kolada(settings: Settings, kpi: str) -> tuple:
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        return con.execute(
            "SELECT count(*), sum(value) FROM staging.kolada_observation WHERE kpi = ?", [kpi]
        ).fetchone()
    finally:
        con.close()


def test_a_failed_unit_keeps_its_archive_in_the_build(from_baseline, standin) -> None:
    settings = from_baseline("partial")
    before = _kolada(settings, "N02268")
    _revise(standin)
    standin.fault(r"/data/kpi/N02268", "malformed_json", times=None)
    report = refresh(settings)
    assert report["status"] == "partial"
    assert any("N02268" in u for u in report["failed_units"])
    assert report["staged_during_fetch"] >= 1  # N02267 was staged while the rest was fetched
    assert _kolada(settings, "N02268") == before and before[0] > 0
    assert _kolada(settings, "N02267") != _kolada(from_baseline("untouched"), "N02267")
    assert _building_files(settings) == []
