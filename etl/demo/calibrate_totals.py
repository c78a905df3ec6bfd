"""Give each recorded municipality's women + men its real total of both sexes, to rounding.

A municipality's women's and men's rates are fitted to their recordings, but its total of both
sexes follows from its split by sex, which the county fits (etl/demo/calibrate_exact.py
`fit_sex_ratio`) scale alike across the county. Here the fewest people move between the
municipality's women and men of the moved group (the foreign-born, or the Swedish-born for a total
KPI), with employed such that the women's, the men's and both sexes' rates all fit their
recordings to rounding. The municipality keeps its people unless its own size leaves no whole
number of employed inside the total's rounding; then it gains or loses up to RESIZE men. A
county's split moves by the few people its municipalities trade, which `fit_exact` then absorbs
within rounding; a county or year that would still lose its fit keeps its old split
(`keep_counties`).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from etl.demo.calibrate_exact import KINDS, _window, misses

log = logging.getLogger(__name__)
SEARCH = 200  # people: the most moved between one municipality's women and men
SHARE_MOVED = 0.12  # and at most this share of the moved group's smaller sex
RESIZE = 3  # people: a municipality may gain or lose this many men where its own size blocks a fit
RESIZE_COST = 10  # one person added or taken weighs as much as this many moved between the sexes
SLACK = 10  # people: a move this much (or twice) the smallest may be taken to balance the county


def _cells(muni: pd.DataFrame, kind: str, municipal: pd.DataFrame) -> pd.DataFrame:
    """Per recorded municipality and year: each sex's people, employed, recorded rate and the
    moved group's people, with the recorded rate of both sexes."""
    groups, mover = KINDS[kind]
    keys = ["area", "year", "sex"]
    rows = muni[muni.sex.isin(["women", "men"])]
    part = rows[rows.group.isin(groups)].groupby(keys)[["pop", "emp"]].sum()
    moved = rows[rows.group == mover].set_index(keys)["pop"].rename("mpop")
    rates = municipal[municipal.kind == kind].drop_duplicates(keys).set_index(keys).rate
    part = part.join(moved).join(rates).reset_index()
    wide = part.pivot_table(index=["area", "year"], columns="sex",
                            values=["pop", "emp", "mpop", "rate"])  # fmt: skip
    wide.columns = [f"{c}_{s}" for c, s in wide.columns]
    both = (
        rates.xs("total", level="sex") if "total" in rates.index.get_level_values("sex") else None
    )
    if both is None:
        return pd.DataFrame()
    wide = wide.join(both.rename("rate_total"), how="inner")
    return wide.dropna()


