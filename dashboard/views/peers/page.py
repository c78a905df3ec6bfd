"""Peers: a municipality against a peer set — ranked dumbbell, rank x of n, median, weighted mean, slope."""

from __future__ import annotations

import logging

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.core import queries, text
from dashboard.core.gaps import GAPS
from dashboard.core.text import NumberFormat, fmt_pp, t
from dashboard.ui import choices, ids, scaffold
from dashboard.ui import components as c
from dashboard.ui.cache import deterministic
from dashboard.ui.sync import PageSpec, sync
from dashboard.urlstate import COUNTRY, PEER_KINDS
from dashboard.views.peers import VIEW, funnel
from dashboard.views.peers import figures as peers_fig
from dashboard.views.peers.state import PeersState, parse_peers

log = logging.getLogger(__name__)

scaffold.register_page(__name__, VIEW)


CUSTOM_BOX = "peers-custom-box"


def custom_style(kind: str) -> dict:
    """The custom-peers dropdown's style: shown only for custom peers."""
    return {} if kind == "custom" else {"display": "none"}


def kind_options(area: str, lang: str) -> list[dict]:
    """The peer-set choices; at the country (no municipality) only a custom list leads anywhere,
    so the others are disabled there (the page then shows the counties against the country)."""
    return [
        {"value": k, "label": t(f"peers.{k}", lang), "disabled": area == COUNTRY and k != "custom"}
        for k in PEER_KINDS
    ]


def to_controls(s: PeersState) -> list:
    """State → control values."""
    return [s.municipality, s.kind, list(s.custom), s.indicator, s.age, s.gap, s.year, s.year0]


SPEC = PageSpec(
    "peers",
    [
        (ids.PEERS_MUNICIPALITY, "area"),
        (ids.PEERS_KIND, "peers"),
        (ids.PEERS_CUSTOM, "custom"),
        (ids.PEERS_INDICATOR, "ind"),
        (ids.PEERS_AGE, "age"),
        (ids.PEERS_GAP, "gap"),
        (ids.PEERS_YEAR, "year"),
        (ids.PEERS_YEAR0, "year0"),
    ],
    parse_peers,
    to_controls,
)


def layout(**query) -> html.Div:
    """The page, with controls set from the query string."""
    opened = scaffold.open_page(query, parse_peers, "peers")
    if isinstance(opened, html.Div):
        return opened
    lang, cat, state, problems = opened
    munis = c.area_options(cat, "municipality", lang)
    years = c.year_options(cat.years_for(state.indicator, state.age))
    controls = html.Div(
        [
            c.field(
                t("municipality", lang),
                c.dropdown(  # the country first: no municipality chosen, the national picture
                    ids.PEERS_MUNICIPALITY,
                    c.area_options(cat, "country", lang) + munis,
                    state.municipality,
                    lang=lang,
                ),
                ids.PEERS_MUNICIPALITY,
            ),
            c.field(
                t("peers", lang),
                dcc.RadioItems(
                    id=ids.PEERS_KIND,
                    value=state.kind,
                    className="radio",
                    options=kind_options(state.municipality, lang),
                ),
                ids.PEERS_KIND,
                "field wide",
            ),
            html.Div(  # shown only when custom peers are chosen (custom_box below)
                c.field(
                    t("custom", lang),
                    c.dropdown(
                        ids.PEERS_CUSTOM,
                        munis,
                        list(state.custom),
                        multi=True,
                        clearable=True,
                        lang=lang,
                    ),
                    ids.PEERS_CUSTOM,
                    "field wide",
                ),
                id=CUSTOM_BOX,
                className="field-box",
                style=custom_style(state.kind),
            ),
            c.field(
                t("indicator", lang),
                c.dropdown(
                    ids.PEERS_INDICATOR, c.indicator_options(cat, lang), state.indicator, lang=lang
                ),
                ids.PEERS_INDICATOR,
            ),
            c.field(
                t("gap", lang),
                c.dropdown(ids.PEERS_GAP, c.gap_options(lang), state.gap, lang=lang),
                ids.PEERS_GAP,
                "field wide",
            ),
            c.field(
                t("age", lang),
                c.dropdown(
                    ids.PEERS_AGE, c.age_options(cat, state.indicator, lang), state.age, lang=lang
                ),
                ids.PEERS_AGE,
                "field narrow",
            ),
            c.field(
                t("year", lang),
                c.dropdown(ids.PEERS_YEAR, years, state.year, lang=lang),
                ids.PEERS_YEAR,
                "field narrow",
            ),
            c.field(
                t("year0", lang),
                c.dropdown(ids.PEERS_YEAR0, years, state.year0, lang=lang),
                ids.PEERS_YEAR0,
                "field narrow",
            ),
        ],
        className="controls",
    )
    charts = [
        html.Div(id=ids.PEERS_STATS, className="stats", **{"aria-live": "polite"}),
        c.chart(
            ids.PEERS_GRAPH,
            ids.PEERS_SUMMARY,
            "peers",
            lang,
            height=peers_fig.dumbbell_height(6),  # the figure grows with the peers, never less
        ),
        c.chart(ids.PEERS_SLOPE_GRAPH, ids.PEERS_SLOPE_SUMMARY, "peers_slope", lang, height=460),
        funnel.chart(lang),  # the funnel plot (funnel.py)
    ]
    heading = [html.H1(t("nav.peers", lang))]
    return scaffold.frame(
        WIRING, ids.PEERS_URL, ids.PEERS_MESSAGE, heading, problems, controls, lang, charts
    )


