"""LUA districts 1997-2018 from SCB's own district tables (integration statistics, AA0003).

- SCB's district codes are not in the evidence: each of the report's districts is found by its
  label (seeds/lua_districts.csv `scb_label`, one unique match per table). A table whose labels
  no longer match any district fails as a unit (`check_districts`); a district not found is
  reported, never matched to another area.
- Two labour tables, each a refresh unit: the LUA areas that never became URB areas (LUA_LABOUR)
  and the URB areas (URB_LABOUR). A district is taken from the first of them that carries it (a
  table carrying both kinds, as IntGr1LUA may have in 2017, is then read once per district).
- Its rows go under the district's own area (`lua_alby`), series `LUA`, so that one line runs from
  SCB's district table into the RegSO composition (2020-) with a series break between them.
- `lua_stockholm` (the 17 together) and `lua_stockholm_rest` (the county without them): shares
  weighted by the district population table's counts, flagged `derived`. A district without a
  value makes the aggregate `incomplete` (mart.aggregate_gap names it).
"""

from __future__ import annotations

import logging
import re

import duckdb
import numpy as np
import pandas as pd

from etl import seeds
from etl.regso_sets import OBS_COLUMNS, _settle
from etl.uncertainty import INSERT_OBSERVATION
from etl.units import UnitFailed

log = logging.getLogger(__name__)
POPULATION = "LUA_POPULATION"
KEY = ["indicator", "year", "sex", "birth_region", "age"]
METHOD = (
    "the 17 districts together and the county without them: SCB's district shares x the district "
    "population table's counts, summed (flagged derived)"
)


def district_tables() -> set[str]:
    """Seeds keys of SCB's district tables (area level `lua_district`)."""
    rows = seeds.scb_tables()
    return set(rows.table_key[rows.area_level == "lua_district"])


def labour_tables() -> list[str]:
    """The district labour tables in seeds order (every district table but the population)."""
    rows = seeds.scb_tables()
    keys = rows.table_key[rows.area_level == "lua_district"]
    return [k for k in keys if k != POPULATION]


def match_districts(labels: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """({set_code: SCB code}, {set_code: why not}) for the seeded districts, by unique label."""
    found, problems = {}, {}
    for d in seeds.load("lua_districts").itertuples():
        pattern = re.compile(rf"\b(?:{d.scb_label})\b", re.IGNORECASE)
        hits = sorted(c for c, label in labels.items() if pattern.search(str(label)))
        if len(hits) == 1:
            found[d.set_code] = hits[0]
        else:
            problems[d.set_code] = (
                f"no SCB district label matches {d.scb_label!r}"
                if not hits
                else f"{len(hits)} SCB districts match {d.scb_label!r} ({', '.join(hits)})"
            )
    return found, problems


def check_districts(unit: str, metadata: dict) -> dict[str, object]:
    """The districts a table carries (for the unit's provenance); fails when it carries none."""
    dim = (metadata.get("dimension") or {}).get("Region") or {}
    labels = (dim.get("category") or {}).get("label") or {}
    found, problems = match_districts(labels)
    if not found:
        raise UnitFailed(
            f"{unit}: none of the report's districts is among the table's areas (labels changed, "
            f"or not a district table); first problem: {next(iter(problems.values()), '-')}"
        )
    return {"districts": dict(sorted(found.items())), "districts_not_found": problems}


def _labels(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT code, coalesce(label_sv, label_en) FROM staging.scb_label "
            "WHERE table_key = ? AND variable = 'Region'",
            [key],
        ).fetchall()
    )


def _rows(con: duckdb.DuckDBPyConnection, key: str, codes: dict[str, str]) -> pd.DataFrame:
    """A district table's staged rows for the matched districts, with canonical codes."""
    frame = con.execute(
        "SELECT s.area_code, s.year, s.content_code, s.sex_code, s.birth_code, s.value, s.status, "
        "s.table_id, r.fetched_at, r.updated, r.synthetic FROM staging.scb_observation s "
        "JOIN raw.response r USING (response_id) WHERE s.table_key = ?",
        [key],
    ).df()
    by_code = {v: k for k, v in codes.items()}
    frame["set_code"] = frame.area_code.map(by_code)
    frame["sex"] = frame.sex_code.map(seeds.code_map("scb", "sex"))
    frame["birth_region"] = frame.birth_code.map(seeds.code_map("scb", "birth_region"))
    return frame[frame.sex.notna() & frame.birth_region.notna()]


def _indicators(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, str]:
    """Content code -> indicator of a district labour table, by the seeds' label patterns."""
    labels = dict(
        con.execute(
            "SELECT code, coalesce(label_sv, label_en) FROM staging.scb_label "
            "WHERE table_key = ? AND variable = 'ContentsCode'",
            [key],
        ).fetchall()
    )
    src = seeds.indicator_sources("scb")
    out = {}
    for s in src[src.table_key == key].itertuples():
        for code, label in labels.items():
            if re.search(s.content_label, str(label), re.IGNORECASE):
                out[code] = s.indicator
    return out


