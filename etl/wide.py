"""Build steps for the dashboard's read paths: mart.gap_wide (the gap views' wide rows) and mart.coverage.

The groups of mart.gap_wide are its columns in schema.sql (`<sex>__<birth_region>__value`, …): the
table definition is the one list, read back from the catalogue here and in dashboard/queries.py.
"""

from __future__ import annotations

import logging

import duckdb

log = logging.getLogger(__name__)
FIELDS = (
    "value", "numerator", "denominator", "status", "series", "series_break", "synthetic", "provenance",
)  # fmt: skip
SORT_OBSERVATIONS = "indicator, age, area_code, year, sex, birth_region"


def wide_groups(con: duckdb.DuckDBPyConnection, schema: str = "mart") -> list[tuple[str, str]]:
    """(sex, birth_region) of every group mart.gap_wide holds, in column order."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = 'gap_wide' "
        "AND column_name LIKE '%\\_\\_value' ESCAPE '\\' ORDER BY column_index",
        [schema],
    ).fetchall()
    groups = []
    for (name,) in rows:
        sex, birth_region, _ = name.split("__")
        groups.append((sex, birth_region))
    return groups


def build_gap_wide(con: duckdb.DuckDBPyConnection) -> int:
    """Fill mart.gap_wide from mart.observation (one pass, FILTER per group); returns its rows."""
    groups = wide_groups(con)
    cols, conds = [], []
    for i in range(len(groups)):
        cond = f"o.sex = $sex_{i} AND o.birth_region = $br_{i}"
        conds.append(f"({cond})")
        for f in FIELDS:
            agg = "bool_or" if f in ("series_break", "synthetic") else "any_value"
            cols.append(f"{agg}(o.{f}) FILTER (WHERE {cond})")
    params: dict[str, str] = {}
    for i, (sex, birth) in enumerate(groups):
        params[f"sex_{i}"], params[f"br_{i}"] = sex, birth
    sql = (
        "INSERT INTO mart.gap_wide SELECT o.indicator, o.age, o.year, a.level, a.municipality_code, "
        "o.area_code, " + ", ".join(cols) + " FROM mart.observation o "
        "JOIN mart.area a ON a.area_code = o.area_code WHERE o.indicator = $ind AND o.age = $age AND ("
        + " OR ".join(conds)
        + ") "
        "GROUP BY o.indicator, o.age, o.year, a.level, a.municipality_code, o.area_code "
        "ORDER BY o.indicator, o.age, o.year, a.level, o.area_code"
    )
    # one indicator and age at a time, in order: the aggregate's hash table (groups x fields wide)
    # then stays far inside the warehouse's memory limit (one pass over a demo warehouse needed
    # over 256 MB, and failed now and then at 512 MB); the rows come out in the same order
    chunks = con.execute(
        "SELECT DISTINCT indicator, age FROM mart.observation ORDER BY 1, 2"
    ).fetchall()
    for indicator, age in chunks:
        con.execute(sql, {**params, "ind": indicator, "age": age})
    n = con.execute("SELECT count(*) FROM mart.gap_wide").fetchone()[0]
    log.info("mart.gap_wide: %d rows, %d groups", n, len(groups))
    return n


def build_coverage(con: duckdb.DuckDBPyConnection) -> int:
    """Fill mart.coverage: rows and values per indicator, age, level, sex, birth region and year."""
    con.execute(
        "INSERT INTO mart.coverage SELECT o.indicator, o.age, a.level, o.sex, o.birth_region, "
        "o.year, count(*), count(o.value) "
        "FROM mart.observation o JOIN mart.area a USING (area_code) GROUP BY ALL ORDER BY ALL"
    )
    return con.execute("SELECT count(*) FROM mart.coverage").fetchone()[0]


def build(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Both read-path tables (after mart.observation is final and sorted)."""
    return {"gap_wide": build_gap_wide(con), "coverage": build_coverage(con)}
