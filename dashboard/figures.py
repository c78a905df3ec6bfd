"""Pure DataFrame → go.Figure functions (no I/O): map, trends, gap lines, dumbbell, slope, scatter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import text
from dashboard.gaps import Gap, Group
from dashboard.geo import Shapes
from dashboard.text import fmt_count, fmt_pp, fmt_value, t

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
BIRTH_COLOURS = {
    "total": "#000000",
    "sweden": "#0072B2",
    "foreign": "#D55E00",
    "nordic": "#009E73",
    "eu_efta": "#CC79A7",
    "rest_of_world": "#E69F00",
    "foreign_0_1y": "#E69F00",
    "foreign_2_3y": "#CC79A7",
    "foreign_4_9y": "#009E73",
    "foreign_10y_plus": "#56B4E9",
}
SEX_DASH = {"women": "solid", "men": "dash", "total": "solid"}
SEX_SYMBOL = {"women": "circle", "men": "square", "total": "diamond"}
GAP_SCALE = "PuOr"  # diverging, colour-blind safe (ColorBrewer); centred on 0
VALUE_SCALE = "Viridis"  # sequential, colour-blind safe
SUPPRESSED_FILL = "#9e9e9e"
MISSING_FILL = "#e6e6e6"
SHADE = "rgba(213, 94, 0, 0.15)"
GREY = "#8c8c8c"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def base_layout(fig: go.Figure, lang: str, title: str = "", height: int = 480) -> go.Figure:
    """Common layout: white template, language separators, legend below, compact margins."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT, "size": 13},
        separators=", " if lang == "sv" else ".,",
        height=height,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def empty_figure(message: str, lang: str, height: int = 300) -> go.Figure:
    """A figure with no data that says why (never a blank chart)."""
    fig = go.Figure()
    base_layout(fig, lang, height=height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14},
        align="center",
    )
    return fig


def _wrap(message: str, width: int = 60) -> str:
    words, lines, line = message.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line])


def _hover_counts(num: float | None, den: float | None, lang: str) -> str:
    if den is None or (isinstance(den, float) and math.isnan(den)):
        return ""
    if num is None or (isinstance(num, float) and math.isnan(num)):
        return f"{t('population', lang)}: {fmt_count(den, lang)}"
    return t("count_of", lang, num=fmt_count(num, lang), den=fmt_count(den, lang))


def _flags(row: pd.Series, lang: str, threshold: int) -> list[str]:
    out = []
    if bool(row.get("small", False)):
        out.append(f"⚠ {t('small', lang)}: {t('small_long', lang, n=threshold)}")
    if bool(row.get("synthetic", False)):
        out.append(f"⚠ {t('synthetic_value', lang)}")
    return out


def _status_text(status: str, lang: str) -> str:
    return t("suppressed", lang) if status == "suppressed" else t("missing", lang)


def _subset(shapes: Shapes, codes: list[str]) -> dict:
    wanted = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in shapes.geojson["features"] if f["id"] in wanted],
    }


def map_hover(
    row: pd.Series,
    *,
    colour: str,
    groups: list[Group],
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    indicator_label: str,
) -> str:
    """Hover text of one area: value(s), counts, year, flags."""
    lines = [f"<b>{row['area']}</b> · {int(row['year'])}"]
    if row["status"] != "ok" and colour == "value":
        lines.append(f"{indicator_label}: {_status_text(row['status'], lang)} (..)")
    if colour == "gap":
        gap_value = row.get("gap")
        lines.append(
            f"{t('gap', lang)}: {fmt_pp(gap_value, lang)}"
            if row["status"] == "ok"
            else f"{t('gap', lang)}: {_status_text(row['status'], lang)}"
        )
    for i, g in enumerate(groups):
        value = row.get(f"value_{i}")
        counts = _hover_counts(row.get(f"numerator_{i}"), row.get(f"denominator_{i}"), lang)
        status = row.get(f"status_{i}", "missing")
        shown = (
            fmt_value(value, decimals, unit, lang)
            if status == "ok"
            else f"{_status_text(status, lang)}"
        )
        lines.append(f"{text.group_label(g, lang)}: {shown}" + (f" ({counts})" if counts else ""))
    lines.extend(_flags(row, lang, threshold))
    return "<br>".join(lines)


