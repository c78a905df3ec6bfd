"""Pure DataFrame → go.Figure functions (no I/O): map, trends, gap lines, dumbbell, slope, scatter.

Figures are assembled as plain trace/layout dicts and validated once by go.Figure (adding traces one
by one and the large built-in templates cost tens of milliseconds per figure).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.gaps import Gap, Group
from dashboard.records import records
from dashboard.text import fmt_count, fmt_pp, fmt_value, t
from etl.seeds import noise_from_year

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
AXIS = {
    "gridcolor": "#e5e5e5",
    "zerolinecolor": "#bdbdbd",
    "linecolor": "#bdbdbd",
    "automargin": True,
}
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": OKABE_ITO,
        "font": {"family": FONT, "size": 13, "color": "#1d1d1d"},
        "xaxis": AXIS,
        "yaxis": AXIS,
        "hoverlabel": {"font": {"family": FONT}},
        "hovermode": "closest",
    }
)


TITLE_WIDTH = 44


def year_axis(years: list[int], max_ticks: int = 7) -> dict:
    """A year x-axis: whole-year ticks, at most `max_ticks` (readable on a phone), range = data ±0.5."""
    if not years:
        return {"dtick": 1, "tickformat": "d"}
    first, last = min(years), max(years)
    step = max(1, -(-(last - first) // max_ticks))
    return {"dtick": step, "tick0": last, "tickformat": "d", "range": [first - 0.5, last + 0.5]}


MODEBAR_PX = 34  # width of the vertical chart tool bar (right margin of every chart)


def layout(lang: str, title: str = "", height: int = 480, **extra: Any) -> dict:
    """Common layout: small template, language separators, legend below, compact margins."""
    wrapped = wrap(title, TITLE_WIDTH)  # short lines: the title must fit a 390 px phone
    base = {
        "template": TEMPLATE,
        "title": {"text": wrapped, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "separators": ", " if lang == "sv" else ".,",
        "height": height,
        "margin": {
            "l": 10,
            "r": MODEBAR_PX,  # the vertical tool bar sits in this margin, not over points
            "t": 30 + 20 * (wrapped.count("<br>") + 1) if title else 20,
            "b": 10,
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        # vertical tool bar on the right: on a phone a horizontal one sits on top of the title
        "modebar": {"orientation": "v"},
    }
    base.update(extra)
    return base


def empty_figure(message: str, lang: str, height: int = 300) -> go.Figure:
    """A figure with no data that says why (never a blank chart)."""
    lay = layout(lang, height=height)
    lay["xaxis"] = {"visible": False}
    lay["yaxis"] = {"visible": False}
    lay["annotations"] = [
        {
            "text": message,
            "x": 0.5,
            "y": 0.5,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 14},
            "align": "center",
        }
    ]
    return go.Figure(data=[], layout=lay)


def wrap(message: str, width: int = 60) -> str:
    """Wrap a message for a figure annotation."""
    words, lines, line = message.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line])


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _counts(num: Any, den: Any, lang: str) -> str:
    if _nan(den):
        return ""
    if _nan(num):
        return f"{t('population', lang)}: {fmt_count(den, lang)}"
    return t("count_of", lang, num=fmt_count(num, lang), den=fmt_count(den, lang))


def _flags(row: dict, lang: str, threshold: int) -> list[str]:
    out = []
    if row.get("small") is True:
        out.append(f"⚠ {t('small', lang)}: {t('small_long', lang, n=threshold)}")
    if row.get("synthetic") is True:
        out.append(f"⚠ {t('synthetic_value', lang)}")
    if row.get("derived") is True or row.get("status") == "derived":
        out.append(f"⚠ {t('derived_value', lang)}")
    return out


def _status_text(status: str, lang: str) -> str:
    return t("suppressed", lang) if status == "suppressed" else t("missing", lang)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for NaN/NA (faster than DataFrame.where + to_dict)."""
    return records(frame)


