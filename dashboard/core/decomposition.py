"""The gap decomposition's reads (mart.gap_decomposition, built by etl/decompose.py): which gaps and
years it covers, its rows with the areas' names; what the Explain page and the Map's decomposed
colours share."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from dashboard.core import db, queries
from dashboard.core.gaps import GAPS
from dashboard.core.sqlwhere import Rows
from etl.decompose import INDICATOR

log = logging.getLogger(__name__)

COLOURS = ("standardised", "local")
COLOUR_COLUMN = {"standardised": "standardised_gap", "local": "local_difference"}
MAP_LEVELS = ("municipality", "county", "la_region")
AGE = "20-64"  # the decomposition's total age (seeds/age_bands.csv total_age)


@queries.cached
def coverage() -> pd.DataFrame:
    """Gaps and years present in mart.gap_decomposition."""
    return db.query("SELECT DISTINCT gap, year FROM mart.gap_decomposition ORDER BY gap, year")


def available_gaps() -> list[str]:
    """Gap presets that have a decomposition, in the presets' order."""
    have = set(coverage()["gap"])
    return [g for g in GAPS if g in have]


def available_years() -> list[int]:
    """Years with a decomposition."""
    return sorted({int(y) for y in coverage()["year"]})


@queries.cached
def decomposition(gap: str, *, year: int | None = None, areas: tuple[str, ...] | None = None,
                  level: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Rows of mart.gap_decomposition with the area's level and names."""
    params: dict[str, Any] = {"gap": gap}
    rows = Rows(areas, level, years=None if year is None else (year,))
    where = ["g.gap = $gap", *rows.where(params, rows="g.")]
    sql = (
        "SELECT g.*, a.level, a.name_sv, a.name_en FROM mart.gap_decomposition g "
        "JOIN mart.area a USING (area_code) WHERE "
        + " AND ".join(where)
        + " ORDER BY g.area_code, g.year"
    )
    return db.query(sql, params)


def with_names(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows with their area's name in the language (column 'area')."""
    return frame.assign(area=frame[f"name_{lang}"])


def applies(indicator: str, age: str, level: str) -> bool:
    """True when a map of the indicator, age and level can be coloured by the decomposition
    (employment rate 20–64, a level the decomposition covers, a warehouse that holds it)."""
    if indicator != INDICATOR or age != AGE or level not in MAP_LEVELS:
        return False
    try:
        return bool(available_gaps())
    except Exception:  # no gap_decomposition table (an old warehouse)
        log.info("no mart.gap_decomposition: the map offers gap and value only")
        return False


def years(gap: str) -> list[int]:
    """Years with a decomposition of the gap."""
    cov = coverage()
    return sorted({int(y) for y in cov.year[cov.gap == gap]})
