"""The planner's county view: map focus on a county or LA region, its ranked municipalities, and the
county and country reference values (also used as reference lines on Trends and Peers).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import facts as views
from dashboard.core import queries, theme
from dashboard.core.gaps import GAPS, Gap, Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import NumberFormat, area_label, no_data, t

log = logging.getLogger(__name__)

FOCUS_LEVELS = ("county", "la_region")
COUNTRY = "00"
REF_COLOURS = {"county": "#009E73", "country": "#000000"}
REF_DASH = {"county": "dash", "country": "dot"}
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


def county_of(cat: Catalogue, code: str) -> str | None:
    """The county an area lies in (itself for a county, None for the country or unknown)."""
    if not cat.has_area(code):
        return None
    level = cat.area_level(code)
    if level == "county":
        return code
    value = cat.areas.at[code, "county_code"]
    if isinstance(value, str) and value:
        return value
    if level in ("municipality", "regso", "la_region"):
        return code[:2] if code[:2].isdigit() and cat.has_area(code[:2], "county") else None
    return None


def applies(state: Any, cat: Catalogue) -> bool:
    """Whether a map state has a focus that restricts it (municipality level only)."""
    focus = getattr(state, "focus", None)
    return bool(focus) and state.level == "municipality" and bool(members(cat, focus))


def restrict(data: views.MapData, state: Any, cat: Catalogue) -> views.MapData:
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


def _gap_or_value(obs: pd.DataFrame, state: Any, groups: list[Group], threshold: int) -> dict:
    if obs.empty:
        return {}
    if state.colour == "gap":
        frame = views.gap_frame(obs, GAPS[state.gap], threshold, pivoted=True)
        col = "gap"
    else:
        frame = views.value_frame(obs, groups[0], threshold, pivoted=True)
        col = "value_0"
    return {
        str(r.area_code): float(getattr(r, col))
        for r in frame.itertuples()
        if getattr(r, col) is not None and not pd.isna(getattr(r, col))
    }


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
    threshold = views.small_threshold()
    if gap is not None:
        frame = views.gap_frame(obs, gap, threshold, pivoted=True)
        col = "gap"
    else:
        frame = views.value_frame(obs, groups[0], threshold, pivoted=True)
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


def reference_series(
    cat: Catalogue, indicator: str, age: str, gap: Gap, county: str | None, lang: str,
    years: list[int] | None = None,
) -> list[dict]:  # fmt: skip
    """[{kind, code, name, years, values}]: the gap over years for the county and the country."""
    codes = [c for c in (county, COUNTRY) if c and cat.has_area(c)]
    if not codes:
        return []
    obs = queries.pivot(indicator, age, [gap.a, gap.b], area_codes=codes, years=years)
    if obs.empty:
        return []
    frame = views.gap_frame(obs, gap, views.small_threshold(), pivoted=True)
    frame = frame[frame["gap"].notna()].sort_values("year")
    out = []
    for code in codes:
        part = frame[frame["area_code"] == code]
        if part.empty:
            continue
        out.append(
            {
                "kind": "country" if code == COUNTRY else "county",
                "code": code,
                "name": cat.area_name(code, lang),
                "years": [int(y) for y in part["year"]],
                "values": [float(v) for v in part["gap"]],
                "series": list(part["series"]),
            }
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


def add_reference_lines(
    fig: go.Figure | None, refs: list[dict], lang: str, x_values: dict[int, Any] | None = None
) -> None:
    """County and country gap lines (dashed/dotted, named in the legend) on a year chart.

    x_values maps a year to its x position (the slope chart's category axis uses strings); each
    series (RAMS, BAS) is its own trace, so the two are never joined.
    """
    if fig is None:
        return
    for r in refs:
        runs: list[list[tuple[Any, float]]] = []
        last: Any = object()
        for year, value, series in zip(r["years"], r["values"], r["series"], strict=True):
            if x_values is not None and year not in x_values:
                continue
            if series != last or not runs:
                runs.append([])
            runs[-1].append((x_values[year] if x_values is not None else year, round(value, 2)))
            last = series
        name = r["name"]
        for i, run in enumerate(runs):
            fig.add_trace(
                go.Scatter(
                    x=[x for x, _ in run],
                    y=[y for _, y in run],
                    # a lone point of a series (the slope chart's two years across a break)
                    # is drawn as a marker: a legend entry always has something drawn
                    mode="lines" if len(run) > 1 else "markers",
                    marker={"color": REF_COLOURS[r["kind"]], "size": 9, "symbol": "diamond"},
                    name=name,
                    line={
                        "color": REF_COLOURS[r["kind"]],
                        "dash": REF_DASH[r["kind"]],
                        "width": 1.8,
                    },
                    hovertemplate=f"{name} %{{x}}: %{{y:.1f}}<extra></extra>",
                    showlegend=i == 0,
                    legendgroup=f"ref-{r['kind']}",
                )
            )
    if x_values is None:
        label_series_ends(fig, [(r["name"], _runs(r)[-1]) for r in refs if r["years"]], lang)
        for r in refs:
            mark_reference_breaks(fig, r["name"], [run[0][0] for run in _runs(r)[1:]], lang)


def mark_reference_breaks(fig: go.Figure, name: str, starts: list[int], lang: str) -> None:
    """A labelled dotted line at each break of a reference line the chart does not mark yet."""
    marked = {round(float(s.x0), 1) for s in fig.layout.shapes or () if s.type == "line"}
    for year in starts:
        if round(year - 0.5, 1) in marked:
            continue
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=year - 0.5, x1=year - 0.5, y0=0, y1=1,
            line={"dash": "dot", "color": theme.GREY, "width": 1},
        )  # fmt: skip
        fig.add_annotation(
            x=year - 0.5, y=0, xref="x", yref="paper", showarrow=False, xanchor="right",
            yanchor="bottom", font={"size": 11, "color": "#555"},
            text=f"{t('series_break_other', lang)} {year - 1}/{str(year)[-2:]} ({name})",
        )  # fmt: skip
        marked.add(round(year - 0.5, 1))


def _runs(ref: dict) -> list[list[tuple[int, float]]]:
    """A reference series' (year, value) runs, one per series."""
    runs: list[list[tuple[int, float]]] = []
    last: Any = object()
    for year, value, series in zip(ref["years"], ref["values"], ref["series"], strict=True):
        if series != last or not runs:
            runs.append([])
        runs[-1].append((year, value))
        last = series
    return runs


def label_series_ends(fig: go.Figure, runs: list[tuple[str, list]], lang: str) -> None:
    """'Riket: ends 2003' at the last point of every line that stops before the chart's last year
    (an end at a break is named by the break's own label)."""
    years = [x for tr in fig.data for x in (tr.x or ()) if isinstance(x, int | float)]
    if not years:
        return
    latest = max(years)
    for name, run in runs:
        if not run or run[-1][0] >= latest:
            continue
        end_year, end_value = run[-1]
        fig.add_annotation(
            x=end_year, y=round(float(end_value), 2), xref="x", yref="y",
            text=f"{name}: {t('series_ends', lang, year=int(end_year))}", showarrow=True,
            arrowhead=0, ax=18, ay=-18, font={"size": 11, "color": "#555"},
        )  # fmt: skip
