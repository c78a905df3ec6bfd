"""N00713 (RAMS, discontinued after 2021) in production refreshes: fetched while Kolada lists it,
retired once it does not, never fetched again, and its archived values stay (issue 19)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.demo.kolada_v3 import read_ddf
from etl.pipeline import refresh
from etl.settings import Settings
from tests.catalogue import use_catalogue

KPI = "N00713"
TITLE = "Förvärvsarbetande utrikes födda 20-64 år, andel (%) (-2021)"


@pytest.fixture
def env(standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at the stand-in and a fresh data folder; one SCB table and N00713."""
    use_catalogue(monkeypatch, ("TAB3200",), (KPI,))
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    monkeypatch.setenv("LABOURDASH_HTTP_RETRIES", "2")
    monkeypatch.setenv("LABOURDASH_HTTP_BACKOFF", "0.01")
    return Settings()


def _values(db: Path) -> dict[tuple[str, int, str], float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT area_code, year, gender, value FROM staging.kolada_observation WHERE kpi = ?",
            [KPI],
        ).fetchall()
    finally:
        con.close()
    return {(a, y, g): v for a, y, g, v in rows}


def _action(report: dict) -> list[str]:
    return [c["action"] for c in report["changes"] if c["table_key"] == KPI]


def test_n00713_is_retired_not_fetched_after_and_its_archived_values_stay(
    env: Settings, standin, shared_dir: Path
) -> None:
    standin.list_kpi(KPI, TITLE)  # Kolada before the retirement
    assert _action(refresh(env, sources=["scb", "kolada"])) == ["fetched"]
    archived = _values(env.db_path)
    recorded = read_ddf(KPI, shared_dir / "recorded" / "kolada-values")
    county = recorded[(recorded.geo == "0001") & (recorded.year == 2008)]
    assert {archived["0001", 2008, g] for g in county.gender} == set(county.value)
    standin.reset()  # today's catalogue: N00713 is gone
    standin.clear_log()
    assert _action(refresh(env, sources=["kolada"])) == ["retired"]
    assert _action(refresh(env, sources=["kolada"])) == ["unchanged"]
    assert not standin.requests("kolada", path=rf"/data/kpi/{KPI}")  # never fetched again
    assert _values(env.db_path) == archived  # its archived values stay
