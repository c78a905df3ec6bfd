"""The Map's focus (zoom) on a county or LA region: its municipalities, their names on the map, the
ranked bars with the county and country values beside them."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import queries, theme
from dashboard.core.frames import gap_frame, small_threshold, value_frame
from dashboard.core.gaps import Gap, Group
from dashboard.core.queries import Catalogue
from dashboard.core.references import COUNTRY, REF_COLOURS, REF_DASH
from dashboard.core.text import NumberFormat, area_label, no_data, t
from dashboard.views.map.data import MapData

log = logging.getLogger(__name__)

FOCUS_LEVELS = ("county", "la_region")
BAR_PX = 22  # height per bar in the ranked chart


def focus_options(cat: Catalogue, lang: str) -> list[dict]:
    """Dropdown options: counties, then LA regions (labelled as such)."""
    out = []
    for level in FOCUS_LEVELS:
        prefix = "" if level == "county" else t("focus.la_prefix", lang)
        out += [{"value": c, "label": area_label(cat.area_name(c, lang), level, prefix, prefix=True)}
                for c in cat.codes(level)]  # fmt: skip
    return out


def members(cat: Catalogue, focus: str | None) -> list[str]:
    """The municipalities of a county or LA region (empty for no focus)."""
    level = cat.area_level(focus) if focus else None
    if level not in FOCUS_LEVELS:
        return []
    column = "county_code" if level == "county" else "la_code"
    areas = cat.areas[(cat.areas["level"] == "municipality") & (cat.areas[column] == focus)]
    return sorted(areas.index.astype(str))


def applies(state: Any, cat: Catalogue) -> bool:
    """Whether a map state has a focus that restricts it (municipality level only)."""
    focus = getattr(state, "focus", None)
    return bool(focus) and state.level == "municipality" and bool(members(cat, focus))


def restrict(data: MapData, state: Any, cat: Catalogue) -> MapData:
    """The map data of the focus's municipalities only."""
    if not applies(state, cat):
        return data
    keep = set(members(cat, state.focus))
    frame = data.frame[data.frame["area_code"].isin(keep)].reset_index(drop=True)
    reason = data.empty_reason
    if reason is None and (frame.empty or (frame["status"] != "ok").all()):
        reason = "no_data"
    return replace(data, frame=frame, empty_reason=reason)


def view_box(
    shapes: Any, codes: list[str]
) -> tuple[dict[str, tuple[float, float]], tuple[float, float, float, float] | None]:
    """Label points and bounds of the given areas (their shapes' bounding box)."""
    wanted = set(codes)
    xs: list[float] = []
    ys: list[float] = []
    size: dict[str, float] = {}
    for feature in shapes.geojson.get("features", []):
        if feature.get("id") in wanted:
            coords = np.asarray(_flatten(feature["geometry"]["coordinates"]), dtype=float)
            if coords.size:
                xs += [float(coords[:, 0].min()), float(coords[:, 0].max())]
                ys += [float(coords[:, 1].min()), float(coords[:, 1].max())]
                size[feature["id"]] = float(np.ptp(coords[:, 0]) * np.ptp(coords[:, 1]))
    bounds = (min(xs), min(ys), max(xs), max(ys)) if xs else shapes.bounds
    # the largest areas first: add_names labels them first when labels would overlap
    order = sorted((c for c in shapes.points if c in wanted), key=lambda c: -size.get(c, 0.0))
    return {c: shapes.points[c] for c in order}, bounds


def _flatten(coords: Any) -> list:
    if coords and isinstance(coords[0], int | float):
        return [coords]
    out: list = []
    for c in coords:
        out += _flatten(c)
    return out


