"""The Map view's choropleth: hover text, colour scales, frame fitted to the shapes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.hover import (
    arr,
    counts_text,
    provenance_lines,
    provenance_tag,
    rounded,
    status_text,
)
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, fmt_pp, t
from dashboard.core.theme import (
    MAP_HEIGHT,
    MISSING_FILL,
    MODEBAR_PX,
    SUPPRESSED_FILL,
    VALUE_SCALE,
    figure,
    layout,
    map_geo,
)
from dashboard.views.map.scale import gap_scale

COLOURBAR_STRIP = 0.11  # share of the map card's height under the map, for the colour bar


def map_hover(
    row: dict,
    *,
    colour: str,
    groups: list[Group],
    fmt: NumberFormat,
    indicator_label: str,
    band: str = "",
    _labels: dict | None = None,
) -> str:
    """Hover text of one area: value(s), the counts behind them, year, flags."""
    lang = fmt.lang
    lab = _labels or _hover_labels(groups, lang, fmt.threshold)
    lines = [f"<b>{row['area']}</b> · {int(row['year'])}" + (f" · {band}" if band else "")]
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
            fmt.value(row.get(f"value_{i}"))
            if s == "ok"
            else lab[s if s == "suppressed" else "missing"]
        )
        counts = counts_text(row.get(f"numerator_{i}"), row.get(f"denominator_{i}"), lang)
        tag = provenance_tag(row.get(f"provenance_{i}"), lang) if s == "ok" else ""
        lines.append(f"{lab[i]}: {shown}" + (f" ({counts})" if counts else "") + tag)
    if row.get("small") is True:
        lines.append(lab["small"])
    if row.get("synthetic") is True:
        lines.append(lab["synthetic"])
    lines.extend(provenance_lines(row.get("provenance"), lang))
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
    fmt: NumberFormat,
    selected: str | None = None,
    title: str = "",
    zrange: tuple[float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    zoomed: bool = False,
    band: str = "",
) -> go.Figure:
    """Choropleth of one year: gap (diverging, centred on 0) or value; suppressed/missing apart.

    geojson is a URL (fetched once and cached by the browser) or a FeatureCollection whose feature
    ids are area codes; points are label points used for the small-numbers markers.
    """
    lang, threshold = fmt.lang, fmt.threshold
    frame = frame[frame["area_code"].isin(points)] if points else frame
    rows = records(frame)
    kw = {
        "colour": colour,
        "groups": groups,
        "fmt": fmt,
        "indicator_label": indicator_label,
        "band": band,  # every hover names the age band (issue 22)
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
                "width": arr([2.5 if r["area_code"] == selected else 0.4 for r in part]),
                "color": arr(
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
            fitted = gap_scale(z, zrange)  # diverging only when values fall on both sides of 0
            scale = fitted.plotly()
            bar = fitted.title(lang)
        else:
            scale = {"colorscale": VALUE_SCALE}
            if zrange:
                scale |= {"zmin": zrange[0], "zmax": zrange[1]}
            bar = "%" if fmt.unit == "percent" else ""
        data.append(
            {
                **base,
                **scale,
                "locations": arr([r["area_code"] for r in ok]),
                "z": arr(rounded(z)),
                "text": arr([r["hover"] for r in ok]),
                "name": indicator_label,
                "showlegend": False,
                "marker": outline(ok),
                "colorbar": {
                    # horizontal, under the map: at the side it covered the map on a 390 px phone
                    "title": {"text": bar, "side": "top"},
                    "orientation": "h",
                    "thickness": 12,
                    "len": 0.8,
                    "x": 0.5,
                    "xanchor": "center",
                    "y": 0.0,
                    "yanchor": "bottom",
                    "ypad": 2,
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
                    "locations": arr([r["area_code"] for r in part]),
                    "z": [0] * len(part),
                    "text": arr([r["hover"] for r in part]),
                    "colorscale": [[0, fill], [1, fill]],
                    "showscale": False,
                    "showlegend": True,
                    "name": status_text(status, lang),
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
    # the right margin keeps the vertical tool bar off the map, the title and the permalink
    lay["margin"] = {**lay["margin"], "l": 0, "r": MODEBAR_PX, "b": 4}
    lay["geo"]["domain"] = {"x": [0, 1], "y": [COLOURBAR_STRIP, 1]}  # the colour bar below
    if zoomed:  # the bounds (a selected area and its neighbours), not every location drawn
        lay["geo"]["fitbounds"] = False
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
    return figure(data, lay)
