"""The facts the views compute for their renderers (gap ends, narrowed counts, correlation, map counts),
checked on small frames built here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.core.frames import any_synthetic
from dashboard.core.gaps import Group
from dashboard.views.explore.data import correlation
from dashboard.views.map.data import MapData
from dashboard.views.peers.data import series_differ, slope_facts
from dashboard.views.trends.data import gap_ends


def _gaps() -> pd.DataFrame:
    # area A: gaps in 2020, 2021, 2023 (2022 unknown), rows out of year order; B: only 2022; C: none
    return pd.DataFrame(
        {
            "area_code": ["A", "A", "A", "A", "B", "C"],
            "year": [2023, 2020, 2022, 2021, 2022, 2021],
            "value_0": [61.0, 55.0, np.nan, 58.0, 70.0, np.nan],
            "gap": [-9.5, -14.0, np.nan, -12.0, -3.25, np.nan],
        }
    )


def test_gap_ends_are_the_first_and_last_year_with_a_gap_in_the_asked_order() -> None:
    ends = gap_ends(_gaps(), ["B", "C", "A"])
    assert list(ends) == ["B", "A"]  # C has no gap at all
    a = ends["A"]
    assert (a.first_year, a.first_gap) == (2020, -14.0)
    assert (a.last_year, a.last_value, a.last_gap) == (2023, 61.0, -9.5)
    b = ends["B"]
    assert (b.first_year, b.last_year, b.first_gap, b.last_gap) == (2022, 2022, -3.25, -3.25)


def test_gap_ends_of_a_frame_without_gaps_is_empty() -> None:
    assert gap_ends(pd.DataFrame(), ["A"]) == {}


def test_slope_counts_the_peers_whose_gap_got_smaller_in_size() -> None:
    then = pd.DataFrame({"area_code": ["1", "2", "3", "4"], "gap": [-10.0, -4.0, 6.0, np.nan]})
    now = pd.DataFrame({"area_code": ["3", "2", "1", "4"], "gap": [-5.0, -4.5, -7.0, -1.0]})
    s = slope_facts(now, then, "1")
    # 1: |-7| < |-10| narrowed; 2: |-4.5| > |-4| widened; 3: |-5| < |6| narrowed; 4: no start
    assert (s.n, s.narrowed) == (3, 2)
    assert (s.gap0, s.gap1) == (-10.0, -7.0)
    missing = slope_facts(now, then, "4")
    assert (missing.gap0, missing.gap1) == (None, None)


def test_series_differ_only_when_both_years_have_a_series() -> None:
    rams = pd.DataFrame({"series": ["RAMS", None]})
    bas = pd.DataFrame({"series": ["BAS"]})
    assert series_differ(bas, rams)
    assert not series_differ(rams, rams)
    assert not series_differ(bas, pd.DataFrame({"series": [None]}))
    assert not series_differ(bas, pd.DataFrame({"gap": [1.0]}))


def test_correlation_is_pearsons_r_and_none_without_spread_or_points() -> None:
    x = pd.Series([1.0, 2.0, 3.0, 4.0])
    y = pd.Series([2.0, 1.0, 4.0, 3.0])
    mx, my = x.mean(), y.mean()
    want = ((x - mx) * (y - my)).sum() / math.sqrt(((x - mx) ** 2).sum() * ((y - my) ** 2).sum())
    assert correlation(x, y) == pytest.approx(want)
    assert correlation(x[:2], y[:2]) is None
    assert correlation(x, pd.Series([5.0] * 4)) is None


def _map(colour: str) -> MapData:
    frame = pd.DataFrame(
        {
            "area_code": ["1", "2", "3", "4"],
            "area": ["Ale", "Bjuv", "Dals-Ed", "Eda"],
            "status": ["ok", "suppressed", "ok", "missing"],
            "value_0": [60.0, np.nan, 70.0, np.nan],
            "gap": [-5.0, np.nan, np.nan, np.nan],
            "synthetic": [False, False, True, False],
        }
    )
    return MapData(frame, [Group("women", "foreign")], "municipality", None, colour=colour)


def test_map_facts_follow_the_colour_column() -> None:
    gap, value = _map("gap"), _map("value")
    assert gap.shown == [("Ale", -5.0)]  # Dals-Ed is ok but has no gap
    assert value.shown == [("Ale", 60.0), ("Dals-Ed", 70.0)]
    assert gap.n_missing == value.n_missing == 2
    assert gap.synthetic
    narrowed = MapData(gap.frame[:2], gap.groups, "municipality", None)
    assert not narrowed.synthetic and narrowed.n_missing == 1


def test_any_synthetic_reads_every_frame() -> None:
    real = pd.DataFrame({"synthetic": [False, None]})
    assert not any_synthetic(real, pd.DataFrame())
    assert any_synthetic(real, pd.DataFrame({"synthetic": [None, True]}))


def test_explain_data_holds_the_area_its_peers_and_the_scatter_rows(dash_env, cat) -> None:
    from dashboard_fixture import sql

    from dashboard.views.explain import view as explain

    state, _ = explain.parse_explain({"area": "0127", "gap": "fw_sw", "year": "2024"}, cat)
    data = explain.explain_data(state, cat, "en")
    assert data.complete and list(data.row["area_code"]) == ["0127"]
    assert set(data.now["area_code"]) <= set(data.peers) and "0127" in data.peers
    assert list(data.history["year"]) == sorted(data.history["year"])
    want = sql(
        "SELECT count(*) FROM mart.gap_decomposition g JOIN mart.area a USING (area_code) "
        "WHERE g.gap = 'fw_sw' AND g.year = 2024 AND a.level = 'municipality' "
        "AND g.expected_1 IS NOT NULL AND g.actual_1 IS NOT NULL"
    )[0][0]
    assert len(data.scatter) == want > 0
    assert data.synthetic == bool(
        sql("SELECT bool_or(synthetic) FROM mart.gap_decomposition")[0][0]
    )


def test_explain_parses_a_regso_area_as_its_municipality(dash_env, cat) -> None:
    from dashboard.views.explain import view as explain

    regso = cat.areas[cat.areas["level"] == "regso"].iloc[0]
    state, problems = explain.parse_explain({"area": regso.name}, cat)
    assert (state.area, problems) == (regso["municipality_code"], [])
    state, problems = explain.parse_explain({"area": "nowhere"}, cat)
    assert state.area == "00" and [p.param for p in problems] == ["area"]  # the country start
