"""Map: choropleth of municipalities, counties, LA regions or RegSO areas; gap or value; year with play."""

from __future__ import annotations

import logging
from dataclasses import replace

import dash
from dash import ClientsideFunction, Input, Output, State, callback, ctx, dcc, html

from dashboard.core import queries, theme
from dashboard.core.text import t
from dashboard.core.text.widgets import dropdown_labels
from dashboard.ui import choices, ids, scaffold
from dashboard.ui import components as c
from dashboard.ui.cache import deterministic
from dashboard.ui.sync import PageSpec, state_from_controls, sync
from dashboard.views.map import VIEW, focus
from dashboard.views.map import decomposed as explain_map
from dashboard.views.map import selected as map_selected
from dashboard.views.map.state import COLOURS, LEVELS, MapState, map_years, parse_map

log = logging.getLogger(__name__)
scaffold.register_page(__name__, VIEW)

PLAY_MS = 1500
SHOW = {"display": "contents"}  # wrapper boxes take no space of their own
HIDE = {"display": "none"}
BLOCK = {"display": "block", "minWidth": 0}


def to_controls(s: MapState) -> list:
    """State → control values."""
    return [
        s.indicator, s.age, s.level, s.municipality, s.colour, s.gap, s.group, s.year, s.area,
        s.focus,
    ]  # fmt: skip


SPEC = PageSpec(
    "map",
    [
        (ids.MAP_INDICATOR, "ind"),
        (ids.MAP_AGE, "age"),
        (ids.MAP_LEVEL, "level"),
        (ids.MAP_MUNICIPALITY, "muni"),
        (ids.MAP_COLOUR, "colour"),
        (ids.MAP_GAP, "gap"),
        (ids.MAP_GROUP, "group"),
        (ids.MAP_YEAR, "year"),
        (ids.MAP_AREA, "area"),
        (ids.MAP_FOCUS, "focus"),
    ],
    parse_map,
    to_controls,
    fix=lambda query, cat: fix_year(query, cat),
)


