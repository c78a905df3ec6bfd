"""LUA districts: RegSO sets per vintage, rates from counts (direct, derived), suppression, vintages."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl import pipeline, regso_sets, seeds
from etl.pipeline import refresh
from etl.settings import Settings

# The issue's table: district -> RegSO codes (names where the issue gives them)
ISSUE_TABLE = {
    ("0127", "Alby"): {"0127R001": "Albyberget", "0127R002": "Albydalen"},
    ("0127", "Fittja"): {"0127R005": None},
    ("0127", "Hallunda-Norsborg"): {"0127R007": "Hallunda", "0127R010": "Norsborg"},
    ("0136", "Jordbro"): {"0136R010": None, "0136R011": None, "0136R012": None},
    ("0126", "Skogås"): {"0126R014": None, "0126R015": None},
    ("0126", "Vårby gård"): {"0126R020": None},
    ("0126", "Flemingsberg"): {"0126R001": None, "0126R002": None, "0126R003": None},
    ("0182", "Fisksätra"): {"0182R004": None},
    ("0180", "Husby"): {"0180R036": None},
    ("0180", "Rinkeby"): {"0180R076": None},
    ("0180", "Tensta"): {"0180R102": None},
    ("0180", "Rågsved"): {"0180R078": None},
    ("0180", "Skärholmen"): {"0180R079": None},
    ("0181", "Hovsjö"): {"0181R012": None},
    ("0181", "Ronna"): {"0181R021": None, "0181R022": None},
    ("0181", "Geneta"): {"0181R007": None, "0181R008": None},
    ("0181", "Fornhöjden"): {"0181R006": None},
}


def test_seeds_hold_the_17_districts_checked_against_the_reference(shared_dir: Path) -> None:
    ref = pd.read_csv(
        shared_dir / "reference/areas/ddf--entities--geo--regso.csv", dtype=str
    ).set_index("regso")
    sets = seeds.load("regso_sets")
    assert sets.set_code.nunique() == 17
    assert set(sets.parent_set) == {"lua_stockholm"}
    assert sets.set_code.str.fullmatch(r"lua_[a-z_]+").all()
    for (muni, district), codes in ISSUE_TABLE.items():
        rows = sets[sets.name_sv == f"{district} (LUA)"]
        assert set(rows.regso_code) == set(codes), district
        assert set(rows.municipality_code) == {muni}
        for code, name in codes.items():
            assert ref.at[code, "kommun"] == muni
            row = rows[rows.regso_code == code].iloc[0]
            assert row.regso_name == ref.at[code, "name"]
            if name:
                assert row.regso_name == name
            assert row.regso_vintage in set(seeds.load("regso_vintages").vintage)
            assert row.source


def test_every_seeded_scb_fact_names_its_source() -> None:
    for name in ("scb_evidence", "regso_vintages", "count_sources", "derived_counts"):
        frame = seeds.load(name)
        assert (frame.source.str.len() > 10).all(), name
    assert "TAB6680" in set(seeds.scb_tables().table_id)


def _raw_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """TAB6680 counts straight from staging (the parsed raw responses), independent of the mart."""
    return con.execute(
        "SELECT area_code, year, sex_code, content_code, value FROM staging.scb_observation "
        "WHERE table_key = 'TAB6680' AND age_code = '20-64'"
    ).df()


def _code_for(base: str, year: int) -> str:
    return base if year <= 2023 else base + "_RegSO2025"


SEX_CODE = {"total": "1+2", "women": "2", "men": "1"}
RATES = {"employment_rate": ("0000089X", "0000089Y"), "unemployment_rate": ("0000089W", "0000089V")}


@pytest.mark.parametrize("indicator", sorted(RATES))
def test_district_and_set_rates_are_summed_counts(demo_con, indicator: str) -> None:
    raw = _raw_counts(demo_con).set_index(["area_code", "year", "sex_code", "content_code"]).value
    num_code, den_code = RATES[indicator]
    sets = seeds.load("regso_sets")
    groups = {code: list(g.regso_code) for code, g in sets.groupby("set_code")}
    groups["lua_stockholm"] = list(sets.regso_code)
    checked = 0
    for area, bases in groups.items():
        for year in (2020, 2023, 2024):
            for sex, code in SEX_CODE.items():
                members = [_code_for(b, year) for b in bases]
                num = sum(raw[(m, year, code, num_code)] for m in members)
                den = sum(raw[(m, year, code, den_code)] for m in members)
                got = demo_con.execute(
                    "SELECT value, numerator, denominator, status FROM mart.observation "
                    "WHERE indicator = ? AND area_code = ? AND year = ? AND sex = ? "
                    "AND birth_region = 'total' AND age = '20-64'",
                    [indicator, area, year, sex],
                ).fetchone()
                assert got is not None, (area, year, sex)
                assert got[3] == "ok"
                assert got[1] == num and got[2] == den
                # a district of one RegSO area shows SCB's published share of that area, which may
                # differ from TAB6680's counts by a rounding step
                assert got[0] == pytest.approx(round(100 * num / den, 1), abs=0.11)
                checked += 1
    assert checked == 18 * 3 * 3


def test_county_without_the_districts_from_counts(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT o.year, o.numerator, o.denominator, o.value, c.numerator, c.denominator, "
        "s.numerator, s.denominator FROM mart.observation o "
        "JOIN mart.observation c ON c.area_code = '01' AND c.indicator = o.indicator AND "
        "c.year = o.year AND c.sex = o.sex AND c.birth_region = o.birth_region AND c.age = o.age "
        "JOIN mart.observation s ON s.area_code = 'lua_stockholm' AND s.indicator = o.indicator AND "
        "s.year = o.year AND s.sex = o.sex AND s.birth_region = o.birth_region AND s.age = o.age "
        "WHERE o.area_code = 'lua_stockholm_rest' AND o.indicator = 'employment_rate' "
        "AND o.sex = 'women' AND o.age = '20-64' AND o.year >= 2020 "  # 1997-2018: tests/test_lua_history.py
        "AND c.numerator IS NOT NULL"
    ).fetchall()
    # the demo's county shows the real Kolada rate (no counts) where one is recorded (2020-2022):
    # there the county without the districts is its other RegSO areas summed (etl/lua_rest.py,
    # checked against TAB6680 by hand in tests/test_lua_history.py); county minus districts elsewhere
    real_years = {y for (y,) in demo_con.execute(
        "SELECT year FROM mart.observation WHERE area_code = '01' AND indicator = 'employment_rate' "
        "AND sex = 'women' AND birth_region = 'total' AND age = '20-64' AND year >= 2020 "
        "AND numerator IS NULL"
    ).fetchall()}  # fmt: skip
    assert real_years == {2020, 2021, 2022}
    assert sorted(r[0] for r in rows) == [2023, 2024]
    summed = demo_con.execute(
        "SELECT year, status, source_table FROM mart.observation WHERE area_code = "
        "'lua_stockholm_rest' AND indicator = 'employment_rate' AND sex = 'women' AND "
        "birth_region = 'total' AND age = '20-64' AND year IN (2020, 2021, 2022) "
        "AND value IS NOT NULL"
    ).fetchall()
    assert {y for y, _s, _t in summed} == real_years
    assert all(s == "derived" and "-" not in t for _y, s, t in summed)
    for _year, num, den, value, cn, cd, sn, sd in rows:
        assert num == cn - sn and den == cd - sd
        assert value == pytest.approx(round(100 * (cn - sn) / (cd - sd), 1))


def test_derived_share_times_population_is_flagged(demo_con) -> None:
    """Long-term unemployed: share (REGSO_LABOUR) x population 20-64 (TAB6680), flagged derived."""
    shares = (
        demo_con.execute(
            "SELECT area_code, value FROM staging.scb_observation WHERE table_key = 'REGSO_LABOUR' "
            "AND content_code = '000008B4' AND year = 2024 AND sex_code = '2' AND birth_code = 'TOT'"
        )
        .df()
        .set_index("area_code")
        .value
    )
    raw = _raw_counts(demo_con).set_index(["area_code", "year", "sex_code", "content_code"]).value
    members = [b + "_RegSO2025" for b in ("0127R001", "0127R002")]
    pops = [raw[(m, 2024, "2", "0000089Y")] for m in members]
    expected = sum(shares[m] * p / 100 for m, p in zip(members, pops, strict=True)) / sum(pops)
    value, status, table = demo_con.execute(
        "SELECT value, status, source_table FROM mart.observation WHERE area_code = 'lua_alby' "
        "AND indicator = 'longterm_unemployed_share' AND year = 2024 AND sex = 'women' "
        "AND birth_region = 'total'"
    ).fetchone()
    assert status == "derived"
    assert value == pytest.approx(round(100 * expected, 1))
    assert "TAB6680" in table


def test_birth_region_shares_without_a_matching_population_get_no_value(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT o.status, o.value, g.reason FROM mart.observation o JOIN mart.aggregate_gap g "
        "USING (indicator, area_code, year, sex, birth_region, age) WHERE o.area_code = 'lua_alby' "
        "AND o.indicator = 'employment_rate' AND o.birth_region = 'rest_of_world' AND o.year = 2024"
    ).fetchall()
    assert rows and all(r[0] == "missing" and r[1] is None for r in rows)
    assert {r[2] for r in rows} == {regso_sets.NO_POPULATION}


def _members(codes: list[str], parent: str = "lua_x") -> pd.DataFrame:
    return pd.DataFrame(
        {"parent_code": parent, "grand_parent": "", "member_code": codes, "vintage": "RegSO2025",
         "first_year": 2024, "last_year": 2024}
    )  # fmt: skip


def _obs(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["area_code", "indicator", "value", "numerator", "denominator", "status",
                       "source_table"]
    )  # fmt: skip
    return frame.assign(
        year=2024, sex="total", birth_region="total", age="20-64", source="scb", series="BAS",
        series_break=False, aggregation="published", fetched_at=pd.Timestamp("2026-01-01"),
        source_updated="x", synthetic=False,
    )  # fmt: skip


def test_a_suppressed_member_makes_the_set_incomplete_and_is_named() -> None:
    members = _members(["A_RegSO2025", "B_RegSO2025", "C_RegSO2025"])
    obs = _obs([
        ("A_RegSO2025", "employment_rate", 70.0, 700.0, 1000.0, "ok", "TAB6680"),
        ("B_RegSO2025", "employment_rate", None, None, None, "suppressed", "TAB6680"),
        ("C_RegSO2025", "employment_rate", 50.0, 50.0, 100.0, "ok", "TAB6680"),
    ])  # fmt: skip
    rows, gaps = regso_sets._aggregate(members, regso_sets._member_rates(obs))
    assert rows.status.tolist() == ["incomplete"]
    assert rows.value.isna().all() and rows.numerator.isna().all()
    assert gaps.missing_members.tolist() == ["B_RegSO2025"]
    complete = obs[obs.area_code != "B_RegSO2025"]
    rest = members[members.member_code != "B_RegSO2025"]
    rows, gaps = regso_sets._aggregate(rest, regso_sets._member_rates(complete))
    assert rows.value.tolist() == [round(100 * 750 / 1100, 1)] and gaps.empty


def test_derived_needs_the_same_age_band() -> None:
    members = _members(["A_RegSO2025"])
    obs = _obs([
        ("A_RegSO2025", "longterm_unemployed_share", 4.0, None, None, "ok", "REGSO_LABOUR"),
        ("A_RegSO2025", "employment_rate", 70.0, 700.0, 1000.0, "ok", "TAB6680"),
    ])  # fmt: skip
    obs["age"] = "20-65"  # the RegSO shares' base, and TAB6680's population of the same ages
    rows, _ = regso_sets._aggregate(members, regso_sets._member_rates(obs))
    lt = rows[rows.indicator == "longterm_unemployed_share"].iloc[0]
    assert lt.status == "derived" and lt.value == 4.0 and lt.denominator == 1000.0
    obs.loc[obs.indicator == "employment_rate", "age"] = "20-64"  # population of another age band
    rows, gaps = regso_sets._aggregate(members, regso_sets._member_rates(obs))
    lt = rows[rows.indicator == "longterm_unemployed_share"].iloc[0]
    assert lt.status == "missing" and pd.isna(lt.value)
    assert gaps.reason.tolist() == [regso_sets.NO_POPULATION]


def _codes(munis: dict[str, list[str]], suffix: str) -> set[str]:
    return {f"{m}R{n}{suffix}" for m, ns in munis.items() for n in ns}


ALL_MEMBERS = set(seeds.load("regso_sets").regso_code)


def test_unknown_regso_vintage_fails_loudly() -> None:
    data = ALL_MEMBERS | {c + "_RegSO2030" for c in ALL_MEMBERS}
    with pytest.raises(regso_sets.RegsoVintageError, match=r"_RegSO2030.*regso_vintages\.csv"):
        regso_sets.member_codes(data, range(2020, 2031))


def test_renamed_regso_code_in_a_new_vintage_fails_loudly(monkeypatch) -> None:
    vint = pd.concat(
        [seeds.load("regso_vintages"),
         pd.DataFrame([{"vintage": "RegSO2030", "code_suffix": "_RegSO2030", "first_year": "2030",
                        "last_year": "2099", "codelist": "vs_RegSO2030", "source": "test"}])],
        ignore_index=True,
    )  # fmt: skip
    real_load = seeds.load
    changes = pd.DataFrame(columns=["from_vintage", "from_code", "to_vintage", "to_code", "source"])

    def load(name: str) -> pd.DataFrame:
        if name == "regso_vintages":
            return vint
        if name == "regso_code_changes":
            return changes
        return real_load(name)

    monkeypatch.setattr(regso_sets.seeds, "load", load)
    renamed = (ALL_MEMBERS - {"0127R001"}) | {"0127R031"}  # Albyberget got a new code
    data = (
        ALL_MEMBERS | {c + "_RegSO2025" for c in ALL_MEMBERS} | {c + "_RegSO2030" for c in renamed}
    )
    with pytest.raises(
        regso_sets.RegsoVintageError, match=r"lua_alby: RegSO 0127R001 \(Albyberget"
    ):
        regso_sets.member_codes(data, range(2020, 2031))
    changes = pd.DataFrame(
        [{"from_vintage": "RegSO2025", "from_code": "0127R001", "to_vintage": "RegSO2030",
          "to_code": "0127R031", "source": "test"}]
    )  # fmt: skip
    rows = regso_sets.member_codes(data, range(2020, 2031))
    alby = rows[rows.parent_code == "lua_alby"]
    assert set(alby.member_code) == {"0127R001", "0127R002", "0127R001_RegSO2025",
                                     "0127R002_RegSO2025", "0127R031_RegSO2030",
                                     "0127R002_RegSO2030"}  # fmt: skip
    assert set(alby[alby.member_code.str.endswith("2030")].first_year) == {2030}


def test_districts_have_dissolved_shapes_and_a_level(demo_con) -> None:
    levels = dict(
        demo_con.execute(
            "SELECT a.area_code, g.level FROM mart.area a JOIN mart.area_geometry g USING (area_code) "
            "WHERE a.area_code LIKE 'lua_%'"
        ).fetchall()
    )
    assert sum(1 for v in levels.values() if v == "regso_set") == 17
    assert levels["lua_stockholm"] == "area_set"
    feature = json.loads(
        demo_con.execute(
            "SELECT geojson FROM mart.area_geometry WHERE area_code = 'lua_jordbro'"
        ).fetchone()[0]
    )
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_synthetic_regso_counts_add_up_to_the_municipality(demo_con) -> None:
    got = demo_con.execute(
        "SELECT left(area_code, 4) AS muni, year, sum(numerator), sum(denominator) "
        "FROM mart.observation WHERE indicator = 'employment_rate' AND source_table = 'TAB6680' "
        "AND sex = 'women' AND birth_region = 'total' AND area_code LIKE '0127R%' AND age = '20-64' "
        "AND ((year <= 2023 AND length(area_code) = 8) OR (year = 2024 AND length(area_code) > 8)) "
        "GROUP BY ALL ORDER BY year"
    ).fetchall()
    muni = dict(
        (y, (n, d))
        for y, n, d in demo_con.execute(
            "SELECT year, numerator, denominator FROM mart.observation WHERE area_code = '0127' "
            "AND indicator = 'employment_rate' AND sex = 'women' AND birth_region = 'total' "
            "AND age = '20-64' AND year >= 2020"
        ).fetchall()
    )
    assert len(got) == 5
    with_counts = [(y, n, d) for _m, y, n, d in got if muni[y] != (None, None)]
    assert len(with_counts) >= 2  # 2020-2022 show the real Kolada rate, without counts
    for year, num, den in with_counts:
        assert (num, den) == muni[year]


def test_kalmar_recorded_regso_values_stay_real(demo_con) -> None:
    value, synthetic, table = demo_con.execute(
        "SELECT value, synthetic, source_table FROM mart.observation WHERE area_code = "
        "'0880R006_RegSO2025' AND indicator = 'employment_rate' AND year = 2024 AND sex = 'total' "
        "AND birth_region = 'total' AND age = '20-65'"  # the recorded table's base
    ).fetchone()
    assert not synthetic and table != "TAB6680"
    assert value is not None


def test_refresh_fetches_tab6680_regso_codes_and_builds_districts(
    standin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = seeds.scb_tables()
    monkeypatch.setattr(
        pipeline.seeds, "scb_tables", lambda: tables[tables.table_key.isin(["TAB3200", "TAB6680"])]
    )
    monkeypatch.setattr(pipeline.seeds, "kolada_kpis", lambda: ["N02267"])
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "data" / "labour.duckdb"))
    standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
    refresh(Settings(), sources=("scb", "kolada"), full=True)
    con = duckdb.connect(str(tmp_path / "data" / "labour.duckdb"), read_only=True)
    queries = [
        json.loads(q)
        for (q,) in con.execute(
            "SELECT query FROM raw.response WHERE table_key = 'TAB6680' AND kind = 'data'"
        ).fetchall()
    ]
    assert len(queries) > 1  # split under the cell limit
    regions = {
        c
        for q in queries
        for item in q["selection"]
        if item["variableCode"] == "Region"
        for c in item["valueCodes"]
    }
    assert len(regions) == 2 * 3363  # plain RegSO 2020 + suffixed RegSO 2025, no DeSO codes
    raw = con.execute(
        "SELECT area_code, year, content_code, value FROM staging.scb_observation "
        "WHERE table_key = 'TAB6680' AND sex_code = '1+2' AND age_code = '20-64'"
    ).df()
    lua = set(seeds.load("regso_sets").regso_code)
    for year in (2021, 2024):
        sel = raw[raw.area_code.isin({_code_for(c, year) for c in lua}) & (raw.year == year)]
        num = sel[sel.content_code == "0000089W"].value.sum()
        den = sel[sel.content_code == "0000089V"].value.sum()
        value, status = con.execute(
            "SELECT value, status FROM mart.observation WHERE area_code = 'lua_stockholm' AND "
            "indicator = 'unemployment_rate' AND year = ? AND sex = 'total' AND birth_region = 'total' "
            "AND age = '20-64'",
            [year],
        ).fetchone()
        assert status == "ok" and value == pytest.approx(round(100 * num / den, 1))
    plain_2024 = raw[(raw.year == 2024) & (raw.area_code.str.len() == 8)]
    assert plain_2024.value.isna().all()  # RegSO 2020 codes carry no 2024 values, as SCB's
    assert np.isfinite(raw[(raw.year == 2021) & (raw.area_code.str.len() == 8)].value).any()
    con.close()


def test_a_user_defined_regso_set_uses_the_same_mechanism(monkeypatch) -> None:
    """A municipality's own priority districts: rows in seeds/regso_sets.csv, nothing else."""
    real_load = seeds.load
    extra = pd.DataFrame(
        [{"set_code": "prio_kalmar", "name_sv": "Prio", "name_en": "Prio", "parent_set": "",
          "municipality_code": "0880", "regso_code": c, "regso_name": n,
          "regso_vintage": "RegSO2020", "source": "test"}
         for c, n in (("0880R006", "x"), ("0880R014", "y"))]
    )  # fmt: skip

    def load(name: str) -> pd.DataFrame:
        frame = real_load(name)
        return pd.concat([frame, extra], ignore_index=True) if name == "regso_sets" else frame

    monkeypatch.setattr(regso_sets.seeds, "load", load)
    data = ALL_MEMBERS | {c + "_RegSO2025" for c in ALL_MEMBERS} | {"0880R006", "0880R014"}
    data |= {"0880R006_RegSO2025", "0880R014_RegSO2025"}
    rows = regso_sets.member_codes(data, range(2020, 2025))
    prio = rows[rows.parent_code == "prio_kalmar"]
    assert set(prio.member_code) == {"0880R006", "0880R014", "0880R006_RegSO2025",
                                     "0880R014_RegSO2025"}  # fmt: skip
    assert set(prio.grand_parent) == {""}
    members = prio.rename(columns={})
    obs = _obs([
        ("0880R006_RegSO2025", "employment_rate", 80.0, 80.0, 100.0, "ok", "TAB6680"),
        ("0880R014_RegSO2025", "employment_rate", 60.0, 180.0, 300.0, "ok", "TAB6680"),
    ])  # fmt: skip
    out, gaps = regso_sets._aggregate(members, regso_sets._member_rates(obs))
    assert out.value.tolist() == [65.0] and out.area_code.tolist() == ["prio_kalmar"]
