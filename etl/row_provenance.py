"""What each mart row is: `real`, `synthetic`, or `synthetic, calibrated to real <source>`.

A real row came from an official response (or a recording of one). A synthetic row was generated
for the demo or the test stand-in; it is "calibrated to real Kolada <KPI>" where the synthetic
world's counts behind it were fitted to that recorded rate (seeds/demo_calibration.csv,
etl/demo/calibrate.py): the same municipality, county or country, year and sex, a birth group the
KPI covers, one of the KPI's fitted years. The label names everything the counts were fitted to. Derived rows (summed counts) are synthetic if any member is.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from etl import seeds

REAL, SYNTHETIC = "real", "synthetic"
CALIBRATED = "synthetic, calibrated to real "
# birth regions whose counts a calibration KPI's birth group fits (the foreign-born groups
# move together; a total KPI fits the Swedish-born count that completes it)
FITTED_GROUPS = {
    "foreign": ("foreign", "nordic", "eu_efta", "rest_of_world", "foreign_0_1y", "foreign_2_3y",
                "foreign_4_9y", "foreign_10y_plus"),
    "total": ("total", "sweden"),
}  # fmt: skip
FITTED_INDICATORS = ("employment_rate",)

PROVENANCE_SQL = (
    f"CASE WHEN NOT o.synthetic THEN '{REAL}' "
    f"WHEN k.label IS NOT NULL THEN '{CALIBRATED}' || k.label ELSE '{SYNTHETIC}' END AS provenance"
)
CALIBRATED_ON = (
    "k.indicator = o.indicator AND k.area_code = o.area_code AND k.year = o.year "
    "AND k.sex = o.sex AND k.birth_region = o.birth_region"
)


def with_provenance_column(ddl: str) -> str:
    """mart.observation's DDL with the `provenance` column added last."""
    body = ddl.rstrip().rstrip(";").rstrip()
    return body[:-1].rstrip() + ", provenance VARCHAR NOT NULL)"


def calibration_rows() -> pd.DataFrame:
    """(kpi, indicator, birth_region, first_year, last_year, label) the demo world is fitted to."""
    rows = []
    for r in seeds.load("demo_calibration").itertuples():
        for indicator in FITTED_INDICATORS:
            for group in FITTED_GROUPS[r.birth_group]:
                rows.append((r.kpi, indicator, group, int(r.first_year), int(r.last_year),
                             r.label or f"Kolada {r.kpi}"))  # fmt: skip
    return pd.DataFrame(
        rows, columns=["kpi", "indicator", "birth_region", "first_year", "last_year", "label"]
    )


def calibrated_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table calibrated_cells: the keys whose synthetic counts were fitted to a real rate.

    A key is fitted where its KPI has a real value for the area (municipality, county or the
    country), year and sex (a sex total where either sex has one). Without work.candidates (no
    build) the table is empty.
    """
    con.register("calibration_df", calibration_rows())
    has_candidates = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'work' "
        "AND table_name = 'candidates'"
    ).fetchone()[0]
    source = (
        "SELECT source_table, area_code, year, sex FROM work.candidates "
        "WHERE source = 'kolada' AND NOT synthetic AND value IS NOT NULL AND sex <> 'total' "
        "AND length(area_code) IN (2, 4)"
        if has_candidates
        else "SELECT NULL::VARCHAR AS source_table, NULL::VARCHAR AS area_code, "
        "NULL::INTEGER AS year, NULL::VARCHAR AS sex WHERE false"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE calibrated_cells AS
        SELECT DISTINCT f.indicator, r.area_code, r.year, s.sex, f.birth_region,
               first(f.label ORDER BY f.label) OVER (
                   PARTITION BY f.indicator, r.area_code, r.year, s.sex, f.birth_region) AS label
        FROM ({source}) r
        JOIN calibration_df f ON f.kpi = r.source_table AND r.year BETWEEN f.first_year AND f.last_year
        CROSS JOIN (SELECT unnest(['women', 'men', 'total']) AS sex) s
        WHERE s.sex = r.sex OR s.sex = 'total'
        """
    )


MIXED = "mixed: "


def combine(labels: Iterable[object]) -> str | None:
    """One label for a value built from several rows (a gap): `real` only if every row is real.

    Rows without a label (no row, an old warehouse) are left out; None when none has one. Rows
    of one kind keep that label; synthetic rows of several kinds are `synthetic` (calibrated to
    the sources of all, if all are calibrated); a mix of real and synthetic names its parts in
    order, e.g. `mixed: real + synthetic`.
    """
    parts: list[str] = []
    for label in labels:
        if isinstance(label, str) and label and label not in parts:
            parts.append(label)
    if len(parts) <= 1:
        return parts[0] if parts else None
    if REAL in parts:
        return MIXED + " + ".join(parts)
    if all(p.startswith(CALIBRATED) for p in parts):
        return CALIBRATED + " and ".join(p[len(CALIBRATED) :] for p in parts)
    return SYNTHETIC
