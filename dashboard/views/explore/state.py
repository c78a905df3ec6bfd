"""The Explore view's URL state: ?ind=&age=&gap=&x=<indicator>&year=&area=<municipality>&peers=<kind>."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.core.gaps import DEFAULT_GAP
from dashboard.core.mappings import PEER_SETS, LazyTuple
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.urlstate import (
    DEFAULT_AREA,
    MUNICIPALITY_VIEW_LEVELS,
    indicator_years,
    read_gap,
    read_indicator,
    start_area,
)

EXPLORE_PEER_KINDS: Sequence[str] = LazyTuple(lambda: ("none", *PEER_SETS, "la", "county"))


@dataclass(frozen=True)
class ExploreState:
    """Explore view: gap of one indicator against another indicator, all municipalities."""

    indicator: str
    age: str
    year: int
    x: str
    gap: str = DEFAULT_GAP
    municipality: str = DEFAULT_AREA
    peers: str = "similar"

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {
            "ind": self.indicator,
            "age": self.age,
            "gap": self.gap,
            "x": self.x,
            "year": self.year,
            "area": self.municipality,
            "peers": self.peers,
        }


def default_x(cat: Catalogue, indicator: str) -> str:
    """Default x-axis indicator for Explore: share foreign-born, else another indicator."""
    candidates = [i for i in cat.indicators.index if cat.years_for(i)]
    for preferred in ("foreign_born_share", "foreign_born_non_eu_share", "employment_rate"):
        if preferred in candidates:
            return preferred
    return candidates[0] if candidates else indicator


def parse_explore(query: Query, cat: Catalogue) -> tuple[ExploreState, list[Problem]]:
    """Validate the explore page's query string."""
    r = StateReader(query, cat)
    indicator, age = read_indicator(r)
    years = indicator_years(cat, indicator, age)
    year = r.year("year", years, years[-1])
    candidates = [i for i in cat.indicators.index if cat.years_for(i)]
    x = r.choice("x", candidates or [indicator], default_x(cat, indicator))
    municipality = r.area_or_municipality("area", MUNICIPALITY_VIEW_LEVELS, start_area(cat))
    peers = r.choice("peers", EXPLORE_PEER_KINDS, "similar")
    return ExploreState(indicator, age, year, x, read_gap(r), municipality, peers), r.problems