def add_names(
    fig: go.Figure, points: dict[str, tuple[float, float]], names: dict[str, str]
) -> None:
    """Municipality names on the focused map (readable: dark text with a white halo); where two
    names would overlap, the one of the larger area (earlier in `points`) is kept, the other is
    left to the hover."""
    codes = declutter(points, names, _ranges(fig, points))
    fig.add_trace(
        go.Scattergeo(
            lon=[points[c][0] for c in codes],
            lat=[points[c][1] for c in codes],
            text=[names.get(c, c) for c in codes],
            customdata=codes,
            mode="text",
            textfont={"size": 11, "color": "#1d1d1d", "shadow": "1px 1px 2px white"},
            hoverinfo="skip",
            showlegend=False,
            name="names",
        )
    )


LABEL_FONT_PX = 11


LABEL_MAP_PX = (400, 560)  # the map's drawing area, phone-sized so the names kept fit there too


def _ranges(fig: go.Figure, points: dict[str, tuple[float, float]]) -> tuple[float, ...]:
    """(lon0, lon1, lat0, lat1) the map shows: its axis ranges, else the points' extent."""
    geo = fig.layout.geo
    lon = geo.lonaxis.range if geo and geo.lonaxis and geo.lonaxis.range else None
    lat = geo.lataxis.range if geo and geo.lataxis and geo.lataxis.range else None
    if lon and lat:
        return (float(lon[0]), float(lon[1]), float(lat[0]), float(lat[1]))
    xs = [p[0] for p in points.values()] or [0.0, 1.0]
    ys = [p[1] for p in points.values()] or [0.0, 1.0]
    return (min(xs), max(xs), min(ys), max(ys))


def declutter(points: dict[str, tuple[float, float]], names: dict[str, str],
              ranges: tuple[float, ...], size_px: tuple[int, int] = LABEL_MAP_PX) -> list[str]:  # fmt: skip
    """The codes whose names fit without overlapping one placed before (in `points` order)."""
    lon0, lon1, lat0, lat1 = ranges
    mid = np.radians((lat0 + lat1) / 2)
    span_x = max((lon1 - lon0) * float(np.cos(mid)), 1e-9)  # mercator: lon shrinks with cos(lat)
    span_y = max(lat1 - lat0, 1e-9)
    scale = min(size_px[0] / span_x, size_px[1] / span_y)  # px per degree of latitude
    placed: list[tuple[float, float, float, float]] = []
    kept = []
    for code, (lon, lat) in points.items():
        x, y = lon * float(np.cos(mid)) * scale, lat * scale
        w = 0.6 * LABEL_FONT_PX * len(names.get(code, code)) + 4
        h = LABEL_FONT_PX + 3
        box = (x - w / 2, x + w / 2, y - h / 2, y + h / 2)
        if any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in placed):
            continue
        placed.append(box)
        kept.append(code)
    return kept


def references(
    cat: Catalogue, indicator: str, age: str, year: int, groups: list[Group], gap: Gap | None,
    county: str | None, lang: str,
) -> list[dict]:  # fmt: skip
    """[{kind, code, name, value}] for the county (or LA region) and the country in one year."""
    codes = [c for c in (county, COUNTRY) if c and cat.has_area(c)]
    if not codes:
        return []
    obs = queries.pivot(indicator, age, groups, area_codes=codes, years=[year])
    if obs.empty:
        return []
    threshold = small_threshold()
    if gap is not None:
        frame = gap_frame(obs, gap, threshold, pivoted=True)
        col = "gap"
    else:
        frame = value_frame(obs, groups[0], threshold, pivoted=True)
        col = "value_0"
    values = dict(zip(frame["area_code"].astype(str), frame[col], strict=True))
    out = []
    for code in codes:
        v = values.get(code)
        if v is None or pd.isna(v):
            continue
        kind = "country" if code == COUNTRY else "county"
        out.append(
            {"kind": kind, "code": code, "name": cat.area_name(code, lang), "value": float(v)}
        )
    return out


