"""Kolada's expected-value model (N00485/N00486) in the demo mart, shaped for /explain."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.core import db
from dashboard.views.explain.kolada import GROUP, MODEL, expected_rows, kolada_expected
from etl.demo.kolada_v3 import read_ddf


def test_expected_rows_put_the_three_lines_side_by_side_and_drop_years_without_a_model() -> None:
    frame = pd.DataFrame(
        [("refugees_employed", 2020, 60.0, "N00700", False),
         ("refugees_employed_expected", 2020, 58.5, "N00485", False),
         ("refugees_employed_deviation", 2020, 1.5, "N00486", False),
         ("refugees_employed", 2012, 55.0, "N00700", True)],
        columns=["indicator", "year", "value", "source_table", "synthetic"],
    )  # fmt: skip
    rows = expected_rows(frame)
    assert rows.year.tolist() == [2020]  # 2012 has no expected value
    row = rows.iloc[0]
    assert (row.actual, row.expected, row.deviation) == (60.0, 58.5, 1.5)
    assert row.source == "N00485+N00486+N00700" and not row.synthetic
    assert (row.model, row.group) == (MODEL, GROUP)


def test_the_demo_shows_kolada_expected_values_as_recorded(demo_db: Path, shared_dir: Path) -> None:
    folder = shared_dir / "recorded" / "kolada-values"
    expected = read_ddf("N00485", folder).set_index(["geo", "year"]).value
    deviation = read_ddf("N00486", folder).set_index(["geo", "year"]).value
    db.configure(demo_db)
    rows = kolada_expected("0127").set_index("year")  # Botkyrka
    years = sorted(y for g, y in expected.index if g == "0127")
    assert years and set(years) <= set(rows.index)
    for year in years:
        assert abs(rows.expected[year] - expected["0127", year]) < 0.051
        assert abs(rows.deviation[year] - deviation["0127", year]) < 0.051
    assert not rows.synthetic[years].any()  # actual (N00700), expected and deviation recorded
    assert rows.synthetic.drop(years).all()  # the demo's other years are synthetic, and say so
