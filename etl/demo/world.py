"""The synthetic world: made-up counts over the real area codes, calibrated on real recordings.

One coherent "world" of counts (population, employed, unemployed aged 20-64 by area, year, sex and
birth region) feeds every generated SCB table and Kolada KPI (etl/demo/synthetic.py,
etl/demo/synthetic_kolada.py), so rates, counts, SCB and Kolada agree with each other the way the
real sources do. With real recordings in force (etl/demo/calibrate.py) the municipalities' counts
are fitted to the recorded rates first. None of it is official statistics.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from etl import reference
from etl.demo.calibrate import calibrate, named_misses, recordings_dir
from etl.seeds import load
from etl.settings import get_settings

YEARS = np.arange(1993, 2026)
SEXES = ("men", "women")
GROUPS = ("sweden", "nordic", "eu_efta", "rest_of_world")
TIME_GROUPS = ("foreign_0_1y", "foreign_2_3y", "foreign_4_9y", "foreign_10y_plus")
TIME_SHARE = np.array([0.07, 0.09, 0.26, 0.58])
TIME_OFFSET = np.array([-32.0, -17.0, -6.0, 4.0])
BIG_CITIES = {"0180": 640_000, "1480": 370_000, "1280": 220_000, "0380": 145_000}
RAMS_SHIFT = -1.8  # RAMS measured employment a little lower than BAS: a visible series break
# RegSO codes: the reference list's codes with the vintage suffix SCB's current tables use. A few
# areas were redrawn in 2025, so some demo codes may not exist in the real 2025 vintage.
REGSO_SUFFIX = "_RegSO2025"


def reference_dir() -> Path:
    """The reference folder in force: the world is made (and cached) per folder."""
    return get_settings().reference_dir.resolve()


@cache
def _municipality_world(ref: Path, recordings: Path | None = None) -> pd.DataFrame:
    """Counts for every municipality x year x sex x base birth group, fitted to `recordings`."""
    return calibrate(_uncalibrated_world(ref), recordings)


@cache
def _uncalibrated_world(ref: Path) -> pd.DataFrame:
    """Counts for every municipality x year x sex x base birth group (sweden/nordic/eu_efta/rest)."""
    munis = reference.municipalities(ref)
    codes = munis.kommun_kod.to_numpy()
    n = len(codes)
    rng = np.random.default_rng(20_240_601)
    size = np.exp(rng.normal(9.4, 0.85, n)).round()
    for i, code in enumerate(codes):
        size[i] = BIG_CITIES.get(code, size[i])
    foreign_share = np.clip(rng.beta(2.2, 9.0, n) + 0.05 + 0.08 * (size > 60_000), 0.05, 0.6)
    level = rng.normal(0.0, 2.2, n)  # local labour-market strength, pp
    women_gap_extra = rng.normal(-9.0, 3.5, n)  # extra gap for foreign-born women, pp
    frames = []
    for year in YEARS:
        yi = year - 1997  # noise seeds kept from when the world began in 1997
        trend_se = 0.25 * (year - 2020) - (1.2 if year == 2020 else 0.0)
        trend_fb = 0.75 * (year - 2020) - (2.0 if year == 2020 else 0.0)
        growth = 1 + 0.004 * (year - 2020)
        fb_growth = 1 + 0.025 * (year - 2020)
        for sex in SEXES:
            women = sex == "women"
            pop_se = size * (1 - foreign_share) * growth * (0.49 if women else 0.51)
            pop_fb = size * foreign_share * fb_growth * (0.5 if women else 0.5)
            rate = {
                "sweden": 84.5 + level + trend_se - (2.0 if women else 0.0),
                "nordic": 78.0 + level + trend_se - (2.5 if women else 0.0),
                "eu_efta": 76.0 + level + trend_fb - (4.0 if women else 0.0),
                "rest_of_world": 63.0
                + 1.3 * level
                + trend_fb
                + (women_gap_extra if women else 0.0),
            }
            share = {"sweden": 1.0, "nordic": 0.08, "eu_efta": 0.17, "rest_of_world": 0.75}
            noise = np.random.default_rng(
                yi * 7 + women if yi >= 0 else 100_000 + 2 * year + women
            ).normal(0, 0.6, (4, n))
            for gi, group in enumerate(GROUPS):
                pop = (pop_se if group == "sweden" else pop_fb * share[group]).round()
                r = np.clip(rate[group] + noise[gi], 20, 95) / 100
                unemp_rate = np.clip(
                    (0.04 if group == "sweden" else 0.15) - 0.3 * (r - 0.8), 0.01, 0.4
                )
                emp = (pop * r).round()
                unemp = (emp * unemp_rate / (1 - unemp_rate)).round()
                frames.append(
                    pd.DataFrame(
                        {"area": codes, "year": year, "sex": sex, "group": group,
                         "pop": pop, "emp": emp, "unemp": unemp}
                    )
                )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def calibration_misses() -> list[str]:
    """Recorded county and country rates the calibrated world misses by more than rounding."""
    folder = recordings_dir()
    return named_misses(_municipality_world(reference_dir(), folder), folder) if folder else []


def _expand_groups(base: pd.DataFrame) -> pd.DataFrame:
    """Add foreign, total and time-in-Sweden groups, and sex totals, to base-group counts."""
    keys = ["area", "year", "sex"]
    foreign = (
        base[base.group != "sweden"].groupby(keys, as_index=False)[["pop", "emp", "unemp"]].sum()
    )
    total = base.groupby(keys, as_index=False)[["pop", "emp", "unemp"]].sum()
    parts = [base, foreign.assign(group="foreign"), total.assign(group="total")]
    rate_fb = foreign.emp / foreign["pop"].where(foreign["pop"] > 0)
    mean_offset = float((TIME_SHARE * TIME_OFFSET).sum())
    for share, offset, name in zip(TIME_SHARE, TIME_OFFSET, TIME_GROUPS, strict=True):
        r = np.clip(rate_fb + (offset - mean_offset) / 100, 0.05, 0.95)
        pop = (foreign["pop"] * share).round()
        emp = (pop * r).round()
        unemp = (foreign.unemp * share * (1.6 if offset < 0 else 0.8)).round()
        parts.append(foreign[keys].assign(group=name, pop=pop, emp=emp, unemp=unemp))
    frame = pd.concat(parts, ignore_index=True)
    both = frame.groupby(["area", "year", "group"], as_index=False)[["pop", "emp", "unemp"]].sum()
    return pd.concat([frame, both.assign(sex="total")], ignore_index=True)


def world() -> pd.DataFrame:
    """Counts by area (country '00', counties, municipalities) x year x sex x birth group."""
    return _world(reference_dir(), recordings_dir())


@cache
def _world(ref: Path, recordings: Path | None = None) -> pd.DataFrame:
    """`world()` of one reference folder and calibration."""
    muni = _municipality_world(ref, recordings)
    county_of = reference.municipalities(ref).set_index("kommun_kod").lan_kod
    county = (
        muni.assign(area=muni.area.map(county_of))
        .groupby(["area", "year", "sex", "group"], as_index=False)[["pop", "emp", "unemp"]]
        .sum()
    )
    country = (
        muni.assign(area="00")
        .groupby(["area", "year", "sex", "group"], as_index=False)[["pop", "emp", "unemp"]]
        .sum()
    )
    base = pd.concat([country, county, muni], ignore_index=True)
    return _expand_groups(base).set_index(["area", "year", "sex", "group"]).sort_index()


REGSO_FIRST_YEAR = 2020  # TAB6680 (RegSO counts) starts in 2020


def _allocate(total: pd.Series, weight: pd.Series, keys: pd.DataFrame) -> np.ndarray:
    """Split each group's integer total over its rows by weight, exactly (largest remainder)."""
    cols = list(keys.columns)
    df = keys.reset_index(drop=True).assign(
        t=total.to_numpy(dtype=float), w=np.asarray(weight, dtype=float)
    )
    grouped = df.groupby(cols, sort=False)
    wsum = grouped.w.transform("sum").to_numpy()
    exact = np.where(wsum > 0, df.t.to_numpy() * df.w.to_numpy() / np.where(wsum > 0, wsum, 1), 0)
    base = np.floor(exact)
    df["base"], df["rem"] = base, exact - base
    short = df.t.to_numpy() - df.groupby(cols, sort=False).base.transform("sum").to_numpy()
    rank = df.groupby(cols, sort=False).rem.rank(method="first", ascending=False).to_numpy()
    return base + (rank <= np.round(short))


