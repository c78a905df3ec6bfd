"""Fit the synthetic world's municipal counts to real recorded Kolada rates (seeds/demo_calibration.csv).

For every municipality, year and sex with a recorded rate, the employed counts of the birth groups
the KPI covers are set so that their rate reproduces the recording to rounding: a foreign-born KPI
moves the three foreign-born groups by the same number of points, a total KPI then sets the
Swedish-born count so that all groups together give the recorded total. Years without a recording
keep the offset of the nearest recorded year (gaps are interpolated), so a synthetic series
continues a real one without a jump at its edge. RAMS years are fitted with the RAMS shift, so the
generated RAMS tables show the recorded value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from etl import reference
from etl.demo.calibrate_counties import (
    FOREIGN,
    county_targets,
    fit_foreign_share,
    fit_sex_split,
    tilt,
)
from etl.demo.calibrate_exact import (
    fit_country,
    fit_exact,
    fit_sex_ratio,
    fit_whole_people,
    misses,
)
from etl.demo.calibrate_sizes import fit_sizes
from etl.demo.calibrate_totals import fit_municipal_totals, keep_counties
from etl.demo.kolada_v3 import read_ddf
from etl.seeds import code_map, load

log = logging.getLogger(__name__)
RATE_LIMITS = (0.05, 0.97)
SPLIT_ROUNDS = 6  # alternations of the counties' sex split, the total tilt and the country
ROUNDS = 4  # alternations of the sex split (municipal totals) and the county tilt
_recordings: list[Path | None] = [None]


@contextmanager
def using_recordings(folder: Path | None) -> Iterator[None]:
    """Calibrate the synthetic world on the Kolada recordings in `folder` (None: uncalibrated)."""
    _recordings.append(folder.resolve() if folder else None)
    try:
        yield
    finally:
        _recordings.pop()


def recordings_dir() -> Path | None:
    """The folder of Kolada recordings (`kolada-values`) the world is calibrated on, or None."""
    folder = _recordings[-1]
    if folder is None:
        return None
    values = folder / "kolada-values"
    return values if values.is_dir() else None


def targets(folder: Path, sexes_kept: tuple[str, ...] = ("women", "men")) -> pd.DataFrame:
    """Recorded municipal rates to fit: kpi, group, area, year, sex, rate (world scale, 0-1);
    `sexes_kept` may add `total`."""
    from etl.demo.world import RAMS_SHIFT  # the world module imports this one

    sexes = code_map("kolada", "sex")
    frames = []
    for row in load("demo_calibration").itertuples():
        df = read_ddf(row.kpi, folder)
        df = df[(df.year >= int(row.first_year)) & (df.year <= int(row.last_year))]
        df = df[(df.geo.str.len() == 4) & ~df.geo.str.startswith("00") & df.value.notna()]
        df = df[df.gender.map(sexes).isin(sexes_kept)]
        shift = RAMS_SHIFT if row.series.startswith("RAMS") else 0.0
        frames.append(pd.DataFrame({
            "kpi": row.kpi, "group": row.birth_group, "area": df.geo, "year": df.year,
            "sex": df.gender.map(sexes), "rate": (df.value - shift) / 100,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _offsets(frame: pd.DataFrame, rate: pd.Series, target: pd.DataFrame) -> pd.Series:
    """Rate offset per (area, year, sex): recorded years exact, the others from the nearest ones."""
    keys = ["area", "year", "sex"]
    gap = target.set_index(keys).rate - rate.reindex(target.set_index(keys).index)
    wide = gap.unstack("year").reindex(columns=sorted(frame.year.unique()))
    wide = wide.interpolate(axis=1, limit_direction="both").fillna(0.0)
    return wide.stack().rename("offset").reorder_levels(keys)


def _fit(frame: pd.DataFrame, groups: tuple[str, ...], target: pd.DataFrame) -> pd.DataFrame:
    """Move the employed of `groups` by one rate offset per cell, exact where a target exists."""
    keys = ["area", "year", "sex"]
    part = frame[frame.group.isin(groups)]
    sums = part.groupby(keys)[["pop", "emp"]].sum()
    offset = _offsets(frame, sums.emp / sums["pop"].where(sums["pop"] > 0), target)
    idx = pd.MultiIndex.from_frame(part[keys])
    pop = part["pop"].to_numpy()
    rate = (
        part.emp.to_numpy() / np.where(pop > 0, pop, 1) + offset.reindex(idx).fillna(0).to_numpy()
    )
    emp = np.round(pop * np.clip(rate, *RATE_LIMITS))  # round: repeated fits never drift down
    out = frame.copy()
    out.loc[part.index, "emp"] = emp
    wanted = target.set_index(keys).rate.reindex(sums.index)
    want_emp = np.round(sums["pop"] * wanted)  # the group total that reproduces the recording
    have = out.loc[part.index].groupby(keys).emp.sum()
    short = (want_emp - have).dropna()
    largest = part.assign(p=pop).sort_values("p").groupby(keys).tail(1)
    fix = largest.set_index(keys).index.map(short.to_dict().get)
    fix = pd.Series(fix, index=largest.index).fillna(0.0)
    top = np.floor(out.loc[fix.index, "pop"] * RATE_LIMITS[1])
    out.loc[fix.index, "emp"] = np.clip(out.loc[fix.index, "emp"] + fix, 0, top)
    # the labour force fits the population, also in the age bands split from these counts
    out["unemp"] = np.minimum(out.unemp, np.floor(0.5 * (out["pop"] - out.emp)))
    return out


def _fit_total(out: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """Set the Swedish-born counts so that all groups together give the recorded total rate."""
    keys = ["area", "year", "sex"]
    fb = out[out.group.isin(FOREIGN)].groupby(keys).emp.sum()
    allpop = out.groupby(keys)["pop"].sum()
    se = out[out.group == "sweden"].set_index(keys)["pop"]
    t = total.set_index(keys).rate
    se_rate = (t * allpop.reindex(t.index) - fb.reindex(t.index)) / se.reindex(t.index)
    return _fit(out, ("sweden",), se_rate.rename("rate").reset_index())


def calibrate(muni: pd.DataFrame, folder: Path | None) -> pd.DataFrame:
    """The municipal world fitted to the recordings in `folder` (unchanged without recordings).

    The municipality sizes first (SCB TAB5557), the foreign-born shares (N00221), then the
    municipal rates; then the population weights, so that the summed municipalities give the
    recorded county rates (etl/demo/calibrate_counties.py); the counties' split by sex and their
    weights in the country; the municipal rates again, and last the employed within rounding so
    every recorded county and country rate fits (etl/demo/calibrate_exact.py).
    """
    if folder is None:
        return muni
    found = targets(folder)
    if found.empty:
        return muni
    counties = county_targets(folder)
    by_group = {g: counties[counties.group == g] if len(counties) else counties
                for g in ("foreign", "total")}  # fmt: skip
    foreign = found[found.group == "foreign"].drop_duplicates(["area", "year", "sex"])
    total = found[found.group == "total"].drop_duplicates(["area", "year", "sex"])
    out = _fit(fit_foreign_share(fit_sizes(muni, folder.parent / "scb"), folder), FOREIGN, foreign)
    keys = ["area", "year", "sex"]
    base = out[out.group.isin(FOREIGN)].groupby(keys)["pop"].sum()
    for _ in range(ROUNDS):  # alternate: the split by sex moves the counties' weights a little
        out = _fit(fit_sex_split(out, folder), FOREIGN, foreign)
        out = tilt(out, FOREIGN, (), by_group["foreign"], FOREIGN, base)
    out = _fit(out, FOREIGN, foreign)
    out = _fit_total(out, total)
    out = tilt(out, ("sweden",), FOREIGN, by_group["total"], (*FOREIGN, "sweden"))
    out = _fit_total(out, total)
    levels = county_targets(folder, country=True).rename(columns={"group": "kind"})
    sexes_all = county_targets(folder, country=True, sexes_kept=("women", "men", "total"))
    sexes_all = sexes_all.rename(columns={"group": "kind"})
    sexes = sexes_all[sexes_all.county != "00"]
    if len(levels):  # the counties' sex split, the country from their weights, then to rounding
        for _ in range(SPLIT_ROUNDS):
            out = fit_sex_ratio(fit_sex_ratio(out, sexes, "foreign"), sexes, "total")
            out = tilt(_fit_total(out, total), ("sweden",), FOREIGN, by_group["total"],
                       (*FOREIGN, "sweden"))  # fmt: skip
            out = fit_country(out, levels[levels.county == "00"])
        out = fit_sex_ratio(fit_sex_ratio(out, sexes, "foreign"), sexes, "total")
        out = tilt(_fit_total(out, total), ("sweden",), FOREIGN, by_group["total"],
                   (*FOREIGN, "sweden"))  # fmt: skip
        out = _fit_total(_fit(out, FOREIGN, foreign), total)
        municipal = found.rename(columns={"group": "kind"})
        with_totals = targets(folder, ("women", "men", "total")).rename(columns={"group": "kind"})
        kept = fit_whole_people(fit_exact(out, levels, municipal), levels, municipal)
        split = fit_municipal_totals(out, with_totals)
        split = fit_whole_people(fit_exact(split, levels, with_totals), levels, municipal)
        out = keep_counties(split, kept, sexes_all)
    log.info("demo world calibrated on %d municipal and %d county rates", len(found), len(counties))
    return out


def named_misses(muni: pd.DataFrame, folder: Path | None) -> list[str]:
    """The recorded county and country rates (women, men and both sexes) the summed counts miss by
    more than rounding, named."""
    if folder is None:
        return []
    levels = county_targets(folder, country=True, sexes_kept=("women", "men", "total"))
    levels = levels.rename(columns={"group": "kind"})
    if levels.empty:
        return []
    names = {"00": "Riket", **reference.counties().set_index("code").name.to_dict()}
    return [
        f"{r.kpi} {names.get(r.county, r.county)} ({r.county}) {r.year} {r.sex}: "
        f"{100 * r.summed:.2f} against {100 * r.rate:.2f} (world scale)"
        for r in misses(muni, levels).itertuples()
    ]
