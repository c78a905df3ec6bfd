"""The area profile's charts: the gap's trend against its peers' band, the spine chart, the funnel plot."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import break_labels, theme
from dashboard.core.text.numbers import fmt_num, isnan
from dashboard.views.area.text import tr
from etl import uncertainty as u

# Fingertips' spine-chart colours, chosen colour-blind safe: blue better, amber similar, red worse
VERDICT_COLOUR = {
    u.BETTER: "#0072B2",
    u.SIMILAR: "#E69F00",
    u.WORSE: "#C0392B",
    u.HIGHER: "#56B4E9",
    u.LOWER: "#CC79A7",
    u.NOT_COMPARED: "#FFFFFF",
}
VERDICT_SYMBOL = {u.BETTER: "circle", u.SIMILAR: "diamond", u.WORSE: "square",
                  u.HIGHER: "triangle-up", u.LOWER: "triangle-down", u.NOT_COMPARED: "circle-open"}  # fmt: skip
BAND_OUTER, BAND_INNER = "rgba(0, 114, 178, 0.12)", "rgba(0, 114, 178, 0.28)"
AREA_COLOUR, COUNTY_COLOUR, COUNTRY_COLOUR = "#D55E00", "#009E73", "#000000"


def _band(x: list, low: list, high: list, fill: str, name: str) -> list[dict]:
    return [
        {"type": "scatter", "x": x, "y": high, "mode": "lines", "line": {"width": 0},
         "hoverinfo": "skip", "showlegend": False, "legendgroup": name},
        {"type": "scatter", "x": x, "y": low, "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": fill, "name": name, "hoverinfo": "skip", "legendgroup": name},
    ]  # fmt: skip


def trend_figure(
    lines: dict[str, pd.DataFrame], band: pd.DataFrame, title: str, lang: str
) -> go.Figure:
    """The headline gap over the years: the area, its county and the country against the peers' band.

    `lines`: label → frame(year, gap, series_break); `band`: year, q0, q25, q75, q100.
    """
    data: list[dict] = []
    if len(band):
        x = band.year.tolist()
        data += _band(
            x, band.q0.tolist(), band.q100.tolist(), BAND_OUTER, tr("area.band_range", lang)
        )
        data += _band(
            x, band.q25.tolist(), band.q75.tolist(), BAND_INNER, tr("area.band_iqr", lang)
        )
    colours = [AREA_COLOUR, COUNTY_COLOUR, COUNTRY_COLOUR]
    years: set[int] = set()
    breaks: set[int] = set()
    for (label, frame), colour in zip(lines.items(), colours, strict=False):
        frame = frame.dropna(subset=["gap"])
        years |= set(frame.year)
        breaks |= set(frame.year[frame.series_break.fillna(False).astype(bool)])
        data.append(
            {"type": "scatter", "x": frame.year.tolist(), "y": frame.gap.round(1).tolist(),
             "mode": "lines+markers", "name": label, "line": {"color": colour,
             "width": 3 if colour == AREA_COLOUR else 2, "dash": "solid" if colour == AREA_COLOUR else "dot"},
             "hovertemplate": f"{label} %{{x}}: %{{y:.1f}} pp<extra></extra>"}
        )  # fmt: skip
    if not data:
        return theme.empty_figure(tr("area.no_values", lang), lang)
    lay = theme.layout(lang, title, height=440)
    lay["xaxis"] = theme.year_axis(sorted(years | set(band.year if len(band) else [])))
    lay["yaxis"] = {"title": {"text": tr("area.gap_axis", lang)}, "zeroline": True}
    lay["shapes"] = [
        {"type": "line", "x0": y - 0.5, "x1": y - 0.5, "yref": "paper", "y0": 0, "y1": 1,
         "line": {"color": theme.GREY, "dash": "dash", "width": 1}}
        for y in sorted(breaks) if y > min(years, default=y)
    ]  # fmt: skip
    lay["annotations"] = break_labels.stack([
        {"x": y - 0.5, "y": 1, "yref": "paper", "text": tr("area.break", lang), "showarrow": False,
         "xanchor": "left", "yanchor": "top", "font": {"size": 11, "color": theme.GREY}}
        for y in sorted(breaks) if y > min(years, default=y)
    ], min(years, default=0), max(years, default=1))  # fmt: skip
    return theme.figure(data, lay)


def spine_scaled(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row on a common scale: benchmark at 0, the farthest of comparators and area at ±1."""
    out = rows.copy()
    centre = out.benchmark.where(out.benchmark.notna(), (out.q25 + out.q75) / 2)
    cols = ["q0", "q25", "q75", "q100", "value"]
    reach = pd.concat([(out[c] - centre).abs() for c in cols], axis=1).max(axis=1)
    reach = reach.where(reach > 0, 1.0)
    for c in cols:
        out[f"x_{c}"] = (out[c] - centre) / reach
    return out


