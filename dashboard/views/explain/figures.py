"""Pure DataFrame -> go.Figure functions of the Explain-the-gap view (no I/O)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import theme
from dashboard.core.gaps import Gap
from dashboard.core.hover import provenance_lines
from dashboard.core.text import age_band, fmt_pp, fmt_value, gap_label, group_label, t
from dashboard.core.theme import MAP_HEIGHT, map_geo
from dashboard.views.explain.text import flags_text, tr
from etl import seeds
from etl.seeds import noise_from_year

log = logging.getLogger(__name__)

COMPOSITION = "#56B4E9"  # Okabe-Ito sky blue: age structure
RATE = "#D55E00"  # vermillion: employment at the same ages
CRUDE = "#000000"
PEER = "#E69F00"
OTHER = "#bdbdbd"


def empty(message: str, lang: str) -> go.Figure:
    """A figure that says why there is nothing to show."""
    return theme.empty_figure(theme.wrap(message), lang)


def _synthetic_title(title: str, frame: pd.DataFrame, lang: str) -> str:
    synthetic = len(frame) and bool(frame["synthetic"].fillna(False).astype(bool).any())
    return f"{title} ({t('synthetic_value', lang)})" if synthetic else title


def decomposed_age() -> str:
    """The age band the decomposition covers as a whole (seeds/age_bands.csv total_age: 20-64)."""
    return str(seeds.load("age_bands")["total_age"].iloc[0])


def _hover(row: pd.Series, gap: Gap, lang: str) -> str:
    lines = [
        f"<b>{row['area']}</b> {int(row['year'])} · {age_band(decomposed_age(), lang)}",
        f"{tr('x.crude_gap', lang)}: {fmt_pp(row['crude_gap'], lang)}",
        f"{tr('x.composition', lang)}: {fmt_pp(row['composition'], lang)}",
        f"{tr('x.rate_effect', lang)}: {fmt_pp(row['rate_effect'], lang)}",
        f"{tr('x.colour.standardised', lang)}: {fmt_pp(row['standardised_gap'], lang)}",
        f"{group_label(gap.a, lang)}: {fmt_value(row['actual_1'], 1, 'percent', lang)} "
        f"({tr('x.expected', lang).split(' (')[0].lower()} {fmt_value(row['expected_1'], 1, 'percent', lang)})",
    ]
    flags = flags_text(row.get("flags", ""), lang)
    if flags:
        lines.append(f"⚠ {flags}")
    if bool(row.get("synthetic")):
        lines.append(t("synthetic_value", lang))
    return "<br>".join(lines)


def split_figure(
    frame: pd.DataFrame, selected: str, gap: Gap, lang: str, threshold: int
) -> go.Figure:
    """Stacked horizontal bars: age structure + same-age employment = the gap, area and peers."""
    f = frame.dropna(subset=["crude_gap"]).copy()
    f["is_selected"] = f["area_code"] == selected
    f = f.sort_values(["is_selected", "crude_gap"], ascending=[True, False])  # selected on top
    small = (f["min_band_population"] < threshold).tolist()  # uncertain: marked in the label
    labels = [
        (f"<b>{a}</b>" if s else a) + (" ⚠" if k else "")
        for a, s, k in zip(f["area"], f["is_selected"], small, strict=True)
    ]
    hover = [_hover(r, gap, lang) for _, r in f.iterrows()]
    data = [
        {"type": "bar", "orientation": "h", "y": labels, "x": f["composition"].round(2).tolist(),
         "name": tr("x.composition", lang), "marker": {"color": COMPOSITION},
         "hovertext": hover, "hoverinfo": "text"},
        {"type": "bar", "orientation": "h", "y": labels, "x": f["rate_effect"].round(2).tolist(),
         "name": tr("x.rate_effect", lang), "marker": {"color": RATE, "pattern": {"shape": "/"}},
         "hovertext": hover, "hoverinfo": "text"},
        {"type": "scatter", "mode": "markers", "y": labels, "x": f["crude_gap"].round(2).tolist(),
         "name": tr("x.crude_gap", lang),
         "marker": {"symbol": "diamond", "size": 11, "color": CRUDE, "line": {"color": "white", "width": 1}},
         "hovertext": hover, "hoverinfo": "text"},
    ]  # fmt: skip
    year = int(f["year"].iloc[0]) if len(f) else ""
    title = _synthetic_title(
        tr("x.split_title", lang, gap=gap_label(gap, lang), year=year), f, lang
    )
    lay = theme.layout(
        lang, title, height=max(300, 190 + 26 * len(f)), barmode="relative",
        xaxis={**theme.AXIS, "title": {"text": t("gap_axis", lang)}, "zeroline": True},
        yaxis={**theme.AXIS, "automargin": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12 * 380 / max(300, 190 + 26 * len(f)) - 0.08, "x": 0},
    )  # fmt: skip
    return theme.figure(data, lay)


def years_figure(history: pd.DataFrame, area: str, gap: Gap, lang: str) -> go.Figure:
    """The split of one area's gap in every year (stacked bars, gap as a line)."""
    h = history.dropna(subset=["crude_gap"]).sort_values("year")
    years = h["year"].astype(int).tolist()
    hover = [_hover(r, gap, lang) for _, r in h.iterrows()]
    data = [
        {"type": "bar", "x": years, "y": h["composition"].round(2).tolist(),
         "name": tr("x.composition", lang), "marker": {"color": COMPOSITION},
         "hovertext": hover, "hoverinfo": "text"},
        {"type": "bar", "x": years, "y": h["rate_effect"].round(2).tolist(),
         "name": tr("x.rate_effect", lang), "marker": {"color": RATE, "pattern": {"shape": "/"}},
         "hovertext": hover, "hoverinfo": "text"},
        {"type": "scatter", "mode": "lines+markers", "x": years, "y": h["crude_gap"].round(2).tolist(),
         "name": tr("x.crude_gap", lang), "line": {"color": CRUDE},
         "marker": {"symbol": "diamond", "size": 9}, "hovertext": hover, "hoverinfo": "text"},
    ]  # fmt: skip
    shapes = []
    noisy = [y for y in years if y >= (noise_from_year() or 10_000)]
    if noisy:
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": min(noisy) - 0.5,
                       "x1": max(noisy) + 0.5, "y0": 0, "y1": 1, "fillcolor": "rgba(0,0,0,0.06)",
                       "line": {"width": 0}})  # fmt: skip
    title = _synthetic_title(tr("x.years_title", lang, area=area), h, lang)
    lay = theme.layout(
        lang, title, height=420, barmode="relative", shapes=shapes,
        xaxis={**theme.AXIS, **theme.year_axis(years)},
        yaxis={**theme.AXIS, "title": {"text": t("gap_axis", lang)}, "zeroline": True},
    )  # fmt: skip
    return theme.figure(data, lay)


