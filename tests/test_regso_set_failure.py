"""A renamed or unknown RegSO vintage fails only the RegSO sets it touches: loudly, reported like a
failed unit (mart.unit_status, a partial run), while the other sets and the rest of the build go on;
the LUA view says why."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import regso_sets, seeds
from etl.archive import Archive
from etl.build import BuildInfo, build

ALL_MEMBERS = set(seeds.load("regso_sets").regso_code)


def _with_member(monkeypatch, set_code: str, old: str, new: str) -> None:
    """seeds/regso_sets.csv with one member's code changed (as if the seeds named a lost area)."""
    real_load = seeds.load
    members = real_load("regso_sets").copy()
    members.loc[(members.set_code == set_code) & (members.regso_code == old), "regso_code"] = new

    def load(name: str) -> pd.DataFrame:
        return members if name == "regso_sets" else real_load(name)

    monkeypatch.setattr(regso_sets.seeds, "load", load)


def test_a_member_missing_from_the_data_fails_its_set_and_the_set_of_sets(monkeypatch) -> None:
    _with_member(monkeypatch, "lua_fittja", "0127R005", "0127R099")
    data = ALL_MEMBERS | {c + "_RegSO2025" for c in ALL_MEMBERS}
    rows, failed = regso_sets.members_by_set(data, range(2020, 2025))
    assert set(failed) == {"lua_fittja", "lua_stockholm"}
    assert "lua_fittja: RegSO 0127R099" in failed["lua_fittja"]
    assert "regso_code_changes.csv" in failed["lua_fittja"]
    assert "lua_fittja failed" in failed["lua_stockholm"]
    assert "lua_fittja" not in set(rows.parent_code)
    assert {"lua_alby", "lua_husby"} <= set(rows.parent_code)  # the other districts stay
    assert "lua_stockholm" not in set(rows.grand_parent)  # no set of sets without a district
    with pytest.raises(regso_sets.RegsoVintageError, match=r"lua_fittja: RegSO 0127R099"):
        regso_sets.member_codes(data, range(2020, 2025))  # the strict form still fails loudly


def test_unknown_vintage_fails_only_the_sets_of_its_municipalities() -> None:
    data = ALL_MEMBERS | {"0127R001_RegSO2030", "0127R002_RegSO2030"}  # Botkyrka only
    rows, failed = regso_sets.members_by_set(data, range(2020, 2031))
    botkyrka = {"lua_alby", "lua_fittja", "lua_hallunda_norsborg"}
    assert botkyrka <= set(failed) and "lua_stockholm" in failed
    assert all("_RegSO2030" in failed[s] and "regso_vintages.csv" in failed[s] for s in botkyrka)
    assert "lua_husby" not in failed and "lua_husby" in set(rows.parent_code)


def test_build_goes_on_without_the_failed_set(monkeypatch, demo_db: Path, tmp_path, caplog) -> None:
    _with_member(monkeypatch, "lua_fittja", "0127R005", "0127R099")
    out = tmp_path / "labour.duckdb"
    info = BuildInfo("test-run", "rebuild", datetime.now(UTC))
    with caplog.at_level(logging.ERROR, logger="etl.regso_sets"):
        report = build(Archive(demo_db.parent / "demo-raw"), out, info)
    assert any("lua_fittja" in r.getMessage() and "0127R099" in r.getMessage()
               for r in caplog.records)  # fmt: skip
    assert [s.split(":")[1] for s in report["failed_sets"]] == ["lua_fittja", "lua_stockholm"]
    con = duckdb.connect(str(out), read_only=True)
    try:
        n = dict(con.execute(
            "SELECT area_code, count(value) FROM mart.observation WHERE area_code IN "
            "('lua_fittja', 'lua_stockholm', 'lua_stockholm_rest', 'lua_alby', '0127') "
            "AND year >= 2020 GROUP BY 1"  # 1997-2018: SCB's own district table, not RegSO sets
        ).fetchall())  # fmt: skip
        units = con.execute(
            "SELECT unit_key, state, error FROM mart.unit_status WHERE source = 'regso_set' "
            "ORDER BY unit_key"
        ).fetchall()
        run = con.execute("SELECT status FROM mart.etl_run").fetchone()[0]
        areas = {a for (a,) in con.execute("SELECT area_code FROM mart.area WHERE area_code LIKE 'lua_%'").fetchall()}  # fmt: skip
        decomposed = con.execute("SELECT count(*) FROM mart.gap_decomposition").fetchone()[0]
    finally:
        con.close()
    assert n.get("lua_fittja", 0) == 0 and n.get("lua_stockholm", 0) == 0
    assert n.get("lua_stockholm_rest", 0) == 0  # no rest of the county without a whole set
    assert n["lua_alby"] > 0 and n["0127"] > 0  # the other districts and the build are in
    assert [u[:2] for u in units] == [("lua_fittja", "failed"), ("lua_stockholm", "failed")]
    assert "0127R099" in units[0][2]
    assert run == "partial" and decomposed > 0
    assert {"lua_fittja", "lua_stockholm"} <= areas  # the areas exist so views can say why

    from dashboard.core import db, queries
    from dashboard.views.lua import render as lua
    from dashboard.views.lua.state import parse_lua

    previous = db.db_path()
    db.configure(out)
    try:
        cat = queries.catalogue()
        state, _ = parse_lua({"ind": "employment_rate"}, cat)
        shown = lua.render_lua(state, cat, "en")
        assert "could not be built" in shown.notes[0] and "0127R099" in shown.notes[0]
        texts = [
            (a.text or "").replace("<br>", " ") for a in shown.figures["chart"].layout.annotations
        ]
        if not any(len(t.x or ()) for t in shown.figures["chart"].data):
            assert any("could not be built" in x for x in texts)
        else:  # SCB's own district table 1997-2018 is drawn; nothing of the failed RegSO era
            name = cat.area_name("lua_stockholm", "en")
            sets = [t for t in shown.figures["chart"].data if name in str(t.name)]
            years = {int(x) for t in sets for x in (t.x or ())}
            assert sets and max(years) <= 2018
    finally:
        db.configure(previous)
