"""staging -> mart: map source codes to the product's names, pick one source per key, mark breaks."""

from __future__ import annotations

import json
import logging
import re

import duckdb
import pandas as pd

from etl import seeds
from etl.areas import kolada_to_area
from etl.row_provenance import (
    CALIBRATED_ON,
    PROVENANCE_SQL,
    calibrated_cells,
    with_provenance_column,
)
from etl.uncertainty import INSERT_OBSERVATION, UNIT_SCALE, interval_sql
from etl.wide import SORT_OBSERVATIONS

log = logging.getLogger(__name__)


def load_seed_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Copy labels and the indicator catalogue into mart; code maps into temp tables."""
    con.register("labels_df", seeds.load("labels").assign(sort=lambda d: d["sort"].astype(int)))
    con.execute(
        "INSERT INTO mart.label SELECT dimension, value, sort, kind, name_sv, name_en FROM labels_df"
    )
    ind = seeds.load("indicators")
    ind = ind.assign(
        decimals=ind.decimals.astype(int),
        higher_is_better=ind.higher_is_better.map({"1": True, "0": False, "": None}),
    )
    con.register("ind_df", ind)
    con.execute(
        "INSERT INTO mart.indicator SELECT indicator, unit, decimals, higher_is_better, name_sv, "
        "name_en, definition_sv, definition_en FROM ind_df"
    )
    con.register("sources_df", seeds.load("sources"))
    con.execute("CREATE OR REPLACE TEMP TABLE sources AS SELECT * FROM sources_df")
    con.register("code_map_df", seeds.load("code_map"))
    con.execute("CREATE OR REPLACE TEMP TABLE code_map AS SELECT * FROM code_map_df")


def _resolve_scb_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """indicator_sources rows for SCB with content codes resolved (label regex -> codes)."""
    src = seeds.indicator_sources("scb")
    labels = con.execute(
        "SELECT table_key, code, coalesce(label_sv, label_en, '') AS label FROM staging.scb_label "
        "WHERE variable = 'ContentsCode'"
    ).df()
    tables = seeds.scb_tables().set_index("table_key")
    rows = []
    for s in src.itertuples():
        if tables.area_level.get(s.table_key) == "lua_district":
            continue  # SCB's district tables: etl/lua_history.py maps their areas by label
        if s.content_code:
            codes = [s.content_code]
        else:
            lab = labels[labels.table_key == s.table_key]
            codes = list(lab.code[lab.label.str.contains(s.content_label, flags=re.I, regex=True)])
        for code in codes:
            rows.append(
                (s.indicator, s.table_key, code, s.numerator_code or None, s.denominator_code or None,
                 int(s.priority), s.series or None, tables.default_age.get(s.table_key) or None,
                 int(s.first_year or 0), int(s.last_year or 9999))
            )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["indicator", "table_key", "content_code", "numerator_code", "denominator_code",
                 "priority", "series", "default_age", "first_year", "last_year"],
    )  # fmt: skip


CELL_KEY = ("area_code", "year", "sex_code", "birth_code", "age_code", "education_code")

# One row per cell (response, area, year and the other codes) of the count contents that SCB rows
# name as numerator or denominator, one column per count code: the SCB query then finds a row's
# counts with one join on this small table, not two self-joins over all of staging (whose hash
# tables outgrew DuckDB's memory limit on large archives).
CELLS_SQL = """
CREATE TABLE work.scb_cells AS
SELECT o.response_id, o.area_code, o.year, coalesce(o.sex_code, '') AS sex_code,
       coalesce(o.birth_code, '') AS birth_code, coalesce(o.age_code, '') AS age_code,
       coalesce(o.education_code, '') AS education_code{columns}
FROM staging.scb_observation o
SEMI JOIN (SELECT table_key, numerator_code AS code FROM scb_sources
           UNION SELECT table_key, denominator_code FROM scb_sources) c
  ON c.table_key = o.table_key AND c.code = o.content_code
