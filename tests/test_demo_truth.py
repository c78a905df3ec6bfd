"""The demo tells the truth: every recorded real value it covers is the value it shows (issue 19).

Reads the real Kolada recordings (../shared/recorded/kolada-values) by header and code list and
compares them with the session's demo warehouse, built with those recordings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.areas import kolada_to_area
from etl.demo import world
from etl.demo.calibrate import targets, using_recordings
from etl.demo.kolada_v3 import ddf_frame, read_ddf
from etl.demo.truth import TOLERANCE, real_share, shown_vs_recorded
from etl.row_provenance import CALIBRATED, REAL, SYNTHETIC


@pytest.fixture(scope="module")
def kolada_values(shared_dir: Path) -> Path:
    return shared_dir / "recorded" / "kolada-values"


def _shown(con, area: str, sex: str, birth: str, years: range) -> pd.DataFrame:
    return con.execute(
        "SELECT year, value, source_table, synthetic, provenance FROM mart.observation "
        "WHERE indicator = 'employment_rate' AND area_code = ? AND sex = ? AND birth_region = ? "
        "AND age = '20-64' AND year BETWEEN ? AND ? ORDER BY year",
        [area, sex, birth, years.start, years.stop - 1],
    ).df().set_index("year")  # fmt: skip


def test_every_covered_recorded_cell_shows_the_real_value(demo_con, kolada_values: Path) -> None:
    table = shown_vs_recorded(demo_con, kolada_values)
    print("\n" + table.to_string(index=False))  # shown/real per recording (pytest -s)
    assert set(table.kpi) >= {"N00713", "N03920", "N00221", "N02994", "N02995", "N00485", "N00486"}
    assert (table.covered == table.recorded).all()  # every recorded cell maps to a mart cell
    assert (table.synthetic_shown == 0).all()  # no synthetic value hides a real one
    assert (table.shown + table.other_real == table.covered).all()
    # only the two series of 2020-2021 (RAMS KPIs beside BAS ones) show another real value
    assert set(table.kpi[table.other_real > 0]) <= {"N00713", "N00914"}


def test_the_issues_examples_show_the_published_figures(demo_con) -> None:
    vasby_women = _shown(demo_con, "0114", "women", "foreign", range(2004, 2005))
    assert vasby_women.value[2004] == pytest.approx(63.4, abs=0.05)  # was 43.1 (synthetic)
    vasby = _shown(demo_con, "0114", "total", "foreign", range(2020, 2021))
    assert vasby.value[2020] == pytest.approx(71.5, abs=0.05)  # was 58.6 (synthetic SCB)
    assert vasby.provenance[2020] == REAL and vasby.source_table[2020] == "N02268"


@pytest.mark.parametrize("sex, gender", [("women", "K"), ("men", "M"), ("total", "T")])
def test_stockholm_county_foreign_born_line_is_n00713(
    demo_con, kolada_values: Path, sex: str, gender: str
) -> None:
    recorded = read_ddf("N00713", kolada_values)
    line = recorded[(recorded.geo == "0001") & (recorded.gender == gender)].set_index("year")
    assert list(line.index) == list(range(2004, 2022))
    shown = _shown(demo_con, "01", sex, "foreign", range(1997, 2022))
    for year, real in line.value.items():
        assert abs(shown.value[year] - real) <= TOLERANCE, year
        assert shown.provenance[year] == REAL
    earlier = shown.loc[:2003]  # no real value before 2004: the chart data says synthetic
    assert len(earlier) and earlier.synthetic.all()
    assert earlier.provenance.str.startswith(SYNTHETIC).all()
    # the synthetic years continue the real line: no jump at the edge of the recording
    assert abs(shown.value[2003] - shown.value[2004]) < 2.5


def test_born_outside_the_eu_efta_is_synthetic_before_2004_and_near_the_report(demo_con) -> None:
    outside = _shown(demo_con, "01", "total", "rest_of_world", range(1997, 2009))
    sweden = _shown(demo_con, "01", "total", "sweden", range(1997, 2009))
    assert outside.synthetic.all() and (outside.provenance != REAL).all()
    # regional report: 59 % against 83.7 % in 2008 (the demo shows RAMS-series synthetic values)
    assert abs(outside.value[2008] - 59.0) < 3.0 and abs(sweden.value[2008] - 83.7) < 3.0
    assert sweden.value[2008] - outside.value[2008] > 15


def test_each_row_says_what_it_is(demo_con) -> None:
    kinds = dict(demo_con.execute(
        "SELECT provenance, count(*) FROM mart.observation GROUP BY 1"
    ).fetchall())  # fmt: skip
    assert kinds.get(REAL, 0) > 0 and kinds.get(SYNTHETIC, 0) > 0
    assert any(k.startswith(CALIBRATED + "Kolada N00713") for k in kinds)
    assert set(kinds) <= {REAL, SYNTHETIC} | {k for k in kinds if k.startswith(CALIBRATED)}
    wrong = demo_con.execute(
        "SELECT count(*) FROM mart.observation WHERE (provenance = 'real') = synthetic"
    ).fetchone()[0]
    assert wrong == 0
    calibrated = demo_con.execute(
        "SELECT area_code, year, sex, birth_region FROM mart.observation "
        "WHERE provenance LIKE ? LIMIT 1", [CALIBRATED + "Kolada N00713 %"]
    ).fetchone()  # fmt: skip
    assert calibrated is not None and calibrated[3] in ("nordic", "eu_efta", "rest_of_world")


def test_the_headline_series_hold_real_rows(demo_con) -> None:
    share = real_share(demo_con).set_index(["sex", "birth_region"]).share
    print("\n" + share.to_string())
    for sex in ("women", "men", "total"):
        assert share[sex, "foreign"] > 0.5  # N00713 (2004-2021) and N02268 (2020-2022)


def test_calibrated_counts_reproduce_the_real_rate_and_the_coarser_totals(shared_dir: Path) -> None:
    recorded = shared_dir / "recorded"
    with using_recordings(recorded):
        counts = world.world().reset_index()
    fitted = targets(recorded / "kolada-values")
    both = fitted.merge(counts, on=["area", "year", "sex", "group"])
    error = (100 * both.emp / both["pop"] - 100 * both.rate).abs()
    within = error <= 0.05 + 50 / both["pop"]  # to rounding: one decimal, whole people
    foreign = both.group == "foreign"
    assert foreign.sum() > 10_000 and within[foreign].all()
    # the Swedish-born count completes a real total unless that needs an implausible rate
    assert within[~foreign].mean() > 0.85
    # women + men against the real total (N00713, municipalities): typically a tenth apart; the
    # synthetic split of the population by sex is not fitted, so a few cells differ by points
    real = read_ddf("N00713", recorded / "kolada-values")
    real = real[(real.gender == "T") & (real.year <= 2019) & (real.geo.str.len() == 4)]
    real = real.assign(area=real.geo.map(kolada_to_area))
    summed = real.merge(counts[(counts.group == "foreign") & (counts.sex == "total")],
                        on=["area", "year"])  # fmt: skip
    gap = (100 * summed.emp / summed["pop"] + world.RAMS_SHIFT - summed.value).abs()
    assert len(gap) > 4000 and gap.median() < 0.2 and np.quantile(gap, 0.95) < 2.0


def test_a_recording_in_another_code_style_loads_the_same() -> None:
    canonical = ddf_frame("N00713", "geo,year,gender,n00713\n0000,2004,K,53.5\n0001,2004,M,61.0\n"
                          "0114,2004,K,63.4\n", "geo,year,n00713\n0000,2004,55.6\n")  # fmt: skip
    other = ddf_frame("N00713", "geo,gender,year,n00713\n0,k,2004,53.5\n01,m,2004,61.0\n"
                      "0114,k,2004,63.4\n", "geo,year,n00713\n0,2004,55.6\n")  # fmt: skip
    key = ["geo", "year", "gender"]
    assert other.sort_values(key, ignore_index=True).equals(
        canonical.sort_values(key, ignore_index=True)
    )
    assert set(other.geo) == {"0000", "0001", "0114"} and set(other.gender) == {"K", "M", "T"}


def test_the_lua_districts_sit_well_behind_their_county(demo_con) -> None:
    rows = dict(demo_con.execute(
        "SELECT area_code, value FROM mart.observation WHERE indicator = 'employment_rate' "
        "AND area_code IN ('01', 'lua_stockholm') AND year = 2022 AND sex = 'total' "
        "AND birth_region = 'total' AND age = '20-64'"
    ).fetchall())  # fmt: skip
    assert rows["01"] - rows["lua_stockholm"] > 5  # the regional report: well behind the county
