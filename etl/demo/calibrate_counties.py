"""Fit the synthetic municipalities' population weights to real county rates (recorded Kolada KPIs).

The municipal rates are fitted to their own recordings (etl/demo/calibrate.py); a county's rate is
then the population-weighted mean of its municipalities' rates, so it reproduces the real county
value only if the weights do. Per county, year and sex the populations of the fitted groups are
tilted, `pop_m * c * exp(lam * (rate_m - target))` with the county's population kept, and `lam` is
solved so that the summed counts give the recorded county rate. Years without a county recording
take `lam` from the nearest recorded years (interpolated), so the synthetic years continue the real
series without a jump. A total KPI tilts the Swedish-born populations against the municipalities'
total rates, the foreign-born populations (already fitted) held.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.kolada_v3 import read_ddf
from etl.seeds import code_map, load

log = logging.getLogger(__name__)
KEYS = ["county", "year", "sex"]
FOREIGN = ("nordic", "eu_efta", "rest_of_world")
LAM_LIMIT = 200.0  # tilt bound (rates 0-1)
FLOOR = 50.0  # people: the least a tilted group is shrunk to (a smaller one is left as it is)
FACTOR_LIMIT = 3.0  # no municipality's population is moved by more than this factor either way
STEPS = 60  # bisection steps: |lam| error below 160 / 2**60


def county_of(area: pd.Series) -> pd.Series:
    """A municipality's county: the first two digits of its code (LLKK)."""
    return area.str[:2]


