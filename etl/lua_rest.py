"""The county without the 17 (`lua_stockholm_rest`) in the RegSO era, for every indicator the 17 have.

- Where the county publishes counts (TAB3200: employed, labour force and population by birth
  region and age), the rest is the county's counts minus the 17's (`regso_sets._rest_of_county`).
- Where it does not (registered and long-term unemployment; employment 20-64 in years where the
  county's row is a Kolada share), the rest is the sum of the county's other RegSO areas, each
  built as the 17's areas are: TAB6680 counts where they exist, else the area's share x its
  population of the same sex and year (seeds/derived_counts.csv), and the birth groups from
  rebuilt counts (TAB6572 x IntGr3RegSOKONS x the RegSO labour table). Those rows are flagged
  `derived`; `/lua` states the method.
- An area whose share SCB suppressed (groups of 20 or fewer, or 5 or fewer having the property)
  is bounded, never 0: its count lies between 0 and 5 (or its group's size). The sum gets a value
  (the middle of its bounds) only when the bounds are within half a shown digit (0.05 points);
  otherwise, or when an area has no population either, the row is `incomplete`.
"""

from __future__ import annotations

import logging

import duckdb
import pandas as pd

from etl import seeds
from etl.regso_sets import KEY, OBS_COLUMNS, REGSO, _member_rates, _settle

log = logging.getLogger(__name__)
SMALL_GROUP, FEW_HAVING = 20, 5  # SCB publishes shares of groups over 20 with over 5 having it
SPREAD_PP = 0.05  # suppressed cells may move a shown value by at most half its last digit
METHOD = (
    "the county without the 17 where the county publishes no counts: the sum of the county's "
    "other RegSO areas (TAB6680 counts, else share x population, birth groups rebuilt)"
)


def rest_members(con: duckdb.DuckDBPyConnection, members: pd.DataFrame) -> pd.DataFrame:
    """(rest code, member, year): each year's RegSO areas of the county, less the 17's areas.

    An area counts in a year when TAB6680 publishes it that year, spelled as the 17's members are
    that year (plain RegSO 2020 codes, or `_RegSO2025` ones).
    """
    parent = seeds.load("regso_set_parents").iloc[0]
    mine = members[members.parent_code == parent.set_code]
    if mine.empty:
        return pd.DataFrame(columns=["parent_code", "member_code", "year"])
    published = con.execute(
        "SELECT DISTINCT area_code, year FROM staging.scb_observation WHERE table_key = 'TAB6680' "
        "AND value IS NOT NULL AND starts_with(area_code, ?)",
        [str(parent.county_code)],
    ).df()
    is_regso = published.area_code.map(lambda c: bool(REGSO.match(str(c)))).astype(bool)
    published = published[is_regso.to_numpy()]
    if published.empty:  # no TAB6680 in this warehouse: nothing to sum
        return pd.DataFrame(columns=["parent_code", "member_code", "year"])
    suffix = mine.assign(suffixed=mine.member_code.str.contains("_RegSO", regex=False))
    suffix = suffix.groupby("year").suffixed.first()
    published = published[published.year.isin(suffix.index)]
    same = published.area_code.str.contains("_RegSO", regex=False) == published.year.map(suffix)
    taken = set(zip(mine.member_code, mine.year, strict=True))
    keep = [same_v and (c, y) not in taken
            for c, y, same_v in zip(published.area_code, published.year, same, strict=True)]  # fmt: skip
    rest = published[keep]
    return pd.DataFrame({"parent_code": parent.rest_code, "member_code": rest.area_code,
                         "year": rest.year.astype(int)})  # fmt: skip