GROUP BY ALL
"""

SCB_SQL = """
INSERT INTO work.candidates
SELECT m.indicator, s.area_code, s.year,
       coalesce(sx.value, 'total') AS sex,
       coalesce(br.value, 'total') AS birth_region,
       coalesce(ag.value, m.default_age, '20-64') AS age,
       s.value, {numerator} AS numerator, {denominator} AS denominator, s.status,
       'scb' AS source, s.table_id AS source_table, m.series, m.priority,
       r.fetched_at, r.updated AS source_updated, r.synthetic,
       (s.sex_code IS NOT NULL AND sx.value IS NULL) OR (s.birth_code IS NOT NULL AND br.value IS NULL)
         OR (s.age_code IS NOT NULL AND ag.value IS NULL) AS unmapped
FROM staging.scb_observation s
JOIN scb_sources m ON m.table_key = s.table_key AND m.content_code = s.content_code
 AND s.year BETWEEN m.first_year AND m.last_year
JOIN raw.response r ON r.response_id = s.response_id
LEFT JOIN work.scb_cells c ON c.response_id = s.response_id AND {cell_key}
LEFT JOIN code_map sx ON sx.source = 'scb' AND sx.dimension = 'sex' AND sx.code = s.sex_code
LEFT JOIN code_map br ON br.source = 'scb' AND br.dimension = 'birth_region' AND br.code = s.birth_code
LEFT JOIN code_map ag ON ag.source = 'scb' AND ag.dimension = 'age' AND ag.code = s.age_code
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scb_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """SCB rows into work.candidates, each with its numerator and denominator from work.scb_cells."""
    codes = [c for (c,) in con.execute(
        "SELECT DISTINCT code FROM (SELECT numerator_code AS code FROM scb_sources UNION ALL "
        "SELECT denominator_code FROM scb_sources) WHERE code IS NOT NULL ORDER BY 1"
    ).fetchall()]  # fmt: skip
    columns = "".join(
        f",\n       max(o.value) FILTER (WHERE o.content_code = {_literal(c)}) AS count_{i}"
        for i, c in enumerate(codes)
    )
    con.execute(CELLS_SQL.format(columns=columns))

    def count_of(role: str) -> str:
        whens = " ".join(f"WHEN {_literal(c)} THEN c.count_{i}" for i, c in enumerate(codes))
        return f"CASE m.{role}_code {whens} END" if codes else "NULL::DOUBLE"

    cell_key = " AND ".join(
        f"c.{k} = s.{k}" if k in ("area_code", "year") else f"c.{k} = coalesce(s.{k}, '')"
        for k in CELL_KEY
    )
    con.execute(SCB_SQL.format(numerator=count_of("numerator"),
                               denominator=count_of("denominator"), cell_key=cell_key))  # fmt: skip


KOLADA_SQL = """
INSERT INTO work.candidates
SELECT m.indicator, area_of(k.area_code), k.year, coalesce(sx.value, 'total'), m.birth_region,
       m.age, k.value, NULL, NULL, k.status, 'kolada', k.kpi, m.series, m.priority,
       r.fetched_at, r.updated, r.synthetic, sx.value IS NULL
FROM staging.kolada_observation k
JOIN kolada_sources m ON m.table_key = k.kpi
 AND k.year BETWEEN coalesce(TRY_CAST(m.first_year AS INTEGER), 0) AND coalesce(TRY_CAST(m.last_year AS INTEGER), 9999)
JOIN raw.response r ON r.response_id = k.response_id
LEFT JOIN code_map sx ON sx.source = 'kolada' AND sx.dimension = 'sex' AND sx.code = k.gender
"""

PICK_SQL = f"""
{INSERT_OBSERVATION}
SELECT indicator, c.area_code, year, sex, birth_region, age, value, numerator, denominator, status,
       source, source_table, series,
       false AS series_break, 'published', fetched_at, source_updated, synthetic
FROM (
    SELECT * FROM work.candidates WHERE NOT unmapped
    QUALIFY row_number() OVER (
        PARTITION BY indicator, area_code, year, sex, birth_region, age
        -- a cell the preferred source left empty (not suppressed) falls back to the next source;
        -- a suppressed cell ('..') is never filled from another source; a real value (even a
        -- suppressed one) beats a synthetic one whatever the priority (only the demo has both)
        ORDER BY (value IS NULL AND status = 'missing'), synthetic, priority, fetched_at DESC,
                 source_table) = 1
) c
SEMI JOIN mart.area a ON a.area_code = c.area_code
"""