def map_figure(
    frame: pd.DataFrame,
    shapes: Shapes,
    *,
    colour: str,
    groups: list[Group],
    gap: Gap | None,
    indicator_label: str,
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    selected: str | None = None,
    title: str = "",
) -> go.Figure:
    """Choropleth of one year: values or gap (diverging, centred on 0), suppressed/missing apart."""
    frame = frame[frame["area_code"].isin(shapes.points)]
    hover = [
        map_hover(
            r,
            colour=colour,
            groups=groups,
            decimals=decimals,
            unit=unit,
            lang=lang,
            threshold=threshold,
            indicator_label=indicator_label,
        )
        for _, r in frame.iterrows()
    ]
    frame = frame.assign(hover=hover)
    zcol = "gap" if colour == "gap" else "value_0"
    ok = frame[(frame["status"] == "ok") & frame[zcol].notna()]
    fig = go.Figure()
    line_w = [2.5 if c == selected else 0.4 for c in ok["area_code"]]
    line_c = ["#000000" if c == selected else "#ffffff" for c in ok["area_code"]]
    if colour == "gap":
        bound = float(np.nanmax(np.abs(ok[zcol]))) if len(ok) else 1.0
        bound = max(bound, 1.0)
        scale = {"colorscale": GAP_SCALE, "zmid": 0, "zmin": -bound, "zmax": bound}
        bar_title = t("gap_axis", lang)
    else:
        scale = {"colorscale": VALUE_SCALE}
        bar_title = "%" if unit == "percent" else ""
    if len(ok):
        fig.add_trace(
            go.Choropleth(
                geojson=_subset(shapes, ok["area_code"].tolist()),
                featureidkey="id",
                locations=ok["area_code"],
                z=ok[zcol].round(2),
                text=ok["hover"],
                hovertemplate="%{text}<extra></extra>",
                name=title or indicator_label,
                marker={"line": {"width": line_w, "color": line_c}},
                colorbar={"title": {"text": bar_title}, "thickness": 12, "len": 0.6, "x": 1.0},
                showlegend=False,
                **scale,
            )
        )
    for status, fill in (("suppressed", SUPPRESSED_FILL), ("missing", MISSING_FILL)):
        sub = (
            frame[frame["status"] == status]
            if status == "suppressed"
            else frame[
                (frame["status"] != "ok") & (frame["status"] != "suppressed")
                | ((frame["status"] == "ok") & frame[zcol].isna())
            ]
        )
        if sub.empty:
            continue
        fig.add_trace(
            go.Choropleth(
                geojson=_subset(shapes, sub["area_code"].tolist()),
                featureidkey="id",
                locations=sub["area_code"],
                z=[0] * len(sub),
                text=sub["hover"],
                hovertemplate="%{text}<extra></extra>",
                colorscale=[[0, fill], [1, fill]],
                showscale=False,
                showlegend=True,
                name=_status_text(status, lang),
                marker={
                    "line": {
                        "width": [2.5 if c == selected else 0.4 for c in sub["area_code"]],
                        "color": [
                            "#000000" if c == selected else "#ffffff" for c in sub["area_code"]
                        ],
                    }
                },
            )
        )
    small = frame[frame["small"]]
    if len(small):
        pts = [shapes.points[c] for c in small["area_code"]]
        fig.add_trace(
            go.Scattergeo(
                lon=[p[0] for p in pts],
                lat=[p[1] for p in pts],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 10,
                    "color": "#000000",
                    "line": {"width": 2},
                },
                text=small["hover"],
                hovertemplate="%{text}<extra></extra>",
                name=f"{t('small', lang)} (< {threshold})",
                showlegend=True,
            )
        )
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    base_layout(fig, lang, title, height=640)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        legend={"y": 0.02, "x": 0.0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.7)"},
        clickmode="event",
    )
    if shapes.synthetic:
        fig.add_annotation(
            text=f"⚠ {t('schematic', lang)}",
            x=0.0,
            y=1.0,
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            bgcolor="#fff3cd",
            font={"size": 12},
        )
    return fig


