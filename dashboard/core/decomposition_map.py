"""The gap decomposition's figure pieces, drawn by the Explain page and by the Map coloured by the
decomposition: the choropleth, the hover lines, the synthetic mark in titles, the empty figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import theme
from dashboard.core.gaps import Gap
from dashboard.core.text import age_band, fmt_pp, fmt_value, gap_label, group_label, t
from dashboard.core.text.decomposition import flags_text, tr
from dashboard.core.theme import MAP_HEIGHT, map_geo
from etl import seeds


def empty(message: str, lang: str) -> go.Figure:
    """A figure that says why there is nothing to show."""
    return theme.empty_figure(theme.wrap(message), lang)


def synthetic_title(title: str, frame: pd.DataFrame, lang: str) -> str:
    """The title, marked when any of the frame's rows is synthetic."""
    synthetic = len(frame) and bool(frame["synthetic"].fillna(False).astype(bool).any())
    return f"{title} ({t('synthetic_value', lang)})" if synthetic else title


def decomposed_age() -> str:
    """The age band the decomposition covers as a whole (seeds/age_bands.csv total_age: 20-64)."""
    return str(seeds.load("age_bands")["total_age"].iloc[0])


def hover_text(row: pd.Series, gap: Gap, lang: str) -> str:
    """One area's decomposition as hover lines (its age band, gap, parts, expected rate, flags)."""
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


def map_figure(frame: pd.DataFrame, column: str, geojson: str, bounds, selected: str, gap: Gap,
               lang: str) -> go.Figure:  # fmt: skip
    """Choropleth of the standardised gap or the difference from expected (diverging, 0 centred)."""
    f = frame.dropna(subset=[column])
    bound = max(float(f[column].abs().max()) if len(f) else 1.0, 1.0)
    hover = [hover_text(r, gap, lang) for _, r in f.iterrows()]
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
    title = synthetic_title(
        tr("x.map_title", lang, what=f"{what}: {gap_label(gap, lang)}", year=year), f, lang
    )
    lay = theme.layout(lang, title, height=MAP_HEIGHT, geo=map_geo(bounds))
    lay["margin"] = {**lay["margin"], "l": 0, "r": 0, "b": 4}
    return theme.figure(data, lay)
