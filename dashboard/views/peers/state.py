"""The Peers view's URL state: ?area=<municipality>&peers=<kind>&custom=<codes>&ind=&age=&gap=&year=&year0=."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.core.gaps import DEFAULT_GAP
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.urlstate import (
    MUNICIPALITY_VIEW_LEVELS,
    PEER_KINDS,
    indicator_years,
    read_gap,
    read_indicator,
    start_area,
)

MAX_CUSTOM = 60


@dataclass(frozen=True)
class PeersState:
    """Peers view: municipality, peer set, indicator, gap, year and slope start year."""

    municipality: str
    indicator: str
    age: str
    year: int
    year0: int
    kind: str = "similar"
    custom: tuple[str, ...] = ()
    gap: str = DEFAULT_GAP

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {
            "area": self.municipality,
            "peers": self.kind,
            "custom": list(self.custom) if self.kind == "custom" else None,
            "ind": self.indicator,
            "age": self.age,
            "gap": self.gap,
            "year": self.year,
            "year0": self.year0,
        }


def parse_peers(query: Query, cat: Catalogue) -> tuple[PeersState, list[Problem]]:
    """Validate the peers page's query string (a RegSO area selects its municipality)."""
    r = StateReader(query, cat)
    indicator, age = read_indicator(r)
    municipality = r.area_or_municipality("area", MUNICIPALITY_VIEW_LEVELS, start_area(cat))
    kind = r.choice("peers", PEER_KINDS, "similar")
    custom = r.areas("custom", ("municipality",), MAX_CUSTOM) or ()
    years = indicator_years(cat, indicator, age)
    year = r.year("year", years, years[-1])
    earlier = [y for y in years if y < year]
    default0 = min([y for y in earlier if y >= year - 4] or earlier or [year])
    year0 = r.year("year0", years, default0)
    state = PeersState(municipality, indicator, age, year, year0, kind, custom, read_gap(r))
    return state, r.problems
