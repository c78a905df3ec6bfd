"""The Map summary's sentence on the selected area: its value, its rank among the mapped areas and
its gap, and the zoom to it and its neighbours (issue 22: a click on the map must say what was chosen
and show it, not keep the national range)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.text import NumberFormat, fmt_pp, t
from dashboard.urlstate import href


def selected_sentence(
    frame: pd.DataFrame, area: str | None, *, colour: str, group: Group, fmt: NumberFormat,
    higher_is_better: bool,
) -> str:  # fmt: skip
    """'Botkyrka: foreign-born women 62.1 %, gap −18.2 pp; rank 45 of 290 (highest first). '"""
    if not area or frame.empty or area not in set(frame["area_code"]):
        return ""
    lang = fmt.lang
    row = frame[frame["area_code"] == area].iloc[0]
    zcol = "gap" if colour == "gap" else "value_0"
    parts = []
    if row.get("value_0") is not None and not pd.isna(row.get("value_0")):
        parts.append(f"{text.group_phrase(group, lang)} {fmt.value(float(row['value_0']))}")
    if colour == "gap" and not pd.isna(row.get("gap")):
        parts.append(f"{t('gap', lang).lower()} {fmt_pp(float(row['gap']), lang)}")
    known = frame[frame[zcol].notna()]
    if pd.isna(row.get(zcol)) or known.empty:
        return f"{row['area']}: {t('map.selected_missing', lang)}. "
    descending = colour == "gap" or higher_is_better
    better = known[zcol] > row[zcol] if descending else known[zcol] < row[zcol]
    rank = t("rank", lang, rank=int(better.sum()) + 1, n=len(known))
    order = t("rank.high_first" if descending else "rank.low_first", lang)
    return f"{row['area']}: {', '.join(parts)}; {rank} ({order}). "


NEIGHBOUR_MARGIN = (
    0.15  # share of the selected area's size within which another area counts as near
)


def _lonlat(coords: Any) -> list:
    """A GeoJSON geometry's nested coordinates as one list of (lon, lat) pairs."""
    if coords and isinstance(coords[0], int | float):
        return [coords[:2]]
    return [p for c in coords for p in _lonlat(c)]


def _boxes(shapes: Any, codes: set[str]) -> dict[str, tuple[float, float, float, float]]:
    """Bounding box (lon0, lat0, lon1, lat1) of each wanted feature."""
    out = {}
    for feature in shapes.geojson.get("features", []):
        if feature.get("id") in codes:
            coords = np.asarray(_lonlat(feature["geometry"]["coordinates"]), dtype=float)
            if coords.size:
                lo, hi = coords.min(axis=0), coords.max(axis=0)
                out[feature["id"]] = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
    return out


def zoom_codes(shapes: Any, area: str | None, shown: list[str]) -> list[str]:
    """The selected area and its neighbours (shapes whose box touches its box), for the zoom."""
    if not area or area not in shown:
        return []
    boxes = _boxes(shapes, set(shown))
    if area not in boxes:
        return []
    x0, y0, x1, y1 = boxes[area]
    mx, my = (x1 - x0) * NEIGHBOUR_MARGIN, (y1 - y0) * NEIGHBOUR_MARGIN
    x0, y0, x1, y1 = x0 - mx, y0 - my, x1 + mx, y1 + my
    near = [
        c
        for c, (a0, b0, a1, b1) in boxes.items()
        if a0 <= x1 and a1 >= x0 and b0 <= y1 and b1 >= y0
    ]
    return sorted(set(near) | {area})


def whole_map_href(state: Any, lang: str) -> str:
    """The same map without the selected area: the way back from the zoom to the whole map."""
    return href("map", {**state.to_query(), "area": None}, lang)
