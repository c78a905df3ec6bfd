"""Explain the gap: age structure vs employment at the same ages, peers, years, map, expected vs actual."""

from __future__ import annotations

import logging

from dash import State, callback, ctx, dcc, html

from dashboard.core import queries
from dashboard.core.gaps import GAPS
from dashboard.core.text import area_label, gap_label, t
from dashboard.core.text.decomposition import tr
from dashboard.ui import components as c
from dashboard.ui import ids, scaffold
from dashboard.ui.sync import PageSpec, sync
from dashboard.urlstate import lang_of
from dashboard.views.explain import VIEW
from dashboard.views.explain import view as explain
from dashboard.views.explain.view import COLOURS, EXPLAIN_PEER_KINDS, ExplainState, parse_explain

log = logging.getLogger(__name__)
scaffold.register_page(__name__, VIEW)
GRAPHS = (
    ("split", ids.EXPLAIN_SPLIT_GRAPH, ids.EXPLAIN_SPLIT_SUMMARY, 420),
    ("years", ids.EXPLAIN_YEARS_GRAPH, ids.EXPLAIN_YEARS_SUMMARY, 420),
    ("map", ids.EXPLAIN_MAP_GRAPH, ids.EXPLAIN_MAP_SUMMARY, 760),
    ("scatter", ids.EXPLAIN_SCATTER_GRAPH, ids.EXPLAIN_SCATTER_SUMMARY, 520),
    ("kolada", ids.EXPLAIN_KOLADA_GRAPH, ids.EXPLAIN_KOLADA_SUMMARY, 420),
)
# on the page Kolada's model sits beside the product's own split (the callback keeps GRAPHS' order)
LAYOUT_ORDER = ("split", "kolada", "years", "map", "scatter")


def to_controls(s: ExplainState) -> list:
    """State → control values."""
    return [s.area, s.gap, s.year, s.peers, s.colour]


SPEC = PageSpec(
    "explain",
    [
        (ids.EXPLAIN_AREA, "area"),
        (ids.EXPLAIN_GAP, "gap"),
        (ids.EXPLAIN_YEAR, "year"),
        (ids.EXPLAIN_PEERS, "peers"),
        (ids.EXPLAIN_COLOUR, "colour"),
    ],
    parse_explain,
    to_controls,
)


def area_options(cat, lang: str) -> list[dict]:
    """Municipalities first, then counties, LA regions, area sets and the country."""
    out = []
    for level in ("municipality", "county", "la_region", "area_set", "country"):
        word = "" if level == "municipality" else t(f"level.{level}", lang).lower()
        out += [{"value": o["value"], "label": area_label(o["label"], level, word)}
                for o in c.area_options(cat, level, lang)]  # fmt: skip
    return out


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    lang = lang_of(query)
    try:
        cat = queries.catalogue()
        state, problems = parse_explain(query, cat)
        gaps = explain.available_gaps()
    except Exception as exc:  # missing warehouse → friendly text, never a 500
        log.exception("explain layout")
        return c.unavailable(lang, exc)
    if not gaps:
        return html.Div(
            [html.H1(tr("x.title", lang)), html.P(explain.empty_state_reason(lang), role="status")],
            className="page",
        )

    controls = html.Div(
        [
            c.field(tr("x.area", lang),
                    c.dropdown(ids.EXPLAIN_AREA, area_options(cat, lang), state.area, lang=lang),
                    ids.EXPLAIN_AREA),
            c.field(t("gap", lang),
                    c.dropdown(ids.EXPLAIN_GAP,
                               [{"value": g, "label": gap_label(GAPS[g], lang)} for g in gaps],
                               state.gap, lang=lang),
                    ids.EXPLAIN_GAP, "field wide"),
            c.field(t("year", lang),
                    c.dropdown(ids.EXPLAIN_YEAR, c.year_options(explain.available_years()),
                               state.year, lang=lang),
                    ids.EXPLAIN_YEAR, "field narrow"),
            c.field(tr("x.peers", lang),
                    dcc.RadioItems(id=ids.EXPLAIN_PEERS, value=state.peers, className="radio",
                                   options=[{"value": k, "label": t(f"peers.{k}", lang)}
                                            for k in EXPLAIN_PEER_KINDS]),
                    ids.EXPLAIN_PEERS, "field wide"),
        ],
        className="controls",
    )  # fmt: skip
    # the map's own control sits with the map it drives, not above the first chart
    colour = html.Div(
        c.field(tr("x.colour", lang),
                c.radio(ids.EXPLAIN_COLOUR,
                        [{"value": k, "label": tr(f"x.colour.{k}", lang)} for k in COLOURS],
                        state.colour),
                ids.EXPLAIN_COLOUR, "field wide"),
        className="controls chart-controls",
    )  # fmt: skip
    charts = []
    by_key = {key: (graph, summary, h) for key, graph, summary, h in GRAPHS}
    for key in LAYOUT_ORDER:
        graph, summary, h = by_key[key]
        if key == "map":
            charts.append(colour)
        charts.append(c.chart(graph, summary, f"explain_{key}", lang, height=h))
    heading = [html.H1(tr("x.title", lang)), html.P(tr("x.intro", lang), className="intro")]
    return scaffold.frame(
        WIRING, ids.EXPLAIN_URL, ids.EXPLAIN_MESSAGE, heading, problems, controls, lang, charts
    )


@callback(
    *scaffold.sync_outputs(SPEC, ids.EXPLAIN_URL, ids.EXPLAIN_MESSAGE),
    *scaffold.sync_inputs(SPEC, ids.EXPLAIN_URL),
    State(ids.EXPLAIN_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
def sync_url(search, *args):
    """URL ↔ controls (shareable URLs, back/forward)."""
    *values, lang = args
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang)
    return (out_search, *controls, msg, shared)


WIRING = scaffold.Wiring(
    SPEC, [(key, graph, summary) for key, graph, summary, _ in GRAPHS], ids.EXPLAIN_NOTES,
    ids.EXPLAIN_TABLE, ids.EXPLAIN_LANG, ids.EXPLAIN_CSV, ids.EXPLAIN_DOWNLOAD, cached=False,
    figures_first=True,
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_explain = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]