def map_figure(frame: pd.DataFrame, column: str, geojson: str, bounds, selected: str, gap: Gap,
               lang: str) -> go.Figure:  # fmt: skip
    """Choropleth of the standardised gap or the difference from expected (diverging, 0 centred)."""
    f = frame.dropna(subset=[column])
    bound = max(float(f[column].abs().max()) if len(f) else 1.0, 1.0)
    hover = [_hover(r, gap, lang) for _, r in f.iterrows()]
    what = tr("x.colour.standardised" if column == "standardised_gap" else "x.colour.local", lang)
    data = [
        {"type": "choropleth", "geojson": geojson, "featureidkey": "id",
         "locations": f["area_code"].tolist(), "z": f[column].round(2).tolist(),
         "text": hover, "hovertemplate": "%{text}<extra></extra>", "colorscale": theme.GAP_SCALE,
         "zmid": 0, "zmin": -bound, "zmax": bound, "showscale": True,
         "marker": {"line": {"width": [2.5 if c == selected else 0.4 for c in f["area_code"]],
                             "color": ["#000000" if c == selected else "#ffffff" for c in f["area_code"]]}},
         "colorbar": {"title": {"text": t("pp", lang), "side": "right"}, "thickness": 12, "len": 0.55,
                      "x": 1.0, "xanchor": "right"}},
    ]  # fmt: skip
    year = int(f["year"].iloc[0]) if len(f) else ""
    title = _synthetic_title(
        tr("x.map_title", lang, what=f"{what}: {gap_label(gap, lang)}", year=year), f, lang
    )
    lay = theme.layout(lang, title, height=MAP_HEIGHT, geo=map_geo(bounds))
    lay["margin"] = {**lay["margin"], "l": 0, "r": 0, "b": 4}
    return theme.figure(data, lay)


