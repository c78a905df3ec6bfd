"""Fast read paths over the build's precomputed tables (mart.gap_wide, mart.coverage).

Both are optional: a warehouse built before they existed is read the long way (queries.py), so an
old file keeps working until the next refresh. `USE_WIDE = False` forces the long way (tests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.core import db
from dashboard.core.gaps import Group
from dashboard.core.sqlwhere import Rows

log = logging.getLogger(__name__)
USE_WIDE = True
_lock = threading.Lock()
_Layout = tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]
_layout: dict[tuple, _Layout] = {}


def _tables_and_groups() -> _Layout:
    """mart tables of the current file, the groups mart.gap_wide holds and its column names."""
    gen = db.generation()
    hit = _layout.get(gen)
    if hit is not None:
        return hit
    tables = frozenset(
        r[0]
        for r in db.query_rows("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart'")
    )
    groups: set[tuple[str, str]] = set()
    names: set[str] = set()
    if "gap_wide" in tables:
        cols = db.query_rows(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'mart' "
            "AND table_name = 'gap_wide'"
        )
        for (name,) in cols:
            names.add(name)
            parts = name.split("__")
            if len(parts) == 3 and parts[2] == "value":
                groups.add((parts[0], parts[1]))
    with _lock:
        _layout.clear()  # one warehouse file at a time
        _layout[gen] = (tables, frozenset(groups), frozenset(names))
    return _layout[gen]


def has_table(name: str) -> bool:
    """Whether the current warehouse has mart.<name>."""
    return name in _tables_and_groups()[0]


def coverage_and_years() -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The catalogue's coverage and years frames from mart.coverage (None: no such table)."""
    if not has_table("coverage"):
        return None
    coverage = db.query(
        "SELECT indicator, age, level, sex, birth_region, min(year) AS first_year, "
        "max(year) AS last_year, sum(n)::BIGINT AS n, sum(n_value)::BIGINT AS n_value "
        "FROM mart.coverage GROUP BY ALL"
    )
    years = db.query(
        "SELECT indicator, age, list(DISTINCT year ORDER BY year) AS years FROM mart.coverage "
        "WHERE n_value > 0 GROUP BY indicator, age"
    )
    return coverage, years


def pivot_wide(
    indicator: str, age: str, groups: Sequence[Group], rows: Rows
) -> pd.DataFrame | None:
    """queries.pivot's frame read from mart.gap_wide; None when a group is not in that table."""
    if not USE_WIDE or not groups:
        return None
    held = _tables_and_groups()[1]
    if any((g.sex, g.birth_region) not in held for g in groups):
        return None
    params: dict[str, Any] = {"indicator": indicator, "age": age}
    where = ["indicator = $indicator", "age = $age"]
    cols, present, breaks, synth, series = [], [], [], [], []
    for i, g in enumerate(groups):
        p = f"{g.sex}__{g.birth_region}"  # checked against the table's own columns above
        cols += [f"{p}__{c} AS {c}_{i}" for c in ("value", "numerator", "denominator", "status")]
        # a gap_wide built before the provenance columns: NULL, as the long way reads it
        has_provenance = f"{p}__provenance" in _tables_and_groups()[2]
        cols.append(f"{p}__provenance AS provenance_{i}" if has_provenance else
                    f"NULL::VARCHAR AS provenance_{i}")  # fmt: skip
        present.append(f"{p}__status IS NOT NULL")
        breaks.append(f"coalesce({p}__series_break, false)")
        synth.append(f"coalesce({p}__synthetic, false)")
        series.append(f"{p}__series")
    where.append("(" + " OR ".join(present) + ")")
    where += rows.where(params, rows="", areas="")  # gap_wide carries level and municipality_code
    sql = (
        "SELECT area_code, year, " + ", ".join(cols) + ", "
        f"coalesce({', '.join(series)}) AS series, ({' OR '.join(breaks)}) AS series_break, "
        f"({' OR '.join(synth)}) AS synthetic FROM mart.gap_wide WHERE "
        + " AND ".join(where)
        + " ORDER BY area_code, year"
    )
    return db.query(sql, params)