def _arr(values: list) -> np.ndarray:
    """A numpy array: Plotly validates those much faster than long lists."""
    if values and isinstance(values[0], str):
        return np.array(values, dtype=object)
    return np.array(values, dtype=float)


def _round(values, nd: int = 2) -> list:
    return [None if _nan(v) else round(float(v), nd) for v in values]


def map_hover(
    row: dict,
    *,
    colour: str,
    groups: list[Group],
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    indicator_label: str,
    _labels: dict | None = None,
) -> str:
    """Hover text of one area: value(s), the counts behind them, year, flags."""
    lab = _labels or _hover_labels(groups, lang, threshold)
    lines = [f"<b>{row['area']}</b> · {int(row['year'])}"]
    status = row["status"]
    if colour == "gap":
        shown = (
            fmt_pp(row.get("gap"), lang)
            if status == "ok"
            else lab[status if status == "suppressed" else "missing"]
        )
        lines.append(f"{lab['gap']}: {shown}")
    else:
        lines.append(indicator_label)
    for i in range(len(groups)):
        s = row.get(f"status_{i}") or "missing"
        shown = (
            fmt_value(row.get(f"value_{i}"), decimals, unit, lang)
            if s == "ok"
            else lab[s if s == "suppressed" else "missing"]
        )
        counts = _counts(row.get(f"numerator_{i}"), row.get(f"denominator_{i}"), lang)
        lines.append(f"{lab[i]}: {shown}" + (f" ({counts})" if counts else ""))
    if row.get("small") is True:
        lines.append(lab["small"])
    if row.get("synthetic") is True:
        lines.append(lab["synthetic"])
    if row.get("derived") is True:
        lines.append(f"⚠ {t('derived_value', lang)}")
    return "<br>".join(lines)


def _hover_labels(groups: list[Group], lang: str, threshold: int) -> dict:
    lab: dict = {i: text.group_label(g, lang) for i, g in enumerate(groups)}
    lab.update(
        {
            "gap": t("gap", lang),
            "suppressed": t("suppressed", lang),
            "missing": t("missing", lang),
            "small": f"⚠ {t('small', lang)}: {t('small_long', lang, n=threshold)}",
            "synthetic": f"⚠ {t('synthetic_value', lang)}",
        }
    )
    return lab


