"""The LUA page: the regional report's four views of the 17 Stockholm districts — unemployment
against the county and the country, employment by birth region, one district against its
municipality and the county, and the 17 ranked."""

from __future__ import annotations

import logging

import dash
from dash import Output, State, callback, ctx, dcc, html

from dashboard.core import queries
from dashboard.core.mappings import in_birth_order
from dashboard.core.queries import Catalogue
from dashboard.ui import components as c
from dashboard.ui import scaffold
from dashboard.ui.sync import PageSpec, state_from_controls, sync
from dashboard.urlstate import href, lang_of
from dashboard.views.lua import VIEW, data
from dashboard.views.lua.render import year_ranges
from dashboard.views.lua.state import LuaState, indicators, parse_lua
from dashboard.views.lua.text import tr

log = logging.getLogger(__name__)
scaffold.register_page(__name__, VIEW)

PAGE = "lua"
URL, MESSAGE, LANG = "lua-url", "lua-message", "lua-lang"
CHART, INDICATOR, SEX, BIRTH, DISTRICT, YEAR = (
    "lua-chart", "lua-indicator", "lua-sex", "lua-birth", "lua-district", "lua-year",
)  # fmt: skip
GRAPH, SUMMARY, NOTES, TABLE = "lua-graph", "lua-summary", "lua-notes", "lua-table"
CSV, DOWNLOAD, LINKS = "lua-csv-button", "lua-csv-download", "lua-links"
DISTRICT_FIELD, YEAR_FIELD = f"{DISTRICT}-field", f"{YEAR}-field"


def to_controls(s: LuaState) -> list:
    """State → control values."""
    return [s.chart, s.indicator, s.sex, s.birth, s.district, s.year]


SPEC = PageSpec(
    PAGE,
    [(CHART, "chart"), (INDICATOR, "ind"), (SEX, "sex"), (BIRTH, "birth"), (DISTRICT, "district"),
     (YEAR, "year")],
    parse_lua,
    to_controls,
)  # fmt: skip


def birth_options(cat: Catalogue, state: LuaState, lang: str) -> list[dict]:
    """Birth regions with data for the chart (total first); a group with only some years says which."""
    every = data.years_with_data(state.chart, state.district, state.indicator, state.sex, "total")
    births = in_birth_order(
        data.births_with_data(state.chart, state.district, state.indicator, state.sex)
    )  # natural order (total first), never alphabetical
    out = []
    for b in births:
        label = cat.label("birth_region", b, lang)
        years = data.years_with_data(state.chart, state.district, state.indicator, state.sex, b)
        if every and years and set(years) != set(every):
            label += f" ({year_ranges(years)})"
        out.append({"value": b, "label": label})
    return out


def options(cat: Catalogue, state: LuaState, lang: str) -> tuple[list, list, list, list]:
    """Indicator, birth region, district and year options for the state (only choices with data)."""
    inds = [{"value": i, "label": cat.indicator_name(i, lang)}
            for i in indicators(cat, state.chart, state.district)]  # fmt: skip
    dist = data.lua_districts()
    districts = sorted(({"value": a, "label": cat.area_name(a, lang)} for a in dist.area_code),
                       key=lambda o: o["label"])  # fmt: skip
    years = data.years_with_data(
        state.chart, state.district, state.indicator, state.sex, state.birth
    )
    return inds, birth_options(cat, state, lang), districts, c.year_options(years)


def _shown(on: bool) -> dict:
    return {} if on else {"display": "none"}


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    lang = lang_of(query)
    try:
        cat = queries.catalogue()
        state, problems = parse_lua(query, cat)
    except Exception as exc:  # missing warehouse → friendly text, never a 500
        log.exception("lua layout")
        return c.unavailable(lang, exc)
    inds, births, districts, years = options(cat, state, lang)
    charts = [{"value": k, "label": tr(f"lua.chart.{k}", lang)} for k in data.CHARTS]
    sexes = [{"value": s, "label": cat.label("sex", s, lang)} for s in data.SEXES]
    district_field = c.field(tr("lua.district", lang),
                             c.dropdown(DISTRICT, districts, state.district, lang=lang), DISTRICT)  # fmt: skip
    year_field = c.field(tr("year", lang), c.dropdown(YEAR, years, state.year, lang=lang), YEAR,
                         "field narrow")  # fmt: skip
    controls = html.Div(
        [
            c.field(tr("lua.chart", lang), c.radio(CHART, charts, state.chart), CHART, "field wide"),
            c.field(tr("indicator", lang), c.dropdown(INDICATOR, inds, state.indicator, lang=lang),
                    INDICATOR, "field wide"),
            c.field(tr("lua.sex", lang), c.radio(SEX, sexes, state.sex), SEX),
            c.field(tr("lua.birth", lang), c.dropdown(BIRTH, births, state.birth, lang=lang), BIRTH),
            html.Div(district_field, id=DISTRICT_FIELD, style=_shown(state.chart == "district")),
            html.Div(year_field, id=YEAR_FIELD, style=_shown(state.chart == "rank")),
        ],
        className="controls",
    )  # fmt: skip
    map_href = href("map", {"level": "regso_set", "colour": "value", "group": "total.total",
                            "ind": state.indicator}, lang)  # fmt: skip
    trends_href = href("trends", {"areas": ",".join(data.LINES), "birth": "all",
                                  "ind": state.indicator}, lang)  # fmt: skip
    links = html.P(
        [
            dcc.Link(tr("lua.map_link", lang), href=map_href, id=LINKS),
            " · ",
            dcc.Link(tr("lua.trends_link", lang), href=trends_href, id=f"{LINKS}-trends"),
        ]
    )
    heading = [html.H1(tr("lua.title", lang)), html.P(tr("lua.intro", lang))]
    charts = [c.chart(GRAPH, SUMMARY, "lua", lang, height=480)]
    return scaffold.frame(
        WIRING, URL, MESSAGE, heading, problems, controls, lang, charts, after_notes=[links]
    )


@callback(
    *scaffold.sync_outputs(SPEC, URL, MESSAGE),
    Output(INDICATOR, "options"),
    Output(BIRTH, "options"),
    Output(DISTRICT, "options"),
    Output(YEAR, "options"),
    Output(DISTRICT_FIELD, "style"),
    Output(YEAR_FIELD, "style"),
    *scaffold.sync_inputs(SPEC, URL),
    State(LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
def sync_url(search, *args):
    """URL ↔ controls, and the options of the chosen chart, indicator, sex and district."""
    *values, lang = args
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang)
    cat = queries.catalogue()
    now = [v if v is not dash.no_update else cur for v, cur in zip(controls, values, strict=True)]
    state, _ = state_from_controls(SPEC, now, cat)
    inds, births, districts, years = options(cat, state, lang or "sv")
    return (out_search, *controls, msg, shared, inds, births, districts, years,
            _shown(state.chart == "district"), _shown(state.chart == "rank"))  # fmt: skip


WIRING = scaffold.Wiring(
    SPEC, [("chart", GRAPH, SUMMARY)], NOTES, TABLE, LANG, CSV, DOWNLOAD, cached=False
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_lua = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]