def build_observations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fill candidates (schema.sql) and mart.observation from staging; return the counts."""
    con.register("scb_sources_df", _resolve_scb_sources(con))
    con.execute("CREATE OR REPLACE TEMP TABLE scb_sources AS SELECT * FROM scb_sources_df")
    kol = seeds.indicator_sources("kolada")
    con.register(
        "kolada_sources_df",
        kol.assign(priority=kol.priority.astype(int), series=kol.series.replace("", None)),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE kolada_sources AS SELECT * FROM kolada_sources_df")
    con.create_function("area_of", kolada_to_area, ["VARCHAR"], "VARCHAR", side_effects=False)
    _scb_candidates(con)
    con.execute(KOLADA_SQL)
    candidates, unmapped = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE unmapped) FROM work.candidates"
    ).fetchone()
    dropped = con.execute(
        "SELECT source || ':' || source_table, count(*) FILTER (WHERE unmapped), "
        "count(*) FILTER (WHERE NOT unmapped AND area_code NOT IN (SELECT area_code FROM mart.area)) "
        "FROM work.candidates GROUP BY 1 HAVING count(*) FILTER (WHERE unmapped) > 0 "
        "OR count(*) FILTER (WHERE NOT unmapped AND area_code NOT IN (SELECT area_code FROM mart.area)) > 0 "
        "ORDER BY 1"
    ).fetchall()
    con.execute(PICK_SQL)
    kept = con.execute("SELECT count(*) FROM mart.observation").fetchone()[0]
    return {
        "candidates": candidates,
        "unmapped_codes": unmapped,
        "published": kept,
        "not_loaded": {t: {"unmapped_codes": u, "unknown_areas": a} for t, u, a in dropped},
    }


BREAK = (
    "coalesce(series IS NOT NULL AND lag(series) OVER w IS NOT NULL AND series <> lag(series) OVER w, "
    "false)"
)


LINE = "indicator, area_code, sex, birth_region, age"


def rewrite_with_breaks(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite mart.observation once: series_break over the whole line, ci_low/ci_high, sorted.

    series_break is recomputed for published and derived rows alike. Only a line with two series
    can break, so the window runs over those lines alone and the rewrite joins their breaks. The
    table is renamed and refilled in SORT_OBSERVATIONS order (zone maps then let an area filter
    read only its row groups): one ordered insert, no copy and no UPDATE of the whole table. The
    rewrite adds the last column, `provenance` (see `provenance_sql`).
    """
    ddl = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE schema_name = 'mart' AND table_name = 'observation'"
    ).fetchone()[0]
    con.execute(
        f"""
        CREATE TEMP TABLE series_breaks AS
        SELECT {LINE}, year FROM (
            SELECT {LINE}, year, {BREAK} AS brk FROM mart.observation
            SEMI JOIN (SELECT {LINE} FROM mart.observation GROUP BY ALL
                       HAVING count(DISTINCT series) > 1) USING ({LINE})
            WINDOW w AS (PARTITION BY {LINE} ORDER BY year)
        ) WHERE brk
        """
    )
    calibrated_cells(con)
    con.execute("ALTER TABLE mart.observation RENAME TO observation_unsorted")
    con.execute(with_provenance_column(ddl))
    low, high = interval_sql("o.", "u.scale")
    con.register("unit_scale_df", pd.DataFrame(list(UNIT_SCALE.items()), columns=["unit", "scale"]))
    con.execute(
        "INSERT INTO mart.observation SELECT o.* REPLACE (b.year IS NOT NULL AS series_break, "
        f"{low} AS ci_low, {high} AS ci_high), {PROVENANCE_SQL} "
        f"FROM mart.observation_unsorted o LEFT JOIN series_breaks b USING ({LINE}, year) "
        f"LEFT JOIN calibrated_cells k ON {CALIBRATED_ON} "
        "LEFT JOIN mart.indicator i ON i.indicator = o.indicator "
        "LEFT JOIN unit_scale_df u ON u.unit = i.unit "
        f"ORDER BY {', '.join('o.' + c.strip() for c in SORT_OBSERVATIONS.split(','))}"
    )
    con.unregister("unit_scale_df")
    con.execute("DROP TABLE mart.observation_unsorted")
    con.execute("DROP TABLE series_breaks")
    con.execute("DROP TABLE calibrated_cells")


