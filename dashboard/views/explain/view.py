"""Explain the gap: view state, the view's reads of mart.gap_decomposition and the rendered view.

The page (page.py) stays thin; its figures are in figures.py and its sentences in text.py. The
decomposition's reads, texts and choropleth, which the Map's decomposed colours share, are in core/
(decomposition.py, decomposition_map.py, text/decomposition.py). The numbers come from the build
step etl/decompose.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.core import decomposition_map, frames, geo, queries
from dashboard.core.decomposition import (
    COLOUR_COLUMN,
    COLOURS,
    MAP_LEVELS,
    available_gaps,
    available_years,
    decomposition,
    with_names,
)
from dashboard.core.gaps import DEFAULT_GAP, GAPS
from dashboard.core.mappings import LazyTuple
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.core.text import decomposition as xtext
from dashboard.core.text import t
from dashboard.core.viewspec import Rendered
from dashboard.provenance import Scope
from dashboard.ui import exports
from dashboard.urlstate import COUNTRY, PEER_KINDS, start_area
from dashboard.views.explain import figures as xf
from dashboard.views.explain import kolada
from dashboard.views.explain import text as xt
from etl.decompose import INDICATOR, bands

log = logging.getLogger(__name__)

AREA_LEVELS = ("municipality", "county", "la_region", "area_set", "country")
EXPLAIN_PEER_KINDS = LazyTuple(lambda: tuple(k for k in PEER_KINDS if k != "custom"))
VALUE_COLUMNS = ["actual_1", "actual_2", "crude_gap", "composition", "rate_effect",
                 "standardised_gap", "expected_1", "local_difference"]  # fmt: skip


@dataclass(frozen=True)
class ExplainState:
    """Explain view: area, gap preset, year, peer set and what the map is coloured by."""

    area: str
    gap: str
    year: int
    peers: str = "similar"
    colour: str = "standardised"

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"area": self.area, "gap": self.gap, "year": self.year, "peers": self.peers,
                "colour": self.colour}  # fmt: skip

    def provenance_scopes(self, cat: Catalogue) -> list[Scope]:
        """The observations the decomposition reads: both groups' age-band counts that year."""
        gap = GAPS[self.gap]
        return [Scope(INDICATOR, band, (gap.a, gap.b), years=(self.year,)) for band in bands()]


def parse_explain(query: Query, cat: Catalogue) -> tuple[ExplainState, list[Problem]]:
    """Validate the explain page's query string (unknown values -> defaults + problems)."""
    r = StateReader(query, cat)
    gaps = available_gaps() or [DEFAULT_GAP]
    area = r.area_or_municipality("area", AREA_LEVELS, start_area(cat))
    gap = r.choice("gap", gaps, DEFAULT_GAP if DEFAULT_GAP in gaps else gaps[0])
    years = available_years() or [0]
    year = r.year("year", years, years[-1])
    peers = r.choice("peers", EXPLAIN_PEER_KINDS, "similar")
    colour = r.choice("colour", COLOURS, "standardised")
    return ExplainState(area, gap, year, peers, colour), r.problems


def peer_areas(state: ExplainState, cat: Catalogue) -> list[str]:
    """The area and its peers: a peer set for a municipality, else areas of the same level."""
    level = cat.area_level(state.area)
    if level == "municipality":
        codes = queries.peer_codes(state.peers, state.area)
    elif level == "la_region":
        county = cat.areas.at[state.area, "county_code"]
        same = cat.areas[(cat.areas["level"] == "la_region") & (cat.areas["county_code"] == county)]
        codes = list(same.index)
    else:  # a county among the counties; the country among its counties
        codes = cat.codes("county" if level in (None, "country") else level)
    return sorted(set(codes) | {state.area})


def map_level(state: ExplainState, cat: Catalogue) -> str:
    """The map shows the chosen area's level (municipalities for the country and area sets)."""
    level = cat.area_level(state.area)
    return level if level in MAP_LEVELS else "municipality"