def _segments(df: pd.DataFrame) -> list[pd.DataFrame]:
    """Split rows (sorted by year) into runs of one series, so no line crosses a series break."""
    if df.empty:
        return []
    series = df["series"].fillna("").tolist()
    runs, start = [], 0
    for i in range(1, len(series) + 1):
        if i == len(series) or series[i] != series[start] or bool(df["series_break"].iloc[i]):
            runs.append(df.iloc[start:i])
            start = i
    return runs


def _point_hover(
    area: str, group: Group, r: pd.Series, decimals: int, unit: str, lang: str, threshold: int
) -> str:
    lines = [
        f"<b>{area}</b> · {text.group_label(group, lang)}",
        f"{int(r['year'])}: {fmt_value(r['value'], decimals, unit, lang)}",
    ]
    counts = _hover_counts(r.get("numerator"), r.get("denominator"), lang)
    if counts:
        lines.append(counts)
    if isinstance(r.get("series"), str):
        lines.append(r["series"])
    lines.extend(_flags(r, lang, threshold))
    return "<br>".join(lines)


def _break_years(obs: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in obs.loc[obs["series_break"].fillna(False).astype(bool), "year"]})


def _mark_breaks(fig: go.Figure, obs: pd.DataFrame, lang: str) -> None:
    for year in _break_years(obs):
        fig.add_vline(x=year - 0.5, line={"dash": "dash", "color": GREY, "width": 1})
        fig.add_annotation(
            x=year - 0.5,
            y=1.0,
            xref="x",
            yref="paper",
            text=t("series_break", lang),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"size": 11, "color": "#555"},
        )
    years = obs["year"].dropna()
    if len(years) and years.max() >= 2025:
        fig.add_vrect(
            x0=2024.5, x1=float(years.max()) + 0.5, fillcolor="#f2f2f2", line_width=0, layer="below"
        )
        fig.add_annotation(
            x=2024.5,
            y=1.0,
            xref="x",
            yref="paper",
            text=t("ckm", lang),
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 11, "color": "#555"},
        )


