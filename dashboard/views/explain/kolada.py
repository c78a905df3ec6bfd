"""Kolada's expected-value model for refugees' employment, for /explain to show beside its own gap.

Kolada models the expected share in work of refugees and their families aged 20-64 (N00485) and
publishes the deviation from it (N00486); with the actual share (N00700) a planner can set it beside
the product's explained gap. It is a different model for a different group: refugees and their
families, not all foreign-born people. `kolada_expected` reads the three lines of one area from
mart.observation; `expected_rows` is the pure shaping /explain draws beside its decomposition
(figures.kolada_figure).
"""

from __future__ import annotations

import pandas as pd

from dashboard.core import db
from etl.row_provenance import combine

INDICATORS = {
    "refugees_employed": "actual",
    "refugees_employed_expected": "expected",
    "refugees_employed_deviation": "deviation",
}
COLUMNS = ["year", "actual", "expected", "deviation", "source", "synthetic", "provenance", "model",
           "group"]  # fmt: skip
MODEL = "kolada_expected_value"  # text key: Kolada's own statistical model (N00485/N00486)
GROUP = "refugees_and_families"  # text key: skyddsbehövande och anhöriga 20-64 år


def expected_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Long (indicator, year, value, source_table, synthetic[, provenance]) rows -> one row per year.

    Years without Kolada's expected value are left out (the model covers municipalities only);
    `synthetic` is true if any of the year's three values is synthetic, and `provenance` is `real`
    only where all three are (etl/row_provenance.combine).
    """
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    if "provenance" not in frame:  # a warehouse built before the column existed
        frame = frame.assign(provenance=None)
    rows = frame[frame.indicator.isin(INDICATORS)].assign(
        column=lambda d: d.indicator.map(INDICATORS)
    )
    wide = rows.pivot_table(index="year", columns="column", values="value", aggfunc="first")
    wide = wide.reindex(columns=["actual", "expected", "deviation"])
    wide = wide[wide.expected.notna()]
    meta = rows.groupby("year").agg(
        source=("source_table", lambda s: "+".join(sorted(set(map(str, s))))),
        synthetic=("synthetic", "any"),
        provenance=("provenance", combine),
    )
    out = wide.join(meta).reset_index().assign(model=MODEL, group=GROUP)
    return out[COLUMNS].sort_values("year", ignore_index=True)


def kolada_expected(area_code: str) -> pd.DataFrame:
    """Kolada's actual, expected and deviation for refugees' employment in one area, by year."""
    has_provenance = db.query_rows(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'mart' "
        "AND table_name = 'observation' AND column_name = 'provenance'"
    )[0][0]
    provenance = "provenance" if has_provenance else "NULL AS provenance"
    frame = db.query(
        f"SELECT indicator, year, value, source_table, synthetic, {provenance} "
        "FROM mart.observation "
        "WHERE area_code = $area AND indicator IN ('refugees_employed', "
        "'refugees_employed_expected', 'refugees_employed_deviation') AND sex = 'total' "
        "AND age = '20-64' ORDER BY year",
        {"area": area_code},
    )
    return expected_rows(frame)
