"""Explain the gap: age-band counts, mart.gap_decomposition, and the Kitagawa method itself."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl import decompose, pipeline, seeds
from etl.demo import synthetic_ages
from etl.pipeline import refresh
from etl.settings import Settings
from etl.sources.pxweb import cell_count, resolve_selection, split_selection

BANDS = ["20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64"]


def _band_counts(con, area: str, year: int, sex: str, birth: str) -> dict[str, tuple[float, float]]:
    rows = con.execute(
        "SELECT age, numerator, denominator FROM mart.observation WHERE indicator='employment_rate' "
        "AND area_code=? AND year=? AND sex=? AND birth_region=? AND age IN ?",
        [area, year, sex, birth, BANDS],
    ).fetchall()
    return {age: (emp, pop) for age, emp, pop in rows}


def _row(con, area: str, year: int, gap: str) -> dict:
    df = con.execute(
        "SELECT * FROM mart.gap_decomposition WHERE area_code=? AND year=? AND gap=?",
        [area, year, gap],
    ).df()
    assert len(df) == 1
    return df.iloc[0].to_dict()


# --- data: the bands in the warehouse -----------------------------------------------------------


def test_bands_stored_with_product_ages_and_sum_to_20_64(demo_con) -> None:
    ages = {a for (a,) in demo_con.execute(
        "SELECT DISTINCT age FROM mart.observation WHERE source_table='TAB3200'").fetchall()}  # fmt: skip
    assert set(BANDS) <= ages and "060-64" not in ages  # SCB's 060-64 mapped by seeds/code_map
    bad = demo_con.execute(
        """
        SELECT count(*) FROM (
          SELECT b.area_code, b.year, b.sex, b.birth_region, sum(b.numerator) AS e, sum(b.denominator) AS p
          FROM mart.observation b WHERE b.indicator='employment_rate' AND b.age IN ? AND b.aggregation='published'
          GROUP BY ALL) s
        JOIN mart.observation t ON t.indicator='employment_rate' AND t.age='20-64' AND t.area_code=s.area_code
         AND t.year=s.year AND t.sex=s.sex AND t.birth_region=s.birth_region AND t.numerator IS NOT NULL
        WHERE s.e <> t.numerator OR s.p <> t.denominator
        """,
        [BANDS],
    ).fetchone()[0]
    checked = demo_con.execute(
        "SELECT count(*) FROM mart.observation WHERE indicator='employment_rate' AND age='60-64' "
        "AND aggregation='published' AND numerator IS NOT NULL"
    ).fetchone()[0]
    assert checked > 3 * 3 * 5 * 300 and bad == 0


def test_synthetic_bands_sum_exactly_at_every_level() -> None:
    from etl.demo import synthetic

    bands = synthetic_ages.band_world()
    sums = bands.groupby(level=["area", "year", "sex", "group"]).sum()
    world = synthetic.world().reindex(sums.index)
    assert len(sums) > 50_000
    for col in ("pop", "emp", "unemp"):
        assert (sums[col] == world[col]).all(), col
    assert (bands.emp <= bands["pop"]).all() and (bands["pop"] >= 0).all()


def test_apportion_is_exact_and_proportional() -> None:
    weights = np.array([[1.0, 1.0, 1.0], [0.0, 2.0, 1.0], [5.0, 0.0, 0.0]])
    got = synthetic_ages.apportion(weights, np.array([10, 7, 3]))
    assert got.sum(axis=1).tolist() == [10, 7, 3]
    assert got[1].tolist() == [0, 5, 2] and got[2].tolist() == [3, 0, 0]


def test_band_selection_split_under_the_cell_limit(shared_dir) -> None:
    meta = json.loads((shared_dir / "recorded/scb/TAB3200/metadata.json").read_text("utf-8"))
    selection = resolve_selection(meta["response"], seeds.selection_spec("TAB3200_AGE"))
    assert selection["Alder"][-1] == "060-64" and len(selection["Alder"]) == 9
    total = cell_count(selection)
    assert total == 312 * 3 * 9 * 3 * 3 * 5 > 150_000
    chunks = split_selection(selection, 150_000)
    assert len(chunks) >= 3 and all(cell_count(c) <= 150_000 for c in chunks)
    assert sum(cell_count(c) for c in chunks) == total
    assert all(c["Alder"] == selection["Alder"] for c in chunks)  # split by region, not by age
    regions = [r for c in chunks for r in c["Region"]]
    assert sorted(regions) == sorted(selection["Region"])


def test_refresh_fetches_bands_and_decomposes(standin, tmp_path, monkeypatch) -> None:
    """The age bands over real HTTP from the stand-in, in parts under a small cell limit."""
    tables = seeds.scb_tables()

    class OnlyBands:  # the pipeline's view of the seeds only (the stand-in reads them whole)
        def __getattr__(self, name: str):
            return getattr(seeds, name)

        def scb_tables(self) -> pd.DataFrame:
            return tables[tables.table_key == "TAB3200_AGE"]

        def kolada_kpis(self) -> list[str]:
            return []

    monkeypatch.setattr(pipeline, "seeds", OnlyBands())
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    monkeypatch.setenv("LABOURDASH_HTTP_BACKOFF", "0.01")
    standin.set_scb_limits(max_cells=100_000, max_calls=1000, window=1)
    settings = Settings()
    report = refresh(settings)
    assert "decomposition" in report["timings_s"]
    posts = standin.requests("scb", method="POST")
    assert len(posts) >= 4
    asked = [{s["variableCode"]: s["valueCodes"] for s in p.body["selection"]} for p in posts]
    assert all(np.prod([len(v) for v in a.values()]) <= 100_000 for a in asked)
    assert all("060-64" in a["Alder"] for a in asked)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM mart.gap_decomposition").fetchone()[0]
        assert (
            n
            == con.execute(
                "SELECT count(*) FROM mart.area WHERE level IN ('country','county','municipality',"
                "'la_region') OR area_code IN ('SET_LUA_STHLM','SET_SODRA_LAPPLAND')"
            ).fetchone()[0]
            * 5
            * 4
        )  # 5 years x the 4 presets with in/ut groups
        assert con.execute("SELECT bool_and(synthetic) FROM mart.gap_decomposition").fetchone()[0]
    finally:
        con.close()


# --- the table ------------------------------------------------------------------------------------


def test_identity_holds_on_every_row(demo_con) -> None:
    n, worst, nulls = demo_con.execute(
        "SELECT count(*), max(abs(composition + rate_effect - crude_gap)), "
        "count(*) FILTER (WHERE crude_gap IS NULL) FROM mart.gap_decomposition"
    ).fetchone()
    assert n > 5_000 and nulls == 0
    assert worst < 0.01


def test_presets_cover_gaps_with_band_counts(demo_con) -> None:
    gaps = {
        g for (g,) in demo_con.execute("SELECT DISTINCT gap FROM mart.gap_decomposition").fetchall()
    }
    assert gaps == {"fw_sw", "fw_fm", "fm_sm", "f_s"}  # no band counts for rest_of_world
    levels = dict(demo_con.execute(
        "SELECT a.level, count(DISTINCT area_code) FROM mart.gap_decomposition JOIN mart.area a "
        "USING (area_code) GROUP BY 1").fetchall())  # fmt: skip
    assert levels["municipality"] == 290 and levels["county"] == 21 and levels["la_region"] == 66
    assert levels["country"] == 1


def test_gap_presets_seed_matches_dashboard() -> None:
    from dashboard.core.gaps import GAPS

    seed = {r.gap: (r.sex_1, r.birth_region_1, r.sex_2, r.birth_region_2)
            for r in decompose.presets().itertuples()}  # fmt: skip
    assert seed == {
        g.id: (g.a.sex, g.a.birth_region, g.b.sex, g.b.birth_region) for g in GAPS.values()
    }


def test_one_municipality_by_hand(demo_con) -> None:
    """Botkyrka 2024, foreign-born vs Swedish-born women, from its band counts with plain loops."""
    area, year = "0127", 2024
    one = _band_counts(demo_con, area, year, "women", "foreign")
    two = _band_counts(demo_con, area, year, "women", "sweden")
    ref = _band_counts(demo_con, "00", year, "women", "foreign")
    std = _band_counts(demo_con, "00", year, "total", "total")
    p1, p2 = sum(p for _, p in one.values()), sum(p for _, p in two.values())
    wsum = sum(p for _, p in std.values())
    comp = rate = sgap = exp1 = 0.0
    for a in BANDS:
        e1, n1 = one[a]
        e2, n2 = two[a]
        r1, r2, c1, c2 = e1 / n1, e2 / n2, n1 / p1, n2 / p2
        comp += (c1 - c2) * (r1 + r2) / 2
        rate += (r1 - r2) * (c1 + c2) / 2
        sgap += std[a][1] / wsum * (r1 - r2)
        exp1 += c1 * ref[a][0] / ref[a][1]
    actual_1 = 100 * sum(e for e, _ in one.values()) / p1
    actual_2 = 100 * sum(e for e, _ in two.values()) / p2
    row = _row(demo_con, area, year, "fw_sw")
    assert row["actual_1"] == pytest.approx(actual_1, abs=1e-9)
    assert row["actual_2"] == pytest.approx(actual_2, abs=1e-9)
    assert row["composition"] == pytest.approx(100 * comp, abs=1e-9)
    assert row["rate_effect"] == pytest.approx(100 * rate, abs=1e-9)
    assert row["standardised_gap"] == pytest.approx(100 * sgap, abs=1e-9)
    assert row["expected_1"] == pytest.approx(100 * exp1, abs=1e-9)
    assert row["local_difference"] == pytest.approx(actual_1 - 100 * exp1, abs=1e-9)
    assert row["min_band_population"] == min(
        min(p for _, p in one.values()), min(p for _, p in two.values())
    )
    # the 20-64 rate the other views show is the same figure (to its one decimal)
    published = demo_con.execute(
        "SELECT value FROM mart.observation WHERE indicator='employment_rate' AND age='20-64' "
        "AND area_code=? AND year=? AND sex='women' AND birth_region='foreign'", [area, year]
    ).fetchone()[0]  # fmt: skip
    assert round(actual_1, 1) == published


@pytest.mark.parametrize("parent", ["01", "LA2401", "SET_SODRA_LAPPLAND"])
def test_combined_area_equals_members_summed_counts(demo_con, parent: str) -> None:
    members = [m for (m,) in demo_con.execute(
        "SELECT area_code FROM mart.area WHERE level='municipality' AND county_code=? UNION "
        "SELECT member_code FROM mart.area_membership WHERE parent_code=?", [parent, parent]).fetchall()]  # fmt: skip
    assert len(members) >= 5
    year = 2023
    frames = []
    for sex_birth, suffix in ((("women", "foreign"), "_1"), (("women", "sweden"), "_2")):
        rows = demo_con.execute(
            "SELECT age, sum(numerator) AS emp, sum(denominator) AS pop FROM mart.observation "
            "WHERE indicator='employment_rate' AND area_code IN ? AND year=? AND sex=? "
            "AND birth_region=? AND age IN ? GROUP BY age",
            [members, year, *sex_birth, BANDS],
        ).df()
        frames.append(rows.set_index("age").add_suffix(suffix))
    toy = pd.concat(frames, axis=1).reset_index().assign(key=parent, w=1.0, ref_rate_1=0.5)
    expected = decompose.kitagawa(toy, ["key"], 100).iloc[0]
    row = _row(demo_con, parent, year, "fw_sw")
    for col in ("actual_1", "actual_2", "crude_gap", "composition", "rate_effect"):
        assert row[col] == pytest.approx(expected[col], abs=1e-9), col
    mean_of_members = demo_con.execute(
        "SELECT avg(composition) FROM mart.gap_decomposition WHERE area_code IN ? AND year=? "
        "AND gap='fw_sw'", [members, year]).fetchone()[0]  # fmt: skip
    assert abs(mean_of_members - row["composition"]) > 1e-6  # not an average of the members


def test_small_numbers_flag_follows_the_setting(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT min_band_population, flags FROM mart.gap_decomposition"
    ).fetchall()
    threshold = Settings().small_population
    assert any("small_numbers" in f for _, f in rows) and any(f == "" for _, f in rows)
    assert all(("small_numbers" in f) == (m < threshold) for m, f in rows)


# --- the method on toy populations -------------------------------------------------------------


def _toy(pop_1, rate_1, pop_2, rate_2) -> pd.DataFrame:
    pop_1, pop_2 = np.asarray(pop_1, float), np.asarray(pop_2, float)
    return pd.DataFrame(
        {"key": "toy", "age": BANDS[: len(pop_1)], "pop_1": pop_1,
         "emp_1": pop_1 * np.asarray(rate_1), "pop_2": pop_2, "emp_2": pop_2 * np.asarray(rate_2),
         "w": 1.0, "ref_rate_1": np.asarray(rate_1)}
    )  # fmt: skip


def test_identical_age_structure_gives_no_composition_effect() -> None:
    out = decompose.kitagawa(
        _toy([100, 300, 600], [0.5, 0.8, 0.9], [200, 600, 1200], [0.7, 0.9, 0.95]), ["key"], 10
    ).iloc[0]
    assert out.composition == pytest.approx(0.0, abs=1e-12)
    assert out.rate_effect == pytest.approx(out.crude_gap, abs=1e-12)
    assert out.crude_gap < -5


def test_identical_rates_give_no_rate_effect() -> None:
    out = decompose.kitagawa(
        _toy([600, 300, 100], [0.5, 0.8, 0.9], [100, 300, 600], [0.5, 0.8, 0.9]), ["key"], 10
    ).iloc[0]
    assert out.rate_effect == pytest.approx(0.0, abs=1e-12)
    assert out.composition == pytest.approx(out.crude_gap, abs=1e-12)
    assert out.crude_gap == pytest.approx(100 * (0.63 - 0.83), abs=1e-9)
    assert out.standardised_gap == pytest.approx(0.0, abs=1e-12)
    assert out.local_difference == pytest.approx(0.0, abs=1e-12)  # its own rates as reference


def test_missing_band_gives_no_result_and_a_flag() -> None:
    toy = _toy([100, 200], [0.5, 0.8], [100, 200], [0.6, 0.9])
    toy.loc[1, "emp_2"] = np.nan
    out = decompose.kitagawa(toy, ["key"], 150).iloc[0]
    assert np.isnan(out.crude_gap) and np.isnan(out.composition)
    assert out["flags"] == "missing_band;small_numbers"