def district_rows(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(district observation rows, district population rows, districts not found)."""
    parts, missing, taken = [], {}, set()
    for key in labour_tables():
        codes, problems = match_districts(_labels(con, key))
        codes = {s: c for s, c in codes.items() if s not in taken}  # the first table wins
        taken |= set(codes)
        for set_code, why in problems.items():
            missing.setdefault(set_code, []).append(f"{key}: {why}")
        part = _rows(con, key, codes)
        part = part[part.set_code.notna()].assign(
            indicator=lambda d, k=key: d.content_code.map(_indicators(con, k))
        )
        parts.append(part[part.indicator.notna()])
    missing = {s: "; ".join(why) for s, why in missing.items() if s not in taken}
    labour = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    pop_codes, _ = match_districts(_labels(con, POPULATION))
    county = seeds.load("regso_set_parents").county_code.tolist()
    pop = _rows(con, POPULATION, {**pop_codes, **{c: c for c in county}})
    pop = pop[pop.set_code.notna()]
    value = labour.value.astype(float)
    rows = pd.DataFrame({
        "indicator": labour.indicator, "area_code": labour.set_code, "year": labour.year,
        "sex": labour.sex, "birth_region": labour.birth_region, "age": "20-64",
        "value": value, "numerator": np.nan, "denominator": np.nan,
        "status": labour.status.astype(str), "source": "scb", "source_table": labour.table_id,
        "series": "LUA", "series_break": False, "aggregation": "published",
        "fetched_at": labour.fetched_at, "source_updated": labour.updated,
        "synthetic": labour.synthetic.astype(bool),
    })  # fmt: skip
    return rows, pop, missing


def _weighted(rows: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """Each district row with its population (same district, year, sex, birth region)."""
    weights = (
        pop.drop(columns="area_code")
        .rename(columns={"set_code": "area_code", "value": "pop"})[
            ["area_code", "year", "sex", "birth_region", "pop", "table_id"]
        ]
        .drop_duplicates(["area_code", "year", "sex", "birth_region"])
    )
    out = rows.merge(weights, on=["area_code", "year", "sex", "birth_region"], how="left")
    return out.assign(num=out.value * out["pop"] / 100.0)


def set_rows(rows: pd.DataFrame, pop: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`lua_stockholm` (and the county without it) from the districts' shares x populations."""
    parent = seeds.load("regso_set_parents").iloc[0]
    members = sorted(seeds.load("lua_districts").set_code)
    w = _weighted(rows[rows.area_code.isin(members)], pop)
    have = w[w.num.notna() & (w["pop"] > 0)]
    sums = have.groupby(KEY).agg(num=("num", "sum"), den=("pop", "sum"),
                                 members=("area_code", lambda a: set(a)))  # fmt: skip
    meta = w.groupby(KEY).agg(
        fetched_at=("fetched_at", "max"), source_updated=("source_updated", "max"),
        synthetic=("synthetic", "any"), pop_table=("table_id", "first"),
        tables=("source_table", lambda t: "+".join(sorted(set(map(str, t))))),
    )  # fmt: skip
    out = meta.join(sums).reset_index()
    got = out.members.apply(lambda m: m if isinstance(m, set) else set())
    complete = got.apply(len) == len(members)
    lacking = [",".join(sorted(set(members) - g)) for g in got]
    frame = pd.DataFrame({
        "indicator": out.indicator, "area_code": parent.set_code, "year": out.year,
        "sex": out.sex, "birth_region": out.birth_region, "age": out.age,
        "value": np.where(complete, (100.0 * out.num / out.den).round(1), np.nan),
        "numerator": out.num.where(complete), "denominator": out.den.where(complete),
        "status": np.where(complete, "derived", "incomplete"), "source": "derived",
        "source_table": out.tables.astype(str) + "x" + out.pop_table.astype(str),
        "series": "LUA", "series_break": False, "aggregation": "summed_counts",
        "fetched_at": out.fetched_at, "source_updated": out.source_updated,
        "synthetic": out.synthetic.astype(bool),
    })  # fmt: skip
    gaps = frame.loc[~complete.to_numpy(), ["indicator", "area_code", *KEY[1:]]].assign(
        missing_members=[m for m, c in zip(lacking, complete, strict=True) if not c],
        reason="suppressed_or_missing",
    )[["indicator", "area_code", "year", "sex", "birth_region", "age", "missing_members",
       "reason"]]  # fmt: skip
    return frame, gaps


def rest_rows(
    con: duckdb.DuckDBPyConnection, sets: pd.DataFrame, pop: pd.DataFrame
) -> pd.DataFrame:
    """The county without the districts: county share x county population - the districts' sums."""
    parent = seeds.load("regso_set_parents").iloc[0]
    county = con.execute(
        "SELECT indicator, year, sex, birth_region, age, value AS c_value, source_table AS c_table, "
        "synthetic AS c_synth FROM mart.observation WHERE area_code = ? AND value IS NOT NULL "
        "AND year <= 2018 AND aggregation = 'published' QUALIFY row_number() OVER ("
        "PARTITION BY indicator, year, sex, birth_region, age ORDER BY source_table) = 1",
        [parent.county_code],
    ).df()
    cpop = pop[pop.set_code == parent.county_code].rename(columns={"value": "c_pop"})
    both = (
        sets[sets.value.notna()]
        .merge(county, on=KEY)
        .merge(cpop[["year", "sex", "birth_region", "c_pop"]], on=["year", "sex", "birth_region"])
    )
    num = both.c_value * both.c_pop / 100.0 - both.numerator
    den = both.c_pop - both.denominator
    ok = (den > 0) & (num >= 0)
    both, num, den = both[ok], num[ok], den[ok]
    return pd.DataFrame({
        "indicator": both.indicator, "area_code": parent.rest_code, "year": both.year,
        "sex": both.sex, "birth_region": both.birth_region, "age": both.age,
        "value": (100.0 * num / den).round(1), "numerator": num, "denominator": den,
        "status": "derived", "source": "derived",
        "source_table": both.c_table + "-" + both.source_table, "series": "LUA",
        "series_break": False, "aggregation": "summed_counts", "fetched_at": both.fetched_at,
        "source_updated": both.source_updated, "synthetic": both.synthetic | both.c_synth,
    })  # fmt: skip


def build(con: duckdb.DuckDBPyConnection) -> dict:
    """Add the districts' 1997-2018 rows, the 17 together and the county without them."""
    _settle(con)
    tables = {k for (k,) in con.execute(
        "SELECT DISTINCT table_key FROM staging.scb_observation").fetchall()}  # fmt: skip
    if not tables & set(labour_tables()):
        return {}
    rows, pop, missing = district_rows(con)
    for code, why in missing.items():
        log.warning("LUA district %s: not in SCB's district tables (%s)", code, why)
    sets, gaps = set_rows(rows, pop) if not pop.empty else (rows.iloc[:0], pd.DataFrame())
    rest = rest_rows(con, sets, pop) if not sets.empty else rows.iloc[:0]
    frame = pd.concat([rows, sets, rest], ignore_index=True)[OBS_COLUMNS]
    _settle(con)
    con.register("lua_history_df", frame)
    con.execute(
        f"{INSERT_OBSERVATION} SELECT * FROM lua_history_df n WHERE NOT EXISTS (SELECT 1 "
        "FROM mart.observation o WHERE o.indicator = n.indicator AND o.area_code = n.area_code "
        "AND o.year = n.year AND o.sex = n.sex AND o.birth_region = n.birth_region AND o.age = n.age)"
    )
    if not gaps.empty:
        con.register("lua_history_gaps_df", gaps)
        con.execute("INSERT INTO mart.aggregate_gap SELECT * FROM lua_history_gaps_df")
    lines = build_lines(con)
    return {"lua_district_rows": len(rows), "lua_line_rows": lines, "lua_set_rows_1997_2018": len(sets),
            "lua_rest_rows_1997_2018": len(rest), "lua_districts_not_found": missing}  # fmt: skip


LINE_SQL = """
INSERT INTO mart.lua_line
WITH picked AS (
    SELECT * FROM mart.observation
    WHERE area_code IN (SELECT area_code FROM lua_line_areas)
      AND (series = 'LUA' OR year >= 2020) AND status NOT IN ('missing', 'not_applicable')
    QUALIFY row_number() OVER (
        PARTITION BY indicator, area_code, year, sex, birth_region
        ORDER BY value IS NOT NULL DESC, series = 'LUA' DESC, age = '20-64' DESC, age) = 1
)
SELECT indicator, area_code, year, sex, birth_region, age, value, status, source_table, series,
       coalesce(series <> lag(series) OVER (
           PARTITION BY indicator, area_code, sex, birth_region ORDER BY year), false),
       synthetic
FROM picked
"""


def build_lines(con: duckdb.DuckDBPyConnection) -> int:
    """mart.lua_line: each district's one line across the 2018/2020 break (for the /lua views)."""
    parents = seeds.load("regso_set_parents")
    codes = [*seeds.load("lua_districts").set_code, *parents.set_code, *parents.rest_code]
    _settle(con)
    con.register("lua_line_areas", pd.DataFrame({"area_code": codes}))
    con.execute(LINE_SQL)
    return con.execute("SELECT count(*) FROM mart.lua_line").fetchone()[0]