def trends_figure(
    obs: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    areas: list[str],
    names: dict[str, str],
    groups: list[Group],
    gap: Gap,
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    indicator_label: str,
    title: str = "",
) -> go.Figure:
    """Lines over years per group (split by series), the gap shaded between its two lines."""
    rows = max(len(areas), 1)
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08 if rows > 1 else 0.02,
        subplot_titles=[names.get(a, a) for a in areas] if rows > 1 else None,
    )
    seen: set[str] = set()
    for row_i, area in enumerate(areas, start=1):
        area_obs = obs[obs["area_code"] == area]
        # gap shading first, so the lines draw on top
        g = gaps[gaps["area_code"] == area].sort_values("year") if len(gaps) else gaps
        for seg in _segments(g[g["value_0"].notna() & g["value_1"].notna()]) if len(g) else []:
            years = seg["year"].tolist()
            fig.add_trace(
                go.Scatter(
                    x=years,
                    y=seg["value_1"],
                    mode="lines",
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=row_i,
                col=1,
            )
            fig.add_trace(
                go.Scatter(
                    x=years,
                    y=seg["value_0"],
                    mode="lines",
                    line={"width": 0},
                    fill="tonexty",
                    fillcolor=SHADE,
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=row_i,
                col=1,
            )
        if len(g) and g["gap"].notna().any():
            last = g[g["gap"].notna()].iloc[-1]
            fig.add_annotation(
                x=int(last["year"]),
                y=(last["value_0"] + last["value_1"]) / 2,
                text=f"<b>{fmt_pp(last['gap'], lang)}</b>",
                showarrow=False,
                xanchor="left",
                xshift=8,
                font={"size": 12, "color": "#8a3b00"},
                row=row_i,
                col=1,
            )
        for group in groups:
            sub = area_obs[area_obs["group"] == group.key].sort_values("year")
            if sub.empty:
                continue
            colour = BIRTH_COLOURS.get(group.birth_region, "#333333")
            name = text.group_label(group, lang)
            for seg in _segments(sub):
                hover = [
                    _point_hover(names.get(area, area), group, r, decimals, unit, lang, threshold)
                    for _, r in seg.iterrows()
                ]
                symbols = [SEX_SYMBOL[group.sex] + ("-open" if s else "") for s in seg["small"]]
                fig.add_trace(
                    go.Scatter(
                        x=seg["year"],
                        y=seg["value"],
                        mode="lines+markers",
                        name=name,
                        legendgroup=group.key,
                        showlegend=group.key not in seen,
                        line={"color": colour, "dash": SEX_DASH[group.sex], "width": 2.2},
                        marker={"symbol": symbols, "size": 7, "color": colour},
                        text=hover,
                        hovertemplate="%{text}<extra></extra>",
                        connectgaps=False,
                    ),
                    row=row_i,
                    col=1,
                )
                seen.add(group.key)
    _mark_breaks(fig, obs, lang)
    base_layout(fig, lang, title, height=max(420, 300 * rows + 120))
    fig.update_yaxes(
        title_text=indicator_label + (" (%)" if unit == "percent" else ""), rangemode="normal"
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def gap_lines_figure(
    gaps: pd.DataFrame,
    *,
    areas: list[str],
    names: dict[str, str],
    lang: str,
    threshold: int,
    title: str = "",
) -> go.Figure:
    """The gap in pp over years, one line per area (split by series), zero line."""
    fig = go.Figure()
    for i, area in enumerate(areas):
        g = gaps[(gaps["area_code"] == area) & gaps["gap"].notna()].sort_values("year")
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        for j, seg in enumerate(_segments(g)):
            hover = [
                f"<b>{names.get(area, area)}</b> · {int(r['year'])}<br>{t('gap', lang)}: {fmt_pp(r['gap'], lang)}"
                + "".join(f"<br>{f}" for f in _flags(r, lang, threshold))
                for _, r in seg.iterrows()
            ]
            fig.add_trace(
                go.Scatter(
                    x=seg["year"],
                    y=seg["gap"].round(2),
                    mode="lines+markers",
                    name=names.get(area, area),
                    legendgroup=area,
                    showlegend=j == 0,
                    line={"color": colour, "width": 2.5},
                    marker={
                        "symbol": ["circle-open" if s else "circle" for s in seg["small"]],
                        "size": 7,
                    },
                    text=hover,
                    hovertemplate="%{text}<extra></extra>",
                )
            )
    fig.add_hline(y=0, line={"color": "#444", "width": 1})
    _mark_breaks(fig, gaps if len(gaps) else pd.DataFrame({"year": [], "series_break": []}), lang)
    base_layout(fig, lang, title, height=380)
    fig.update_yaxes(title_text=t("gap_axis", lang), zeroline=True)
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def dumbbell_figure(
    frame: pd.DataFrame,
    *,
    selected: str,
    gap: Gap,
    stats: dict,
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    title: str = "",
) -> go.Figure:
    """Ranked dumbbell: group b and group a per municipality, selected highlighted, median/mean lines."""
    frame = frame.reset_index(drop=True)
    labels = [
        f"<b>{n}</b>" if c == selected else n
        for n, c in zip(frame["area"], frame["area_code"], strict=True)
    ]
    fig = go.Figure()
    xs, ys = [], []
    for lab, a, b in zip(labels, frame["value_0"], frame["value_1"], strict=True):
        if pd.notna(a) and pd.notna(b):
            xs += [b, a, None]
            ys += [lab, lab, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#bbbbbb", "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for i, group in ((1, gap.b), (0, gap.a)):
        colour = BIRTH_COLOURS.get(group.birth_region, "#333")
        has = frame[f"value_{i}"].notna()
        hover = []
        for _, r in frame.iterrows():
            counts = _hover_counts(r.get(f"numerator_{i}"), r.get(f"denominator_{i}"), lang)
            h = [
                f"<b>{r['area']}</b> · {int(r['year'])}",
                f"{text.group_label(group, lang)}: {fmt_value(r[f'value_{i}'], decimals, unit, lang)}",
            ]
            if counts:
                h.append(counts)
            if pd.notna(r.get("gap")):
                h.append(f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}")
            h.extend(_flags(r, lang, threshold))
            hover.append("<br>".join(h))
        sizes = [14 if c == selected else 10 for c in frame["area_code"]]
        symbol = "circle" if i == 1 else "diamond"
        fig.add_trace(
            go.Scatter(
                x=frame.loc[has, f"value_{i}"],
                y=[labels[k] for k in frame.index[has]],
                mode="markers",
                name=text.group_label(group, lang),
                marker={
                    "color": colour,
                    "size": [sizes[k] for k in frame.index[has]],
                    "symbol": [
                        symbol + ("-open" if frame.at[k, "small"] else "") for k in frame.index[has]
                    ],
                    "line": {
                        "width": [
                            2 if frame.at[k, "area_code"] == selected else 0
                            for k in frame.index[has]
                        ],
                        "color": "#000",
                    },
                },
                text=[hover[k] for k in frame.index[has]],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    missing = frame[frame["value_0"].isna()]
    if len(missing):
        xmin = (
            np.nanmin(frame[["value_0", "value_1"]].to_numpy())
            if frame[["value_0", "value_1"]].notna().any().any()
            else 0
        )
        fig.add_trace(
            go.Scatter(
                x=[xmin] * len(missing),
                y=[labels[k] for k in missing.index],
                mode="text",
                text=[f".. {_status_text(s, lang).lower()}" for s in missing["status"]],
                textposition="middle left",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for key, dash, label in (
        ("median_a", "dot", t("peer_median", lang)),
        ("wmean_a", "dash", t("peer_mean", lang)),
    ):
        value = stats.get(key)
        if value is None or not labels:
            continue
        fig.add_trace(
            go.Scatter(
                x=[value, value],
                y=[labels[0], labels[-1]],
                mode="lines",
                name=f"{label}: {fmt_value(value, decimals, unit, lang)}",
                hoverinfo="name",
                line={
                    "dash": dash,
                    "color": BIRTH_COLOURS.get(gap.a.birth_region, "#333"),
                    "width": 1.5,
                },
            )
        )
    if selected in frame["area_code"].tolist():
        lab = labels[frame.index[frame["area_code"] == selected][0]]
        fig.add_hrect(
            y0=lab, y1=lab, line={"width": 14, "color": "rgba(255, 221, 87, 0.35)"}, layer="below"
        )
    base_layout(fig, lang, title, height=200 + 28 * len(frame))
    fig.update_yaxes(
        autorange="reversed", type="category", categoryorder="array", categoryarray=labels
    )
    fig.update_xaxes(title_text="%" if unit == "percent" else "", side="bottom")
    return fig


def slope_figure(
    now: pd.DataFrame,
    then: pd.DataFrame,
    *,
    selected: str,
    year0: int,
    year: int,
    lang: str,
    series_differ: bool,
    title: str = "",
) -> go.Figure:
    """Gap in year0 and year per peer; the selected municipality highlighted and labelled."""
    merged = then[["area_code", "area", "gap"]].merge(
        now[["area_code", "gap"]], on="area_code", suffixes=("0", "1")
    )
    merged = merged[merged["gap0"].notna() & merged["gap1"].notna()]
    fig = go.Figure()
    x = [str(year0), str(year)]
    label_all = len(merged) <= 12
    for _, r in merged.sort_values("gap1").iterrows():
        is_sel = r["area_code"] == selected
        hover = f"<b>{r['area']}</b><br>{year0}: {fmt_pp(r['gap0'], lang)}<br>{year}: {fmt_pp(r['gap1'], lang)}"
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[round(r["gap0"], 2), round(r["gap1"], 2)],
                mode="lines+markers+text" if (is_sel or label_all) else "lines+markers",
                text=["", r["area"]],
                textposition="middle right",
                line={
                    "color": OKABE_ITO[1] if is_sel else "#9a9a9a",
                    "width": 4 if is_sel else 1.5,
                },
                marker={"size": 9 if is_sel else 6},
                name=r["area"],
                showlegend=False,
                hovertext=hover,
                hoverinfo="text",
                textfont={"size": 12, "color": OKABE_ITO[1] if is_sel else "#555"},
            )
        )
    fig.add_hline(y=0, line={"color": "#444", "width": 1})
    base_layout(fig, lang, title, height=460)
    fig.update_yaxes(title_text=t("gap_axis", lang))
    fig.update_xaxes(type="category", range=[-0.2, 1.8])
    if series_differ:
        fig.add_annotation(
            x=0.5,
            y=1.0,
            xref="paper",
            yref="paper",
            showarrow=False,
            yanchor="bottom",
            text=f"⚠ {t('series_break', lang)}",
            font={"size": 11, "color": "#8a3b00"},
        )
    return fig


def scatter_figure(
    frame: pd.DataFrame,
    *,
    selected: str,
    x_label: str,
    y_label: str,
    x_decimals: int,
    x_unit: str,
    gap: Gap,
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    title: str = "",
) -> go.Figure:
    """Gap (y) against another indicator (x) for all municipalities; size = population; peers highlighted."""
    data = frame[frame["gap"].notna() & frame["x_value"].notna()].copy()
    pop = data["population"].fillna(
        data["population"].median() if data["population"].notna().any() else 1
    )
    max_pop = float(pop.max()) if len(pop) else 1.0
    sizeref = 2.0 * max_pop / (38.0**2) if max_pop > 0 else 1
    fig = go.Figure()
    parts = (
        ("others", t("others", lang), ~data["peer"] & (data["area_code"] != selected), "#b5b5b5"),
        (
            "peers",
            t("peers_trace", lang),
            data["peer"] & (data["area_code"] != selected),
            OKABE_ITO[0],
        ),
        ("selected", t("selected", lang), data["area_code"] == selected, OKABE_ITO[1]),
    )
    for key, name, mask, colour in parts:
        sub = data[mask]
        if sub.empty:
            continue
        hover = []
        for _, r in sub.iterrows():
            h = [
                f"<b>{r['area']}</b> · {int(r['year'])}",
                f"{x_label}: {fmt_value(r['x_value'], x_decimals, x_unit, lang)}",
                f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}",
                f"{text.group_label(gap.a, lang)}: {fmt_value(r['value_0'], decimals, unit, lang)}",
                f"{text.group_label(gap.b, lang)}: {fmt_value(r['value_1'], decimals, unit, lang)}",
            ]
            if pd.notna(r["population"]):
                h.append(f"{t('population', lang)}: {fmt_count(r['population'], lang)}")
            h.extend(_flags(r, lang, threshold))
            hover.append("<br>".join(h))
        fig.add_trace(
            go.Scatter(
                x=sub["x_value"].round(3),
                y=sub["gap"].round(2),
                mode="markers+text" if key == "selected" else "markers",
                name=name,
                customdata=sub["area_code"],
                text=sub["area"] if key == "selected" else None,
                textposition="top center",
                hovertext=hover,
                hoverinfo="text",
                marker={
                    "size": pop[mask],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 4,
                    "color": colour,
                    "opacity": 0.85 if key != "others" else 0.6,
                    "symbol": ["circle-open" if s else "circle" for s in sub["small"]],
                    "line": {
                        "width": 2 if key == "selected" else 0.5,
                        "color": "#000" if key == "selected" else "#fff",
                    },
                },
            )
        )
    fig.add_hline(y=0, line={"color": "#444", "width": 1})
    base_layout(fig, lang, title, height=560)
    fig.update_xaxes(title_text=x_label + (" (%)" if x_unit == "percent" else ""))
    fig.update_yaxes(title_text=y_label)
    fig.update_layout(clickmode="event+select", dragmode="select")
    return fig


def wrap(message: str, width: int = 60) -> str:
    """Wrap a message for a figure annotation."""
    return _wrap(message, width)