ROW_UNIT, HEAD_UNIT, UNIT_PX = 1.0, 0.8, 28  # a row: its label above its bar; an indicator heading
HEAD_CHARS, HEAD_LINE_UNIT = 44, 0.55  # an indicator heading wraps to fit a 390 px phone


def spine_positions(rows: pd.DataFrame) -> tuple[list[float], list[tuple[float, str]], float]:
    """Each row's y (its bar), the indicator headings' y and text, and the total height in units.

    Rows come grouped by indicator: a heading names the indicator once, each row under it names
    only its group, above its bar, so the labels never take the chart's width (390 px phones).
    """
    ys: list[float] = []
    heads: list[tuple[float, str]] = []
    y, last = 0.0, None
    for ind, head in zip(rows.indicator, rows.heading, strict=True):
        if ind != last:
            text = theme.wrap(head, HEAD_CHARS)  # a long indicator name wraps, never runs off
            unit = HEAD_UNIT + HEAD_LINE_UNIT * text.count("<br>")
            heads.append((y + unit / 2, text))
            y += unit
            last = ind
        ys.append(y + ROW_UNIT * 0.68)
        y += ROW_UNIT
    return ys, heads, y


def spine_hover(r, lang: str) -> str:
    """'Heading: group: 61,2 (benchmark 70,1; min 55,0, max 80,3)', in the page's number style;
    without the benchmark where there is none (the country is not compared with itself)."""
    parts = (
        []
        if isnan(r.benchmark)
        else [f"{tr('area.benchmark', lang)} {fmt_num(r.benchmark, 1, lang)}"]
    )
    spread = f"min {fmt_num(r.q0, 1, lang)}, max {fmt_num(r.q100, 1, lang)}"
    return f"{r.heading}: {r.label}: {fmt_num(r.value, 1, lang)} ({'; '.join([*parts, spread])})"


