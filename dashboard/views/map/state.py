"""The Map view's URL state: level, indicator, year, colour (a gap, a value, or the Explain
decomposition's colours where it applies), the selected area and the zoom focus."""

from __future__ import annotations

from typing import Any

from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.ui import choices
from dashboard.urlstate import (
    COLOURS,
    EXPLAIN_COLOURS,
    LEVELS,
    MapState,
    default_area,
    indicator_years,
    read_gap,
    read_indicator,
)
from dashboard.views.map import decomposed as explain_map


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
        not explain_map.applies(indicator, age, level) or gap not in explain_map.gaps()
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
        return explain_map.years(state.gap)
    if state.colour == "gap":
        groups: tuple[Group, ...] = (GAPS[state.gap].a, GAPS[state.gap].b)
    else:
        groups = (Group.parse(state.group),)
    muni = state.municipality if state.level == "regso" else None
    return list(choices.group_years(state.indicator, state.age, state.level, groups, muni))
