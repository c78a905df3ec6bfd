"""LUA districts in the RegSO era (2020-): birth region for every district.

- A district that is one RegSO area takes that area's own rows (every indicator, birth region,
  sex and age it has), status as published: SCB's own figure.
- A district of several areas (and the 17 together) gets shares by birth region and sex from
  rebuilt counts, flagged `derived`: population of the group = TAB6572 persons (foreign-born =
  total - born in Sweden) x IntGr3RegSOKONS share aged 20-64; numerator = that population x the
  group's share in the RegSO labour table (base 20-65; the rows carry age 20-65, the population
  20-64 is their weight: no 20-65 band is published). seeds/rebuilt_groups.csv maps the codes.
- Each rebuilt sum is checked against TAB6680's published totals for the same areas, sex and
  year (seeds/rebuild_checks.csv): mart.rebuild_check, the run report and `status` show the
  difference per district; one above the tolerance is logged as a warning naming the district.
- The county without the 17 (`lua_stockholm_rest`) gets the same groups from counts: the county's
  counts minus the 17's rebuilt ones, flagged `derived` (seeds/regso_set_parents.csv). Every other
  indicator the 17 have (where the county publishes no counts) comes from etl/lua_rest.py.
"""

from __future__ import annotations

import logging

import duckdb
import numpy as np
import pandas as pd

from etl import lua_rest, seeds
from etl.regso_sets import OBS_COLUMNS, _expand_years, _rest_of_county, _settle
from etl.uncertainty import INSERT_OBSERVATION

log = logging.getLogger(__name__)
AGE = "20-65"  # the labour shares' base
SHARE_KEY = "REGSO_LABOUR"
METHOD = (
    "rebuilt counts: TAB6572 persons x IntGr3RegSOKONS share aged 20-64 x the RegSO labour "
    "table's share (base 20-65), summed over the district's RegSO areas"
)
CHECK_COLUMNS = ["area_code", "year", "sex", "measure", "rebuilt", "published", "difference",
                 "relative_pct", "tolerance_pct", "within"]  # fmt: skip


def _members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(parent, member, year) of every RegSO set built this run."""
    rows = con.execute(
        "SELECT parent_code, member_code, first_year, last_year FROM mart.area_membership "
        "WHERE vintage LIKE 'RegSO%' AND parent_code IN (SELECT area_code FROM mart.area "
        "WHERE level IN ('regso_set', 'area_set'))"
    ).df()
    return _expand_years(rows) if not rows.empty else pd.DataFrame(
        columns=["parent_code", "member_code", "year"])  # fmt: skip


def _staged(con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    return con.execute(
        "SELECT s.area_code, s.year, s.sex_code, s.birth_code, s.age_code, s.content_code, "
        "s.value, s.table_id, r.synthetic, r.fetched_at, r.updated FROM staging.scb_observation s "
        "JOIN raw.response r USING (response_id) WHERE s.table_key = ?",
        [key],
    ).df()


def rebuilt_member_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per RegSO area, year, sex, birth group and indicator: population 20-64 and numerator.

    NaN where any of the three cells is suppressed or missing (never 0 in its place).
    """
    sex = seeds.code_map("scb", "sex")
    groups = seeds.load("rebuilt_groups")
    pop = _staged(con, "TAB6572").assign(sex=lambda d: d.sex_code.map(sex))
    pop = pop.pivot_table(index=["area_code", "year", "sex"], columns="birth_code",
                          values="value", aggfunc="first", dropna=False)  # fmt: skip
    ages = _staged(con, "REGSO_AGES")
    ages = ages[ages.age_code == "20-64p"].assign(sex=lambda d: d.sex_code.map(sex))
    ages = ages.pivot_table(index=["area_code", "year", "sex"], columns="content_code",
                            values="value", aggfunc="first", dropna=False)  # fmt: skip
    labour = _staged(con, SHARE_KEY).assign(sex=lambda d: d.sex_code.map(sex))
    codes = seeds.indicator_sources("scb")
    codes = codes[codes.table_key == SHARE_KEY].set_index("content_code").indicator
    labour = labour[labour.content_code.isin(codes.index)].assign(
        indicator=lambda d: d.content_code.map(codes)
    )
    frames = []
    for g in groups.itertuples():
        persons = pop.get(g.population_code)
        if persons is None or g.age_share_content not in ages:
            continue
        if g.population_minus_code:
            persons = persons - pop.get(g.population_minus_code, np.nan)
        pop2064 = (persons * ages[g.age_share_content].reindex(persons.index) / 100.0).rename("pop")
        share = labour[labour.birth_code == g.labour_code].drop_duplicates(
            ["area_code", "year", "sex", "indicator"]
        )
        rows = share.merge(pop2064.reset_index(), on=["area_code", "year", "sex"], how="left")
        rows = rows.assign(birth_region=g.birth_region, share=rows.value,
                           numerator=rows["pop"] * rows.value / 100.0)  # fmt: skip
        frames.append(rows)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    tables = f"{SHARE_KEY}xTAB6572x{_table_id(con, 'REGSO_AGES')}"
    return out.assign(source_table=out.table_id.astype(str) + "xTAB6572x"
                      + _table_id(con, "REGSO_AGES"), method_tables=tables)  # fmt: skip


