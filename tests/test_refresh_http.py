"""End to end: `refresh` over real HTTP against the local stand-in, with faults; old data stays intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from etl import pipeline, runlog, seeds
from etl.cli import app
from etl.pipeline import refresh
from etl.settings import PROJECT_ROOT, Settings
from etl.warehouse import refresh_lock
from tests.catalogue import use_catalogue

SCB_TABLES = ["TAB3200", "REGSO_LABOUR"]
KPIS = ["N02267", "N02268"]


@pytest.fixture
def small_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refresh a subset of the seeds (one register table, the discovered RegSO table, two KPIs)."""
    use_catalogue(monkeypatch, tuple(SCB_TABLES), tuple(KPIS))


@pytest.fixture
def env(standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_catalogue) -> Settings:
    """Settings pointing at the stand-in and a fresh data folder; fast retries."""
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    monkeypatch.setenv("LABOURDASH_HTTP_RETRIES", "2")
    monkeypatch.setenv("LABOURDASH_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("LABOURDASH_HTTP_TIMEOUT", "5")  # covers connect + headers + body
    standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
    standin.set_page_sizes(kolada=20)  # forces next_url paging
    return Settings()


@pytest.fixture(scope="module")
def baseline(refreshed) -> Path:
    """A data folder after one successful refresh against the stand-in (copied by tests)."""
    return refreshed(tuple(SCB_TABLES), tuple(KPIS))


def _copy_baseline(baseline: Path, settings: Settings) -> str:
    shutil.copytree(baseline, settings.data_dir, dirs_exist_ok=True)
    return _digest(settings.db_path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _readable(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM mart.observation").fetchone()[0]
    finally:
        con.close()


def test_full_refresh_over_http(env: Settings, standin) -> None:
    report = refresh(env)
    assert {(c["table_key"], c["action"]) for c in report["changes"]} == {
        ("TAB3200", "fetched"), ("REGSO_LABOUR", "fetched"), ("municipality_groups", "fetched"),
        ("N02267", "fetched"), ("N02268", "fetched"), ("boundaries_regso", "fetched"),
    }  # fmt: skip
    assert report["status"] == "ok" and report["failed_units"] == []
    con = duckdb.connect(str(env.db_path), read_only=True)
    # the stand-in generates values for selections it has no recording of: they arrive marked and
    # stay labelled synthetic all the way to the mart
    assert (
        con.execute(
            "SELECT count(*) FILTER (WHERE NOT synthetic), count(*) FROM mart.observation WHERE source='scb'"
        ).fetchone()[0]
        == 0
    )
    # the stand-in's Kolada KPIs are real recordings, and a real value beats a synthetic one in the
    # mart: the warehouse holds both kinds
    real_rows = con.execute(
        "SELECT count(*) FROM mart.observation WHERE NOT synthetic AND source='kolada'"
    ).fetchone()[0]
    assert real_rows > 0
    assert (
        con.execute("SELECT value FROM mart.warehouse_info WHERE key='synthetic'").fetchone()[0]
        == "partial"
    )
    real_kolada = con.execute(
        "SELECT kolada_value, synthetic FROM mart.crosscheck WHERE kolada_kpi='N02267' AND area_code='0180' "
        "AND year=2022 AND sex='total'"
    ).fetchall()
    assert real_kolada == []  # real Kolada values are never compared with made-up SCB ones
    # provenance of every raw response: url, query, fetch time, updated stamp, checksum of the file
    raw = con.execute(
        "SELECT url, query, fetched_at, updated, sha256, path, kind FROM raw.response"
    ).df()
    assert raw.url.str.startswith(standin.base_url).all()
    data = raw[raw.kind == "data"]
    assert (data.updated.notna()).all() and data["query"].notna().all()
    for row in raw.itertuples():
        assert hashlib.sha256(Path(row.path).read_bytes()).hexdigest() == row.sha256
    # the RegSO table was found by search, and every data call stayed under the cell limit
    assert (
        con.execute(
            "SELECT count(DISTINCT area_code) FROM mart.observation WHERE area_code LIKE '____R___%'"
        ).fetchone()[0]
        > 3000
    )
    con.close()
    assert standin.requests("scb", path=r"/tables$")
    posts = standin.requests("scb", method="POST")
    assert posts and all(
        pd.Series([len(s["valueCodes"]) for s in p.body["selection"]]).prod() <= 150_000
        for p in posts
    )
    # Kolada: several pages per request chain, all followed
    pages = standin.requests("kolada", path=r"/data/kpi/")
    assert any(p.query.get("page") == "2" for p in pages)
    assert all(max(len(seg.split(",")) for seg in p.route.split("/")) <= 25 for p in pages)
    assert runlog.last(env.run_log)["status"] == "ok"


def test_incremental_refresh_skips_unchanged(env: Settings, standin, baseline: Path) -> None:
    before = _copy_baseline(baseline, env)
    report = refresh(env)
    fetched = [
        (c["table_key"], c["detail"]) for c in report["changes"] if c["action"] != "unchanged"
    ]
    assert fetched == []
    assert _digest(env.db_path) == before  # nothing changed: no rebuild
    standin.set_updated("TAB3200", "2026-11-20T07:00:00Z")
    standin.clear_log()
    report = refresh(env)
    fetched = [c["table_key"] for c in report["changes"] if c["action"] == "fetched"]
    assert fetched == ["TAB3200"]
    assert not standin.requests("scb", method="POST", path="TAB9901")
    con = duckdb.connect(str(env.db_path), read_only=True)
    assert (
        con.execute(
            "SELECT max(source_updated) FROM mart.series WHERE source_table='TAB3200'"
        ).fetchone()[0]
        == "2026-11-20T07:00:00Z"
    )
    con.close()
    full = refresh(env, full=True)
    assert {c["action"] for c in full["changes"]} == {"fetched"}


def test_429_with_retry_after_recovers(env: Settings, standin, baseline: Path) -> None:
    _copy_baseline(baseline, env)
    standin.set_updated("TAB3200", "2026-11-20T07:00:00Z")
    standin.fault(r"/tables/TAB3200/data", "429", times=1, retry_after=1)
    start = time.monotonic()
    refresh(env, sources=["scb"])
    assert time.monotonic() - start >= 1.0
    statuses = [r.status for r in standin.requests("scb", path="TAB3200/data")]
    assert statuses[0] == 429 and 200 in statuses


def _unit_archive(data_dir: Path, source: str, key: str) -> dict[str, str]:
    """sha256 of every committed file of a unit's current archive version."""
    from etl.archive import Archive

    table = Archive(data_dir / "raw").current_by_key()[(source, key)]
    return {r.path.name: hashlib.sha256(r.path.read_bytes()).hexdigest() for r in table.responses}


def _mart_rows(db: Path, source_table: str) -> list[tuple]:
    """A unit's rows: in mart.observation for SCB, in staging for Kolada (SCB wins the mart keys)."""
    con = duckdb.connect(str(db), read_only=True)
    sql = (
        "SELECT kpi, area_code, year, gender, value FROM staging.kolada_observation WHERE kpi = ?"
        if source_table.startswith("N")
        else "SELECT indicator, area_code, year, sex, birth_region, age, value, source_updated "
        "FROM mart.observation WHERE source_table = ?"
    )
    try:
        return con.execute(sql + " ORDER BY ALL", [source_table]).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(
    "kind, pattern, unit, message",
    [
        ("500", r"/tables/TAB3200/data", ("scb", "TAB3200"), "HTTP 500"),
        ("timeout", r"/tables/TAB3200/metadata", ("scb", "TAB3200"), "timed out"),
        ("truncated", r"/tables/TAB3200/data", ("scb", "TAB3200"), "TAB3200"),
        ("malformed_json", r"/data/kpi/N02268", ("kolada", "N02268"), "JSON"),
    ],
)
def test_a_failing_unit_keeps_its_data_and_the_others_go_on(
    env: Settings, standin, baseline: Path, kind, pattern, unit, message
) -> None:
    _copy_baseline(baseline, env)
    source, key = unit
    source_table = key
    kept_archive = _unit_archive(env.data_dir, source, key)
    kept_rows = _mart_rows(env.db_path, source_table)
    standin.set_updated("TAB3200", "2026-11-20T07:00:00Z")
    standin.revise_kpi("N02268", date.today().isoformat(), shift=0.5)
    standin.revise_kpi("N02267", date.today().isoformat(), shift=0.5)
    standin.fault(pattern, kind, times=None, delay=8)
    report = refresh(env)
    assert report["status"] == "partial"
    [failed] = [c for c in report["changes"] if c["action"] == "failed"]
    assert (failed["source"], failed["table_key"]) == unit and message.lower() in failed[
        "detail"
    ].lower()
    assert _unit_archive(env.data_dir, source, key) == kept_archive
    assert _mart_rows(env.db_path, source_table) == kept_rows and kept_rows
    other = "N02267" if key == "TAB3200" else "TAB3200"
    assert any(c["table_key"] == other and c["action"] == "fetched" for c in report["changes"])
    assert runlog.last(env.run_log)["status"] == "partial"
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 4 and f"{source}:{key}" in result.output
    standin.clear_faults()
    again = refresh(env)  # the next night, with the fault cleared, everything is fresh
    assert again["status"] == "ok"
    assert any(c["table_key"] == key and c["action"] == "fetched" for c in again["changes"])


def test_cli_refresh_exit_codes(env: Settings, standin, baseline: Path) -> None:
    before = _copy_baseline(baseline, env)
    runner = CliRunner()
    with refresh_lock(env.lock_path):
        locked = runner.invoke(app, ["refresh"])
    assert locked.exit_code == 3 and "another refresh is running" in locked.output
    standin.fault(r"/(scb|geodata)/", "500", times=None)
    failed = runner.invoke(app, ["refresh", "--source", "scb"])
    assert failed.exit_code == 1 and "previous warehouse is unchanged" in failed.output
    assert "every unit failed" in failed.output and _digest(env.db_path) == before
    standin.clear_faults()
    standin.fault(r"/config", "500", times=None)
    partial = runner.invoke(app, ["refresh", "--source", "scb"])
    assert partial.exit_code == 4 and "refresh partial: 2 unit(s) failed" in partial.output
    standin.clear_faults()
    ok = runner.invoke(app, ["refresh"])
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(app, ["status"]).exit_code == 0


def test_killed_refresh_leaves_previous_warehouse(env: Settings, standin, baseline: Path) -> None:
    before = _copy_baseline(baseline, env)
    standin.set_updated("TAB3200", "2026-11-20T07:00:00Z")
    standin.fault(r"/tables/TAB3200/data", "timeout", times=None, delay=4)
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "refresh", "--source", "scb"],
        env={**os.environ, "LABOURDASH_HTTP_TIMEOUT": "30"}, cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not standin.requests("scb", path="TAB3200/data") and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert _digest(env.db_path) == before and _readable(env.db_path) > 0
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1 and "interrupted" in result.output
    standin.clear_faults()
    assert refresh(env)["changes"]  # the next run succeeds and no half-written table was used
    assert not list(env.data_dir.glob(".labour.duckdb.building-*"))


DRIFT_TABLES = ["TAB3200", "TAB6384", "TAB389", "REGSO_LABOUR"]


@pytest.fixture
def drift_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Four SCB tables, no KPIs: each gets its own drift."""
    tables = seeds.load("scb_tables")  # `env` already narrowed seeds.scb_tables()
    monkeypatch.setattr(
        pipeline.seeds, "scb_tables", lambda: tables[tables.table_key.isin(DRIFT_TABLES)]
    )
    monkeypatch.setattr(pipeline.seeds, "kolada_kpis", lambda: [])


def test_drift_fails_only_its_unit_and_new_codes_are_reported(
    env: Settings, standin, drift_catalogue
) -> None:
    from tests.standin.data import REGSO_TABLE_ID

    first = refresh(env, sources=["scb"])
    assert first["status"] == "ok"
    standin.drift("TAB6384", drop_codes={"BakgrVar": ["SE"]})  # a selected code disappeared
    standin.drift("TAB389", rename_codes={"ContentsCode": {"0000001X": "0000001Z"}})  # content code
    standin.drift(REGSO_TABLE_ID, rename_variables={"Kon": "Kön"})  # a renamed variable
    standin.drift("TAB3200", add_codes={"Region": {"2599": "Nyköping-Ny (made up)"}})  # new code
    report = refresh(env, sources=["scb"])
    assert report["status"] == "partial"
    failed = {c["table_key"]: c["detail"] for c in report["changes"] if c["action"] == "failed"}
    assert set(failed) == {"TAB6384", "TAB389", "REGSO_LABOUR"}
    assert "TAB6384: code SE of variable BakgrVar is not in the table" in failed["TAB6384"]
    assert "code 0000001X of variable ContentsCode is not in the table" in failed["TAB389"]
    assert "variables changed: -Kon, +Kön" in failed["REGSO_LABOUR"]
    [tab3200] = [c for c in report["changes"] if c["table_key"] == "TAB3200"]
    assert tab3200["action"] == "fetched" and "new Region codes: 2599" in tab3200["detail"]
    assert report["unmapped"]["scb:TAB3200"] == {
        "Region=2599": 3 * 3 * 3 * 7 * 5
    }  # 1 region: reported
    status = CliRunner().invoke(app, ["status", "--json"])
    units = {f"{u['source']}:{u['key']}": u for u in json.loads(status.output)["units"]}
    assert status.exit_code == 4 and units["scb:TAB389"]["state"] == "failed"
    assert units["scb:TAB3200"]["new_codes"] == {"Region": ["2599"]}


ONLY_N02268_FETCHED = {
    "municipality_groups": "unchanged",
    "N02267": "unchanged",
    "N02268": "fetched",
}


def _kolada_actions(env: Settings) -> dict[str, str]:
    """Refresh Kolada alone; the action per unit."""
    return {c["table_key"]: c["action"] for c in refresh(env, sources=["kolada"])["changes"]}


def test_kolada_fetches_only_changes_since_the_last_success(
    env: Settings, standin, baseline: Path
) -> None:
    _copy_baseline(baseline, env)
    today = date.today().isoformat()
    before = _mart_rows(env.db_path, "N02268")
    assert any(r[1] == "0180" for r in before)
    standin.revise_kpi("N02268", today, areas=["0180"], deleted=True)
    standin.clear_log()
    assert _kolada_actions(env) == ONLY_N02268_FETCHED
    asked = {r.query.get("from_date") for r in standin.requests("kolada", path=r"/data/kpi/")}
    assert asked == {today}  # the date of the last success, not the publication date
    after = _mart_rows(env.db_path, "N02268")
    assert [r for r in after if r[1] != "0180"] == [r for r in before if r[1] != "0180"]
    assert not [r for r in after if r[1] == "0180"]  # isdeleted rows are dropped
    standin.retire_kpi("N02267")
    standin.clear_log()
    first = refresh(env, sources=["kolada"])
    second = refresh(env, sources=["kolada"])
    assert [c["action"] for c in first["changes"] if c["table_key"] == "N02267"] == ["retired"]
    assert [c["action"] for c in second["changes"] if c["table_key"] == "N02267"] == ["unchanged"]
    assert not standin.requests("kolada", path=r"/data/kpi/N02267")  # not fetched once retired
    assert _mart_rows(env.db_path, "N02267")  # its archived values are kept
    standin.clear_log()
    full = refresh(env, sources=["kolada"], full=True)
    assert all(
        "from_date" not in r.query for r in standin.requests("kolada", path=r"/data/kpi/N02268")
    )
    assert {c["action"] for c in full["changes"] if c["table_key"] == "N02268"} == {"fetched"}


def test_kolada_change_check_is_batched_and_falls_back_per_kpi(
    env: Settings, standin, baseline: Path
) -> None:
    _copy_baseline(baseline, env)
    standin.clear_log()
    report = refresh(env, sources=["kolada"])
    assert {c["action"] for c in report["changes"]} == {"unchanged"}
    data_calls = standin.requests("kolada", path=r"/data/")
    # one call per 25 KPIs x 25 years, for every municipality at once (no municipality segment)
    years = date.today().year + 1 - seeds.first_year("kolada")
    assert len(data_calls) == -(-years // 25)
    assert all("/municipality/" not in r.path and r.path.startswith("/kolada/v3/data/kpi/N02267,N02268/year/")
               for r in data_calls)  # fmt: skip
    standin.revise_kpi("N02268", date.today().isoformat(), areas=["0180"], shift=0.5)
    standin.clear_log()
    assert _kolada_actions(env) == ONLY_N02268_FETCHED
    assert not standin.requests("kolada", path=r"/data/kpi/N02267/")  # not fetched on its own
    assert standin.requests("kolada", path=r"/data/kpi/N02268/municipality/")
    # the batched check failing costs nothing but time: each KPI is checked on its own, as before
    standin.fault(r"/data/kpi/N02267,N02268/year/", 500, times=None)
    standin.revise_kpi("N02267", date.today().isoformat(), areas=["0180"], shift=0.5)
    report = refresh(env, sources=["kolada"])
    assert report["status"] == "ok"
    actions = {c["table_key"]: c["action"] for c in report["changes"]}
    assert actions["N02267"] == "fetched"