def build_series(
    con: duckdb.DuckDBPyConnection, notes: dict[str, list[str]], titles: dict[str, str]
) -> int:
    """Fill mart.series: one row per indicator x source table/KPI, provenance and seeds/sources.csv."""
    con.execute(
        """
        INSERT INTO mart.series
        SELECT o.indicator, o.source, o.source_table, NULL, max(o.series), min(o.year), max(o.year),
               count(*), count(*) FILTER (WHERE o.synthetic), max(o.source_updated), max(o.fetched_at),
               NULL, bool_and(o.synthetic), any_value(s.attribution_sv), NULL,
               any_value(s.licence), any_value(TRY_CAST(nullif(s.noise_from_year, '') AS INTEGER))
        FROM mart.observation o JOIN sources s ON s.source = o.source
        WHERE o.aggregation = 'published'
        GROUP BY o.indicator, o.source, o.source_table
        """
    )
    urls = con.execute(
        "SELECT table_key, any_value(url) FROM raw.response WHERE kind IN ('data','values') GROUP BY 1"
    ).fetchall()
    tables = seeds.scb_tables()
    keys_of: dict[str, list[str]] = {}  # one SCB table can back several seeds keys (TAB3200_AGE)
    for row in tables.itertuples():
        keys_of.setdefault(row.table_id or row.table_key, []).append(row.table_key)
    rows = con.execute("SELECT DISTINCT source_table FROM mart.series").fetchall()
    url_of = dict(urls)
    for (source_table,) in rows:
        keys = keys_of.get(source_table, [source_table])
        key = keys[0]
        lines = list(dict.fromkeys(n for k in keys for n in notes.get(k, [])))
        con.execute(
            "UPDATE mart.series SET source_title = ?, url = ?, notes = ? WHERE source_table = ?",
            [titles.get(key), url_of.get(key), "\n".join(lines) or None, source_table],
        )
    return con.execute("SELECT count(*) FROM mart.series").fetchone()[0]


CROSSCHECK_SQL = """
INSERT INTO mart.crosscheck
SELECT c1.indicator, c1.area_code, c1.year, c1.sex, c1.birth_region, c1.source_table, c1.value,
       c2.source_table, c2.value, round(c1.value - c2.value, 2), c1.synthetic
FROM work.candidates c1
JOIN work.candidates c2
  ON c1.indicator = c2.indicator AND c1.area_code = c2.area_code AND c1.year = c2.year
 AND c1.sex = c2.sex AND c1.birth_region = c2.birth_region AND c1.age = c2.age
WHERE c1.source = 'scb' AND c2.source = 'kolada' AND c1.synthetic = c2.synthetic
  AND c1.series IS NOT DISTINCT FROM c2.series AND NOT c1.unmapped AND NOT c2.unmapped
  AND c1.value IS NOT NULL AND c2.value IS NOT NULL
"""


def build_crosscheck(con: duckdb.DuckDBPyConnection, threshold_pp: float) -> dict:
    """Compare every figure SCB and Kolada both publish; report differences over the threshold."""
    con.execute(CROSSCHECK_SQL)
    n, over, max_diff = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE abs(diff_pp) > ?), max(abs(diff_pp)) FROM mart.crosscheck",
        [threshold_pp],
    ).fetchone()
    worst = con.execute(
        "SELECT indicator, area_code, year, sex, birth_region, scb_table, scb_value, kolada_kpi, "
        "kolada_value, diff_pp FROM mart.crosscheck WHERE abs(diff_pp) > ? "
        "ORDER BY abs(diff_pp) DESC LIMIT 20",
        [threshold_pp],
    ).df()
    return {
        "compared": n,
        "threshold_pp": threshold_pp,
        "over_threshold": over,
        "max_abs_diff_pp": max_diff,
        "worst": json.loads(worst.to_json(orient="records")),
    }