def _table_id(con: duckdb.DuckDBPyConnection, key: str) -> str:
    row = con.execute(
        "SELECT any_value(table_id) FROM staging.scb_observation WHERE table_key = ?", [key]
    ).fetchone()
    return row[0] if row and row[0] else key


def _sets_rows(members: pd.DataFrame, counts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summed rebuilt counts per set (complete -> derived, else incomplete) and the gaps."""
    key = ["parent_code", "indicator", "year", "sex", "birth_region"]
    want = members.groupby(["parent_code", "year"]).size().rename("n_want")
    joined = members.merge(counts, left_on=["member_code", "year"],
                           right_on=["area_code", "year"])  # fmt: skip
    have = joined[joined.numerator.notna() & joined["pop"].notna()]
    sums = have.groupby(key).agg(num=("numerator", "sum"), den=("pop", "sum"),
                                 n_have=("member_code", "nunique"))  # fmt: skip
    meta = joined.groupby(key).agg(source_table=("source_table", "first"),
                                   synthetic=("synthetic", "any"), fetched_at=("fetched_at", "max"),
                                   source_updated=("updated", "max"),
                                   members=("member_code", lambda m: set(m)))  # fmt: skip
    out = meta.join(sums).reset_index().merge(want, left_on=["parent_code", "year"],
                                              right_index=True)  # fmt: skip
    out["n_have"] = out.n_have.fillna(0).astype(int)
    complete = (out.n_have == out.n_want) & (out.den > 0)
    all_members = members.groupby(["parent_code", "year"]).member_code.agg(set)
    lacking = [
        ",".join(sorted(all_members[(p, y)] - set(have_m)))
        for p, y, have_m in zip(out.parent_code, out.year,
                                out.apply(lambda r: _have(have, r), axis=1), strict=True)
    ]  # fmt: skip
    rows = pd.DataFrame({
        "indicator": out.indicator, "area_code": out.parent_code, "year": out.year,
        "sex": out.sex, "birth_region": out.birth_region, "age": AGE,
        "value": np.where(complete, (100.0 * out.num / out.den.where(out.den > 0)).round(1), np.nan),
        "numerator": out.num.where(complete), "denominator": out.den.where(complete),
        "status": np.where(complete, "derived", "incomplete"), "source": "derived",
        "source_table": out.source_table, "series": "BAS", "series_break": False,
        "aggregation": "summed_counts", "fetched_at": out.fetched_at,
        "source_updated": out.source_updated, "synthetic": out.synthetic.astype(bool),
    })  # fmt: skip
    gaps = rows.loc[~complete.to_numpy(), ["indicator", "area_code", "year", "sex",
                                           "birth_region", "age"]].assign(
        missing_members=[m for m, c in zip(lacking, complete, strict=True) if not c],
        reason="suppressed_or_missing")  # fmt: skip
    return rows, gaps


def _have(have: pd.DataFrame, r: pd.Series) -> list[str]:
    sel = have[(have.parent_code == r.parent_code) & (have.year == r.year)
               & (have.indicator == r.indicator) & (have.sex == r.sex)
               & (have.birth_region == r.birth_region)]  # fmt: skip
    return list(sel.member_code)


def _single_rows(con: duckdb.DuckDBPyConnection, single: pd.DataFrame) -> pd.DataFrame:
    """A one-area district's rows: its area's own rows (every indicator, group, sex and age)."""
    _settle(con)
    con.register("single_df", single)
    return con.execute(
        "SELECT o.* REPLACE (s.parent_code AS area_code) FROM mart.observation o "
        "JOIN single_df s ON s.member_code = o.area_code AND s.year = o.year "
        "WHERE o.aggregation = 'published'"
    ).df()[OBS_COLUMNS]


def _replace(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, name: str) -> None:
    """Put rows into mart.observation in place of the set rows (and gaps) of the same keys."""
    if rows.empty:
        return
    _settle(con)
    con.register(name, rows[OBS_COLUMNS])
    same = ("t.indicator = n.indicator AND t.area_code = n.area_code AND t.year = n.year AND "
            "t.sex = n.sex AND t.birth_region = n.birth_region AND t.age = n.age")  # fmt: skip
    con.execute(f"DELETE FROM mart.observation t USING {name} n WHERE {same}")
    con.execute(f"DELETE FROM mart.aggregate_gap t USING {name} n WHERE {same}")
    con.execute(f"{INSERT_OBSERVATION} SELECT * FROM {name}")


def rest_rows(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """The county without its set for the rebuilt groups: county counts minus the set's, derived."""
    derived = rows[rows.status == "derived"]
    if derived.empty:
        return derived
    _settle(con)
    con.register("parents_df", seeds.load("regso_set_parents"))
    rest = _rest_of_county(derived, con)
    return rest.assign(status="derived")


def check_against_tab6680(con: duckdb.DuckDBPyConnection, members: pd.DataFrame,
                          counts: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Rebuilt sums of the birth groups against TAB6680's totals, per set, year and sex."""
    checks = seeds.load("rebuild_checks")
    sex = seeds.code_map("scb", "sex")
    published = _staged(con, "TAB6680").assign(sex=lambda d: d.sex_code.map(sex))
    joined = members.merge(counts, left_on=["member_code", "year"], right_on=["area_code", "year"])
    out = []
    for c in checks.itertuples():
        rows = joined[joined.indicator == c.indicator]
        value = rows["pop"] if c.measure == "population" else rows.numerator
        rebuilt = (
            rows.assign(v=value)
            .groupby(["parent_code", "year", "sex"])
            .v.agg(lambda v: v.sum() if v.notna().all() else np.nan)
        )
        pub = published[(published.content_code == c.check_content_code)
                        & (published.age_code == c.check_age)]  # fmt: skip
        pub = members.merge(pub, left_on=["member_code", "year"], right_on=["area_code", "year"])
        pub = pub.groupby(["parent_code", "year", "sex"]).value.agg(
            lambda v: v.sum() if v.notna().all() else np.nan
        )
        both = pd.concat([rebuilt.rename("rebuilt"), pub.rename("published")], axis=1).dropna()
        diff = both.rebuilt - both.published
        rel = (100.0 * diff / both.published.where(both.published > 0)).round(2)
        tol = float(c.tolerance_pct)
        out.append(pd.DataFrame({
            "area_code": both.index.get_level_values(0), "year": both.index.get_level_values(1),
            "sex": both.index.get_level_values(2), "measure": c.measure,
            "rebuilt": both.rebuilt.round(1).to_numpy(), "published": both.published.to_numpy(),
            "difference": diff.round(1).to_numpy(), "relative_pct": rel.to_numpy(),
            "tolerance_pct": tol, "within": (rel.abs() <= tol).to_numpy()}))  # fmt: skip
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=CHECK_COLUMNS)


def largest_differences(check: pd.DataFrame) -> dict[str, dict]:
    """Per district: the largest relative difference (%) and whether all are within tolerance."""
    out = {}
    for area, grp in check.groupby("area_code"):
        worst = grp.loc[grp.relative_pct.abs().idxmax()]
        out[str(area)] = {"largest_pct": float(worst.relative_pct), "measure": worst.measure,
                          "year": int(worst.year), "sex": worst.sex,
                          "within_tolerance": bool(grp.within.all())}  # fmt: skip
    return out


def build(con: duckdb.DuckDBPyConnection) -> dict:
    """Single-area districts direct, several-area districts (and the 17) rebuilt, and the check."""
    _settle(con)
    members = _members(con)
    if members.empty:
        return {}
    n = members.groupby(["parent_code", "year"]).member_code.transform("size")
    single = members[n == 1]
    direct = _single_rows(con, single)
    _replace(con, direct, "lua_direct_df")
    counts = rebuilt_member_counts(con)
    report: dict = {"lua_direct_rows": len(direct)}
    if counts.empty:
        return report | _fill_rest(con, members, counts)
    multi = members[n > 1]
    rows, gaps = _sets_rows(multi, counts)
    _replace(con, rows, "lua_rebuilt_df")
    rest = rest_rows(con, rows)
    _replace(con, rest, "lua_rest_df")
    if not gaps.empty:
        _settle(con)
        con.register("lua_gaps_df", gaps)
        con.execute("INSERT INTO mart.aggregate_gap SELECT * FROM lua_gaps_df")
    check = check_against_tab6680(con, members, counts)
    if not check.empty:
        _settle(con)
        con.register("lua_check_df", check[CHECK_COLUMNS])
        con.execute("INSERT INTO mart.rebuild_check SELECT * FROM lua_check_df")
    worst = largest_differences(check)
    for area, w in worst.items():
        if not w["within_tolerance"]:
            log.warning("LUA district %s: rebuilt counts differ from TAB6680 by up to %.2f %% "
                        "(%s, %s, %s)", area, w["largest_pct"], w["measure"], w["year"], w["sex"])  # fmt: skip
    report.update(lua_rebuilt_rows=int((rows.status == "derived").sum()),
                  lua_rebuilt_incomplete=int((rows.status == "incomplete").sum()),
                  lua_rest_rows_regso=len(rest),
                  tab6680_check=worst)  # fmt: skip
    return report | _fill_rest(con, members, counts)


def _fill_rest(con: duckdb.DuckDBPyConnection, members: pd.DataFrame,
               counts: pd.DataFrame) -> dict[str, int]:  # fmt: skip
    """The county without the 17 for the indicators the county has no counts of (etl/lua_rest.py)."""
    rows = lua_rest.fill(con, members, counts)
    _replace(con, rows, "lua_rest_fill_df")
    return {"lua_rest_rows_regso_areas": int(rows.value.notna().sum())}
