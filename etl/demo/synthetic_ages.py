"""Synthetic five-year age bands for the demo and the test stand-in (always labelled synthetic).

Every 20-64 count of the synthetic world (etl/demo/synthetic.py) is split into the age bands of
seeds/age_bands.csv with whole numbers, so that the bands' population, employed and unemployed
counts add up exactly to the 20-64 counts, for every area, year, sex and birth group. The split
is made per municipality and base birth group; counties, the country, the foreign-born and the
sex totals are sums of those, exactly as in the 20-64 world.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from etl import reference, seeds

log = logging.getLogger(__name__)

# Relative size of each band (20-24 ... 60-64) in the 20-64 population, before local variation.
AGE_SHARE = {
    "sweden": np.array([0.108, 0.112, 0.110, 0.108, 0.106, 0.112, 0.114, 0.112, 0.118]),
    "foreign": np.array([0.090, 0.128, 0.150, 0.148, 0.132, 0.114, 0.095, 0.078, 0.065]),
}
# Employment by age on the logit scale, relative to the group's 20-64 level.
RATE_PROFILE = {
    "sweden": np.array([-1.35, -0.25, 0.25, 0.45, 0.55, 0.55, 0.5, 0.3, -0.75]),
    "foreign": np.array([-0.95, -0.45, -0.05, 0.2, 0.3, 0.3, 0.2, 0.0, -0.55]),
}
COUNTS = ["pop", "emp", "unemp"]


def band_codes() -> list[str]:
    """SCB's codes of the five-year bands (TAB3200), youngest first."""
    bands = seeds.load("age_bands")
    return list(bands.loc[bands.table_key == "TAB3200", "scb_code"])


def apportion(weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Whole numbers per column, proportional to `weights`, that sum exactly to `totals` per row.

    Largest-remainder rounding: floors first, then one more to the largest fractions.
    """
    weights = np.asarray(weights, dtype=float)
    totals = np.asarray(totals, dtype=float).round()
    sums = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        target = np.where(sums > 0, weights / sums, 0.0) * totals[:, None]
    floor = np.floor(target)
    short = (totals - floor.sum(axis=1)).astype(int)
    order = np.argsort(-(target - floor), axis=1, kind="stable")
    rank = np.argsort(order, axis=1, kind="stable")
    return floor + (rank < short[:, None])


def _employed(pop: np.ndarray, emp: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """Employed per band: logistic age profile shifted so that the bands sum to `emp` exactly."""
    total = pop.sum(axis=1)
    level = np.clip(emp / np.where(total > 0, total, 1), 1e-6, 1 - 1e-6)
    logit = np.log(level / (1 - level))[:, None] + profile
    shift = np.zeros(len(pop))
    for _ in range(40):  # Newton steps on the shift; converges in a handful
        rate = 1 / (1 + np.exp(-(logit + shift[:, None])))
        f = (pop * rate).sum(axis=1) - emp
        df = (pop * rate * (1 - rate)).sum(axis=1)
        step = np.where(df > 0, f / np.where(df > 0, df, 1), 0.0)
        shift -= np.clip(step, -5, 5)
        if np.abs(f).max(initial=0) < 1e-7:
            break
    rate = np.clip(1 / (1 + np.exp(-(logit + shift[:, None]))), 0, 1 - 1e-12)
    return apportion(pop * rate, emp)


def split_bands(base: pd.DataFrame, youth: pd.Series) -> pd.DataFrame:
    """Base rows (area, year, sex, group, pop, emp, unemp) -> one row per age band, exact sums."""
    codes = band_codes()
    kind = np.where(base["group"].to_numpy() == "sweden", "sweden", "foreign")
    shares = np.vstack([AGE_SHARE[k] for k in kind])
    profile = np.vstack([RATE_PROFILE[k] for k in kind])
    centred = np.linspace(-1, 1, len(codes))
    tilt = np.exp(-youth.reindex(base["area"]).fillna(0.0).to_numpy()[:, None] * centred)
    total = base["pop"].to_numpy()
    least = (total >= len(codes)).astype(float)  # a person in every band where there are enough
    pop = least[:, None] + apportion(shares * tilt, total - len(codes) * least)
    emp = _employed(pop, base["emp"].to_numpy().astype(float), profile)
    unemp = apportion(np.maximum(pop - emp, 0) + 1e-9, base["unemp"].to_numpy())
    n = len(codes)
    keys = base[["area", "year", "sex", "group"]].loc[base.index.repeat(n)].reset_index(drop=True)
    keys["age"] = np.tile(codes, len(base))
    return keys.assign(pop=pop.ravel(), emp=emp.ravel(), unemp=unemp.ravel())


def band_world() -> pd.DataFrame:
    """Counts by (area, year, sex, group, age band) for the country, counties and municipalities."""
    from etl.demo.world import recordings_dir, reference_dir

    return _band_world(reference_dir(), recordings_dir())


@cache
def _band_world(ref: Path, recordings: Path | None = None) -> pd.DataFrame:
    """`band_world()` of one reference folder and calibration."""
    from etl.demo.world import _municipality_world

    muni = _municipality_world(ref, recordings).reset_index(drop=True)
    codes = muni.area.unique()
    rng = np.random.default_rng(5_2024)
    youth = pd.Series(rng.normal(0.0, 0.18, len(codes)), index=codes)  # local age structure
    bands = split_bands(muni, youth)
    county_of = reference.municipalities(ref).set_index("kommun_kod").lan_kod
    keys = ["area", "year", "sex", "group", "age"]
    county = bands.assign(area=bands.area.map(county_of)).groupby(keys, as_index=False)[COUNTS]
    country = bands.assign(area="00").groupby(keys, as_index=False)[COUNTS]
    base = pd.concat([country.sum(), county.sum(), bands], ignore_index=True)
    by = ["area", "year", "sex", "age"]
    foreign = base[base.group != "sweden"].groupby(by, as_index=False)[COUNTS].sum()
    total = base.groupby(by, as_index=False)[COUNTS].sum()
    frame = pd.concat(
        [
            base[base.group == "sweden"],
            foreign.assign(group="foreign"),
            total.assign(group="total"),
        ],
        ignore_index=True,
    )
    both = frame.groupby(["area", "year", "group", "age"], as_index=False)[COUNTS].sum()
    frame = pd.concat([frame, both.assign(sex="total")], ignore_index=True)
    return frame.set_index(keys).sort_index()


def overlay_bands(counts: pd.DataFrame, keys: pd.DataFrame, ages: pd.Series) -> pd.DataFrame:
    """Counts with the rows whose age code is a five-year band taken from the band world."""
    is_band = ages.isin(band_codes()).to_numpy()
    if not is_band.any():
        return counts
    world = band_world()
    wanted = keys[is_band].assign(age=ages[is_band].to_numpy())
    found = world.reindex(pd.MultiIndex.from_frame(wanted[["area", "year", "sex", "group", "age"]]))
    out = counts.copy()
    for col in COUNTS:
        out.loc[is_band, col] = found[col].to_numpy()
    return out