def map_figure(
    frame: pd.DataFrame,
    *,
    geojson: str | dict,
    points: dict[str, tuple[float, float]],
    schematic: bool,
    colour: str,
    groups: list[Group],
    indicator_label: str,
    decimals: int,
    unit: str,
    lang: str,
    threshold: int,
    selected: str | None = None,
    title: str = "",
    zrange: tuple[float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Choropleth of one year: gap (diverging, centred on 0) or value; suppressed/missing apart.

    geojson is a URL (fetched once and cached by the browser) or a FeatureCollection whose feature
    ids are area codes; points are label points used for the small-numbers markers.
    """
    frame = frame[frame["area_code"].isin(points)] if points else frame
    rows = _records(frame)
    kw = {
        "colour": colour,
        "groups": groups,
        "decimals": decimals,
        "unit": unit,
        "lang": lang,
        "threshold": threshold,
        "indicator_label": indicator_label,
        "_labels": _hover_labels(groups, lang, threshold),
    }
    for r in rows:
        r["hover"] = map_hover(r, **kw)
    zcol = "gap" if colour == "gap" else "value_0"
    ok = [r for r in rows if r["status"] == "ok" and r.get(zcol) is not None]
    suppressed = [r for r in rows if r["status"] == "suppressed"]
    missing = [
        r
        for r in rows
        if r["status"] != "suppressed" and (r["status"] != "ok" or r.get(zcol) is None)
    ]

    def outline(part: list[dict]) -> dict:
        return {
            "line": {
                "width": _arr([2.5 if r["area_code"] == selected else 0.4 for r in part]),
                "color": _arr(
                    ["#000000" if r["area_code"] == selected else "#ffffff" for r in part]
                ),
            }
        }

    base = {
        "type": "choropleth",
        "geojson": geojson,
        "featureidkey": "id",
        "hovertemplate": "%{text}<extra></extra>",
    }
    data: list[dict] = []
    if ok:
        z = [r[zcol] for r in ok]
        if colour == "gap":
            bound = zrange[1] if zrange else max(max(abs(v) for v in z), 1.0)
            scale = {"colorscale": GAP_SCALE, "zmid": 0, "zmin": -bound, "zmax": bound}
            bar = t("gap_axis", lang)
        else:
            scale = {"colorscale": VALUE_SCALE}
            if zrange:
                scale |= {"zmin": zrange[0], "zmax": zrange[1]}
            bar = "%" if unit == "percent" else ""
        data.append(
            {
                **base,
                **scale,
                "locations": _arr([r["area_code"] for r in ok]),
                "z": _arr(_round(z)),
                "text": _arr([r["hover"] for r in ok]),
                "name": indicator_label,
                "showlegend": False,
                "marker": outline(ok),
                "colorbar": {
                    # vertical, at the right edge: Sweden is tall and thin, the side has room
                    "title": {"text": bar, "side": "right"},
                    "orientation": "v",
                    "thickness": 12,
                    "len": 0.55,
                    "x": 1.0,
                    "xanchor": "right",
                    "y": 0.5,
                    "yanchor": "middle",
                    "xpad": 4,
                },
            }
        )
    for part, fill, status in (
        (suppressed, SUPPRESSED_FILL, "suppressed"),
        (missing, MISSING_FILL, "missing"),
    ):
        if part:
            data.append(
                {
                    **base,
                    "locations": _arr([r["area_code"] for r in part]),
                    "z": [0] * len(part),
                    "text": _arr([r["hover"] for r in part]),
                    "colorscale": [[0, fill], [1, fill]],
                    "showscale": False,
                    "showlegend": True,
                    "name": _status_text(status, lang),
                    "marker": outline(part),
                }
            )
    small = [r for r in rows if r.get("small") is True and r["area_code"] in points]
    if small:
        data.append(
            {
                "type": "scattergeo",
                "mode": "markers",
                "lon": [points[r["area_code"]][0] for r in small],
                "lat": [points[r["area_code"]][1] for r in small],
                "customdata": [r["area_code"] for r in small],
                "text": [r["hover"] for r in small],
                "hovertemplate": "%{text}<extra></extra>",
                "name": f"{t('small', lang)} (< {threshold})",
                "marker": {
                    "symbol": "circle-open",
                    "size": 10,
                    "color": "#000000",
                    "line": {"width": 2},
                },
            }
        )
    lay = layout(
        lang,
        title,
        height=MAP_HEIGHT,
        clickmode="event",
        geo=map_geo(bounds),
        legend={"y": 0.98, "x": 0.0, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.7)"},
    )
    lay["margin"] = {**lay["margin"], "l": 0, "r": 0, "b": 4}
    if schematic:
        lay["annotations"] = [
            {
                "text": f"⚠ {t('schematic', lang)}",
                "x": 0.0,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "bgcolor": "#fff3cd",
                "font": {"size": 12},
            }
        ]
    return go.Figure(data=data, layout=lay)


MAP_HEIGHT = 760
MAP_PAD = 0.03  # share of the shapes' extent added on every side


def map_geo(bounds: tuple[float, float, float, float] | None) -> dict:
    """Geo layout: fit the shapes, with the frame shaped like them (not like the whole world).

    With fitbounds alone Plotly keeps a world-shaped frame and Sweden got ~200 px of a 1,200 px card;
    explicit longitude/latitude ranges make the frame as tall and thin as the country (or county,
    or one municipality's RegSO areas). The map keeps the left 88 % so the colour bar has room.
    """
    geo: dict[str, Any] = {
        "fitbounds": "locations",
        "visible": False,
        "projection": {"type": "mercator"},
        "domain": {"x": [0, 0.88], "y": [0, 1]},
    }
    if bounds:
        lon0, lat0, lon1, lat1 = bounds
        dx, dy = (lon1 - lon0) * MAP_PAD, (lat1 - lat0) * MAP_PAD
        geo["lonaxis"] = {"range": [round(lon0 - dx, 4), round(lon1 + dx, 4)]}
        geo["lataxis"] = {"range": [round(lat0 - dy, 4), round(lat1 + dy, 4)]}
    return geo


def segments(recs: list[dict]) -> list[list[dict]]:
    """Split records (sorted by year) into runs of one series, so no line crosses a series break."""
    runs: list[list[dict]] = []
    for r in recs:
        if runs and r.get("series") == runs[-1][-1].get("series") and not r.get("series_break"):
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def _by(recs: list[dict], *keys: str) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in sorted(recs, key=lambda r: r["year"]):
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _break_marks(frame: pd.DataFrame, lang: str) -> tuple[list, list]:
    """Dashed lines at series breaks ('RAMS → BAS' where that is the change) and the CKM band."""
    shapes: list[dict] = []
    notes: list[dict] = []
    if frame.empty:
        return shapes, notes
    flagged = frame[frame["series_break"].fillna(False).astype(bool)]
    rams_years = (
        frame.loc[frame["series"].fillna("").str.startswith("RAMS"), "year"]
        if "series" in frame
        else pd.Series(dtype=int)
    )
    for year in sorted({int(y) for y in flagged["year"]}):
        new = (
            set(flagged.loc[flagged["year"] == year, "series"].dropna())
            if "series" in flagged
            else set()
        )
        rams_to_bas = "BAS" in new and bool((rams_years < year).any())
        label = t("series_break", lang) if rams_to_bas else t("series_break_other", lang)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": year - 0.5,
                "x1": year - 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dash" if rams_to_bas else "dot", "color": GREY, "width": 1},
            }
        )
        notes.append(
            {
                "x": year - 0.5,
                "y": 1.0 if rams_to_bas else 0.0,
                "xref": "x",
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#555"},
            }
        )
    years = frame["year"]
    noise_from = noise_from_year()  # seeds/sources.csv
    if noise_from and len(years) and years.max() >= noise_from:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": noise_from - 0.5,
                "x1": float(years.max()) + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#f2f2f2",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "x": noise_from - 0.5,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "text": t("ckm", lang),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#555"},
            }
        )
    return shapes, notes


def _point_hover(
    area: str, group: Group, r: dict, decimals: int, unit: str, lang: str, threshold: int
) -> str:
    lines = [
        f"<b>{area}</b> · {text.group_label(group, lang)}",
        f"{int(r['year'])}: {fmt_value(r['value'], decimals, unit, lang)}",
    ]
    counts = _counts(r.get("numerator"), r.get("denominator"), lang)
    if counts:
        lines.append(counts)
    if r.get("series"):
        lines.append(str(r["series"]))
    lines.extend(_flags(r, lang, threshold))
    return "<br>".join(lines)


def _axis_names(row: int) -> tuple[str, str]:
    return ("x" if row == 1 else f"x{row}"), ("y" if row == 1 else f"y{row}")


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
    """Lines over years per group (split by series), one panel per area, the gap shaded and labelled."""
    rows = max(len(areas), 1)
    gapv = 0.09 if rows > 1 else 0.0
    span = (1 - gapv * (rows - 1)) / rows
    data: list[dict] = []
    annotations: list[dict] = []
    lay = layout(lang, title, height=max(420, 290 * rows + 130))
    seen: set[str] = set()
    gap_recs = _by(_records(gaps), "area_code") if len(gaps) else {}
    obs_recs = _by(_records(obs), "area_code", "group") if len(obs) else {}
    all_years = sorted({int(y) for y in obs["year"]}) if len(obs) else []
    for i, area in enumerate(areas, start=1):
        xa, ya = _axis_names(i)
        top = 1 - (i - 1) * (span + gapv)
        lay["xaxis" if i == 1 else f"xaxis{i}"] = {
            "anchor": ya,
            **year_axis(all_years),
            **({"matches": "x"} if i > 1 else {}),
        }
        lay["yaxis" if i == 1 else f"yaxis{i}"] = {
            "domain": [max(top - span, 0), top],
            "anchor": xa,
            "title": {"text": indicator_label + (" (%)" if unit == "percent" else "")},
        }
        if rows > 1:
            annotations.append(
                {
                    "text": f"<b>{names.get(area, area)}</b>",
                    "x": 0,
                    "y": top,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                }
            )
        both = [
            r
            for r in gap_recs.get((area,), [])
            if r["value_0"] is not None and r["value_1"] is not None
        ]
        for seg in segments(both):
            common = {
                "type": "scatter",
                "x": _arr([r["year"] for r in seg]),
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "xaxis": xa,
                "yaxis": ya,
            }
            data.append({**common, "y": _arr(_round([r["value_1"] for r in seg]))})
            data.append(
                {
                    **common,
                    "y": _arr(_round([r["value_0"] for r in seg])),
                    "fill": "tonexty",
                    "fillcolor": SHADE,
                }
            )
        if both:
            last = both[-1]
            annotations.append(
                {
                    "x": int(last["year"]),
                    "y": (last["value_0"] + last["value_1"]) / 2,
                    "xref": xa,
                    "yref": ya,
                    "text": f"<b>{fmt_pp(last['gap'], lang)}</b>",
                    "showarrow": False,
                    # inside the plot, left of the last year, on a light box over the shading:
                    # needs no axis range or margin (on a phone the margin sat under the tool bar)
                    "xanchor": "right",
                    "xshift": -8,
                    "bgcolor": "rgba(255, 255, 255, 0.8)",
                    "font": {"size": 12, "color": "#8a3b00"},
                }
            )
        for group in groups:
            colour = BIRTH_COLOURS.get(group.birth_region, "#333333")
            for recs in segments(obs_recs.get((area, group.key), [])):
                data.append(
                    {
                        "type": "scatter",
                        "x": _arr([r["year"] for r in recs]),
                        "y": _arr(_round([r["value"] for r in recs])),
                        "mode": "lines+markers",
                        "name": text.group_label(group, lang),
                        "legendgroup": group.key,
                        "showlegend": group.key not in seen,
                        "xaxis": xa,
                        "yaxis": ya,
                        "connectgaps": False,
                        "line": {"color": colour, "dash": SEX_DASH[group.sex], "width": 2.2},
                        "marker": {
                            "size": 7,
                            "color": colour,
                            "symbol": _arr(
                                [
                                    SEX_SYMBOL[group.sex] + ("-open" if r.get("small") else "")
                                    for r in recs
                                ]
                            ),
                        },
                        "text": _arr(
                            [
                                _point_hover(
                                    names.get(area, area), group, r, decimals, unit, lang, threshold
                                )
                                for r in recs
                            ]
                        ),
                        "hovertemplate": "%{text}<extra></extra>",
                    }
                )
                seen.add(group.key)
    shapes, notes = _break_marks(obs, lang)
    lay["shapes"] = shapes
    lay["annotations"] = annotations + notes
    lay["legend"] = {
        "orientation": "h",
        "yanchor": "top",
        "y": -0.08 if rows > 1 else -0.15,
        "x": 0,
    }
    return go.Figure(data=data, layout=lay)


def gap_lines_figure(
    gaps: pd.DataFrame,
    *,
    areas: list[str],
    names: dict[str, str],
    lang: str,
    threshold: int,
    title: str = "",
) -> go.Figure:
    """The gap in pp over years, one line per area (split by series), with a zero line."""
    data = []
    by_area = _by(_records(gaps), "area_code") if len(gaps) else {}
    for i, area in enumerate(areas):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        known = [r for r in by_area.get((area,), []) if r["gap"] is not None]
        for j, recs in enumerate(segments(known)):
            data.append(
                {
                    "type": "scatter",
                    "x": _arr([r["year"] for r in recs]),
                    "y": _arr(_round([r["gap"] for r in recs])),
                    "mode": "lines+markers",
                    "name": names.get(area, area),
                    "legendgroup": area,
                    "showlegend": j == 0,
                    "line": {"color": colour, "width": 2.5},
                    "marker": {
                        "size": 7,
                        "symbol": _arr(
                            ["circle-open" if r.get("small") else "circle" for r in recs]
                        ),
                    },
                    "text": _arr(
                        [
                            f"<b>{names.get(area, area)}</b> · {int(r['year'])}<br>{t('gap', lang)}: {fmt_pp(r['gap'], lang)}"
                            + "".join(f"<br>{f}" for f in _flags(r, lang, threshold))
                            for r in recs
                        ]
                    ),
                    "hovertemplate": "%{text}<extra></extra>",
                }
            )
    lay = layout(lang, title, height=380)
    lay["xaxis"] = year_axis(sorted({int(y) for y in gaps["year"]}) if len(gaps) else [])
    lay["yaxis"] = {
        "title": {"text": t("gap_axis", lang)},
        "zeroline": True,
        "zerolinecolor": "#444",
    }
    shapes, notes = _break_marks(gaps, lang)
    lay["shapes"] = shapes
    lay["annotations"] = notes
    return go.Figure(data=data, layout=lay)


def dumbbell_height(n: int) -> int:
    """Height of the dumbbell for n municipalities (title, rows, axis and legend)."""
    return 210 + 28 * n


def spread(values: list[float], gap: float) -> list[float]:
    """Positions near `values`, in the same order, at least `gap` apart (labels that do not overlap).

    Overlapping neighbours are merged into runs spaced `gap` apart and centred where their values
    are on average (least total displacement for a run), until no two runs overlap.
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    runs: list[list[int]] = []  # indices into order
    starts: list[float] = []
    for k, i in enumerate(order):
        runs.append([k])
        starts.append(values[i])
        while len(runs) > 1 and starts[-2] + gap * len(runs[-2]) > starts[-1] + 1e-12:
            merged = runs[-2] + runs[-1]
            runs[-2:] = [merged]
            first = merged[0]
            start = sum(values[order[j]] - gap * (j - first) for j in merged) / len(merged)
            starts[-2:] = [start]
    out = [0.0] * len(values)
    for run, start in zip(runs, starts, strict=True):
        for j in run:
            out[order[j]] = start + gap * (j - run[0])
    return out


SLOPE_LABEL_PX = 15  # vertical room one slope-chart label needs (12 px font)


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
    recs = _records(frame.reset_index(drop=True))
    labels = [f"<b>{r['area']}</b>" if r["area_code"] == selected else r["area"] for r in recs]
    xs: list = []
    ys: list = []
    for lab, r in zip(labels, recs, strict=True):
        if r.get("value_0") is not None and r.get("value_1") is not None:
            xs += [r["value_1"], r["value_0"], None]
            ys += [lab, lab, None]
    data: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "hoverinfo": "skip",
            "showlegend": False,
            "line": {"color": "#bbbbbb", "width": 3},
        }
    ]
    for i, group, symbol in ((1, gap.b, "circle"), (0, gap.a, "diamond")):
        has = [k for k, r in enumerate(recs) if r.get(f"value_{i}") is not None]
        hover = []
        for k in has:
            r = recs[k]
            h = [
                f"<b>{r['area']}</b> · {int(r['year'])}",
                f"{text.group_label(group, lang)}: {fmt_value(r[f'value_{i}'], decimals, unit, lang)}",
            ]
            counts = _counts(r.get(f"numerator_{i}"), r.get(f"denominator_{i}"), lang)
            if counts:
                h.append(counts)
            if r.get("gap") is not None:
                h.append(f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}")
            if r.get("rank") is not None:
                h.append(t("rank", lang, rank=int(r["rank"]), n=stats.get("n", len(recs))))
            hover.append("<br>".join(h + _flags(r, lang, threshold)))
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": text.group_label(group, lang),
                "x": [round(recs[k][f"value_{i}"], 2) for k in has],
                "y": [labels[k] for k in has],
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "color": BIRTH_COLOURS.get(group.birth_region, "#333"),
                    "size": [14 if recs[k]["area_code"] == selected else 10 for k in has],
                    "symbol": [symbol + ("-open" if recs[k].get("small") else "") for k in has],
                    "line": {
                        "width": [2 if recs[k]["area_code"] == selected else 0 for k in has],
                        "color": "#000",
                    },
                },
            }
        )
    missing = [k for k, r in enumerate(recs) if r.get("value_0") is None]
    if missing:
        known = [v for r in recs for v in (r.get("value_0"), r.get("value_1")) if v is not None]
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [min(known) if known else 0] * len(missing),
                "y": [labels[k] for k in missing],
                "textposition": "middle left",
                "hoverinfo": "skip",
                "text": [f".. {_status_text(recs[k]['status'], lang).lower()}" for k in missing],
                "showlegend": False,
            }
        )
    colour = BIRTH_COLOURS.get(gap.a.birth_region, "#333")
    for key, dash, label in (
        ("median_a", "dot", t("peer_median", lang)),
        ("wmean_a", "dash", t("peer_mean", lang)),
    ):
        value = stats.get(key)
        if value is not None and labels:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [value, value],
                    "y": [labels[0], labels[-1]],
                    "name": f"{label}: {fmt_value(value, decimals, unit, lang)}",
                    "hoverinfo": "name",
                    "line": {"dash": dash, "color": colour, "width": 1.5},
                }
            )
    lay = layout(lang, title, height=dumbbell_height(len(recs)))
    lay["yaxis"] = {
        "autorange": "reversed",
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
    }
    # a " %" tick suffix, not an axis title: the title sat on top of the legend below the axis
    lay["xaxis"] = {"ticksuffix": "\u00a0%" if unit == "percent" else ""}
    lay["legend"] = {**lay["legend"], "y": -0.06, "yanchor": "top"}
    if selected in [r["area_code"] for r in recs]:
        lab = labels[[r["area_code"] for r in recs].index(selected)]
        lay["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": lab,
                "y1": lab,
                "line": {"width": 16, "color": "rgba(255, 221, 87, 0.35)"},
                "layer": "below",
            }
        ]
    return go.Figure(data=data, layout=lay)


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
    threshold: int = 100,
) -> go.Figure:
    """Gap in year0 and year per peer (one trace for all peers); the selected one highlighted."""
    g0 = dict(zip(then["area_code"], then["gap"], strict=True))
    names = dict(zip(now["area_code"], now["area"], strict=True))
    flags = {
        c: now["area_code"][now[c].fillna(False).astype(bool)].tolist()
        for c in ("small", "synthetic")
        if c in now
    }
    flags = {
        c: set(v) | set(then["area_code"][then[c].fillna(False).astype(bool)])
        for c, v in flags.items()
        if c in then
    }
    pairs = [
        (code, g0.get(code), g1)
        for code, g1 in zip(now["area_code"], now["gap"], strict=True)
        if not _nan(g0.get(code)) and not _nan(g1)
    ]
    pairs.sort(key=lambda p: p[2])
    x0, x1 = str(year0), str(year)
    data = []
    for key in ("others", "selected"):
        part = [p for p in pairs if (p[0] == selected) == (key == "selected")]
        xs, ys, hovers = [], [], []
        for code, a, b in part:
            flag = {
                "small": code in flags.get("small", set()),
                "synthetic": code in flags.get("synthetic", set()),
            }
            hover = (
                f"<b>{names[code]}</b><br>{year0}: {fmt_pp(a, lang)}<br>{year}: {fmt_pp(b, lang)}"
                + "".join(f"<br>{f}" for f in _flags(flag, lang, threshold))
            )
            xs += [x0, x1, None]
            ys += [round(a, 2), round(b, 2), None]
            hovers += [hover, hover, ""]
        if not part:
            continue
        sel = key == "selected"
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines+markers",
                "hovertext": hovers,
                "hoverinfo": "text",
                "showlegend": False,
                "name": names[part[0][0]] if sel else t("peers_trace", lang),
                "cliponaxis": False,
                "line": {"color": OKABE_ITO[1] if sel else "#9a9a9a", "width": 4 if sel else 1.5},
                "marker": {"size": 9 if sel else 6},
            }
        )
    # Every line is named at its end; names that would overlap are nudged apart (SLOPE_LABEL_PX),
    # on a fixed y range so that the nudge in data units is known. Many peers → a taller chart.
    height = max(460, 160 + SLOPE_LABEL_PX * len(pairs))
    top = 60
    plot_px = height - top - 40  # minus the x tick labels and bottom margin
    values = [v for p in pairs for v in p[1:]]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    span = max(hi - lo, 1.0)
    shown = span * 1.1  # the y range drawn (data plus padding and any nudged label)
    for _ in range(3):  # the range grows when labels are pushed past the data: settle it
        unit_gap = SLOPE_LABEL_PX * shown / plot_px
        ends = spread([p[2] for p in pairs], unit_gap)
        y_lo = min([lo, *ends]) - 0.05 * span
        y_hi = max([hi, *ends]) + 0.05 * span
        shown = y_hi - y_lo
    labels = []
    for (code, _, end), y in zip(pairs, ends, strict=True):
        sel = code == selected
        label = {
            # a category axis places annotations by category index ("2024" would be read
            # as position 2024): the end year is the second category
            "x": 1 if x1 != x0 else 0,
            "y": round(y, 3),
            "xref": "x",
            "yref": "y",
            "text": f"<b>{names[code]}</b>" if sel else names[code],
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "middle",
            "xshift": 8,
            "font": {"size": 12, "color": OKABE_ITO[1] if sel else "#555"},
        }
        if abs(y - end) > 1e-3:  # nudged off its line: a leader line to the line's end
            label |= {
                "y": round(end, 3),
                "ax": label["x"] + 0.07,
                "ay": round(y, 3),
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 0.8,
                "arrowcolor": "#9a9a9a",
                "standoff": 3,
                "xshift": 0,
            }
        labels.append(label)
    lay = layout(lang, title, height=height, margin={"l": 10, "r": 120, "t": top, "b": 10})
    lay["yaxis"] = {
        "title": {"text": t("gap_axis", lang)},
        "zeroline": True,
        "zerolinecolor": "#444",
        "range": [round(y_lo, 3), round(y_hi, 3)],
    }
    lay["annotations"] = labels
    lay["xaxis"] = {"type": "category", "range": [-0.15, 1.15]}
    if series_differ:
        lay["annotations"] += [
            {
                "x": 0.5,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "yanchor": "bottom",
                "text": f"⚠ {t('series_break', lang)}",
                "font": {"size": 11, "color": "#8a3b00"},
            }
        ]
    return go.Figure(data=data, layout=lay)


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
    recs = _records(plotted)
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
                f"<b>{r['area']}</b> · {int(r['year'])}",
                f"{x_label}: {fmt_value(r['x_value'], x_decimals, x_unit, lang)}",
                f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}",
                f"{text.group_label(gap.a, lang)}: {fmt_value(r.get('value_0'), decimals, unit, lang)}",
                f"{text.group_label(gap.b, lang)}: {fmt_value(r.get('value_1'), decimals, unit, lang)}",
            ]
            if r.get("population") is not None:
                h.append(f"{t('population', lang)}: {fmt_count(r['population'], lang)}")
            hover.append("<br>".join(h + _flags(r, lang, threshold)))
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text" if key == "selected" else "markers",
                "name": name,
                "x": _round([r["x_value"] for r in sub], 3),
                "y": _round([r["gap"] for r in sub]),
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
    lay["xaxis"] = {"title": {"text": x_label + (" (%)" if x_unit == "percent" else "")}}
    lay["yaxis"] = {"title": {"text": wrap(y_label, 36)}, "zeroline": True, "zerolinecolor": "#444"}
    return go.Figure(data=data, layout=lay)