def year_marks(years: list[int]) -> dict:
    """Slider marks: one per year with data (the slider stops only there), about six labelled."""
    step = 1 if len(years) <= 8 else -(-len(years) // 6)  # about six labels
    last = len(years) - 1
    keep = {
        i for i in range(len(years)) if i == last or (i % step == 0 and last - i >= step / 2 + 0.5)
    }
    return {y: (str(y) if i in keep else " ") for i, y in enumerate(years)}


def year_step(years: list[int]) -> int | None:
    """1 when the years with data are contiguous (arrow keys step a year), else marks only."""
    return 1 if years and len(years) == max(years) - min(years) + 1 else None


def fix_year(query: dict, cat) -> dict:
    """After a control change: the year nearest to the chosen one among the map view's years."""
    state, _ = parse_map({k: v for k, v in query.items() if k != "year"}, cat)
    years = map_years(cat, state)
    if not years:  # the indicator has nothing at this level: the first level that has data
        for level in LEVELS:
            other = replace(state, level=level)
            if map_years(cat, other):
                query = {**query, "level": level}
                years = map_years(cat, other)
                break
    if years and str(query.get("year")) not in {str(y) for y in years}:
        return {**query, "year": choices.nearest(query.get("year"), years)}
    return query


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    opened = scaffold.open_page(query, parse_map, "map")
    if isinstance(opened, html.Div):
        return opened
    lang, cat, state, problems = opened
    focused = focus.applies(state, cat)
    years = map_years(cat, state) or [state.year]
    controls = html.Div(
        [
            c.field(
                t("selected_area", lang),
                c.dropdown(
                    ids.MAP_AREA,
                    area_choices(cat, state.level, state.municipality, lang),
                    state.area,
                    clearable=True,
                    lang=lang,
                ),
                ids.MAP_AREA,
            ),
            c.field(
                t("indicator", lang),
                c.dropdown(
                    ids.MAP_INDICATOR, c.indicator_options(cat, lang), state.indicator, lang=lang
                ),
                ids.MAP_INDICATOR,
            ),
            c.field(
                t("age", lang),
                c.dropdown(
                    ids.MAP_AGE, c.age_options(cat, state.indicator, lang), state.age, lang=lang
                ),
                ids.MAP_AGE,
                "field narrow",
            ),
            c.field(
                t("level", lang),
                c.dropdown(
                    ids.MAP_LEVEL,
                    [{"value": lv, "label": t(f"level.{lv}", lang)} for lv in LEVELS],
                    state.level,
                    lang=lang,
                ),
                ids.MAP_LEVEL,
            ),
            html.Div(
                c.field(
                    t("focus", lang),
                    dcc.Dropdown(
                        id=ids.MAP_FOCUS,
                        options=focus.focus_options(cat, lang),
                        value=state.focus,
                        clearable=True,
                        searchable=True,
                        placeholder=t("focus.none", lang),
                        labels=dropdown_labels(lang),
                    ),
                    ids.MAP_FOCUS,
                ),
                id="map-focus-box",
                style=SHOW if state.level == "municipality" else HIDE,
            ),
            html.Div(
                c.field(
                    t("municipality", lang) + " (RegSO)",
                    c.dropdown(
                        ids.MAP_MUNICIPALITY,
                        c.area_options(cat, "municipality", lang),
                        state.municipality,
                        lang=lang,
                    ),
                    ids.MAP_MUNICIPALITY,
                ),
                id="map-municipality-box",
                style=SHOW if state.level == "regso" else HIDE,
            ),
            c.field(
                t("colour", lang),
                c.radio(ids.MAP_COLOUR, colour_options(state, lang), state.colour),
                ids.MAP_COLOUR,
                "field wide",
            ),
            html.Div(
                c.field(
                    t("gap", lang),
                    c.dropdown(ids.MAP_GAP, c.gap_options(lang), state.gap, lang=lang),
                    ids.MAP_GAP,
                ),
                id="map-gap-box",
                style=SHOW if state.colour != "value" else HIDE,
            ),
            html.Div(
                c.field(
                    t("group", lang),
                    c.dropdown(
                        ids.MAP_GROUP,
                        c.group_options(cat.groups_for(state.indicator, state.age), lang),
                        state.group,
                        lang=lang,
                    ),
                    ids.MAP_GROUP,
                ),
                id="map-group-box",
                style=SHOW if state.colour == "value" else HIDE,
            ),
        ],
        className="controls",
    )
    year_row = html.Div(
        [
            html.Button(
                t("play", lang), id=ids.MAP_PLAY, className="btn", **{"aria-pressed": "false"}
            ),
            c.field(
                t("year", lang),
                dcc.Slider(
                    id=ids.MAP_YEAR,
                    min=min(years),
                    max=max(years),
                    step=year_step(years),  # only years with data
                    value=state.year,
                    marks=year_marks(years),
                    included=False,
                    allow_direct_input=False,
                ),
                ids.MAP_YEAR,
            ),
            html.Output(
                str(state.year), id=ids.MAP_YEAR_TEXT, className="year-text", htmlFor=ids.MAP_YEAR
            ),
            dcc.Interval(id=ids.MAP_INTERVAL, interval=PLAY_MS, disabled=True),
        ],
        className="play-row",
    )
    charts = [
        year_row,
        html.Div(id=ids.MAP_LINKS, className="links", **{"aria-live": "polite"}),
        html.Div(
            [
                # the figure passes through fitMapHeight (labourdash.js): no blank band
                # above and below a wide area's map on a narrow screen
                c.chart(
                    ids.MAP_GRAPH,
                    ids.MAP_SUMMARY,
                    "map",
                    lang,
                    height=theme.MAP_HEIGHT,
                    deferred=True,
                ),  # fmt: skip
                html.Div(
                    [
                        c.chart(ids.MAP_RANK_GRAPH, ids.MAP_RANK_SUMMARY, "map_rank", lang),
                        html.P(t("focus.click", lang), className="note"),
                    ],
                    id="map-rank-box",
                    style=BLOCK if focused else HIDE,
                ),
            ],
            id="map-charts",
            className="focus-grid" if focused else "",
        ),
    ]
    heading = [html.H1(t("nav.map", lang))]
    return scaffold.frame(
        WIRING, ids.MAP_URL, ids.MAP_MESSAGE, heading, problems, controls, lang, charts
    )


def colour_options(state: MapState, lang: str) -> list[dict]:
    """Gap, value, and where the decomposition covers the view, standardised gap and local difference."""
    offered = explain_map.colours(state.indicator, state.age, state.level, COLOURS)
    return [{"value": v, "label": explain_map.colour_label(v, lang)} for v in offered]


def area_choices(cat, level: str, municipality: str | None, lang: str) -> list[dict]:
    """Areas that can be selected on the map (keyboard alternative to clicking)."""
    if level == "regso":
        areas = cat.areas[
            (cat.areas["level"] == "regso") & (cat.areas["municipality_code"] == municipality)
        ]
        names = cat.names(lang)
        return [
            {"value": a, "label": names.get(a, a)}
            for a in sorted(areas.index, key=lambda a: names.get(a, a))
        ]
    return c.area_options(
        cat,
        level if level in ("municipality", "county", "la_region", "regso_set") else "municipality",
        lang,
    )


def clicked_area(click: dict | None) -> str | None:
    """The area code of a map click (choropleth location or marker customdata)."""
    points = (click or {}).get("points") or []
    if not points:
        return None
    p = points[0]
    return p.get("location") or p.get("customdata")


@callback(
    *scaffold.sync_outputs(SPEC, ids.MAP_URL, ids.MAP_MESSAGE),
    Output(ids.MAP_AGE, "options"),
    Output(ids.MAP_GROUP, "options"),
    Output(ids.MAP_YEAR, "min"),
    Output(ids.MAP_YEAR, "max"),
    Output(ids.MAP_YEAR, "marks"),
    Output(ids.MAP_YEAR, "step"),
    Output(ids.MAP_AREA, "options"),
    Output(ids.MAP_COLOUR, "options"),
    *scaffold.sync_inputs(SPEC, ids.MAP_URL),
    Input(ids.MAP_GRAPH, "clickData"),
    Input(ids.MAP_RANK_GRAPH, "clickData"),
    State(ids.MAP_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
@deterministic
def sync_url(search, *args):
    """URL ↔ controls; a click on the map or on a ranked bar selects that area."""
    *values, click, rank_click, lang = args
    override = None
    if ctx.triggered_id in (ids.MAP_GRAPH, ids.MAP_RANK_GRAPH):
        area = clicked_area(click if ctx.triggered_id == ids.MAP_GRAPH else rank_click)
        override = {"area": area} if area else None
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang, override)
    cat = queries.catalogue()
    current = [
        v if v is not dash.no_update else old for v, old in zip(controls, values, strict=True)
    ]
    state, _ = state_from_controls(SPEC, current, cat)
    years = map_years(cat, state) or [state.year]
    return (
        out_search,
        *controls,
        msg,
        shared,
        c.age_options(cat, state.indicator, lang),
        c.group_options(cat.groups_for(state.indicator, state.age), lang),
        min(years),
        max(years),
        year_marks(years),
        year_step(years),
        area_choices(cat, current[2], current[3], lang),
        colour_options(state, lang),
    )


def map_extras(out, state: MapState, cat, lang: str) -> tuple:
    """Beside the map: the links of the selected area, the boxes shown, the focus's ranked bars."""
    links = c.view_links([state.area], cat, lang, shared=state) if state.area else []
    if state.area:  # the map is zoomed to the selection: the way back to the whole map
        whole = map_selected.whole_map_href(state, lang)
        links = [
            *links,
            html.A(t("map.whole", lang), href=whole, id="map-whole", className="whole-map"),
        ]
    return (
        links,
        SHOW if state.level == "regso" else HIDE,
        SHOW if state.colour != "value" else HIDE,
        SHOW if state.colour == "value" else HIDE,
        SHOW if state.level == "municipality" else HIDE,
        BLOCK if "rank" in out.figures else HIDE,
        "focus-grid" if "rank" in out.figures else "",
        out.figures.get("rank") or dash.no_update,
        out.summaries.get("rank", ""),
    )


WIRING = scaffold.Wiring(
    SPEC, [("map", ids.MAP_GRAPH, ids.MAP_SUMMARY)], ids.MAP_NOTES, ids.MAP_TABLE,
    ids.MAP_LANG, ids.MAP_CSV, ids.MAP_DOWNLOAD,
    extra_outputs=[
        Output(ids.MAP_LINKS, "children"), Output("map-municipality-box", "style"),
        Output("map-gap-box", "style"), Output("map-group-box", "style"),
        Output("map-focus-box", "style"), Output("map-rank-box", "style"),
        Output("map-charts", "className"), Output(ids.MAP_RANK_GRAPH, "figure"),
        Output(ids.MAP_RANK_SUMMARY, "children"),
    ],
    extra=map_extras, exports=[ids.MAP_GRAPH, ids.MAP_RANK_GRAPH],
    deferred=[ids.MAP_GRAPH], own_draw=[ids.MAP_GRAPH],
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_map = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]
dash.clientside_callback(  # the map at once, as tall as its frame needs at the page's width
    ClientsideFunction(namespace="labourdash", function_name="fitMapHeight"),
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_GRAPH, "style"),
    Input(c.later_id(ids.MAP_GRAPH), "data"),
    State(ids.MAP_GRAPH, "id"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.MAP_INTERVAL, "disabled"),
    Output(ids.MAP_PLAY, "children"),
    Output(ids.MAP_PLAY, "aria-pressed"),
    Input(ids.MAP_PLAY, "n_clicks"),
    State(ids.MAP_INTERVAL, "disabled"),
    State(ids.MAP_LANG, "data"),
    prevent_initial_call=True,
)
def toggle_play(n_clicks, disabled, lang):
    """Play/pause the year animation."""
    playing = bool(disabled)  # it was stopped → now plays
    return (not playing, t("pause" if playing else "play", lang), "true" if playing else "false")


@callback(
    Output(ids.MAP_YEAR, "value", allow_duplicate=True),
    Output(ids.MAP_INTERVAL, "disabled", allow_duplicate=True),
    Output(ids.MAP_PLAY, "children", allow_duplicate=True),
    Input(ids.MAP_INTERVAL, "n_intervals"),
    State(ids.MAP_YEAR, "value"),
    State(ids.MAP_INDICATOR, "value"),
    State(ids.MAP_AGE, "value"),
    State(ids.MAP_LANG, "data"),
    *[State(cid, SPEC.prop(cid)) for cid in SPEC.control_ids],
    prevent_initial_call=True,
)
def next_year(n, year, indicator, age, lang, *values):
    """Advance the year while playing (only years with data; after the last, the first again)."""
    cat = queries.catalogue()
    if values:
        state, _ = state_from_controls(SPEC, list(values), cat)
        years = map_years(cat, state)
    else:
        years = cat.years_for(indicator, age)
    if not years:
        return dash.no_update, True, t("play", lang)
    later = [y for y in years if year is None or y > year]
    if later:
        return later[0], dash.no_update, dash.no_update
    return years[0], dash.no_update, dash.no_update


choices.register_gap_options(ids.MAP_INDICATOR, ids.MAP_AGE, ids.MAP_GAP, ids.MAP_LANG)
dash.clientside_callback(  # the chosen year as text; a slider/Play change replaces the history entry
    ClientsideFunction(namespace="labourdash_a11y", function_name="sliderYear"),
    Output(ids.MAP_YEAR_TEXT, "children"),
    Input(ids.MAP_YEAR, "value"),
)