def scatter_figure(frame: pd.DataFrame, selected: str, peers: set[str], gap: Gap, year: int,
                   lang: str) -> go.Figure:  # fmt: skip
    """Expected (from ages) against actual rate of group 1, all municipalities, with the diagonal."""
    f = frame.dropna(subset=["expected_1", "actual_1"])
    kind = np.where(f["area_code"] == selected, "selected",
                    np.where(f["area_code"].isin(peers), "peer", "other"))  # fmt: skip
    data = []
    styles = {
        "other": (tr("x.municipalities", lang), OTHER, 7),
        "peer": (t("peers_trace", lang), PEER, 10),
        "selected": (t("selected", lang), CRUDE, 14),
    }
    for key, (name, colour, size) in styles.items():
        part = f[kind == key]
        if part.empty:
            continue
        data.append({
            "type": "scatter", "mode": "markers" if key == "other" else "markers+text",
            "x": part["expected_1"].round(2).tolist(), "y": part["actual_1"].round(2).tolist(),
            "text": part["area"].tolist() if key != "other" else None, "textposition": "top center",
            "hovertext": [_hover(r, gap, lang) for _, r in part.iterrows()], "hoverinfo": "text",
            "customdata": part["area_code"].tolist(), "name": name,
            "marker": {"color": colour, "size": size, "line": {"color": "white", "width": 1}},
        })  # fmt: skip
    lo = float(np.nanmin([f["expected_1"].min(), f["actual_1"].min()])) if len(f) else 0.0
    hi = float(np.nanmax([f["expected_1"].max(), f["actual_1"].max()])) if len(f) else 100.0
    data.insert(0, {"type": "scatter", "mode": "lines", "x": [lo, hi], "y": [lo, hi],
                    "name": tr("x.diagonal", lang), "hoverinfo": "skip",
                    "line": {"color": theme.GREY, "dash": "dot"}})  # fmt: skip
    title = _synthetic_title(
        tr("x.scatter_title", lang, group=group_label(gap.a, lang), year=year), f, lang
    )
    lay = theme.layout(
        lang, title, height=520,
        xaxis={**theme.AXIS, "title": {"text": tr("x.expected", lang)}},
        yaxis={**theme.AXIS, "title": {"text": tr("x.actual", lang)}},
    )  # fmt: skip
    return theme.figure(data, lay)


def kolada_figure(rows: pd.DataFrame, area: str, lang: str) -> go.Figure:
    """Kolada's expected-value model for refugees and families: actual and expected, by year."""
    years = rows["year"].astype(int).tolist()
    hover = [
        "<br>".join([
            f"<b>{area}</b> {int(r.year)}",
            f"{tr('x.kolada_actual', lang)}: {fmt_value(r.actual, 1, lang=lang)}",
            f"{tr('x.kolada_expected', lang)}: {fmt_value(r.expected, 1, lang=lang)}",
            f"{tr('x.kolada_deviation', lang)}: {fmt_pp(r.deviation, lang)}",
            *provenance_lines(r.provenance, lang),
            *([f"⚠ {t('synthetic_value', lang)}"] if r.synthetic else []),
        ])
        for r in rows.itertuples()
    ]  # fmt: skip
    data = [
        {"type": "scatter", "mode": "lines+markers", "x": years, "name": tr("x.kolada_actual", lang),
         "y": [None if pd.isna(v) else round(float(v), 2) for v in rows["actual"]],
         "line": {"color": CRUDE}, "hovertext": hover, "hoverinfo": "text"},
        {"type": "scatter", "mode": "lines+markers", "x": years,
         "name": tr("x.kolada_expected", lang),
         "y": [None if pd.isna(v) else round(float(v), 2) for v in rows["expected"]],
         "line": {"color": PEER, "dash": "dash"}, "marker": {"symbol": "diamond"},
         "hovertext": hover, "hoverinfo": "text"},
    ]  # fmt: skip
    title = _synthetic_title(tr("x.kolada_title", lang, area=area), rows, lang)
    lay = theme.layout(
        lang, title, height=420,
        xaxis={**theme.AXIS, **theme.year_axis(years)},
        yaxis={**theme.AXIS, "title": {"text": "%"}},
    )  # fmt: skip
    return theme.figure(data, lay)
