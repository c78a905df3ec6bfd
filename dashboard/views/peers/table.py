"""The Peers view's table: one row per peer, both groups, the gap now and in the start year."""

from __future__ import annotations

import pandas as pd

from dashboard.core.queries import Catalogue
from dashboard.core.tables import (
    Table,
    common_columns,
    group_headers,
    headers_of,
    provenance_columns,
    rounded,
)
from dashboard.core.text import t
from dashboard.views.peers.data import PeersData


def peers_table(data: PeersData, cat: Catalogue, lang: str, year0: int, decimals: int = 1) -> Table:
    """One row per peer: rank, both groups, gap now and in the slope start year."""
    groups = [data.gap.a, data.gap.b]
    cols = [
        "rank",
        "area_code",
        "area",
        "year",
        "value_0",
        "value_1",
        "gap_pp",
        "gap0_pp",
        "denominator_0",
        "denominator_1",
        "status",
        "small",
        "synthetic",
        "provenance_0",
        "provenance_1",
        "provenance",
    ]
    if data.frame.empty:
        return pd.DataFrame(columns=cols), headers_of(cols, lang, group_headers(groups, lang))
    f = data.frame.copy()
    then = data.frame0[["area_code", "gap"]].rename(columns={"gap": "gap0"})
    f = f.merge(then, on="area_code", how="left")
    for c in ("value_0", "value_1"):
        f[c] = rounded(f[c], decimals)
    for c in ("denominator_0", "denominator_1"):
        f[c] = rounded(f[c], 0) if c in f else None
    f["gap_pp"] = rounded(f["gap"], 1)
    f["gap0_pp"] = rounded(f["gap0"], 1)
    f["rank"] = f["rank"].astype("Int64")
    provenance_columns(f, 2)
    f = common_columns(f, cat, lang)
    extra = group_headers(groups, lang)
    year = int(f["year"].max()) if f["year"].notna().any() else ""
    extra["gap_pp"] = (
        f"{t('gap', lang)} {year} ({t('pp', lang)})"  # two gap columns: name the years
    )
    extra["gap0_pp"] = f"{t('gap', lang)} {year0} ({t('pp', lang)})"
    return f[cols], headers_of(cols, lang, extra)