def spine_figure(rows: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Fingertips-style spine chart: one row per indicator × group; comparators' range as a bar
    (min–25th light, 25th–75th dark, 75th–max light), the area as a point coloured by its verdict,
    the benchmark as the centre line. `rows` needs indicator, heading (the indicator's name),
    label (the group), value, q0..q100, benchmark, verdict. Labels sit above the bars."""
    if rows.empty:
        return theme.empty_figure(tr("area.no_values", lang), lang)
    s = spine_scaled(rows)
    ys, heads, total = spine_positions(s)
    s["y"] = ys
    data: list[dict] = []
    for lo, hi, colour, name in (("x_q0", "x_q25", "#C9D9E8", tr("area.spine_outer", lang)),
                                 ("x_q25", "x_q75", "#7FA7C9", tr("area.spine_iqr", lang)),
                                 ("x_q75", "x_q100", "#C9D9E8", None)):  # fmt: skip
        data.append(
            {"type": "bar", "orientation": "h", "y": ys, "base": s[lo].tolist(),
             "x": (s[hi] - s[lo]).fillna(0).tolist(), "marker": {"color": colour},
             "name": name or "", "showlegend": name is not None, "hoverinfo": "skip", "width": 0.42}
        )  # fmt: skip
    for verdict, part in s.groupby("verdict", sort=False):
        colour = VERDICT_COLOUR.get(verdict, "#FFFFFF")
        data.append(
            {"type": "scatter", "mode": "markers", "y": part.y.tolist(),
             "x": part.x_value.tolist(), "name": tr(f"area.verdict.{verdict}", lang),
             "text": (part.heading + ": " + part.label).tolist(),
             "marker": {"color": colour, "size": 12, "symbol": VERDICT_SYMBOL.get(verdict, "circle"),
                        "line": {"color": "#1d1d1d", "width": 1.2}},
             "hovertext": [spine_hover(r, lang) for r in part.itertuples()], "hoverinfo": "text"}
        )  # fmt: skip
    notes = [
        {"x": -1.08, "y": y - 0.3, "xref": "x", "yref": "y", "text": label, "showarrow": False,
         "xanchor": "left", "yanchor": "bottom", "font": {"size": 11, "color": "#333"}}
        for y, label in zip(ys, s.label, strict=True)
    ] + [
        {"x": -1.08, "y": y, "xref": "x", "yref": "y", "text": f"<b>{head}</b>", "showarrow": False,
         "xanchor": "left", "yanchor": "middle", "font": {"size": 12}}
        for y, head in heads
    ]  # fmt: skip
    plot_px = int(UNIT_PX * total)
    lay = theme.layout(lang, title, height=plot_px, barmode="overlay")
    lay["height"] = plot_px + lay["margin"]["t"] + 110
    lay["margin"]["b"] = 100
    lay["xaxis"] = {"range": [-1.08, 1.08], "showticklabels": False, "zeroline": False,
                    "showgrid": False, "fixedrange": True,
                    "title": {"text": tr("area.spine_axis", lang), "font": {"size": 11}}}  # fmt: skip
    lay["yaxis"] = {"range": [total, 0], "visible": False, "fixedrange": True}
    lay["shapes"] = [{"type": "line", "x0": 0, "x1": 0, "yref": "paper", "y0": 0, "y1": 1,
                      "line": {"color": "#1d1d1d", "width": 2}}]  # fmt: skip
    lay["annotations"] = notes
    lay["legend"] = {"orientation": "h", "yanchor": "top", "y": -40 / plot_px, "x": 0,
                     "font": {"size": 11}}  # fmt: skip
    return theme.figure(data, lay)


KIND_COLOUR = ["#D55E00", "#0072B2", "#009E73", "#000000", "#CC79A7", "#E69F00"]  # Okabe-Ito


def planner_figure(table: pd.DataFrame, cols: dict[str, str], title: str, lang: str) -> go.Figure:
    """The planner's table as a dot chart: each row's gap now, in the table's order, coloured by
    its kind (municipality, LUA district, county …); a filled dot is a significant gap.

    `cols`: the table's column names for name, kind, gap, change and sig (localised)."""
    part = table.dropna(subset=[cols["gap"]])
    if part.empty:
        return theme.empty_figure(tr("area.no_values", lang), lang)
    data: list[dict] = []
    kinds = list(dict.fromkeys(part[cols["kind"]]))
    for kind, colour in zip(kinds, KIND_COLOUR * 2, strict=False):
        rows = part[part[cols["kind"]] == kind]
        filled = rows[cols["sig"]].str.contains(tr("area.sig_gap", lang), regex=False)
        change = [("" if pd.isna(c) else f"{c:+.1f}") for c in rows[cols["change"]]]
        data.append(
            {"type": "scatter", "mode": "markers", "name": kind, "y": rows[cols["name"]].tolist(),
             "x": rows[cols["gap"]].tolist(), "customdata": list(zip(change, rows[cols["sig"]], strict=True)),
             "marker": {"color": [colour if f else "white" for f in filled], "size": 9,
                        "line": {"color": colour, "width": 2}},
             "hovertemplate": "%{y}: %{x:.1f} (" + cols["change"] + " %{customdata[0]}; "
             "%{customdata[1]})<extra></extra>"}
        )  # fmt: skip
    height = 150 + 17 * len(part)
    lay = theme.layout(lang, title, height=height)
    lay["margin"]["b"] = 90  # the axis title, then the legend below it (the stamp is above)
    lay["xaxis"] = {"title": {"text": tr("area.gap_axis", lang)}, "zeroline": True}
    lay["yaxis"] = {"autorange": "reversed", "automargin": True, "tickfont": {"size": 10},
                    "categoryorder": "array", "categoryarray": part[cols["name"]].tolist()}  # fmt: skip
    lay["legend"] = {"orientation": "h", "yanchor": "top", "y": -50 / (17 * len(part)), "x": 0}
    return theme.figure(data, lay)
