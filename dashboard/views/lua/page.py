"""LUA districts: the report's comparison (districts together, county, county without them,
country) over the years, and the 17 districts ranked against their municipality."""

from __future__ import annotations

import logging

import dash
from dash import Output, State, callback, ctx, dcc, html

from dashboard.core import queries
from dashboard.core.mappings import in_birth_order
from dashboard.ui import components as c
from dashboard.ui import scaffold, titles
from dashboard.ui.sync import PageSpec, sync
from dashboard.urlstate import href, lang_of
from dashboard.views.lua.view import LINES, SEXES, LuaState, indicators, lua_coverage, parse_lua, tr

log = logging.getLogger(__name__)
dash.register_page(__name__, path="/lua", name="LUA", order=4, title=titles.title("lua"))

PAGE = "lua"
URL, MESSAGE, LANG = "lua-url", "lua-message", "lua-lang"
INDICATOR, SEX, BIRTH, YEAR = "lua-indicator", "lua-sex", "lua-birth", "lua-year"
GRAPH, SUMMARY, RANK_GRAPH, RANK_SUMMARY = (
    "lua-graph",
    "lua-summary",
    "lua-rank-graph",
    "lua-rank-summary",
)
NOTES, TABLE, CSV, DOWNLOAD, LINKS = (
    "lua-notes",
    "lua-table",
    "lua-csv-button",
    "lua-csv-download",
    "lua-links",
)


def to_controls(s: LuaState) -> list:
    """State → control values."""
    return [s.indicator, s.sex, s.birth, s.year]


SPEC = PageSpec(
    PAGE,
    [(INDICATOR, "ind"), (SEX, "sex"), (BIRTH, "birth"), (YEAR, "year")],
    parse_lua,
    to_controls,
)


def _options(cat, state: LuaState, lang: str) -> tuple[list, list, list]:
    inds = [{"value": i, "label": cat.indicator_name(i, lang)} for i in indicators(cat)]
    cov = lua_coverage()
    births = in_birth_order(set(cov.birth_region[cov.indicator == state.indicator]) | {"total"})
    birth_opts = [{"value": b, "label": cat.label("birth_region", b, lang)} for b in births]
    years = sorted(set(cov.year[(cov.indicator == state.indicator) & (cov.n > 0)]))
    return inds, birth_opts, c.year_options(years)


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    lang = lang_of(query)
    try:
        cat = queries.catalogue()
        state, problems = parse_lua(query, cat)
    except Exception as exc:  # missing warehouse → friendly text, never a 500
        log.exception("lua layout")
        return c.unavailable(lang, exc)
    inds, births, years = _options(cat, state, lang)
    controls = html.Div(
        [
            c.field(
                t_ind(lang),
                c.dropdown(INDICATOR, inds, state.indicator, lang=lang),
                INDICATOR,
                "field wide",
            ),
            c.field(
                tr("lua.sex", lang),
                c.radio(
                    SEX,
                    [{"value": s, "label": cat.label("sex", s, lang)} for s in SEXES],
                    state.sex,
                ),
                SEX,
            ),
            c.field(
                tr("lua.birth", lang), c.dropdown(BIRTH, births, state.birth, lang=lang), BIRTH
            ),
            c.field(
                tr("year", lang),
                c.dropdown(YEAR, years, state.year, lang=lang),
                YEAR,
                "field narrow",
            ),
        ],
        className="controls",
    )
    map_href = href("map", {"level": "regso_set", "colour": "value", "group": "total.total",
                            "ind": state.indicator}, lang)  # fmt: skip
    trends_href = href("trends", {"areas": ",".join(LINES), "birth": "all", "ind": state.indicator},
                       lang)  # fmt: skip
    charts = [
        c.chart(GRAPH, SUMMARY, "lua_comparison", lang, height=460),
        c.chart(RANK_GRAPH, RANK_SUMMARY, "lua_districts", lang, height=560, deferred=True),
    ]
    links = html.P(
        [
            dcc.Link(tr("lua.map_link", lang), href=map_href, id=LINKS),
            " · ",
            dcc.Link(tr("lua.trends_link", lang), href=trends_href, id=f"{LINKS}-trends"),
        ]
    )
    heading = [html.H1(tr("lua.title", lang)), html.P(tr("lua.intro", lang))]
    return scaffold.frame(
        WIRING, URL, MESSAGE, heading, problems, controls, lang, charts, after_notes=[links]
    )


def t_ind(lang: str) -> str:
    """Label of the indicator control."""
    return tr("indicator", lang)


@callback(
    *scaffold.sync_outputs(SPEC, URL, MESSAGE),
    Output(BIRTH, "options"),
    Output(YEAR, "options"),
    *scaffold.sync_inputs(SPEC, URL),
    State(LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
def sync_url(search, *args):
    """URL ↔ controls (and the birth-region/year options of the chosen indicator)."""
    *values, lang = args
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang)
    cat = queries.catalogue()
    indicator = controls[0] if controls[0] is not dash.no_update else values[0]
    state, _ = parse_lua({"ind": indicator}, cat)
    _inds, births, years = _options(cat, state, lang or "sv")
    return (out_search, *controls, msg, shared, births, years)


WIRING = scaffold.Wiring(
    SPEC, [("comparison", GRAPH, SUMMARY), ("rank", RANK_GRAPH, RANK_SUMMARY)], NOTES, TABLE,
    LANG, CSV, DOWNLOAD, cached=False, deferred=[RANK_GRAPH],
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_lua = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]
