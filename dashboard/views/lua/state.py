"""The LUA page's URL state: ?chart=unemployment|birth|district|rank&ind=&sex=&birth=&district=&year=.

`chart` (not `view`) names the report's chart, because the Data page's own `view` parameter
carries this page's query (`/data?view=lua&chart=...`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, StateReader
from dashboard.provenance import Scope
from dashboard.views.lua import data

DEFAULT_DISTRICT = "lua_alby"  # the report's example
DEFAULT_INDICATOR = {"unemployment": "open_unemployed_share", "birth": "employment_rate",
                     "district": "employment_rate", "rank": "employment_rate"}  # fmt: skip
DEFAULT_BIRTH = {"unemployment": "total", "birth": "foreign", "district": "foreign",
                 "rank": "total"}  # fmt: skip


@dataclass(frozen=True)
class LuaState:
    """The chart shown and its choices: indicator, sex, birth region, district, year (ranking)."""

    chart: str
    indicator: str
    sex: str
    birth: str
    district: str
    year: int

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"chart": self.chart, "ind": self.indicator, "sex": self.sex, "birth": self.birth,
                "district": self.district, "year": self.year}  # fmt: skip

    def provenance_scopes(self, cat: Catalogue) -> list[Scope]:
        """The observations the chart reads, per age band it shows."""
        dist = data.lua_districts()
        munis = dict(zip(dist.area_code, dist.municipality_code, strict=True))
        areas = tuple(data.chart_areas(self.chart, self.district, munis))
        groups = tuple(Group(self.sex, b) for b in data.chart_births(self.chart, self.birth))
        years = data.years_with_data(
            self.chart, self.district, self.indicator, self.sex, self.birth
        )
        shown = (self.year,) if self.chart == "rank" else (tuple(years) or None)
        return [Scope(self.indicator, age, groups, areas, years=shown) for age in data.AGES]


def indicators(cat: Catalogue, chart: str, district: str) -> list[str]:
    """Indicators with a value for the chart, in the catalogue's order."""
    have = data.indicators_with_data(chart, district)
    return [i for i in cat.indicators.index if i in have]


def parse_lua(query: dict, cat: Catalogue) -> tuple[LuaState, list[Problem]]:
    """Validate the LUA page's query string; every choice is one the warehouse has data for."""
    r = StateReader(query, cat)
    chart = r.choice("chart", data.CHARTS, "unemployment")
    dist = data.lua_districts()
    codes = list(dist.area_code) or [DEFAULT_DISTRICT]
    district = r.choice(
        "district", codes, DEFAULT_DISTRICT if DEFAULT_DISTRICT in codes else codes[0]
    )
    inds = indicators(cat, chart, district) or [DEFAULT_INDICATOR[chart]]
    preferred = DEFAULT_INDICATOR[chart]
    indicator = r.choice("ind", inds, preferred if preferred in inds else inds[0])
    sex = r.choice("sex", data.SEXES, "total")
    births = data.births_with_data(chart, district, indicator, sex) or ["total"]
    preferred = DEFAULT_BIRTH[chart]
    birth = r.choice("birth", births, preferred if preferred in births else births[0])
    years = data.years_with_data(chart, district, indicator, sex, birth) or [2024]
    year = r.year("year", years, years[-1])
    return LuaState(chart, indicator, sex, birth, district, year), r.problems
