"""The Trends view's table: one row per area, year and group, plus the gap rows."""

from __future__ import annotations

import pandas as pd

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.tables import (
    Table,
    common_columns,
    headers_of,
    rounded,
)
from dashboard.core.text import t
from dashboard.views.trends.data import TrendsData


def trends_table(data: TrendsData, cat: Catalogue, lang: str, decimals: int = 1) -> Table:
    """Long table: one row per area, year and group, plus the gap rows."""
    cols = [
        "area_code",
        "area",
        "year",
        "group",
        "value",
        "numerator",
        "denominator",
        "status",
        "series",
        "small",
        "synthetic",
        "provenance",
    ]
    if data.obs.empty:
        return pd.DataFrame(columns=cols), headers_of(cols, lang, {})
    f = data.obs.copy()
    if "provenance" not in f:  # rows read from a warehouse built before the column existed
        f["provenance"] = None
    f["area"] = [cat.area_name(c, lang) for c in f["area_code"]]
    f["group"] = [text.group_label(Group.parse(k), lang) for k in f["group"]]
    f["value"] = rounded(f["value"], decimals)
    g = data.gaps.copy()
    if len(g):
        g = g.assign(
            area=[cat.area_name(c, lang) for c in g["area_code"]],
            group=f"{t('gap', lang)}: {text.gap_label(data.gap, lang)} ({t('pp', lang)})",
            value=rounded(g["gap"], 1),
            numerator=None,
            denominator=g["population"],
        )
        f = pd.concat([f, g[[c for c in cols if c in g.columns]]], ignore_index=True)
    f = common_columns(f, cat, lang).sort_values(["area_code", "group", "year"])
    return f[cols].reset_index(drop=True), headers_of(cols, lang, {})
