"""seeds/kolada_kpis.csv: the demo's model of every Kolada KPI the product loads, one row each."""

from __future__ import annotations

import pandas as pd
import pytest

from etl import reference, seeds
from etl.demo import synthetic

AREAS = ["0000", "0001", "0180", "1280"]


def _values(kpi: str, years: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(synthetic._kolada_frame(kpi, AREAS, years))
    return frame.set_index(["area_id", "year", "gender"]).value


def test_every_loaded_kpi_has_one_model_row_and_the_catalogue_title() -> None:
    rows = seeds.load("kolada_kpis")
    assert rows.kpi.is_unique and sorted(rows.kpi) == seeds.kolada_kpis()
    assert (rows.source != "").all()
    catalogue = pd.read_csv(reference.kolada_file("kolada_kpi_catalogue.csv"), dtype=str)
    titles = dict(zip(catalogue.id, catalogue.title, strict=True))
    listed = rows[rows.kpi.isin(titles)]
    assert len(listed) >= 12  # N00914 (RAMS) has left the catalogue
    assert (listed.title == listed.kpi.map(titles)).all()


@pytest.mark.parametrize("kpi", seeds.kolada_kpis())
def test_each_kpi_gives_values_within_its_seeded_years(kpi: str) -> None:
    row = seeds.load("kolada_kpis").set_index("kpi").loc[kpi]
    first, last = int(row.demo_first_year), int(row.demo_last_year)
    values = _values(kpi, list(range(1990, 2030)))
    years = values.index.get_level_values("year")
    assert years.min() == first and years.max() == last
    low = -100 if row.demo_measure == "refugees_deviation" else 0  # a deviation can be negative
    assert values.notna().any() and ((values.dropna() >= low) & (values.dropna() <= 100)).all()


def test_the_rams_kpi_is_shifted_by_its_series_and_the_groups_follow_the_seed() -> None:
    years = [2020, 2021]
    rams, bas = _values("N00914", years), _values("N02267", years)  # both: employment, total
    assert seeds.indicator_sources("kolada").set_index("table_key").series["N00914"] == "RAMS"
    assert (rams - bas - synthetic.RAMS_SHIFT).abs().max() <= 0.11  # rounding to 0.1 only
    foreign, swedish = _values("N02268", years), _values("N02269", years)
    assert (foreign < swedish).mean() > 0.9  # the seeded groups: foreign- vs Swedish-born


def test_a_kpi_without_a_model_row_names_the_seed() -> None:
    with pytest.raises(KeyError, match="seeds/kolada_kpis.csv"):
        synthetic.kolada_values("N99999", AREAS, [2022])