def _feasible(c: pd.DataFrame, k: int, dn: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For k people moved from men to women and dn people more among the men, per row: whether
    all three rates can fit, and the employed changes (x women, y men) that change them least."""
    pw, pm = c.pop_women.to_numpy(), c.pop_men.to_numpy()
    ew, em = c.emp_women.to_numpy(), c.emp_men.to_numpy()
    t_lo, t_hi = _window(pw + pm + dn, ew + em, c.rate_total.to_numpy())
    x_lo, x_hi = _window(pw + k, ew, c.rate_women.to_numpy())
    y_lo, y_hi = _window(pm - k + dn, em, c.rate_men.to_numpy())
    s_lo, s_hi = np.maximum(x_lo + y_lo, t_lo), np.minimum(x_hi + y_hi, t_hi)
    s = np.clip(0.0, s_lo, s_hi)
    x = np.maximum(x_lo, s - y_hi)
    return s_lo <= s_hi, x, s - x


def _moves(c: pd.DataFrame) -> pd.DataFrame:
    """Per row the people move k (men to women), dn (more men) and employed (x women, y men) that
    fit all three rates; the municipality's people kept where possible, and among the near-smallest
    moves the one that keeps the county's net move nearest zero."""
    grid = [(k, dn) for dn in sorted(range(-RESIZE, RESIZE + 1), key=abs)
            for k in range(-SEARCH, SEARCH + 1)]  # fmt: skip
    ks = np.array([k for k, _ in grid])
    dns = np.array([dn for _, dn in grid])
    limit = np.minimum(SEARCH, np.floor(SHARE_MOVED * np.minimum(c.mpop_women, c.mpop_men)))
    ok = np.zeros((len(c), len(grid)), bool)
    xs, ys = np.zeros(ok.shape), np.zeros(ok.shape)
    for j, (k, dn) in enumerate(grid):
        ok[:, j], xs[:, j], ys[:, j] = _feasible(c, k, dn)
    ok &= np.abs(ks)[None, :] <= limit.to_numpy()[:, None]
    cost = np.abs(ks) + RESIZE_COST * np.abs(dns)
    smallest = np.where(ok, cost[None, :], np.inf).min(axis=1)
    near = ok & (cost[None, :] <= np.maximum(2 * smallest, smallest + SLACK)[:, None])
    chosen = np.full(len(c), -1)
    county = c.index.get_level_values("area").str[:2] + c.index.get_level_values("year").astype(str)
    for cell in pd.unique(county):  # largest moves first, each leaning against the running sum
        rows = np.flatnonzero(county == cell)
        net = 0
        for i in rows[np.argsort(-smallest[rows])]:
            options = np.flatnonzero(near[i])
            if len(options):
                j = options[np.argmin(np.abs(net + ks[options]) * 1000 + cost[options])]
                chosen[i], net = j, net + ks[j]
    hit = chosen >= 0
    rows, cols = np.flatnonzero(hit), chosen[hit]
    return pd.DataFrame({"k": ks[cols], "dn": dns[cols], "x": xs[rows, cols], "y": ys[rows, cols]},
                        index=c.index[hit])  # fmt: skip


def fit_municipal_totals(muni: pd.DataFrame, municipal: pd.DataFrame) -> pd.DataFrame:
    """Move people and employed between each recorded municipality's women and men so that both
    sexes give its recorded total (`municipal`: kind, area, year, sex incl. total, rate)."""
    out = muni.copy()
    for kind, (_, mover) in KINDS.items():
        cells = _cells(out, kind, municipal)
        if cells.empty:
            continue
        moves = _moves(cells)
        moves = moves[(moves.k != 0) | (moves.dn != 0) | (moves.x != 0) | (moves.y != 0)]
        women = moves.assign(sex="women").rename(columns={"x": "de"}).assign(dp=moves.k)
        men = moves.assign(sex="men").rename(columns={"y": "de"}).assign(dp=moves.dn - moves.k)
        delta = pd.concat([women, men]).reset_index().set_index(["area", "year", "sex"])
        at = out.group.eq(mover).to_numpy()
        idx = pd.MultiIndex.from_frame(out.loc[at, ["area", "year", "sex"]])
        d = delta.reindex(idx).fillna(0.0)
        out.loc[at, "pop"] = out.loc[at, "pop"].to_numpy() + d.dp.to_numpy()
        out.loc[at, "emp"] = out.loc[at, "emp"].to_numpy() + d.de.to_numpy()
        log.info("%s: %d of %d municipal totals of both sexes fitted by moving people between the "
                 "sexes (%d people moved)", kind, len(moves), len(cells), moves.k.abs().sum())  # fmt: skip
    out["unemp"] = np.minimum(out.unemp, np.floor(0.5 * (out["pop"] - out.emp)))
    return out


def keep_counties(split: pd.DataFrame, kept: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """`split`, but each county and year that misses more recorded rates (`levels`: kind, county,
    year, sex incl. total, rate) than in `kept` takes `kept`'s municipalities; a year whose
    country misses more takes `kept` whole. A municipal total never costs a county its fit."""

    def count(world: pd.DataFrame) -> pd.Series:
        return misses(world, levels).groupby(["county", "year"]).size()

    worse = count(split).sub(count(kept), fill_value=0)
    worse = worse[worse > 0].index.to_frame(index=False)
    years = set(worse.year[worse.county == "00"])
    county_years = set(zip(worse.county, worse.year, strict=True))
    pairs = zip(split.area.str[:2], split.year, strict=True)
    at = np.array([(c, y) in county_years or y in years for c, y in pairs])
    out = split.copy()
    out.loc[at] = kept.loc[at]
    log.info("%d county years and %d whole years keep their municipalities' split: fitting the "
             "totals cost them a county or country fit", len(county_years), len(years))  # fmt: skip
    return out
