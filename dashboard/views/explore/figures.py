"""The Explore view: the gap against another indicator, one point per municipality."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import text
from dashboard.core.gaps import Gap
from dashboard.core.hover import flag_lines, provenance_tag, rounded
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, fmt_count, fmt_pp, t
from dashboard.core.theme import OKABE_ITO, figure, layout, wrap


def scatter_figure(
    frame: pd.DataFrame,
    *,
    selected: str,
    x_label: str,
    y_label: str,
    x_fmt: NumberFormat,
    gap: Gap,
    fmt: NumberFormat,
    title: str = "",
    band: str = "",
) -> go.Figure:
    """Gap (y) against another indicator (x) for all municipalities; size = population; peers highlighted."""
    lang, threshold = fmt.lang, fmt.threshold
    plotted = frame[frame["gap"].notna() & frame["x_value"].notna()]
    pops = plotted["population"]
    fallback = float(pops.median()) if pops.notna().any() else 1.0
    max_pop = float(pops.max()) if pops.notna().any() else 1.0
    sizeref = 2.0 * max_pop / (38.0**2) if max_pop > 0 else 1.0
    data = []
    parts = (
        ("others", t("others", lang), "#b5b5b5"),
        ("peers", t("peers_trace", lang), OKABE_ITO[0]),
        ("selected", t("selected", lang), OKABE_ITO[1]),
    )
    recs = records(plotted)
    for key, name, colour in parts:
        sub = [
            r
            for r in recs
            if (r["area_code"] == selected) == (key == "selected")
            and (key == "selected" or bool(r.get("peer")) == (key == "peers"))
        ]
        if not sub:
            continue
        hover = []
        for r in sub:
            h = [
                f"<b>{r['area']}</b> · {int(r['year'])}" + (f" · {band}" if band else ""),
                f"{x_label}: {x_fmt.value(r['x_value'])}"
                + provenance_tag(r.get("x_provenance"), lang),
                f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}",
                f"{text.group_label(gap.a, lang)}: {fmt.value(r.get('value_0'))}"
                + provenance_tag(r.get("provenance_0"), lang),
                f"{text.group_label(gap.b, lang)}: {fmt.value(r.get('value_1'))}"
                + provenance_tag(r.get("provenance_1"), lang),
            ]
            if r.get("population") is not None:
                h.append(f"{t('population', lang)}: {fmt_count(r['population'], lang)}")
            hover.append("<br>".join(h + flag_lines(r, lang, threshold)))
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text" if key == "selected" else "markers",
                "name": name,
                "x": rounded([r["x_value"] for r in sub], 3),
                "y": rounded([r["gap"] for r in sub]),
                "customdata": [r["area_code"] for r in sub],
                "text": [r["area"] for r in sub] if key == "selected" else None,
                "textposition": "top center",
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "size": [
                        r["population"] if r.get("population") is not None else fallback
                        for r in sub
                    ],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 4,
                    "color": colour,
                    "opacity": 0.6 if key == "others" else 0.9,
                    "symbol": ["circle-open" if r.get("small") else "circle" for r in sub],
                    "line": {
                        "width": 2 if key == "selected" else 0.5,
                        "color": "#000" if key == "selected" else "#fff",
                    },
                },
            }
        )
    lay = layout(lang, title, height=560, clickmode="event+select", dragmode="select")
    lay["xaxis"] = {"title": {"text": x_label + x_fmt.axis_suffix}}
    lay["yaxis"] = {"title": {"text": wrap(y_label, 36)}, "zeroline": True, "zerolinecolor": "#444"}
    return figure(data, lay)


def add_country(fig: go.Figure | None, name: str, x: float | None, gap: float | None) -> None:
    """The country's gap and x value as dotted reference lines, each named at its end."""
    if fig is None:
        return
    line = {"color": "#444", "dash": "dot", "width": 1.2}
    if gap is not None:
        fig.add_hline(y=round(gap, 2), line=line, annotation_text=name,
                      annotation_position="top right", annotation_font_size=11)  # fmt: skip
    if x is not None:
        fig.add_vline(x=round(x, 3), line=line, annotation_text=name,
                      annotation_position="top left", annotation_font_size=11)  # fmt: skip