def _member_rows(con: duckdb.DuckDBPyConnection, codes: pd.DataFrame,
                 counts: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """The areas' rows with counts: published (direct or share x population) and rebuilt groups."""
    _settle(con)
    con.register("lua_rest_codes_df", codes[["member_code"]].drop_duplicates())
    obs = con.execute(
        "SELECT * FROM mart.observation WHERE aggregation = 'published' AND year >= 2020 "
        "AND area_code IN (SELECT member_code FROM lua_rest_codes_df)"
    ).df()
    rates = _member_rates(obs)
    if counts.empty:
        return rates
    groups = counts[counts.area_code.isin(codes.member_code)]
    rebuilt = pd.DataFrame({
        "indicator": groups.indicator, "area_code": groups.area_code, "year": groups.year,
        "sex": groups.sex, "birth_region": groups.birth_region, "age": "20-65",
        "value": groups.share, "numerator": groups.numerator, "denominator": groups["pop"],
        "status": "derived", "source": "derived", "source_table": groups.source_table,
        "series": "BAS", "series_break": False, "aggregation": "published",
        "fetched_at": groups.fetched_at, "source_updated": groups.updated,
        "synthetic": groups.synthetic.astype(bool),
        "how": ["derived" if ok else "" for ok in
                groups.numerator.notna() & groups["pop"].notna()],
    })  # fmt: skip
    cols = ["area_code", *KEY]
    clash = rates[cols].merge(rebuilt[cols].drop_duplicates(), how="left", indicator=True)
    rates = rates[(clash._merge == "left_only").to_numpy()]
    return pd.concat([rates, rebuilt], ignore_index=True)


def _bounds(rows: pd.DataFrame) -> pd.DataFrame:
    """Each area row's numerator as [lo, hi] and its denominator; NaN where nothing is known.

    A suppressed share with a known population is bounded by SCB's rule: no share is published
    for groups of 20 persons or fewer, or with 5 or fewer having the property.
    """
    pops = seeds.load("derived_counts").set_index("indicator")
    look = rows[rows.denominator.notna() & (rows.how != "")]
    out = rows.assign(lo=rows.numerator.where(rows.how != ""), hi=rows.numerator.where(rows.how != ""),
                      den=rows.denominator.where(rows.how != ""))  # fmt: skip
    open_ = (out.how == "") & out.value.isna() & out.status.eq("suppressed")
    for ind in out.indicator[open_].unique():
        rule = pops.loc[ind] if ind in pops.index else None
        sel = open_ & (out.indicator == ind)
        pop = out.loc[sel, "denominator"]  # rebuilt groups carry their population
        if rule is not None:
            src = look[(look.indicator == rule.population_indicator)
                       & (look.source_table == rule.population_table_key)]  # fmt: skip
            src = src.drop_duplicates(["area_code", *KEY[1:]]).set_index(["area_code", *KEY[1:]])
            idx = pd.MultiIndex.from_frame(out.loc[sel, ["area_code", *KEY[1:]]])
            pop = pop.fillna(pd.Series(src.denominator.reindex(idx).to_numpy(), index=pop.index))
        out.loc[sel, "lo"] = 0.0
        out.loc[sel, "hi"] = pop.where(pop <= SMALL_GROUP, pop.clip(upper=FEW_HAVING))
        out.loc[sel, "den"] = pop
    return out


def _sum_areas(rest: pd.DataFrame, obs: pd.DataFrame, todo: pd.DataFrame) -> pd.DataFrame:
    """Rest-of-county rows for the `todo` keys: the areas' bounded counts summed; a value where
    the bounds are tight (populations for the bounds come from all of `obs`)."""
    parent = seeds.load("regso_set_parents").iloc[0]
    pairs = rest.rename(columns={"member_code": "area_code"})[["area_code", "year"]]
    rows = _bounds(obs.merge(pairs, on=["area_code", "year"])).merge(todo, on=KEY)
    n_want = rest.groupby("year").size().rename("n_want")
    usable = rows[rows.lo.notna() & rows.hi.notna() & (rows.den > 0)]
    sums = usable.groupby(KEY).agg(lo=("lo", "sum"), hi=("hi", "sum"), den=("den", "sum"),
                                   n=("area_code", "nunique"))  # fmt: skip
    meta = rows.groupby(KEY).agg(
        source_table=("source_table", lambda t: "+".join(sorted(set(map(str, t))))),
        fetched_at=("fetched_at", "max"), source_updated=("source_updated", "max"),
        synthetic=("synthetic", "any"),
    )  # fmt: skip
    out = meta.join(sums).reset_index().merge(n_want, left_on="year", right_index=True)
    spread = 100.0 * (out.hi - out.lo) / out.den
    ok = (out.n == out.n_want) & (out.den > 0) & (spread <= SPREAD_PP)
    num = (out.lo + out.hi) / 2.0
    return pd.DataFrame({
        "indicator": out.indicator, "area_code": parent.rest_code, "year": out.year,
        "sex": out.sex, "birth_region": out.birth_region, "age": out.age,
        "value": (100.0 * num / out.den).round(1).where(ok), "numerator": num.where(ok),
        "denominator": out.den.where(ok), "status": ok.map({True: "derived", False: "incomplete"}),
        "source": "derived", "source_table": out.source_table, "series": "BAS",
        "series_break": False, "aggregation": "summed_counts", "fetched_at": out.fetched_at,
        "source_updated": out.source_updated, "synthetic": out.synthetic.astype(bool),
    })  # fmt: skip


def fill(con: duckdb.DuckDBPyConnection, members: pd.DataFrame,
         counts: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Rest-of-county rows for the 17's RegSO-era keys the county-minus-17 rows leave empty."""
    parent = seeds.load("regso_set_parents").iloc[0]
    _settle(con)
    have = con.execute(
        "SELECT area_code, indicator, year, sex, birth_region, age FROM mart.observation "
        "WHERE area_code IN (?, ?) AND year >= 2020 AND value IS NOT NULL",
        [parent.set_code, parent.rest_code],
    ).df()
    want = have[have.area_code == parent.set_code][KEY].drop_duplicates()
    done = have[have.area_code == parent.rest_code][KEY].drop_duplicates()
    todo = want.merge(done, how="left", indicator=True)
    todo = todo[todo._merge == "left_only"].drop(columns="_merge")
    rest = rest_members(con, members)
    if todo.empty or rest.empty:
        return pd.DataFrame(columns=OBS_COLUMNS)
    rows = _sum_areas(rest, _member_rows(con, rest, counts), todo)
    n_missing = int(rows.value.isna().sum())
    if n_missing:
        log.info("%s: %d rows without a value (areas of the county lack one)",
                 parent.rest_code, n_missing)  # fmt: skip
    return rows[OBS_COLUMNS]
