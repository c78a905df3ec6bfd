"""Trends: group lines over years with the chosen gap shaded, and the gap per area over time."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import dash
from dash import Input, Output, State, callback, ctx, html

from dashboard.core import queries
from dashboard.core.mappings import BIRTH_SETS
from dashboard.core.text import area_label, t
from dashboard.ui import choices, ids, scaffold
from dashboard.ui import components as c
from dashboard.ui.cache import deterministic
from dashboard.ui.sync import PageSpec, sync
from dashboard.views.trends import VIEW
from dashboard.views.trends.state import SEX_SETS, TREND_LEVELS, TrendsState, parse_trends

log = logging.getLogger(__name__)

scaffold.register_page(__name__, VIEW)


def to_controls(s: TrendsState) -> list:
    """State → control values."""
    return [list(s.areas), s.indicator, s.age, s.gap, s.birth, s.sexes]


SPEC = PageSpec(
    "trends",
    [
        (ids.TRENDS_AREAS, "areas"),
        (ids.TRENDS_INDICATOR, "ind"),
        (ids.TRENDS_AGE, "age"),
        (ids.TRENDS_GAP, "gap"),
        (ids.TRENDS_BIRTH, "birth"),
        (ids.TRENDS_SEX, "sexes"),
    ],
    parse_trends,
    to_controls,
)


REGSO_SEARCH_MIN = 3  # characters typed before RegSO areas are searched
REGSO_SEARCH_MAX = 40  # RegSO matches offered at a time


def area_options(
    cat, lang: str, selected: Sequence[str] = (), search: str | None = None
) -> list[dict]:
    """Areas that can be drawn, grouped by level in the labels.

    RegSO areas (about 3,400) are listed only when selected (a shared URL, back/forward, a map
    click) or when their name matches what is typed (at least REGSO_SEARCH_MIN characters, at
    most REGSO_SEARCH_MAX matches): a dropdown holding every one of them took ~11 s to index in
    the browser.
    """
    chosen = set(selected or ())
    needle = (search or "").strip().casefold()
    needle = needle if len(needle) >= REGSO_SEARCH_MIN else ""
    out = []
    levels = ("municipality", "county", "country", "la_region", "area_set", "regso_set", "regso")
    for level in levels:
        if level not in TREND_LEVELS:
            continue
        word = "" if level == "municipality" else cat.label("level", level, lang).lower()
        options = c.area_options(cat, level, lang)
        if level == "regso":
            found = [o for o in options if needle and needle in o["label"].casefold()]
            found = {o["value"] for o in found[:REGSO_SEARCH_MAX]}
            options = [o for o in options if o["value"] in chosen or o["value"] in found]
        out += [
            {"value": o["value"], "label": area_label(o["label"], level, word)} for o in options
        ]
    return out


@callback(
    Output(ids.TRENDS_AREAS, "options"),
    Input(ids.TRENDS_AREAS, "search_value"),
    Input(ids.TRENDS_AREAS, "value"),
    State(ids.TRENDS_LANG, "data"),
    prevent_initial_call=True,
)
def area_choices(search, value, lang):
    """RegSO options on demand: the selected ones and those matching the typed text."""
    cat = queries.catalogue()
    value = [v for v in (value or []) if isinstance(v, str)]
    typed = len((search or "").strip()) >= REGSO_SEARCH_MIN
    regso = [v for v in value if cat.area_level(v) == "regso"]
    if not typed and not regso:
        return dash.no_update  # the standing options (no RegSO areas) will do
    return area_options(cat, lang or "sv", value, search if typed else None)


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    opened = scaffold.open_page(query, parse_trends, "trends")
    if isinstance(opened, html.Div):
        return opened
    lang, cat, state, problems = opened
    controls = html.Div(
        [
            c.field(
                t("areas", lang),
                c.dropdown(
                    ids.TRENDS_AREAS,
                    area_options(cat, lang, state.areas),
                    list(state.areas),
                    multi=True,
                    clearable=True,
                    lang=lang,
                ),
                ids.TRENDS_AREAS,
                "field wide",
            ),
            c.field(
                t("indicator", lang),
                c.dropdown(
                    ids.TRENDS_INDICATOR, c.indicator_options(cat, lang), state.indicator, lang=lang
                ),
                ids.TRENDS_INDICATOR,
            ),
            c.field(
                t("age", lang),
                c.dropdown(
                    ids.TRENDS_AGE, c.age_options(cat, state.indicator, lang), state.age, lang=lang
                ),
                ids.TRENDS_AGE,
                "field narrow",
            ),
            c.field(
                t("gap", lang),
                c.dropdown(ids.TRENDS_GAP, c.gap_options(lang), state.gap, lang=lang),
                ids.TRENDS_GAP,
                "field wide",
            ),
            c.field(
                t("birth", lang),
                c.radio(
                    ids.TRENDS_BIRTH,
                    [{"value": b, "label": t(f"birth.{b}", lang)} for b in BIRTH_SETS],
                    state.birth,
                ),
                ids.TRENDS_BIRTH,
                "field wide",
            ),
            c.field(
                t("sexes", lang),
                c.radio(
                    ids.TRENDS_SEX,
                    [{"value": s, "label": t(f"sexes.{s}", lang)} for s in SEX_SETS],
                    state.sexes,
                ),
                ids.TRENDS_SEX,
            ),
        ],
        className="controls",
    )
    charts = [
        c.chart(ids.TRENDS_GRAPH, ids.TRENDS_SUMMARY, "trends", lang, height=480),
        c.chart(
            ids.TRENDS_GAP_GRAPH,
            ids.TRENDS_GAP_SUMMARY,
            "trends_gap",
            lang,
            height=380,
            deferred=True,
        ),  # below the first screen: drawn when scrolled to  # fmt: skip
    ]
    heading = [html.H1(t("nav.trends", lang))]
    return scaffold.frame(
        WIRING, ids.TRENDS_URL, ids.TRENDS_MESSAGE, heading, problems, controls, lang, charts
    )


@callback(
    *scaffold.sync_outputs(SPEC, ids.TRENDS_URL, ids.TRENDS_MESSAGE),
    Output(ids.TRENDS_AGE, "options"),
    *scaffold.sync_inputs(SPEC, ids.TRENDS_URL),
    State(ids.TRENDS_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
@deterministic
def sync_url(search, *args):
    """URL ↔ controls."""
    *values, lang = args
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang)
    cat = queries.catalogue()
    indicator = controls[1] if controls[1] is not dash.no_update else values[1]
    indicator = indicator if cat.has_indicator(indicator) else None
    state, _ = parse_trends({"ind": indicator} if indicator else {}, cat)
    return (out_search, *controls, msg, shared, c.age_options(cat, state.indicator, lang))


WIRING = scaffold.Wiring(
    SPEC,
    [("lines", ids.TRENDS_GRAPH, ids.TRENDS_SUMMARY),
     ("gap", ids.TRENDS_GAP_GRAPH, ids.TRENDS_GAP_SUMMARY)],
    ids.TRENDS_NOTES, ids.TRENDS_TABLE, ids.TRENDS_LANG, ids.TRENDS_CSV, ids.TRENDS_DOWNLOAD,
    deferred=[ids.TRENDS_GAP_GRAPH],
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_trends = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]

choices.register_gap_options(ids.TRENDS_INDICATOR, ids.TRENDS_AGE, ids.TRENDS_GAP, ids.TRENDS_LANG)