def render_explain(
    state: ExplainState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Everything the view shows, every chart stamped with source, permalink and synthetic mark."""
    out = _render_explain(state, cat, lang, figures=figures)
    if not figures:
        return out
    return exports.stamp_rendered(out, "explain", state, cat, lang)


@dataclass
class ExplainData:
    """The decomposition rows the view shows, and the facts it states about them."""

    now: pd.DataFrame  # the area and its peers, the chosen year
    history: pd.DataFrame  # the area over the years
    everywhere: pd.DataFrame  # every area of the map's level, the chosen year
    munis: pd.DataFrame  # every municipality, the chosen year (the scatter)
    level: str  # the map's level
    peers: list[str]
    row: pd.DataFrame  # the area's row of `now` (empty: none)
    complete: bool  # the row has every part of the split
    synthetic: bool
    scatter: pd.DataFrame  # the municipalities with an actual and an expected rate


def explain_data(state: ExplainState, cat: Catalogue, lang: str) -> ExplainData:
    """Rows of mart.gap_decomposition for the area, its peers, its history and the map."""
    peers = peer_areas(state, cat)
    now = with_names(decomposition(state.gap, year=state.year, areas=tuple(peers)), lang)
    history = with_names(decomposition(state.gap, areas=(state.area,)), lang)
    level = map_level(state, cat)
    everywhere = with_names(decomposition(state.gap, year=state.year, level=level), lang)
    munis = (
        everywhere
        if level == "municipality"
        else with_names(decomposition(state.gap, year=state.year, level="municipality"), lang)
    )
    row = now[now["area_code"] == state.area]
    complete = not row.empty and not row[VALUE_COLUMNS[:5]].isna().any(axis=None)
    scatter = munis.dropna(subset=["expected_1", "actual_1"])
    return ExplainData(now, history, everywhere, munis, level, peers, row, complete,
                       frames.any_synthetic(now), scatter)  # fmt: skip


def _render_explain(
    state: ExplainState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Everything the view shows: split, peers, years, map, scatter, summary, notes, table."""
    gap = GAPS[state.gap]
    threshold = frames.small_threshold()
    name = cat.area_name(state.area, lang)
    data = explain_data(state, cat, lang)
    table, headers = xtext.table(data.now, state, lang)
    filename = f"explain_{state.area}_{state.gap}_{state.year}"
    notes = xtext.notes(state.year, threshold, data.synthetic, lang)
    keys = ("split", "years", "map", "scatter")
    kolada_rows = kolada.kolada_expected(state.area)
    kolada_fig = (
        xf.kolada_figure(kolada_rows, name, lang)
        if len(kolada_rows)
        else decomposition_map.empty(xtext.tr("x.kolada_none", lang, area=name), lang)
    )
    kolada_text = xt.summary_kolada(kolada_rows, name, state.year, lang)
    if not data.complete:
        msg = xt.no_result(name, state.year, gap, data.row, lang)
        empty = decomposition_map.empty(msg, lang)
        figs = {**dict.fromkeys(keys, empty), "kolada": kolada_fig}
        return Rendered(figs, {**dict.fromkeys(keys, msg), "kolada": kolada_text}, table,
                        headers, notes, filename=filename)  # fmt: skip
    selected = data.row.iloc[0]
    column = COLOUR_COLUMN[state.colour]
    level, peers = data.level, data.peers
    figs = (
        {}
        if not figures
        else {
            "split": xf.split_figure(data.now, state.area, gap, lang, threshold),
            "years": xf.years_figure(data.history, name, gap, lang),
            "map": decomposition_map.map_figure(
                data.everywhere, column, geo.url(level), geo.shapes(level).bounds, state.area, gap,
                lang,
            ),
            "scatter": xf.scatter_figure(data.munis, state.area, set(peers), gap, state.year, lang),
            "kolada": kolada_fig,
        }
    )  # fmt: skip
    summaries = {
        "split": xt.summary(name, state.year, gap, selected, lang),
        "years": xt.summary_years(name, gap, data.history, lang),
        "map": xtext.summary_map(data.everywhere, column, gap, state.year, lang),
        "scatter": xt.summary_scatter(
            data.scatter, name, selected, gap, lang, country=state.area == COUNTRY
        ),
        "kolada": kolada_text,
    }
    return Rendered(figs, summaries, table, headers, notes,
                    extra={"row": selected.to_dict(), "peers": peers}, filename=filename)  # fmt: skip


def empty_state_reason(lang: str) -> str:
    """Shown when the warehouse has no decomposition (no age-band counts loaded)."""
    return t("empty", lang, reason=xtext.tr("x.no_table", lang))