def county_targets(
    folder: Path, country: bool = False, sexes_kept: tuple[str, ...] = ("women", "men")
) -> pd.DataFrame:
    """Recorded county rates to fit: kpi, group, county, year, sex, rate (world scale, 0-1).

    With `country`, the country's rates too, as county `00`; `sexes_kept` may add `total`.
    """
    from etl.demo.world import RAMS_SHIFT  # the world module imports the calibration

    sexes = code_map("kolada", "sex")
    frames = []
    for row in load("demo_calibration").itertuples():
        df = read_ddf(row.kpi, folder)
        df = df[(df.year >= int(row.first_year)) & (df.year <= int(row.last_year))]
        df = df[(df.geo.str.len() == 4) & df.geo.str.startswith("00")]
        df = df if country else df[df.geo != "0000"]
        df = df[df.gender.map(sexes).isin(sexes_kept) & df.value.notna()]
        shift = RAMS_SHIFT if row.series.startswith("RAMS") else 0.0
        frames.append(pd.DataFrame({
            "kpi": row.kpi, "group": row.birth_group, "county": df.geo.str[2:], "year": df.year,
            "sex": df.gender.map(sexes), "rate": (df.value - shift) / 100,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def factors(lam: np.ndarray, rate: np.ndarray, tilted: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Per municipality: exp(lam * (rate - cell mean)) within [1/FACTOR_LIMIT, FACTOR_LIMIT] and
    never below FLOOR people, normalised so that each cell's tilted population keeps its total."""
    n = int(cell.max()) + 1 if len(cell) else 0
    centre = np.bincount(cell, rate, n) / np.maximum(np.bincount(cell, minlength=n), 1)
    f = np.exp(np.clip(lam[cell] * (rate - centre[cell]), -50, 50))
    f = np.clip(f, 1 / FACTOR_LIMIT, FACTOR_LIMIT)
    # a small group is not shrunk below FLOOR people: whole people must still carry its rate
    f = np.maximum(f, np.minimum(1.0, FLOOR / np.maximum(tilted, 1.0)))
    norm = np.bincount(cell, tilted, n) / np.maximum(np.bincount(cell, f * tilted, n), 1e-12)
    return f * norm[cell]


def solve(rate: np.ndarray, fixed: np.ndarray, tilted: np.ndarray, cell: np.ndarray,
          target: np.ndarray) -> np.ndarray:  # fmt: skip
    """Per cell, the tilt `lam` whose weights give `target` (bounded: the nearest reachable)."""
    lo, hi = np.full(len(target), -LAM_LIMIT), np.full(len(target), LAM_LIMIT)
    n = len(target)
    for _ in range(STEPS):  # each cell's weighted mean rises with its lam
        mid = (lo + hi) / 2
        w = fixed + factors(mid, rate, tilted, cell) * tilted
        mean = np.bincount(cell, w * rate, n) / np.maximum(np.bincount(cell, w, n), 1e-12)
        low = mean < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return (lo + hi) / 2


def _lams(cells: pd.DataFrame, target: pd.DataFrame, years: np.ndarray) -> pd.Series:
    """`lam` per (county, year, sex): solved where recorded, interpolated and carried elsewhere."""
    want = target.drop_duplicates(KEYS).set_index(KEYS).rate
    part = cells.join(want.rename("t"), on=KEYS).dropna(subset=["t"])
    if part.empty:
        return pd.Series(dtype="float64")
    codes, keys = pd.MultiIndex.from_frame(part[KEYS]).factorize()
    t = part.groupby(codes).t.first().to_numpy()
    lam = solve(part.rate.to_numpy(), part.fixed.to_numpy(), part.tilted.to_numpy(), codes, t)
    lam = pd.Series(lam, index=pd.MultiIndex.from_tuples(list(keys), names=KEYS))
    wide = lam.unstack("year").reindex(columns=sorted(years))
    wide = wide.interpolate(axis=1, limit_direction="both")
    return wide.stack().rename("lam").reorder_levels(KEYS)


def tilt(
    frame: pd.DataFrame, groups: tuple[str, ...], fixed_groups: tuple[str, ...],
    target: pd.DataFrame, rate_groups: tuple[str, ...], base: pd.Series | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Scale the counts of `groups` per municipality so each county's rate of `rate_groups` fits.

    The rate of a municipality is that of `rate_groups` together; `fixed_groups` keep their
    populations. Counts of the tilted groups scale by one factor per municipality (their rates
    stay), rounded to whole people. Repeated tilts stay within [1/FACTOR_LIMIT, FACTOR_LIMIT] of
    `base` (the tilted groups' people per area, year and sex before the first) and above FLOOR.
    """
    if target.empty:
        return frame
    keys = ["area", "year", "sex"]
    sums = frame[frame.group.isin(rate_groups)].groupby(keys)[["pop", "emp"]].sum()
    cells = pd.DataFrame({
        "rate": sums.emp / sums["pop"].where(sums["pop"] > 0),
        "fixed": frame[frame.group.isin(fixed_groups)].groupby(keys)["pop"].sum(),
        "tilted": frame[frame.group.isin(groups)].groupby(keys)["pop"].sum(),
    }).fillna({"fixed": 0.0, "tilted": 0.0}).dropna().reset_index()  # fmt: skip
    cells["county"] = county_of(cells.area)
    lam = _lams(cells, target, frame.year.unique())
    cells = cells.join(lam, on=KEYS).fillna({"lam": 0.0})
    codes, _ = pd.MultiIndex.from_frame(cells[KEYS]).factorize()
    lams = cells.groupby(codes).lam.first().to_numpy()
    cells["f"] = factors(lams, cells.rate.to_numpy(), cells.tilted.to_numpy(), codes)
    if base is not None:  # the whole change since `base` within the bounds, not each step's
        ref = cells.join(base.rename("base"), on=keys)["base"].fillna(cells.tilted).to_numpy()
        low = np.maximum(ref / FACTOR_LIMIT, np.minimum(ref, FLOOR))
        new = np.clip(cells.tilted * cells.f, low, ref * FACTOR_LIMIT)
        cells["f"] = np.where(cells.tilted > 0, new / cells.tilted.where(cells.tilted > 0), 1.0)
    factor = frame[keys].join(cells.set_index(keys).f, on=keys).f.fillna(1.0).to_numpy()
    out = frame.copy()
    moved = out.group.isin(groups).to_numpy()
    for col in ("pop", "emp", "unemp"):
        out.loc[moved, col] = np.round(out.loc[moved, col].to_numpy() * factor[moved])
    out["emp"] = np.minimum(out.emp, out["pop"])
    return out


def residuals(muni: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """Recorded county rate against the rate of the summed synthetic municipal counts, in pp."""
    found = county_targets(folder)
    if found.empty:
        return pd.DataFrame(columns=["kpi", *KEYS, "recorded", "summed", "diff"])
    members = {"foreign": FOREIGN, "total": (*FOREIGN, "sweden")}
    frames = []
    for (kpi, group), part in found.groupby(["kpi", "group"]):
        rows = muni[muni.group.isin(members[group])].assign(county=lambda d: county_of(d.area))
        sums = rows.groupby(KEYS)[["pop", "emp"]].sum()
        summed = (sums.emp / sums["pop"]).rename("summed")
        got = part.join(summed, on=KEYS)
        frames.append(got.assign(kpi=kpi))
    out = pd.concat(frames, ignore_index=True)
    out["recorded"], out["summed"] = 100 * out.rate, 100 * out.summed
    out["diff"] = out.summed - out.recorded
    return out[["kpi", *KEYS, "recorded", "summed", "diff"]]


SHARE_KPI = (
    "N00221"  # foreign-born share of people 18-64 by sex (real recording, seeds/kolada_kpis.csv)
)


def fit_foreign_share(muni: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """Scale the foreign-born counts so each municipality's foreign-born share is the recorded one.

    The share is N00221's (ages 18-64, the nearest Kolada publishes to the world's 20-64); years
    without a recording carry the nearest recorded years' factor (interpolated in log), so the
    populations continue without a jump. The Swedish-born counts stay.
    """
    sexes = code_map("kolada", "sex")
    df = read_ddf(SHARE_KPI, folder)
    df = df[(df.geo.str.len() == 4) & ~df.geo.str.startswith("00") & df.value.notna()]
    df = df[df.gender.map(sexes).isin(["women", "men"])]
    if df.empty:
        return muni
    keys = ["area", "year", "sex"]
    share = pd.Series(
        (df.value / 100).clip(0.005, 0.9).to_numpy(),
        index=pd.MultiIndex.from_arrays([df.geo, df.year, df.gender.map(sexes)], names=keys),
    )
    share = share[~share.index.duplicated()]
    fb = muni[muni.group.isin(FOREIGN)].groupby(keys)["pop"].sum()
    se = muni[muni.group == "sweden"].groupby(keys)["pop"].sum()
    want = share * se.reindex(share.index) / (1 - share)  # foreign-born people for that share
    log_factor = np.log(want / fb.reindex(share.index).where(lambda s: s > 0))
    wide = log_factor.dropna().unstack("year").reindex(columns=sorted(muni.year.unique()))
    wide = wide.interpolate(axis=1, limit_direction="both")
    # a small group is not shrunk below FLOOR people (whole people must carry its rates)
    least = np.log(np.minimum(1.0, FLOOR / fb.where(fb > 0))).unstack("year")
    least = least.reindex(index=wide.index, columns=wide.columns)
    wide = wide.where(~(wide < least), least)
    factor = np.exp(wide.stack()).rename("factor").reset_index()
    factor = factor.astype({"year": int}).set_index(keys).factor
    out = muni.copy()
    f = out[keys].join(factor, on=keys).factor.fillna(1.0).to_numpy()
    moved = out.group.isin(FOREIGN).to_numpy()
    for col in ("pop", "emp", "unemp"):
        out.loc[moved, col] = np.round(out.loc[moved, col].to_numpy() * f[moved])
    log.info("foreign-born shares fitted to %s for %d municipal cells", SHARE_KPI, len(share))
    return out


SEX_SPLIT = (0.3, 0.7)  # bounds of the women's share of a foreign-born population
SEX_MIN_PP = 1.0  # women and men this close leave the split undetermined by one-decimal figures


def fit_sex_split(muni: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """Split each municipality's foreign-born people by sex so women + men give the real total.

    Where a foreign-born KPI records women, men and the total, the women's share `w` solves
    `w * women + (1 - w) * men = total`; the counts of each sex scale to it (the people kept).
    Other years carry the nearest recorded years' share (interpolated).
    """
    sexes = code_map("kolada", "sex")
    keys = ["area", "year"]
    shares = []
    for row in load("demo_calibration").itertuples():
        if row.birth_group != "foreign":
            continue
        df = read_ddf(row.kpi, folder)
        df = df[(df.year >= int(row.first_year)) & (df.year <= int(row.last_year))]
        df = df[(df.geo.str.len() == 4) & ~df.geo.str.startswith("00") & df.value.notna()]
        wide = df.assign(sex=df.gender.map(sexes)).pivot_table(
            index=["geo", "year"], columns="sex", values="value", aggfunc="first"
        )
        if not {"women", "men", "total"} <= set(wide.columns):
            continue
        wide = wide.dropna(subset=["women", "men", "total"])
        wide = wide[(wide.women - wide.men).abs() >= SEX_MIN_PP]
        w = ((wide.total - wide.men) / (wide.women - wide.men)).clip(*SEX_SPLIT)
        shares.append(w.rename_axis(keys))
    if not shares:
        return muni
    share = pd.concat(shares)
    share = share[~share.index.duplicated()]
    wide = share.unstack("year").reindex(columns=sorted(muni.year.unique()))
    share = wide.interpolate(axis=1, limit_direction="both").stack().rename("w").reset_index()
    share = share.astype({"year": int}).set_index(keys).w
    fb = muni[muni.group.isin(FOREIGN)].groupby([*keys, "sex"])["pop"].sum().unstack("sex")
    now = fb["women"] / (fb["women"] + fb["men"])
    scale = pd.DataFrame({
        "women": share / now.reindex(share.index),
        "men": (1 - share) / (1 - now.reindex(share.index)),
    }).stack().rename("f")  # fmt: skip
    scale.index = scale.index.set_names([*keys, "sex"])
    out = muni.copy()
    f = out[[*keys, "sex"]].join(scale, on=[*keys, "sex"]).f.fillna(1.0).to_numpy()
    moved = out.group.isin(FOREIGN).to_numpy()
    for col in ("pop", "emp", "unemp"):
        out.loc[moved, col] = np.round(out.loc[moved, col].to_numpy() * f[moved])
    log.info("foreign-born sex split fitted for %d municipal cells", len(share))
    return out
