"""Query string ↔ view state, the generic part: reading and writing queries, the language, the
default and start areas and the validators several views share; each view's own state and parser
live in its folder (`views/<view>/state.py`).

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
from dashboard.core.mappings import PEER_SETS, LazyTuple
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader, get_param
from dashboard.core.text import LANGS

log = logging.getLogger(__name__)

DEFAULT_AREA = "1280"  # Malmö: the municipality views' start when none is chosen
COUNTRY = "00"
DEFAULT_INDICATOR = "employment_rate"
# the Kolada peer sets of seeds/peer_groups.csv, then those the area tables give (Peers, Explain)
PEER_KINDS: Sequence[str] = LazyTuple(lambda: (*PEER_SETS, "la", "county", "custom"))
# Peers and Explore: a municipality, or the country (none chosen: the national picture)
MUNICIPALITY_VIEW_LEVELS = ("municipality", "country")


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
class DataState:
    """Data page: the view whose table is shown, and that view's state."""

    view: str
    inner: Any  # MapState | TrendsState | PeersState | ExploreState | ExplainState | LuaState

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"view": self.view, **self.inner.to_query()}


def read_gap(r: StateReader) -> str:
    return r.choice("gap", tuple(GAPS), DEFAULT_GAP)


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
    # a state may say which area it carries (Trends: the last area chosen; the Map: its focus too)
    own = getattr(state, "shared_area", None)
    out.update(own() if own else {"area": q.get("area")})
    return {k: v for k, v in out.items() if v not in (None, "")}


def with_lang(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Parameters with the language added (Swedish, the default, is left out)."""
    return {**params, "lang": lang if lang != "sv" else None}
