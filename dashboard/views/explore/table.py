"""The Explore view's table: one row per municipality, its x value, gap and both groups."""

from __future__ import annotations

import pandas as pd

from dashboard.core.gaps import Gap
from dashboard.core.queries import Catalogue
from dashboard.core.tables import (
    Table,
    common_columns,
    group_headers,
    headers_of,
    provenance_columns,
    rounded,
    yes_no,
)
from dashboard.core.text import column


def explore_table(
    frame: pd.DataFrame, gap: Gap, cat: Catalogue, lang: str, x_label: str, decimals: int = 1
) -> Table:
    """One row per municipality (Explore's frame): x value, gap, both groups, population, peer flag."""
    cols = [
        "area_code",
        "area",
        "year",
        "x_value",
        "gap_pp",
        "value_0",
        "value_1",
        "population",
        "peer",
        "status",
        "small",
        "synthetic",
        "provenance_0",
        "provenance_1",
        "provenance",
        "x_provenance",
    ]
    f = frame.copy()
    if f.empty:
        return pd.DataFrame(columns=cols), headers_of(
            cols, lang, group_headers([gap.a, gap.b], lang)
        )
    f["year"] = f["year"].astype("Int64") if "year" in f else None
    f["x_value"] = rounded(f["x_value"], 2)
    f["gap_pp"] = rounded(f["gap"], 1)
    for c in ("value_0", "value_1"):
        f[c] = rounded(f[c], decimals)
    f["population"] = rounded(f["population"], 0)
    f["peer"] = yes_no(f["peer"], lang)
    provenance_columns(f, 2)
    if "x_provenance" not in f:
        f["x_provenance"] = None
    f = common_columns(f, cat, lang).sort_values("area")
    extra = group_headers([gap.a, gap.b], lang)
    extra["x_value"] = x_label
    extra["x_provenance"] = f"{x_label}: {column('provenance', lang).lower()}"
    return f[cols].reset_index(drop=True), headers_of(cols, lang, extra)
