"""The table every export format writes: the shown table with localised headers, counts as
integers, and a source column on every row."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import provenance
from dashboard.core.queries import Catalogue
from dashboard.core.text import t

COUNT_COLUMNS = ("numerator", "denominator", "population", "min_band_population")  # integers


def export_table(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str
) -> pd.DataFrame:
    """The shown table with localised headers, counts as integers and a source column per row."""
    frame = table.copy()
    for col in frame.columns:
        if col.startswith(COUNT_COLUMNS):  # numbers even when the table holds them as objects
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round(0).astype("Int64")
    if "year" in frame and pd.api.types.is_numeric_dtype(frame["year"]):
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    if "area_code" in frame and "year" in frame:
        rows = provenance.row_sources(state, cat, lang)
        key = frame[["area_code", "year"]].astype({"year": "Int64"})
        merged = key.merge(rows.astype({"year": "Int64"}), on=["area_code", "year"], how="left")[
            "source"
        ]
        frame["source"] = merged.fillna("").to_numpy()
    else:
        frame["source"] = provenance.source_line(provenance.view_sources(state, cat), lang)
    names = {**headers, "source": t("prov.column", lang)}
    cols = [c for c in frame.columns if c != "synthetic"] + (
        ["synthetic"] if "synthetic" in frame else []
    )
    return frame[cols].rename(columns={c: names.get(c, c) for c in cols})
