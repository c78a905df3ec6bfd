"""The LUA view's data: what the warehouse holds for the districts (coverage), and each chart's
rows, one age band per year (20-64 where it has a value, else the RegSO tables' 20-65)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.core import db
from dashboard.core.frames import small_threshold
from dashboard.core.queries import cached

log = logging.getLogger(__name__)

SET, REST, COUNTY, COUNTRY = "lua_stockholm", "lua_stockholm_rest", "01", "00"
LINES = (SET, COUNTY, REST, COUNTRY)  # the report's comparison (Figure 3), in order
AGES = ("20-64", "20-65")  # SCB's district tables and TAB6680: 20-64; RegSO shares: 20-65
SEXES = ("total", "women", "men")
CHARTS = ("unemployment", "birth", "district", "rank")
SWEDEN = "sweden"
FIRST_YEAR = 1997  # the report's series start with the integration tables


@cached
def lua_coverage() -> pd.DataFrame:
    """Indicator x area x sex x birth region x age x year with a value, for the LUA set, the county
    without it and the 17 districts (what the page can offer)."""
    return db.query(
        "SELECT indicator, area_code, sex, birth_region, age, year FROM mart.observation "
        "WHERE value IS NOT NULL AND age IN ('20-64', '20-65') AND (area_code IN ($set, $rest) "
        "OR area_code IN (SELECT area_code FROM mart.area WHERE level = 'regso_set')) "
        "GROUP BY ALL",
        {"set": SET, "rest": REST},
    )


@cached
def lua_districts() -> pd.DataFrame:
    """The districts whose members belong to the LUA set, with their municipality."""
    return db.query(
        "SELECT area_code, name_sv, name_en, municipality_code FROM mart.area "
        "WHERE level = 'regso_set' AND area_code IN (SELECT parent_code FROM mart.area_membership "
        "WHERE member_code IN (SELECT member_code FROM mart.area_membership WHERE parent_code = $set)) "
        "ORDER BY area_code",
        {"set": SET},
    )


@cached
def lua_failures() -> dict[str, str]:
    """RegSO sets the last build could not make (a renamed or unknown RegSO vintage), with why."""
    try:
        rows = db.query(
            "SELECT unit_key, error FROM mart.unit_status WHERE source = 'regso_set' "
            "AND state = 'failed' ORDER BY unit_key"
        )
    except Exception:  # an older warehouse without such rows
        log.info("no RegSO set failures recorded")
        return {}
    return dict(zip(rows.unit_key, rows.error, strict=True))


def key_areas(chart: str, district: str) -> tuple[str, ...]:
    """The areas whose values decide what a chart can offer."""
    if chart == "district":
        return (district,)
    if chart == "rank":
        return tuple(lua_districts().area_code)
    return (SET,)


def covered(chart: str, district: str, indicator: str | None = None, sex: str | None = None,
            birth: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The coverage rows of a chart's key areas, narrowed by whatever is given."""
    cov = lua_coverage()
    cov = cov[cov.area_code.isin(key_areas(chart, district))]
    for col, value in (("indicator", indicator), ("sex", sex), ("birth_region", birth)):
        if value is not None:
            cov = cov[cov[col] == value]
    return cov


def indicators_with_data(chart: str, district: str) -> set[str]:
    """Indicators with any value for the chart's key areas (the unemployment chart: unemployment)."""
    found = set(covered(chart, district).indicator)
    if chart == "unemployment":
        found = {i for i in found if "unemploy" in i}
    return found


def births_with_data(chart: str, district: str, indicator: str, sex: str) -> list[str]:
    """Birth regions with any value for the chart's key areas, indicator and sex."""
    return sorted(set(covered(chart, district, indicator, sex).birth_region))


def years_with_data(chart: str, district: str, indicator: str, sex: str, birth: str) -> list[int]:
    """Years with a value for the chart's key areas, indicator, sex and birth region."""
    cov = covered(chart, district, indicator, sex, birth)
    return sorted({int(y) for y in cov.year if y >= FIRST_YEAR})


def age_for_year(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per area, sex, birth region and year: 20-64 where it has a value, else 20-65."""
    if rows.empty:
        return rows
    rank = rows.age.map({a: i for i, a in enumerate(AGES)})
    ordered = rows.assign(_has=rows.value.isna(), _rank=rank).sort_values(["_has", "_rank"])
    keys = ["area_code", "sex", "birth_region", "year"]
    return ordered.drop_duplicates(keys).drop(columns=["_has", "_rank"]).sort_values(keys)


@cached
def _lua_observations(indicator: str, sexes: tuple[str, ...], births: tuple[str, ...],
                  areas: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    """Observations of the areas (both age bands), with the members an aggregate lacks."""
    params: dict[str, Any] = {"ind": indicator}
    lists = []
    for key, values in (("a", areas), ("s", sexes), ("b", births)):
        lists.append(", ".join(f"${key}{i}" for i in range(len(values))))
        params.update({f"{key}{i}": v for i, v in enumerate(values)})
    return db.query(
        "SELECT o.area_code, o.sex, o.birth_region, o.age, o.year, o.value, o.numerator, "
        "o.denominator, o.status, o.source, o.source_table, o.series, o.synthetic, o.provenance, "
        "g.missing_members, g.reason FROM mart.observation o LEFT JOIN mart.aggregate_gap g "
        "USING (indicator, area_code, year, sex, birth_region, age) WHERE o.indicator = $ind "
        f"AND o.area_code IN ({lists[0]}) AND o.sex IN ({lists[1]}) AND "
        f"o.birth_region IN ({lists[2]}) AND o.age IN ('20-64', '20-65') "
        f"AND o.year >= {FIRST_YEAR} ORDER BY o.year",
        params,
    )


@dataclass
class LuaData:
    """The rows one chart draws (one age band per year), and what the page needs beside them."""

    frame: pd.DataFrame  # area_code, sex, birth_region, age, year, value, counts, status, small ...
    areas: list[str]
    births: list[str]
    districts: list[str]
    municipality_of: dict[str, str]
    synthetic: bool
    notes: list[str] = field(default_factory=list)


def chart_areas(chart: str, district: str, municipality_of: dict[str, str]) -> list[str]:
    """The areas a chart compares, in legend order."""
    if chart == "unemployment":
        return list(LINES)
    if chart == "birth":
        return [SET, COUNTY]
    if chart == "district":
        muni = municipality_of.get(district)
        return [district, *([muni] if muni else []), COUNTY]
    return list(municipality_of) + sorted(set(municipality_of.values()))


def chart_births(chart: str, birth: str) -> list[str]:
    """The birth regions a chart draws: the chosen one, against the Swedish-born where it compares."""
    if chart in ("birth", "district") and birth not in (SWEDEN, "total"):
        return [birth, SWEDEN]
    return [birth]


def lua_data(chart: str, indicator: str, sex: str, birth: str, district: str) -> LuaData:
    """The chart's rows from mart.observation, each year in one age band, with the small flag."""
    dist = lua_districts()
    munis = dict(zip(dist.area_code, dist.municipality_code, strict=True))
    areas = chart_areas(chart, district, munis)
    births = chart_births(chart, birth)
    raw = _lua_observations(indicator, (sex,), tuple(births), tuple(areas))
    frame = age_for_year(raw.copy()).reset_index(drop=True)
    frame["small"] = frame.denominator.notna() & (frame.denominator < small_threshold())
    synthetic = bool(frame.synthetic.fillna(False).astype(bool).any())
    return LuaData(frame, areas, births, list(dist.area_code), munis, synthetic)
