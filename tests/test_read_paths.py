"""The precomputed read paths (mart.gap_wide, mart.coverage) answer exactly what the long table does."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core import queries, readpaths
from dashboard.core.gaps import GAPS, Group
from dashboard.core.sqlwhere import Rows
from etl.wide import SORT_OBSERVATIONS


def both_ways(monkeypatch, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """queries.pivot through mart.gap_wide and through mart.observation (caches emptied)."""
    out = []
    for wide in (True, False):
        monkeypatch.setattr(readpaths, "USE_WIDE", wide)
        with queries._cache_lock:
            queries._results.clear()
        out.append(queries.pivot(**kwargs).reset_index(drop=True))
    return out[0], out[1]


CASES = [
    {"level": "municipality", "years": [2023]},
    {"level": "county"},
    {"level": "la_region", "years": [2015, 2020]},
    {"level": "regso", "municipality": "0180"},
    {"area_codes": ["0180", "01", "00", "1280"]},
    {"area_codes": ["0114", "0115"], "years": [2010, 2024]},
]


@pytest.mark.parametrize("gap_id", list(GAPS))
@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(c))
def test_wide_pivot_equals_the_long_pivot(dash_env, monkeypatch, gap_id, case):
    gap = GAPS[gap_id]
    groups = [gap.a, gap.b]
    wide, long = both_ways(
        monkeypatch, indicator="employment_rate", age="20-64", groups=groups, **case
    )
    pd.testing.assert_frame_equal(wide, long, check_dtype=False)


def test_wide_pivot_with_the_explore_total_and_the_fallback(dash_env, monkeypatch, cat):
    total = [GAPS["fw_sw"].a, GAPS["fw_sw"].b, Group("total", "total")]
    wide, long = both_ways(monkeypatch, indicator="employment_rate", age="20-64", groups=total,
                           level="municipality", years=[2022])  # fmt: skip
    assert len(wide) == len(cat.codes("municipality"))
    pd.testing.assert_frame_equal(wide, long, check_dtype=False)
    # a group the wide table does not hold is read the long way
    odd = [Group("men", "nordic")]
    assert readpaths.pivot_wide("employment_rate", "20-64", odd, Rows(level="county")) is None
    assert not queries.pivot("employment_rate", "20-64", odd, level="county").empty


def test_rows_exist_only_where_a_group_has_a_row(dash_env, monkeypatch):
    # unemployment has no sex split in some tables: the row set must follow the groups asked for
    for indicator in ("unemployment_rate", "employment_rate"):
        wide, long = both_ways(monkeypatch, indicator=indicator, age="20-64",
                               groups=[Group("total", "foreign")], level="county")  # fmt: skip
        assert list(wide["area_code"] + wide["year"].astype(str)) == list(
            long["area_code"] + long["year"].astype(str)
        )


def test_catalogue_from_mart_coverage_equals_counting_the_observations(dash_env):
    counted = readpaths.coverage_and_years()
    assert counted is not None, "the build writes mart.coverage"
    fast_cov, fast_years = counted
    slow_cov, slow_years = queries._count_coverage()
    keys = ["indicator", "age", "level", "sex", "birth_region"]
    a = fast_cov.sort_values(keys).reset_index(drop=True)
    b = slow_cov.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)

    def as_dict(f):
        return {(i, g): list(y) for i, g, y in zip(f.indicator, f.age, f.years, strict=True)}

    assert as_dict(fast_years) == as_dict(slow_years)


def test_observations_are_stored_in_area_order_within_indicator_and_age(dash_env):
    from dashboard.core import db

    first = db.query_rows(
        f"SELECT count(*) FROM (SELECT {SORT_OBSERVATIONS}, row_number() OVER () AS pos, "
        f"row_number() OVER (ORDER BY {SORT_OBSERVATIONS}) AS sorted_pos FROM mart.observation) "
        "WHERE pos <> sorted_pos"
    )[0][0]
    assert first == 0
