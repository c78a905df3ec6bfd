"""Explore: the gap against another indicator for all municipalities; size = population; peers highlighted."""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, State, callback, ctx, html

from dashboard.core import queries
from dashboard.core.text import t
from dashboard.ui import choices, ids, scaffold
from dashboard.ui import components as c
from dashboard.ui.cache import deterministic
from dashboard.ui.sync import PageSpec, state_from_controls, sync
from dashboard.views.explore import VIEW
from dashboard.views.explore.state import EXPLORE_PEER_KINDS, ExploreState, parse_explore

log = logging.getLogger(__name__)

scaffold.register_page(__name__, VIEW)


def to_controls(s: ExploreState) -> list:
    """State → control values."""
    return [s.indicator, s.age, s.gap, s.x, s.year, s.municipality, s.peers]


SPEC = PageSpec(
    "explore",
    [
        (ids.EXPLORE_INDICATOR, "ind"),
        (ids.EXPLORE_AGE, "age"),
        (ids.EXPLORE_GAP, "gap"),
        (ids.EXPLORE_X, "x"),
        (ids.EXPLORE_YEAR, "year"),
        (ids.EXPLORE_MUNICIPALITY, "area"),
        (ids.EXPLORE_PEERS, "peers"),
    ],
    parse_explore,
    to_controls,
)


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    opened = scaffold.open_page(query, parse_explore, "explore")
    if isinstance(opened, html.Div):
        return opened
    lang, cat, state, problems = opened
    years = c.year_options(cat.years_for(state.indicator, state.age))
    peer_opts = [{"value": k, "label": t(f"peers.{k}", lang)} for k in EXPLORE_PEER_KINDS]
    controls = html.Div(
        [
            c.field(
                t("indicator", lang),
                c.dropdown(
                    ids.EXPLORE_INDICATOR,
                    c.indicator_options(cat, lang),
                    state.indicator,
                    lang=lang,
                ),
                ids.EXPLORE_INDICATOR,
            ),
            c.field(
                t("age", lang),
                c.dropdown(
                    ids.EXPLORE_AGE, c.age_options(cat, state.indicator, lang), state.age, lang=lang
                ),
                ids.EXPLORE_AGE,
                "field narrow",
            ),
            c.field(
                t("gap", lang),
                c.dropdown(ids.EXPLORE_GAP, c.gap_options(lang), state.gap, lang=lang),
                ids.EXPLORE_GAP,
                "field wide",
            ),
            c.field(
                t("x", lang),
                c.dropdown(ids.EXPLORE_X, c.indicator_options(cat, lang), state.x, lang=lang),
                ids.EXPLORE_X,
            ),
            c.field(
                t("year", lang),
                c.dropdown(ids.EXPLORE_YEAR, years, state.year, lang=lang),
                ids.EXPLORE_YEAR,
                "field narrow",
            ),
            c.field(
                t("municipality", lang),
                c.dropdown(
                    ids.EXPLORE_MUNICIPALITY,
                    c.area_options(cat, "country", lang)
                    + c.area_options(cat, "municipality", lang),
                    state.municipality,
                    lang=lang,
                ),
                ids.EXPLORE_MUNICIPALITY,
            ),
            c.field(
                t("peers", lang),
                c.dropdown(ids.EXPLORE_PEERS, peer_opts, state.peers, lang=lang),
                ids.EXPLORE_PEERS,
            ),
        ],
        className="controls",
    )
    charts = [
        html.Div(id=ids.EXPLORE_LINKS, className="links", **{"aria-live": "polite"}),
        c.chart(ids.EXPLORE_GRAPH, ids.EXPLORE_SUMMARY, "explore", lang, height=560),
    ]
    heading = [html.H1(t("nav.explore", lang))]
    return scaffold.frame(
        WIRING, ids.EXPLORE_URL, ids.EXPLORE_MESSAGE, heading, problems, controls, lang, charts
    )


def clicked_area(click: dict | None) -> str | None:
    """The municipality code of a clicked point."""
    points = (click or {}).get("points") or []
    return points[0].get("customdata") if points else None


@callback(
    *scaffold.sync_outputs(SPEC, ids.EXPLORE_URL, ids.EXPLORE_MESSAGE),
    Output(ids.EXPLORE_YEAR, "options"),
    Output(ids.EXPLORE_AGE, "options"),
    *scaffold.sync_inputs(SPEC, ids.EXPLORE_URL),
    Input(ids.EXPLORE_GRAPH, "clickData"),
    State(ids.EXPLORE_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
@deterministic
def sync_url(search, *args):
    """URL ↔ controls; clicking a point selects that municipality."""
    *values, click, lang = args
    override = None
    if ctx.triggered_id == ids.EXPLORE_GRAPH and clicked_area(click):
        override = {"area": clicked_area(click)}
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang, override)
    cat = queries.catalogue()
    current = [
        v if v is not dash.no_update else old for v, old in zip(controls, values, strict=True)
    ]
    state, _ = parse_explore({"ind": current[0], "age": current[1]}, cat)
    years = c.year_options(cat.years_for(state.indicator, state.age))
    return (out_search, *controls, msg, shared, years, c.age_options(cat, state.indicator, lang))


WIRING = scaffold.Wiring(
    SPEC, [("scatter", ids.EXPLORE_GRAPH, ids.EXPLORE_SUMMARY)], ids.EXPLORE_NOTES,
    ids.EXPLORE_TABLE, ids.EXPLORE_LANG, ids.EXPLORE_CSV, ids.EXPLORE_DOWNLOAD,
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_explore = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]


@callback(
    Output(ids.EXPLORE_LINKS, "children"),
    Input(ids.EXPLORE_GRAPH, "selectedData"),
    *[Input(cid, SPEC.prop(cid)) for cid in SPEC.control_ids],
    State(ids.EXPLORE_LANG, "data"),
)
def selection_links(selected, *args):
    """Links that carry the selected municipality, or a box/lasso selection, to the other views."""
    *values, lang = args
    cat = queries.catalogue()
    state, _ = state_from_controls(SPEC, values, cat)
    points = (selected or {}).get("points") or []
    codes = [p["customdata"] for p in points if p.get("customdata")]
    if len(codes) >= 2:
        return c.view_links(sorted(set(codes)), cat, lang, shared=state)
    return c.view_links([state.municipality], cat, lang, shared=state)


choices.register_gap_options(
    ids.EXPLORE_INDICATOR, ids.EXPLORE_AGE, ids.EXPLORE_GAP, ids.EXPLORE_LANG
)