def ranked_figure(
    frame: pd.DataFrame, *, colour: str, refs: list[dict], selected: str | None,
    title: str, fmt: NumberFormat,
) -> go.Figure:  # fmt: skip
    """Horizontal bars of the focus's municipalities, largest gap (or highest value) on top."""
    lang = fmt.lang
    zcol = "gap" if colour == "gap" else "value_0"
    ok = frame[(frame["status"] == "ok") & frame[zcol].notna()].copy()
    # gap: the most negative (largest shortfall) first; value: the highest first
    ok = ok.sort_values(zcol, ascending=colour == "gap")
    shown = fmt.measure(colour)
    codes = ok["area_code"].astype(str).tolist()
    names = ok["area"].astype(str).tolist()
    values = [round(float(v), 2) for v in ok[zcol]]
    bar_colours = [theme.OKABE_ITO[1] if c == selected else "#7f9fbf" for c in codes]
    labels = [f"<b>{n}</b>" if c == selected else n for c, n in zip(codes, names, strict=True)]
    data: list[dict] = [
        {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": labels,
            "customdata": codes,
            "marker": {"color": bar_colours},
            "text": [shown(v) for v in values],
            "textposition": "inside",
            "insidetextanchor": "end",
            "textfont": {"color": "white", "size": 11},
            "hovertemplate": "%{y}: %{text}<extra></extra>",
            "showlegend": False,
            "name": t("focus.rank_trace", lang),
        }
    ]
    shapes, notes = [], []
    for i, r in enumerate(refs):
        colour_ = REF_COLOURS[r["kind"]]
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": r["value"],
                "x1": r["value"],
                "y0": 0,
                "y1": 1,
                "line": {"color": colour_, "dash": REF_DASH[r["kind"]], "width": 1.5},
            }
        )
        # a legend entry per reference line (names never collide with the bars)
        data.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "lines",
                "line": {"color": colour_, "dash": REF_DASH[r["kind"]], "width": 1.5},
                "name": f"{r['name']}: {shown(r['value'])}",
                "showlegend": True,
            }
        )
        del i
    height = 170 + BAR_PX * max(len(codes), 3)
    lay = theme.layout(lang, title, height=height)
    left = 8 * max((len(n) for n in names), default=8) + 20  # the names, without automargin
    lay["yaxis"] = {"autorange": "reversed", "automargin": False, "type": "category"}
    lay["xaxis"] = {
        "title": {"text": t("gap_axis", lang) if colour == "gap" else "%"},
        "zeroline": True,
        "zerolinecolor": "#444",
    }
    lay["shapes"] = shapes
    lay["annotations"] = notes
    lay["legend"] = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0}
    lay["bargap"] = 0.25
    lay["clickmode"] = "event"
    lay["margin"] = {**lay["margin"], "l": left, "r": 30, "b": 40 + 22 * len(refs)}
    # the stamp (exports.stamp) starts at the figure's left edge and wraps for a narrow card
    lay["meta"] = {"stamp_xshift": -(left - 6)}
    return go.Figure(data=data, layout=lay)


def ranked_summary(
    frame: pd.DataFrame, *, colour: str, refs: list[dict], focus_name: str, year: int,
    what: str, fmt: NumberFormat,
) -> str:  # fmt: skip
    """'2024, Stockholms län: largest gap in X (−25,1 pp), smallest in Y; county −20,3, country …'."""
    lang = fmt.lang
    zcol = "gap" if colour == "gap" else "value_0"
    ok = frame[(frame["status"] == "ok") & frame[zcol].notna()].sort_values(zcol)
    if ok.empty:
        return no_data(lang)
    shown = fmt.measure(colour)
    lo, hi = ok.iloc[0], ok.iloc[-1]
    key = "focus.summary_gap" if colour == "gap" else "focus.summary_value"
    s = t(
        key, lang, year=year, focus=focus_name, what=what, n=len(ok),
        lo_name=lo["area"], lo=shown(float(lo[zcol])), hi_name=hi["area"], hi=shown(float(hi[zcol])),
    )  # fmt: skip
    for r in refs:
        s += f"; {r['name']} {shown(r['value'])}"
    return s if s.endswith(".") else s + "."
