"""The Map view's table: one row per area of the map (also what its downloads write)."""

from __future__ import annotations

from dashboard.core.queries import Catalogue
from dashboard.core.tables import (
    Table,
    common_columns,
    group_headers,
    headers_of,
    provenance_columns,
    rounded,
)
from dashboard.views.map.data import MapData


def map_table(data: MapData, cat: Catalogue, lang: str, decimals: int = 1) -> Table:
    """One row per area of the map."""
    f = data.frame.copy()
    n = len(data.groups)
    cols = ["area_code", "area", "year"]
    for i in range(n):
        for c in ("value", "numerator", "denominator"):
            key = f"{c}_{i}"
            f[key] = rounded(f[key], decimals if c == "value" else 0) if key in f else None
            cols.append(key)
    if n == 2:
        f["gap_pp"] = rounded(f["gap"], 1) if "gap" in f else None
        cols.insert(3, "gap_pp")
    f = common_columns(f, cat, lang)
    cols += ["status", "small", "synthetic", *provenance_columns(f, n)]
    return f[cols], headers_of(cols, lang, group_headers(data.groups, lang))
