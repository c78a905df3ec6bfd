"""Does the demo show the real recorded values? `shown/real` per recording, real rows per series.

`shown_vs_recorded` joins every recorded Kolada value (../shared/recorded/kolada-values, read by
header and code list) to the mart cell it maps to (seeds/indicator_sources.csv: indicator, birth
region, age and years of each KPI) and counts the cells whose shown value equals the recording to
rounding, those where another real recording of the same cell is shown (two series of one
figure: RAMS and BAS in 2020-2021) and those where a synthetic value is shown (must be none). `real_share` gives the share of real rows in each headline series.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.areas import kolada_to_area
from etl.demo.kolada_v3 import read_ddf
from etl.seeds import code_map, indicator_sources

TOLERANCE = 0.1 + 1e-6  # the product shows one decimal; two real sources may round apart by 0.1
HEADLINE = [(sex, birth) for sex in ("women", "men", "total")
            for birth in ("foreign", "sweden", "rest_of_world", "total")]  # fmt: skip
KEY = ["indicator", "area_code", "year", "sex", "birth_region", "age"]


def recorded_cells(folder: Path) -> pd.DataFrame:
    """Every recorded KPI value mapped to its mart key: kpi + KEY + real."""
    sexes = code_map("kolada", "sex")
    frames = []
    for row in indicator_sources("kolada").itertuples():
        df = read_ddf(row.table_key, folder)
        first, last = int(row.first_year or 0), int(row.last_year or 9999)
        df = df[df.value.notna() & df.year.between(first, last)]
        if df.empty:
            continue
        frames.append(pd.DataFrame({
            "kpi": row.table_key, "indicator": row.indicator,
            "area_code": df.geo.map(kolada_to_area), "year": df.year,
            "sex": df.gender.map(sexes), "birth_region": row.birth_region, "age": row.age,
            "real": df.value,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def shown_vs_recorded(con: duckdb.DuckDBPyConnection, folder: Path) -> pd.DataFrame:
    """Per recording: recorded values, cells the mart covers, and cells it shows at the real value."""
    cells = recorded_cells(folder)
    con.register("recorded_df", cells)
    joined = con.execute(
        f"SELECT r.*, o.value AS shown, o.source_table, o.synthetic, o.area_code IS NOT NULL AS covered "
        f"FROM recorded_df r LEFT JOIN mart.observation o USING ({', '.join(KEY)})"
    ).df()
    joined["same"] = (joined.shown - joined.real).abs() <= TOLERANCE
    # a cell two real recordings publish (RAMS and BAS in 2020-2021) shows the preferred one
    joined["other_real"] = joined.covered & ~joined.same & (joined.synthetic == False)  # noqa: E712
    joined["synthetic_shown"] = joined.covered & ~joined.same & (joined.synthetic == True)  # noqa: E712
    out = joined.groupby("kpi").agg(
        recorded=("real", "size"), covered=("covered", "sum"), shown=("same", "sum"),
        other_real=("other_real", "sum"), synthetic_shown=("synthetic_shown", "sum"),
    )  # fmt: skip
    return out.astype(int).reset_index()


def mismatches(con: duckdb.DuckDBPyConnection, folder: Path) -> pd.DataFrame:
    """The covered recorded cells whose shown value differs from the recording."""
    con.register("recorded_df", recorded_cells(folder))
    return con.execute(
        f"SELECT r.*, o.value AS shown, o.source_table, o.synthetic FROM recorded_df r "
        f"JOIN mart.observation o USING ({', '.join(KEY)}) "
        f"WHERE o.value IS NULL OR abs(o.value - r.real) > {TOLERANCE}"
    ).df()


def real_share(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Share of real rows in each headline series (employment 20-64 by sex and birth region)."""
    rows = con.execute(
        "SELECT sex, birth_region, count(*) AS rows, count(*) FILTER (WHERE NOT synthetic) AS real "
        "FROM mart.observation WHERE indicator = 'employment_rate' AND age = '20-64' "
        "AND value IS NOT NULL GROUP BY ALL"
    ).df()
    rows = rows.set_index(["sex", "birth_region"]).reindex(HEADLINE).fillna(0).reset_index()
    return rows.assign(share=(rows.real / rows.rows.where(rows.rows > 0)).round(4))