def _lua_regso_codes() -> set[str]:
    """RegSO codes of the LUA districts' area sets (seeds/regso_sets.csv, parent set lua_*)."""
    sets = load("regso_sets")
    return set(sets.regso_code[sets.parent_set.str.startswith("lua_")])


def regso_world(vintage_suffix: str = REGSO_SUFFIX) -> pd.DataFrame:
    """Counts by RegSO area x year (2020-) x sex x birth group, split exactly from the municipality.

    Population, employed and unemployed of every municipality x year x sex x base group are
    divided over its RegSO areas with integer shares that add up to the municipality's counts.
    """
    return _regso_world(reference_dir(), vintage_suffix, recordings_dir())


@cache
def _regso_world(ref: Path, vintage_suffix: str, recordings: Path | None = None) -> pd.DataFrame:
    """`regso_world()` of one reference folder."""
    areas = reference.regso(ref)
    muni = _municipality_world(ref, recordings)
    muni = muni[muni.year >= REGSO_FIRST_YEAR]
    rng = np.random.default_rng(3363)
    weight = rng.gamma(2.0, 1.0, len(areas))
    segregation = rng.lognormal(0.0, 0.7, len(areas))
    effect = rng.normal(0, 3.0, len(areas))
    # the LUA districts (seeds/regso_sets.csv) were chosen for their weak labour market: more
    # foreign-born residents and lower employment, so together they sit well behind their county
    lua = areas.code.isin(_lua_regso_codes()).to_numpy()
    segregation = np.where(lua, np.exp(rng.normal(1.3, 0.25, len(areas))), segregation)
    effect = np.where(lua, rng.normal(-8.0, 2.0, len(areas)), effect)
    areas = areas.assign(w=weight, seg=segregation, eff=effect)
    merged = areas.merge(muni, left_on="municipality", right_on="area", suffixes=("", "_m"))
    merged = merged.reset_index(drop=True)
    fb = (merged.group != "sweden").to_numpy()
    keys = merged[["municipality", "year", "sex", "group"]]
    pop = _allocate(merged["pop"], merged.w * np.where(fb, merged.seg, 1.0), keys)
    rate = (merged.emp / merged["pop"].where(merged["pop"] > 0)).fillna(0.7)
    rate = np.clip(
        rate + (merged.eff - np.where(fb, 2.0 * np.log(merged.seg), 0.0)) / 100, 0.1, 0.97
    )
    emp = np.minimum(_allocate(merged.emp, pop * rate, keys), pop)
    unemp = np.minimum(_allocate(merged.unemp, np.maximum(pop - emp, 0), keys), pop - emp)
    base = pd.DataFrame(
        {"area": merged.code + vintage_suffix, "year": merged.year, "sex": merged.sex,
         "group": merged.group, "pop": pop, "emp": emp, "unemp": unemp}
    )  # fmt: skip
    return _expand_groups(base).set_index(["area", "year", "sex", "group"]).sort_index()
