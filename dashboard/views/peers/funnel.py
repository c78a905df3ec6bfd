"""The Peers page's funnel plot: each peer's value against its population, with 95 % and 99.8 %
limits around the country's value (Spiegelhalter 2005); its own callback on the Peers controls."""

from __future__ import annotations

import logging

import pandas as pd
from dash import Input, Output, State, callback, html

from dashboard import provenance
from dashboard.core import db, queries
from dashboard.core.gaps import GAPS
from dashboard.core.text import fmt_value, t
from dashboard.ui import components as c
from dashboard.ui import exports
from dashboard.ui.sync import PageSpec, state_from_controls
from dashboard.urlstate import COUNTRY
from dashboard.views.peers.data import peer_members
from dashboard.views.peers.figures import funnel_figure
from etl import uncertainty as u

log = logging.getLogger(__name__)

GRAPH, SUMMARY = "peers-funnel-graph", "peers-funnel-summary"

FUNNEL_SQL = """
SELECT o.area_code AS code, o.value, o.denominator AS n FROM mart.observation o
WHERE o.indicator = $i AND o.age = $a AND o.year = $y AND o.sex = $s AND o.birth_region = $b
  AND o.area_code IN (SELECT unnest($codes))
"""


def chart(lang: str) -> html.Section:
    """The funnel plot's chart card (for the Peers layout)."""
    return c.chart(GRAPH, SUMMARY, "peers_funnel", lang, height=460)


def funnel(state, lang: str) -> tuple:
    """The figure and summary for a Peers state: the gap's first group, the state's year."""
    cat = queries.catalogue()
    group = GAPS[state.gap].a
    codes = peer_members(state)  # the Peers view's set (at the country: the counties)
    params = {
        "i": state.indicator,
        "a": state.age,
        "y": state.year,
        "s": group.sex,
        "b": group.birth_region,
    }
    frame = db.query(FUNNEL_SQL, {**params, "codes": list(codes)})
    bench_rows = db.query(FUNNEL_SQL, {**params, "codes": [COUNTRY]})
    bench = (
        float(bench_rows.value.iloc[0])
        if len(bench_rows) and pd.notna(bench_rows.value.iloc[0])
        else None
    )
    names = cat.names(lang)
    frame["name"] = [names.get(code, code) for code in frame.code]
    group_name = f"{cat.label('sex', group.sex, lang)}, {cat.label('birth_region', group.birth_region, lang)}"
    national = state.municipality == COUNTRY and state.kind != "custom"  # no municipality chosen
    title = t("funnel.title_national" if national else "funnel.title", lang,
              ind=cat.indicator_name(state.indicator, lang), year=state.year, group=group_name,
              set=t(f"peers.{state.kind}", lang))  # fmt: skip
    fig = funnel_figure(
        frame,
        bench if bench is not None else float("nan"),
        state.municipality,
        title,
        lang,
        national=national,
    )
    known = frame.dropna(subset=["value", "n"])
    known = known[known.n > 0]
    if bench is None or known.empty:
        return fig, t("funnel.no_counts", lang)
    outside = sum(
        not (lo <= v <= hi)
        for v, (lo, hi) in zip(
            known.value, (u.funnel_limits(bench, n, u.Z95) for n in known.n), strict=True
        )
    )
    summary = t("funnel.summary", lang, outside=outside, n=len(known),
                 bench=fmt_value(bench, 1, "percent", lang))  # fmt: skip
    # the Peers page's own sources (its areas, groups and years), as its other charts name them
    sources = provenance.view_sources(state, cat)
    line = provenance.source_line(sources, lang)
    synthetic = bool((sources.synthetic_rows > 0).any()) if len(sources) else cat.synthetic
    fig = exports.stamp(fig, source=line, link=exports.permalink("peers", state, lang),
                        synthetic=synthetic, lang=lang)  # fmt: skip
    return fig, summary


def register(spec: PageSpec, lang_id: str) -> None:
    """The callback that draws the funnel plot from the Peers controls."""

    @callback(
        Output(GRAPH, "figure"),
        Output(SUMMARY, "children"),
        *[Input(cid, spec.prop(cid)) for cid in spec.control_ids],
        State(lang_id, "data"),
    )
    def render_funnel(*args):
        """Draw the funnel plot for the chosen peers."""
        *values, lang = args
        lang = lang or "sv"
        state, _ = state_from_controls(spec, list(values), queries.catalogue())
        return funnel(state, lang)

    c.register_export(GRAPH)
