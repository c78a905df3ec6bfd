"""The Map view's URL state: level, indicator, year, colour (a gap, a value, or the Explain
decomposition's colours where it applies), the selected area and the zoom focus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.core import decomposition
from dashboard.core.gaps import DEFAULT_GAP, GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.ui import choices
from dashboard.urlstate import DEFAULT_AREA, default_area, indicator_years, read_gap, read_indicator

LEVELS = ("municipality", "county", "la_region", "regso", "regso_set")
COLOURS = ("gap", "value")
EXPLAIN_COLOURS = decomposition.COLOURS  # from mart.gap_decomposition (map/decomposed.py)


@dataclass(frozen=True)
class MapState:
    """Map view: level, indicator, gap or one group's value, year, selected area."""

    indicator: str
    age: str
    year: int
    level: str = "municipality"
    municipality: str = DEFAULT_AREA  # whose RegSO areas are shown
    colour: str = "gap"
    gap: str = DEFAULT_GAP
    group: str = "women.foreign"
    area: str | None = None  # selected (clicked) area
    focus: str | None = None  # county or LA region the municipality map zooms to

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {
            "ind": self.indicator,
            "age": self.age,
            "year": self.year,
            "level": self.level,
            "muni": self.municipality if self.level == "regso" else None,
            "colour": self.colour,
            "gap": self.gap if self.colour != "value" else None,
            "group": self.group if self.colour == "value" else None,
            "area": self.area,
            "focus": self.focus if self.level == "municipality" else None,
        }

    def shared_area(self) -> dict[str, Any]:
        """The area carried to other views, and the county or LA region the map zooms to."""
        return {"area": self.area, "focus": self.to_query().get("focus")}


def parse_map(query: Query, cat: Catalogue) -> tuple[MapState, list[Problem]]:
    """Validate the map page's query string."""
    r = StateReader(query, cat)
    indicator, age = read_indicator(r)
    level = r.choice("level", LEVELS, "municipality")
    asked_age = age
    age = cat.age_for_level(indicator, age, level)  # e.g. RegSO tables publish ages 20-65 only
    years = indicator_years(cat, indicator, age)
    year = r.year("year", years, years[-1])
    area_default = default_area(cat)
    area = r.area("area", ("municipality", "county", "la_region", "regso", "regso_set"), "") or None
    muni_default = area if area and cat.area_level(area) == "municipality" else area_default
    if area and cat.area_level(area) == "regso":
        muni_default = str(cat.areas.at[area, "municipality_code"])
    municipality = r.area("muni", ("municipality",), muni_default)
    colour = r.choice("colour", COLOURS + EXPLAIN_COLOURS, "gap")
    gap = read_gap(r)
    if colour in EXPLAIN_COLOURS and (
        not decomposition.applies(indicator, age, level)
        or gap not in decomposition.available_gaps()
    ):
        colour = "gap"  # not decomposed for this choice: the plain gap, silently
    groups = [g.key for g in cat.groups_for(indicator, age)] or ["women.foreign"]
    group = r.choice("group", groups, "women.foreign" if "women.foreign" in groups else groups[0])
    pair = (GAPS[gap].a, GAPS[gap].b)
    if (
        age != asked_age
        and colour == "gap"
        and not all(cat.has_group(indicator, age, g, level) for g in pair)
    ):
        colour = "value"  # the level's age has no such gap: show a group's value, silently
    focus = r.area("focus", ("county", "la_region"), "") or None
    state = MapState(indicator, age, year, level, municipality, colour, gap, group, area, focus)
    return state, r.problems


def map_years(cat: Catalogue, state: Any) -> list[int]:
    """Years the map view has data for (its level, RegSO municipality and groups)."""
    if state.colour in ("standardised", "local"):
        return decomposition.years(state.gap)
    if state.colour == "gap":
        groups: tuple[Group, ...] = (GAPS[state.gap].a, GAPS[state.gap].b)
    else:
        groups = (Group.parse(state.group),)
    muni = state.municipality if state.level == "regso" else None
    return list(choices.group_years(state.indicator, state.age, state.level, groups, muni))
