"""The Trends view's URL state: ?areas=<codes>&ind=&age=&gap=&birth=main|detail&sexes=split|total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.core.gaps import DEFAULT_GAP
from dashboard.core.mappings import BIRTH_SETS
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.urlstate import read_gap, read_indicator, start_area

SEX_SETS = ("split", "total")
MAX_AREAS = 6
TREND_LEVELS = ("country", "county", "municipality", "la_region", "regso", "area_set", "regso_set")


@dataclass(frozen=True)
class TrendsState:
    """Trends view: areas, indicator, gap to shade, birth-region set, sexes."""

    areas: tuple[str, ...]
    indicator: str
    age: str
    gap: str = DEFAULT_GAP
    birth: str = "main"
    sexes: str = "split"

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {
            "areas": list(self.areas),
            "ind": self.indicator,
            "age": self.age,
            "gap": self.gap,
            "birth": self.birth,
            "sexes": self.sexes,
        }

    def shared_area(self) -> dict[str, Any]:
        """The area carried to other views: the last one chosen of the drawn areas."""
        return {"area": self.areas[-1] if self.areas else None}


def parse_trends(query: Query, cat: Catalogue) -> tuple[TrendsState, list[Problem]]:
    """Validate the trends page's query string (falls back on the shared 'area')."""
    r = StateReader(query, cat)
    indicator, age = read_indicator(r)
    areas = r.areas("areas", TREND_LEVELS, MAX_AREAS)
    if areas is None:
        areas = (r.area("area", TREND_LEVELS, start_area(cat)),)
    state = TrendsState(
        areas,
        indicator,
        age,
        read_gap(r),
        r.choice("birth", tuple(BIRTH_SETS), "main"),
        r.choice("sexes", SEX_SETS, "split"),
    )
    return state, r.problems
