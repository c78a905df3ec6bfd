"""Explain the gap: age structure vs employment at the same ages, peers, years, map, expected vs actual."""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.core import queries
from dashboard.core.gaps import GAPS
from dashboard.core.text import gap_label, t
from dashboard.ui import a11y, downloads, ids, titles
from dashboard.ui import components as c
from dashboard.ui.sync import PageSpec, state_from_controls, sync
from dashboard.urlstate import lang_of
from dashboard.views.explain import view as explain
from dashboard.views.explain.text import tr
from dashboard.views.explain.view import COLOURS, EXPLAIN_PEER_KINDS, ExplainState, parse_explain

log = logging.getLogger(__name__)
dash.register_page(
    __name__, path="/explain", name="Explain", order=4, title=titles.title("explain")
)
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
        suffix = "" if level == "municipality" else f" ({t(f'level.{level}', lang).lower()})"
        out += [{"value": o["value"], "label": o["label"] + suffix}
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
    return html.Div(
        [
            dcc.Location(id=ids.EXPLAIN_URL, refresh=False),
            dcc.Store(id=ids.EXPLAIN_LANG, data=lang),
            html.H1(tr("x.title", lang)),
            html.P(tr("x.intro", lang), className="intro"),
            c.message_box(ids.EXPLAIN_MESSAGE, problems, lang),
            a11y.foldable(controls, "explain", lang),
            *charts,
            html.Div(id=ids.EXPLAIN_NOTES, className="notes"),
            c.table(ids.EXPLAIN_TABLE, ids.EXPLAIN_CSV, ids.EXPLAIN_DOWNLOAD, lang),
        ],
        className="page",
    )


@callback(
    Output(ids.EXPLAIN_URL, "search"),
    *[Output(cid, SPEC.prop(cid)) for cid in SPEC.control_ids],
    Output(ids.EXPLAIN_MESSAGE, "children"),
    Output(ids.SHARED, "data", allow_duplicate=True),
    Input(ids.EXPLAIN_URL, "search"),
    *[Input(cid, SPEC.prop(cid)) for cid in SPEC.control_ids],
    State(ids.EXPLAIN_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
def sync_url(search, *args):
    """URL ↔ controls (shareable URLs, back/forward)."""
    *values, lang = args
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang)
    return (out_search, *controls, msg, shared)


@callback(
    *[Output(graph, "figure") for _, graph, _, _ in GRAPHS],
    *[Output(summary, "children") for _, _, summary, _ in GRAPHS],
    Output(ids.EXPLAIN_NOTES, "children"),
    Output(ids.EXPLAIN_TABLE, "rowData"),
    Output(ids.EXPLAIN_TABLE, "columnDefs"),
    *[Input(cid, SPEC.prop(cid)) for cid in SPEC.control_ids],
    State(ids.EXPLAIN_LANG, "data"),
)
def render_explain(area, gap, year, peers, colour, lang):
    """Draw the view for the chosen controls."""
    cat = queries.catalogue()
    state, _ = state_from_controls(SPEC, [area, gap, year, peers, colour], cat)
    out = explain.render_explain(state, cat, lang)
    rows, defs = c.grid_payload(out.table, out.headers, lang)
    keys = [key for key, *_ in GRAPHS]
    return (
        *[out.figures[k] for k in keys],
        *[out.summaries[k] for k in keys],
        c.notes(out.notes),
        rows,
        defs,
    )


DOWNLOADS = downloads.register_view_downloads(
    "explain", SPEC, ids.EXPLAIN_CSV, ids.EXPLAIN_DOWNLOAD, ids.EXPLAIN_LANG
)
download_csv, download_xlsx = DOWNLOADS["csv"], DOWNLOADS["xlsx"]


for _key, _graph, _summary, _h in GRAPHS:
    c.register_export(_graph)

a11y.register_fold("explain")
