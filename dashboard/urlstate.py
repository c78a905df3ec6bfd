"""Query string ↔ view state, validated against the warehouse's known codes.

Unknown codes and malformed values never raise: they are replaced by defaults and reported as
Problems, which the pages show as a friendly message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.core import viewspec
from dashboard.core.gaps import DEFAULT_GAP, GAPS
from dashboard.core.mappings import BIRTH_SETS, PEER_SETS, LazyTuple
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader, get_param
from dashboard.core.text import LANGS

log = logging.getLogger(__name__)

DEFAULT_AREA = "1280"  # Malmö: the municipality views' start when none is chosen
COUNTRY = "00"
DEFAULT_INDICATOR = "employment_rate"
LEVELS = ("municipality", "county", "la_region", "regso", "regso_set")
COLOURS = ("gap", "value")
EXPLAIN_COLOURS = (
    "standardised",
    "local",
)  # from mart.gap_decomposition (dashboard/explain_map.py)
SEX_SETS = ("split", "total")
# the Kolada peer sets of seeds/peer_groups.csv, then those the area tables give
PEER_KINDS: Sequence[str] = LazyTuple(lambda: (*PEER_SETS, "la", "county", "custom"))
EXPLORE_PEER_KINDS: Sequence[str] = LazyTuple(lambda: ("none", *PEER_SETS, "la", "county"))
MAX_AREAS = 6
MAX_CUSTOM = 60
# Peers and Explore: a municipality, or the country (none chosen: the national picture)
MUNICIPALITY_VIEW_LEVELS = ("municipality", "country")
TREND_LEVELS = ("country", "county", "municipality", "la_region", "regso", "area_set", "regso_set")


def parse_search(search: str | None) -> dict[str, str]:
    """'?a=1&b=2' → {'a': '1', 'b': '2'} (last value wins for repeated keys)."""
    if not search:
        return {}
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


def to_search(params: Mapping[str, Any]) -> str:
    """{'a': 1} → '?a=1' (None/empty values dropped; lists joined with commas)."""
    clean: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            clean[key] = ",".join(map(str, value))  # kept when empty: an emptied selection
        elif value is not None and value != "":
            clean[key] = str(value)
    return "?" + urlencode(clean, safe=",") if clean else ""


def controls_to_query(params: Sequence[tuple[str, str]], values: Sequence[Any]) -> dict[str, Any]:
    """Control values → query parameters (lists joined with commas), by (control id, parameter)."""
    query: dict[str, Any] = {}
    for (_, param), value in zip(params, values, strict=True):
        if isinstance(value, list | tuple):
            query[param] = ",".join(map(str, value))
        elif value is not None and value != "":
            query[param] = str(value)
    return query


def href(page: str, params: Mapping[str, Any], lang: str) -> str:
    """Link to a view with parameters and language, e.g. '/trends?areas=1280&lang=en'."""
    return viewspec.view(page).path + to_search(with_lang(params, lang))


def read_indicator(r: StateReader) -> tuple[str, str]:
    cat = r.cat
    default = (
        DEFAULT_INDICATOR
        if cat.has_indicator(DEFAULT_INDICATOR)
        else (cat.indicators.index[0] if len(cat.indicators) else DEFAULT_INDICATOR)
    )
    indicators = [i for i in cat.indicators.index if cat.years_for(i)]
    indicator = r.choice("ind", indicators or [default], default)
    age = r.choice("age", cat.ages(indicator) or ["20-64"], cat.default_age(indicator))
    return indicator, age


def start_area(cat: Catalogue) -> str:
    """Where a page that can show any level starts without an area: the country, never an
    arbitrary municipality (else the default municipality, in a warehouse without the country)."""
    return COUNTRY if cat.has_area(COUNTRY, "country") else default_area(cat)


def default_area(cat: Catalogue) -> str:
    """The default municipality (Malmö where the warehouse has it, else the first by name)."""
    if cat.has_area(DEFAULT_AREA, "municipality"):
        return DEFAULT_AREA
    codes = cat.codes("municipality")
    return codes[0] if codes else DEFAULT_AREA


def indicator_years(cat: Catalogue, indicator: str, age: str) -> list[int]:
    return cat.years_for(indicator, age) or [0]


def lang_of(query: Query) -> str:
    """The language in a query ('sv' unless 'en')."""
    value = get_param(query, "lang")
    return value if value in LANGS else "sv"


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


@dataclass(frozen=True)
class DataState:
    """Data page: the view whose table is shown, and that view's state."""

    view: str
    inner: Any  # MapState | TrendsState | PeersState | ExploreState | ExplainState | LuaState

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"view": self.view, **self.inner.to_query()}


def read_gap(r: StateReader) -> str:
    return r.choice("gap", tuple(GAPS), DEFAULT_GAP)


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


def parse_data(query: Query, cat: Catalogue) -> tuple[DataState, list[Problem]]:
    """Validate the data page's query string: 'view' plus that view's parameters."""
    r = StateReader(query, cat)
    view = r.choice("view", viewspec.data_views(), "peers")
    inner, problems = viewspec.view(view).parse(query, cat)
    return DataState(view, inner), r.problems + problems


def shared_params(state: Any) -> dict[str, Any]:
    """The parameters carried between views: area, indicator, age, year, gap."""
    q = state.to_query() if hasattr(state, "to_query") else {}
    out = {k: q.get(k) for k in ("ind", "age", "gap", "year")}
    if isinstance(state, TrendsState):
        out["area"] = state.areas[-1] if state.areas else None  # the last one chosen
    elif isinstance(state, MapState):
        out["area"] = state.area
        out["focus"] = q.get("focus")  # the county or LA region the map zooms to travels too
    else:
        out["area"] = q.get("area")
    return {k: v for k, v in out.items() if v not in (None, "")}


def with_lang(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Parameters with the language added (Swedish, the default, is left out)."""
    return {**params, "lang": lang if lang != "sv" else None}