@callback(
    *scaffold.sync_outputs(SPEC, ids.PEERS_URL, ids.PEERS_MESSAGE),
    Output(ids.PEERS_YEAR, "options"),
    Output(ids.PEERS_YEAR0, "options"),
    Output(ids.PEERS_AGE, "options"),
    *scaffold.sync_inputs(SPEC, ids.PEERS_URL),
    State(ids.PEERS_LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
@deterministic
def sync_url(search, *args):
    """URL ↔ controls (and the year/age options of the chosen indicator)."""
    *values, lang = args
    override = {"peers": "custom"} if ctx.triggered_id == ids.PEERS_CUSTOM and values[2] else None
    out_search, controls, msg, shared = sync(SPEC, ctx.triggered_id, search, values, lang, override)
    cat = queries.catalogue()
    indicator = controls[3] if controls[3] is not dash.no_update else values[3]
    state, _ = parse_peers({"ind": indicator}, cat)
    years = c.year_options(cat.years_for(state.indicator, state.age))
    return (
        out_search,
        *controls,
        msg,
        shared,
        years,
        years,
        c.age_options(cat, state.indicator, lang),
    )


def rank_phrase(cat, state: PeersState, stats: dict, lang: str) -> str:
    """'highest first by employment rate among foreign-born women: rank 1 of 43'."""
    high_first = (
        cat.higher_is_better(state.indicator) is not False
    )  # as peers.data.peers_data ranks
    return t(
        "rank.long", lang,
        order=t("rank.high_first" if high_first else "rank.low_first", lang).capitalize(),
        indicator=cat.indicator_name(state.indicator, lang).lower(),
        group=text.group_phrase(GAPS[state.gap].a, lang), rank=stats["rank"], n=stats["n"],
    )  # fmt: skip


def stats_block(stats: dict, name: str, fmt: NumberFormat, rank_text: str | None = None) -> list:
    """'Rank x of n', the peer median and the population-weighted peer mean as text."""
    lang = fmt.lang
    if not stats or stats.get("n", 0) == 0:
        return []
    items = []
    if stats.get("rank") is not None:
        items.append(
            html.Li(
                [
                    html.Strong(name + ": "),
                    rank_text or t("rank", lang, rank=stats["rank"], n=stats["n"]),
                ],
                id=ids.PEERS_RANK,
            )
        )
    if stats.get("median_a") is not None:
        items.append(
            html.Li(
                f"{t('peer_median', lang)}: {fmt.value(stats['median_a'])}"
                + (
                    f" ({t('gap', lang).lower()} {fmt_pp(stats['median_gap'], lang)})"
                    if stats.get("median_gap") is not None
                    else ""
                )
            )
        )
    if stats.get("wmean_a") is not None:
        items.append(
            html.Li(
                f"{t('peer_mean', lang)}: {fmt.value(stats['wmean_a'])}"
                + (
                    f" ({t('gap', lang).lower()} {fmt_pp(stats['wmean_gap'], lang)})"
                    if stats.get("wmean_gap") is not None
                    else ""
                )
            )
        )
    return [html.Ul(items)]


def stats_output(out, state: PeersState, cat, lang: str) -> tuple:
    """The statistics block beside the dumbbell: rank x of n, median and weighted mean."""
    stats = stats_block(
        out.extra.get("stats", {}),
        cat.area_name(state.municipality, lang),
        NumberFormat.for_indicator(cat, state.indicator, lang),
        rank_text=rank_phrase(cat, state, out.extra["stats"], lang)
        if out.extra.get("stats", {}).get("rank") is not None
        else None,
    )
    return (stats,)


WIRING = scaffold.Wiring(
    SPEC,
    [("dumbbell", ids.PEERS_GRAPH, ids.PEERS_SUMMARY),
     ("slope", ids.PEERS_SLOPE_GRAPH, ids.PEERS_SLOPE_SUMMARY)],
    ids.PEERS_NOTES, ids.PEERS_TABLE, ids.PEERS_LANG, ids.PEERS_CSV, ids.PEERS_DOWNLOAD,
    extra_outputs=[Output(ids.PEERS_STATS, "children")], extra=stats_output, extra_first=True,
)  # fmt: skip
WIRED = scaffold.wire(WIRING)
render_peers = WIRED.render
download_csv, download_xlsx = WIRED.downloads["csv"], WIRED.downloads["xlsx"]

choices.register_gap_options(ids.PEERS_INDICATOR, ids.PEERS_AGE, ids.PEERS_GAP, ids.PEERS_LANG)

dash.clientside_callback(
    "function (kind) { return kind === 'custom' ? {} : {display: 'none'}; }",
    Output(CUSTOM_BOX, "style"),
    Input(ids.PEERS_KIND, "value"),
)
dash.clientside_callback(  # kind_options in the browser: the country disables all but a custom list
    f"""function (area, options) {{
        return (options || []).map(function (o) {{
            return Object.assign({{}}, o, {{disabled: area === '{COUNTRY}' && o.value !== 'custom'}});
        }});
    }}""",
    Output(ids.PEERS_KIND, "options"),
    Input(ids.PEERS_MUNICIPALITY, "value"),
    State(ids.PEERS_KIND, "options"),
)
funnel.register(SPEC, ids.PEERS_LANG)
