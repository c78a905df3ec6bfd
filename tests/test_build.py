"""The demo warehouse built by the real parse -> staging -> mart code: keys, ranges, areas, labels."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.archive import Archive
from etl.build import BuildInfo, build
from etl.staging import ParseFailure
from etl.warehouse import RefreshLocked, refresh_lock


def test_observation_key_is_unique(demo_con) -> None:
    dup = demo_con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM mart.observation "
        "GROUP BY indicator, area_code, year, sex, birth_region, age HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dup == 0
    assert demo_con.execute("SELECT count(*) FROM mart.observation").fetchone()[0] > 1_000_000


def _suppressed_nulls(con, where: str = "TRUE") -> int:
    """Suppressed cells among the observations matching `where`, stored as NULL (never 0)."""
    sql = "SELECT count(*) FROM mart.observation WHERE status = 'suppressed' AND value IS NULL"
    return con.execute(f"{sql} AND ({where})").fetchone()[0]


def test_rates_within_0_100_and_missing_never_zero(demo_con) -> None:
    lo, hi = demo_con.execute(
        "SELECT min(value), max(value) FROM mart.observation JOIN mart.indicator USING (indicator) "
        "WHERE unit = 'percent'"
    ).fetchone()
    assert lo >= 0 and hi <= 100
    bad = demo_con.execute(
        "SELECT count(*) FROM mart.observation WHERE status NOT IN ('ok', 'derived') "
        "AND value IS NOT NULL"
    ).fetchone()[0]
    assert bad == 0
    assert _suppressed_nulls(demo_con) > 0


def test_recorded_real_value_wins_over_synthetic(demo_con) -> None:
    row = demo_con.execute(
        "SELECT value, source, source_table, synthetic, series FROM mart.observation "
        "WHERE indicator='employment_rate' AND area_code='0180' AND year=2022 AND sex='total' "
        "AND birth_region='total' AND age='20-64'"
    ).fetchone()
    assert row == (81.1, "scb", "TAB3200", False, "BAS")
    women = dict(demo_con.execute(
        "SELECT year, (value, source_table, synthetic) FROM mart.observation WHERE indicator='employment_rate' "
        "AND area_code='0180' AND year IN (2022, 2023) AND sex='women' AND birth_region='foreign' AND age='20-64'"
    ).fetchall())  # fmt: skip
    assert women[2022] == (69.7, "N02268", False)  # recorded real Kolada beats synthetic SCB
    assert women[2023][1:] == ("TAB3200", True)  # no recording: synthetic
    info = dict(demo_con.execute("SELECT key, value FROM mart.warehouse_info").fetchall())
    assert info["synthetic"] == "partial"


def _hand_rate(con, parent: str, year: int, sex: str, birth: str) -> float:
    members = [m for (m,) in con.execute(
        "SELECT member_code FROM mart.area_membership WHERE parent_code = ?", [parent]).fetchall()]  # fmt: skip
    num = den = 0.0
    for m in members:
        n, d = con.execute(
            "SELECT numerator, denominator FROM mart.observation WHERE indicator='employment_rate' "
            "AND area_code=? AND year=? AND sex=? AND birth_region=? AND age='20-64'",
            [m, year, sex, birth],
        ).fetchone()
        num += n
        den += d
    return round(100 * num / den, 1)


@pytest.mark.parametrize("parent", ["LA2401", "LA2410", "SET_LUA_STHLM", "SET_SODRA_LAPPLAND"])
def test_combined_areas_are_summed_counts(demo_con, parent: str) -> None:
    value, status, aggregation = demo_con.execute(
        "SELECT value, status, aggregation FROM mart.observation WHERE indicator='employment_rate' "
        "AND area_code=? AND year=2023 AND sex='women' AND birth_region='foreign' AND age='20-64'",
        [parent],
    ).fetchone()
    assert (status, aggregation) == ("ok", "summed_counts")
    assert value == _hand_rate(demo_con, parent, 2023, "women", "foreign")
    mean_of_rates = demo_con.execute(
        "SELECT avg(o.value) FROM mart.observation o JOIN mart.area_membership m "
        "ON m.member_code = o.area_code AND m.parent_code = ? WHERE o.indicator='employment_rate' "
        "AND o.year=2023 AND o.sex='women' AND o.birth_region='foreign' AND o.age='20-64'",
        [parent],
    ).fetchone()[0]
    assert abs(mean_of_rates - value) > 1e-9  # not an average of rates


def test_la_regions_use_their_vintage(demo_con) -> None:
    n_la, vintages = demo_con.execute(
        "SELECT count(*), list(DISTINCT vintage) FROM mart.area WHERE level='la_region'"
    ).fetchone()
    assert n_la == 66 and vintages == ["LA2024"]
    first = demo_con.execute(
        "SELECT min(year) FROM mart.observation WHERE area_code LIKE 'LA24%'"
    ).fetchone()[0]
    assert (
        first == 2020
    )  # LA2024 applies from 2020 (seeds/la_vintages.csv); RAMS years are not mapped


def test_series_break_marked_not_spliced(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT year, series, series_break FROM mart.observation WHERE indicator='employment_rate' "
        "AND area_code='0114' AND sex='women' AND birth_region='foreign' AND age='20-64' ORDER BY year"
    ).fetchall()
    series = {y: s for y, s, _ in rows}
    breaks = [y for y, _, b in rows if b]
    # TAB4334 (RAMS 1993-2003 definition), TAB4881 (RAMS; new definition from 2019), then BAS
    assert series[1993] == "RAMS-1993" and series[1997] == "RAMS"
    assert series[2018] == "RAMS" and series[2019] == "RAMS-2019" and series[2020] == "BAS"
    assert breaks == [1997, 2019, 2020]  # every definition change marked, never spliced


def test_regso_kalmar_from_v1_recording(demo_con) -> None:
    areas = demo_con.execute(
        "SELECT count(*), list(DISTINCT municipality_code), list(DISTINCT vintage) FROM mart.area "
        "WHERE level='regso' AND area_code LIKE '0880R%_RegSO2025'"
    ).fetchone()
    assert areas == (17, ["0880"], ["RegSO2025"])
    plain = demo_con.execute(  # TAB6680's RegSO 2020 codes (2020-2023) are their own areas
        "SELECT count(*), list(DISTINCT vintage) FROM mart.area "
        "WHERE level='regso' AND area_code LIKE '0880R___'"
    ).fetchone()
    assert plain == (17, ["RegSO2020"])
    name = demo_con.execute(
        "SELECT name_sv FROM mart.area WHERE area_code='0880R001_RegSO2025'"
    ).fetchone()[0]
    assert name == "Berga"
    row = demo_con.execute(
        "SELECT value, synthetic FROM mart.observation WHERE indicator='employment_rate' "
        "AND area_code='0880R001_RegSO2025' AND year=2024 AND sex='total' AND birth_region='total' "
        "AND age = '20-65'"  # the RegSO integration table's base: 20-65, filed truthfully
    ).fetchone()
    assert row[1] is False and 0 < row[0] < 100
    assert _suppressed_nulls(demo_con, "area_code LIKE '0880R%'") > 0


def test_peer_groups(demo_con) -> None:
    peers = demo_con.execute(
        "SELECT list(area_code ORDER BY area_code) FROM mart.peer_group "
        "WHERE peer_kind='similar_labour_2024' AND owner_code='1440'"
    ).fetchone()[0]
    assert len(peers) == 7 and "1440" not in peers and "0140" in peers
    skr = demo_con.execute(
        "SELECT count(DISTINCT group_id), count(*) FROM mart.peer_group WHERE peer_kind='skr_2023'"
    ).fetchone()
    assert skr == (9, 290)


def test_crosscheck_real_scb_equals_real_kolada(demo_con) -> None:
    n, worst = demo_con.execute(
        "SELECT count(*), max(abs(diff_pp)) FROM mart.crosscheck WHERE scb_table='TAB3200' "
        "AND kolada_kpi='N02267' AND sex='total' AND birth_region='total' AND year BETWEEN 2020 AND 2022 "
        "AND NOT synthetic "
        "AND area_code IN (SELECT area_code FROM mart.area WHERE level='municipality')"
    ).fetchone()
    assert n == 870 and worst == 0


def test_series_provenance(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT source_table, rows, synthetic_rows, synthetic, attribution, notes FROM mart.series "
        "WHERE indicator='employment_rate' AND source_table='TAB3200'"
    ).fetchone()
    assert rows[1] > rows[2] > 0 and rows[3] is False  # partly real
    assert rows[4] == "Källa: SCB"
    assert "skydda enskilda personers uppgifter" in rows[5]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_live_warehouse_intact(demo_db: Path, tmp_path: Path) -> None:
    archive_root = tmp_path / "demo-raw"
    shutil.copytree(demo_db.parent / "demo-raw", archive_root)
    live = tmp_path / "labour.duckdb"
    shutil.copy(demo_db, live)
    before = _digest(live)
    body = next(archive_root.glob("*/scb/TAB3200/0001.body"))
    torn = body.read_bytes()[: len(body.read_bytes()) // 2]  # a torn response, archived as it
    body.write_bytes(torn)  # arrived (its checksum matches: a corrupted archive is another test)
    meta_path = body.with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text("utf-8"))
    meta.update(sha256=hashlib.sha256(torn).hexdigest(), bytes=len(torn))
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ParseFailure, match="TAB3200"):
        build(
            Archive(archive_root),
            live,
            BuildInfo("t", "rebuild", __import__("datetime").datetime.now()),
        )
    assert _digest(live) == before
    assert not list(tmp_path.glob(".labour.duckdb.building-*"))
    con = duckdb.connect(str(live), read_only=True)
    assert con.execute("SELECT count(*) FROM mart.observation").fetchone()[0] > 0
    con.close()


def test_uncommitted_table_is_invisible(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    w = archive.table_writer("20260101T000000000000Z", "scb", "TAB3200")
    from etl.archive import Provenance

    w.add(
        b"{}", Provenance("scb", "TAB3200", "data", "jsonstat2", "u", "2026-01-01T00:00:00+00:00")
    )
    assert archive.current() == []  # no _complete.json yet
    w.commit("2025-11-28")
    assert [t.table_key for t in archive.current()] == ["TAB3200"]
    assert archive.verify() == []


def test_second_writer_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "refresh.lock"
    with (
        refresh_lock(lock),
        pytest.raises(RefreshLocked, match="another refresh"),
        refresh_lock(lock),
    ):
        pass


def test_geometry_levels_and_schematic_regso(demo_con) -> None:
    counts = dict(
        demo_con.execute("SELECT level, count(*) FROM mart.area_geometry GROUP BY level").fetchall()
    )
    assert counts["municipality"] == 290 and counts["county"] == 21 and counts["la_region"] == 66
    assert counts["regso"] > 3000
    regso = demo_con.execute(
        "SELECT bool_and(synthetic), any_value(source) FROM mart.area_geometry WHERE level='regso'"
    ).fetchone()
    assert regso[0] is True and "schematic" in regso[1]
    kalmar = demo_con.execute(
        "SELECT count(*) FROM mart.area_geometry WHERE area_code LIKE '0880R%_RegSO2025'"
    ).fetchone()[0]
    assert kalmar == 17
    real = demo_con.execute(
        "SELECT bool_or(synthetic) FROM mart.area_geometry WHERE level IN ('municipality','county')"
    ).fetchone()[0]
    assert real is False


def test_warehouse_says_which_tables_are_real(demo_con) -> None:
    info = dict(demo_con.execute("SELECT key, value FROM mart.warehouse_info").fetchall())
    partly = info["partly_synthetic_tables"].split(",")
    assert {"TAB3200", "REGSO_LABOUR", "N02267", "N02268"} <= set(partly)
    assert "boundaries_regso" in info["synthetic_tables"].split(",")
    assert "TAB6383" in info["synthetic_tables"].split(",")
    assert info["real_tables"] == "municipality_groups"


def _many_cells(tmp_path: Path, areas: int, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A warehouse whose staging holds one large SCB response: per cell a share, its two counts and
    four other shares; a second source's count codes span every code (as real tables' codes do)."""
    from etl import seeds
    from etl.warehouse import create

    con = create(tmp_path / "cells.duckdb")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.register("code_map_df", seeds.load("code_map"))
    con.execute("CREATE TEMP TABLE code_map AS SELECT * FROM code_map_df")
    con.execute(
        "INSERT INTO raw.response VALUES ('r/scb/T/0000', 'r', 'scb', 'T', 'data', 'u', NULL, "
        "now(), '2026-01-01', 'x', 0, 'p', true)"
    )
    con.execute(
        f"""
        INSERT INTO staging.scb_observation
        SELECT 'r/scb/T/0000', 'T', 'TABT', printf('%04dR%03d_RegSO2025', a // 1000, a % 1000),
               2015 + y, c, s, 'ut', NULL, NULL,
               CASE c WHEN 'RATE' THEN 50 WHEN 'NUM' THEN a * 10 + y ELSE a * 10 + y + 1 END, 'ok'
        FROM range({areas}) t(a), range(10) u(y), (VALUES ('1'), ('2'), ('1+2')) v(s),
             (VALUES ('RATE'), ('NUM'), ('DEN'), ('S1'), ('S2'), ('S3'), ('S4')) w(c)
        """
    )
    con.execute(
        "CREATE TEMP TABLE scb_sources AS SELECT 'employment_rate' AS indicator, 'T' AS table_key, "
        "'RATE' AS content_code, 'NUM' AS numerator_code, 'DEN' AS denominator_code, 1 AS priority, "
        "NULL AS series, NULL AS default_age, 0 AS first_year, 9999 AS last_year UNION ALL "
        "SELECT 'employment_rate', 'U', 'RATE', 'A', 'Z', 2, NULL, NULL, 0, 9999"
    )
    return con


def test_scb_counts_of_a_large_response_are_found_within_a_small_memory_limit(
    tmp_path: Path,
) -> None:
    """2.1M staging rows under a 64 MB DuckDB limit: every share finds its own cell's two counts."""
    from etl import mart

    con = _many_cells(tmp_path, 10_000, "64MB")
    mart._scb_candidates(con)
    n, wrong = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE numerator IS DISTINCT FROM "
        "(CAST(left(area_code, 4) AS INT) * 1000 + CAST(area_code[6:8] AS INT)) * 10 + year - 2015 "
        "OR denominator IS DISTINCT FROM numerator + 1) FROM work.candidates"
    ).fetchone()
    assert n == 10_000 * 10 * 3 and wrong == 0
