"""Fit the summed synthetic counts to the real county and country rates to rounding (0.05 pp).

After the population weights (etl/demo/calibrate_counties.py) the summed municipalities come close
to the recorded county rates but not to rounding, and the country is a weighted mean of counties.
These steps close the rest:
- `fit_country`: per year and sex, every county's people (all groups alike) are scaled by one
  factor, tilted on the counties' foreign-born and total rates, so that the country's rates fit.
  Municipal and county rates and the foreign-born shares stay.
- `fit_exact`: the employed counts move where that breaks nothing: a municipality with a real rate
  only within that value's rounding (0.05 pp), one without (synthetic) by at most PLAUSIBLE. Each
  county takes the change its recorded rate needs, the country's change is shared over the
  counties' remaining room, and each county's change over its municipalities' room.
- `fit_whole_people`: a county still off by whole-people steps gets or loses a few people in its
  largest municipality, so that its own and the county's rate both fit.
- `fit_sex_ratio` (before the above): each county's people split by sex so that women + men give
  its real total.
A cell that cannot be reached this way is left nearest and named by `misses`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from etl.demo.calibrate_counties import FOREIGN, county_of

log = logging.getLogger(__name__)
KEYS = ["area", "year", "sex"]
# kind -> (groups whose rate the KPI gives, the group whose employed move)
KINDS = {"foreign": (FOREIGN, "rest_of_world"), "total": ((*FOREIGN, "sweden"), "sweden")}
TOL = 0.0005 - 1e-7  # a one-decimal percentage's rounding, as a rate (0-1), with a float margin
PLAUSIBLE = 0.02  # a synthetic municipal rate moves by at most 2 pp in this step
RATE_LIMITS = (0.05, 0.97)  # the movers' rates stay within the world's plausible range
COUNTRY_LIMIT = 1.5  # no county's people are scaled by more than this factor either way
ROUNDS, STEPS = 8, 50  # alternations of the two country tilts; bisection steps each


def _county_frame(muni: pd.DataFrame) -> pd.DataFrame:
    """Per county, year and sex: people of all groups and the foreign-born and total rates."""
    rows = muni.assign(county=county_of(muni.area))
    keys = ["county", "year", "sex"]
    out = pd.DataFrame({"people": rows.groupby(keys)["pop"].sum()})
    for kind, (groups, _) in KINDS.items():
        sums = rows[rows.group.isin(groups)].groupby(keys)[["pop", "emp"]].sum()
        out[f"pop_{kind}"] = sums["pop"]
        out[f"rate_{kind}"] = sums.emp / sums["pop"].where(sums["pop"] > 0)
    return out.dropna().reset_index()


def _tilt_weights(frame: pd.DataFrame, coef: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """exp(a * foreign + b * total rate offsets) per county, bounded, people per cell kept."""
    n = int(cell.max()) + 1
    expo = np.zeros(len(frame))
    for i, kind in enumerate(KINDS):
        rate = frame[f"rate_{kind}"].to_numpy()
        centre = np.bincount(cell, rate, n) / np.bincount(cell, minlength=n)
        expo += coef[cell, i] * (rate - centre[cell])
    g = np.clip(np.exp(np.clip(expo, -50, 50)), 1 / COUNTRY_LIMIT, COUNTRY_LIMIT)
    people = frame.people.to_numpy()
    return g * (np.bincount(cell, people, n) / np.bincount(cell, g * people, n))[cell]


def _country_rate(frame: pd.DataFrame, g: np.ndarray, cell: np.ndarray, kind: str) -> np.ndarray:
    """The country's rate of `kind` per cell with county weights `g`."""
    n = int(cell.max()) + 1
    pop = g * frame[f"pop_{kind}"].to_numpy()
    emp = pop * frame[f"rate_{kind}"].to_numpy()
    return np.bincount(cell, emp, n) / np.bincount(cell, pop, n)


def country_factors(muni: pd.DataFrame, country: pd.DataFrame) -> pd.Series:
    """Scale per (county, year, sex) that fits the country's recorded rates (`kind`, year, sex, rate).

    Solved where the country is recorded (two tilts, alternated); other years carry the nearest
    recorded years' factors (interpolated), so the series do not jump.
    """
    frame = _county_frame(muni)
    want = country.pivot_table(index=["year", "sex"], columns="kind", values="rate")
    part = frame.join(want.reindex(columns=list(KINDS)), on=["year", "sex"])
    part = part.dropna(subset=list(KINDS), how="all").reset_index(drop=True)
    if part.empty:
        return pd.Series(dtype="float64")
    cell, _ = pd.MultiIndex.from_frame(part[["year", "sex"]]).factorize()
    n = int(cell.max()) + 1
    coef = np.zeros((n, len(KINDS)))
    for _ in range(ROUNDS):
        for i, kind in enumerate(KINDS):
            target = part.groupby(cell)[kind].first().to_numpy()
            lo, hi = np.full(n, -400.0), np.full(n, 400.0)
            for _ in range(STEPS):  # the country's rate rises with its own tilt
                coef[:, i] = (lo + hi) / 2
                low = _country_rate(part, _tilt_weights(part, coef, cell), cell, kind) < target
                lo, hi = np.where(low, coef[:, i], lo), np.where(low, hi, coef[:, i])
            coef[:, i] = np.where(np.isnan(target), 0.0, (lo + hi) / 2)
    part["g"] = np.log(_tilt_weights(part, coef, cell))
    wide = part.set_index(["county", "sex", "year"]).g.unstack("year")
    wide = wide.reindex(columns=sorted(muni.year.unique()))
    wide = wide.interpolate(axis=1, limit_direction="both").fillna(0.0)
    return np.exp(wide.stack()).rename("g").reorder_levels(["county", "year", "sex"])


def fit_country(muni: pd.DataFrame, country: pd.DataFrame) -> pd.DataFrame:
    """Scale every county's people per year and sex so the country's recorded rates fit."""
    g = country_factors(muni, country)
    if g.empty:
        return muni
    keys = muni.assign(county=county_of(muni.area))[["county", "year", "sex"]]
    f = keys.join(g, on=["county", "year", "sex"]).g.fillna(1.0).to_numpy()
    out = muni.copy()
    for col in ("pop", "emp", "unemp"):
        out[col] = np.round(out[col].to_numpy() * f)
    out["emp"] = np.minimum(out.emp, out["pop"])
    log.info("county weights fitted to %d country rates", len(country))
    return out


def share_out(total: np.ndarray, room: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Whole numbers within `room` (>= 0) per row adding up to each cell's `total` (<= its room)."""
    n = len(total)
    space = np.bincount(cell, room, n)
    exact = np.where(space[cell] > 0, total[cell] * room / np.where(space > 0, space, 1)[cell], 0)
    base = np.floor(exact + 1e-9)
    short = np.round(total - np.bincount(cell, base, n))
    order = np.lexsort((-(exact - base), cell))  # within each cell, largest remainder first
    rank = np.empty(len(cell), dtype=np.int64)
    first = np.searchsorted(cell[order], np.arange(n))
    rank[order] = np.arange(len(cell)) - first[cell[order]]
    return np.minimum(base + (rank < short[cell]), room)


def _signed_share(
    total: np.ndarray, lo: np.ndarray, hi: np.ndarray, cell: np.ndarray
) -> np.ndarray:
    """Share each cell's signed `total` over rows within [lo, hi] (lo <= 0 <= hi)."""
    up = share_out(np.maximum(total, 0), hi, cell)
    down = share_out(np.maximum(-total, 0), -lo, cell)
    return up - down


def _window(pop: np.ndarray, emp: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Change of the employed that keeps emp / pop within rounding of `rate`."""
    lo = np.ceil(pop * (rate - TOL) - 1e-9) - emp
    hi = np.floor(pop * (rate + TOL) + 1e-9) - emp
    return lo, hi


def narrow(
    w: tuple[np.ndarray, np.ndarray],
    m: tuple[np.ndarray, np.ndarray],
    both: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sub-windows of the women's and men's changes `w`, `m` (lo, hi) whose every pair of values
    sums within `both` (lo, hi; NaN: no total); unchanged where no pair reaches it."""
    (lo_w, hi_w), (lo_m, hi_m), (t_lo, t_hi) = w, m, both
    a = np.fmax(lo_w + lo_m, t_lo)
    b = np.fmin(hi_w + hi_m, t_hi)
    ok = ~np.isnan(t_lo) & (a <= b)
    width = np.where(ok, b - a, 0.0)
    span_w, span_m = hi_w - lo_w, hi_m - lo_m
    ww = np.floor(width * span_w / np.maximum(span_w + span_m, 1))
    wm = width - ww
    first = np.maximum(lo_w, a - (hi_m - wm))
    last = np.minimum(hi_w - ww, a - lo_m)
    lw = np.floor((first + last) / 2)
    lm = a - lw
    return (np.where(ok, lw, lo_w), np.where(ok, lw + ww, hi_w),
            np.where(ok, lm, lo_m), np.where(ok, lm + wm, hi_m))  # fmt: skip


def _keep_totals(cells: pd.DataFrame, both: pd.Series) -> pd.DataFrame:
    """Narrow each recorded municipality's women's and men's room so that women + men give its
    recorded total to rounding where both rooms allow; `pre` is the move that gets there."""
    wide = cells.set_index(KEYS)[["pop", "emp", "lo", "hi"]].unstack("sex")
    if not {"women", "men"} <= set(wide.columns.get_level_values("sex")):
        return cells.assign(pre=0.0)
    wide = wide.dropna()
    t = both.reindex(wide.index).to_numpy()
    n_all = (wide["pop"]["women"] + wide["pop"]["men"]).to_numpy()
    e_all = (wide.emp["women"] + wide.emp["men"]).to_numpy()
    t_lo, t_hi = _window(n_all, e_all, np.nan_to_num(t))
    t_lo, t_hi = np.where(np.isnan(t), np.nan, t_lo), np.where(np.isnan(t), np.nan, t_hi)
    lw, hw, lm, hm = narrow((wide.lo["women"].to_numpy(), wide.hi["women"].to_numpy()),
                            (wide.lo["men"].to_numpy(), wide.hi["men"].to_numpy()), (t_lo, t_hi))  # fmt: skip
    new = pd.DataFrame({("lo", "women"): lw, ("hi", "women"): hw, ("lo", "men"): lm,
                        ("hi", "men"): hm}, index=wide.index)  # fmt: skip
    new.columns = pd.MultiIndex.from_tuples(new.columns, names=[None, "sex"])
    new = new.stack("sex", future_stack=True).reorder_levels(KEYS)
    out = cells.set_index(KEYS)
    at = out.index.isin(new.index)
    out.loc[at, ["lo", "hi"]] = new.reindex(out.index[at])[["lo", "hi"]].to_numpy()
    pre = np.clip(0.0, out.lo.to_numpy(), out.hi.to_numpy())  # the nearest point of the room
    out = out.assign(pre=pre, emp=out.emp + pre, lo=out.lo - pre, hi=out.hi - pre)
    return out.reset_index()


def _municipal_room(
    muni: pd.DataFrame, kind: str, municipal: pd.Series, both: pd.Series | None = None
) -> pd.DataFrame:
    """Per municipality, year and sex: people, employed and the room of the employed (lo, hi);
    with `both` (recorded totals of both sexes), narrowed so women + men keep them (`pre` moves)."""
    groups, mover = KINDS[kind]
    cells = muni[muni.group.isin(groups)].groupby(KEYS)[["pop", "emp"]].sum()
    moving = muni[muni.group == mover].set_index(KEYS)[["pop", "emp"]]
    moving = moving.reindex(cells.index).fillna(0.0)
    pop, emp = cells["pop"].to_numpy(), cells.emp.to_numpy()
    rate = municipal.reindex(cells.index).to_numpy()
    real_lo, real_hi = _window(pop, emp, np.nan_to_num(rate))
    free = np.floor(pop * PLAUSIBLE)
    lo = np.where(np.isnan(rate), -free, real_lo)
    hi = np.where(np.isnan(rate), free, real_hi)
    mpop, memp = moving["pop"].to_numpy(), moving.emp.to_numpy()
    lo = np.minimum(np.maximum(lo, np.ceil(mpop * RATE_LIMITS[0]) - memp), 0)
    hi = np.maximum(np.minimum(hi, np.floor(mpop * RATE_LIMITS[1]) - memp), 0)
    out = cells.assign(lo=lo, hi=hi).reset_index()
    out = _keep_totals(out, both) if both is not None else out.assign(pre=0.0)
    out["county"] = county_of(out.area)
    return out


def _county_moves(room: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per county, year and sex: the change of its employed that fits its and the country's rate."""
    keys = ["county", "year", "sex"]
    c = room.groupby(keys)[["pop", "emp", "lo", "hi"]].sum()
    rate = targets.set_index(keys).rate
    t = rate.reindex(c.index).to_numpy()
    wlo, whi = _window(c["pop"].to_numpy(), c.emp.to_numpy(), np.nan_to_num(t))
    has = ~np.isnan(t)
    room_lo, room_hi = c.lo.to_numpy(), c.hi.to_numpy()
    lo = np.where(has, np.maximum(np.minimum(wlo, room_hi), room_lo), room_lo)
    hi = np.where(has, np.minimum(np.maximum(whi, room_lo), room_hi), room_hi)
    want = np.round(c["pop"].to_numpy() * np.nan_to_num(t)) - c.emp.to_numpy()
    c["move"] = np.where(has, np.clip(want, lo, hi), 0.0)
    c["lo"], c["hi"] = lo - c.move, hi - c.move  # the room left around the chosen move
    c = c.reset_index()
    # the country: its change shared over the counties' room, nearest the recorded rate
    country = rate[rate.index.get_level_values("county") == "00"].droplevel("county")
    cell, years = pd.MultiIndex.from_frame(c[["year", "sex"]]).factorize()
    n = len(years)
    t0 = country.reindex(years).to_numpy()
    pop0, emp0 = np.bincount(cell, c["pop"], n), np.bincount(cell, c.emp + c.move, n)
    lo0, hi0 = _window(pop0, emp0, np.nan_to_num(t0))
    need = np.where(np.isnan(t0), 0.0, np.clip(0.0, lo0, hi0))
    need = np.clip(need, np.bincount(cell, c.lo, n), np.bincount(cell, c.hi, n))
    c["move"] += _signed_share(need, c.lo.to_numpy(), c.hi.to_numpy(), cell)
    return c[[*keys, "move"]]


def fit_exact(muni: pd.DataFrame, targets: pd.DataFrame, municipal: pd.DataFrame) -> pd.DataFrame:
    """Move the employed within the rounding of real municipal values (synthetic ones within
    PLAUSIBLE) so the summed counts give every recorded county and country rate to rounding.

    `targets` has kind, county ('00' the country), year, sex, rate; `municipal` kind, area, year,
    sex, rate: the real municipal rates the counts reproduce.
    """
    out = muni.copy()
    for kind, (_, mover) in KINDS.items():
        goal = targets[targets.kind == kind].drop_duplicates(["county", "year", "sex"])
        if goal.empty:
            continue
        mine = municipal[municipal.kind == kind].drop_duplicates(KEYS)
        real = mine[mine.sex != "total"].set_index(KEYS).rate
        both = mine[mine.sex == "total"].set_index(["area", "year"]).rate
        room = _municipal_room(out, kind, real, both)
        moves = _county_moves(room, goal)
        room = room.merge(moves, on=["county", "year", "sex"], how="left").fillna({"move": 0.0})
        cell, _ = pd.MultiIndex.from_frame(room[["county", "year", "sex"]]).factorize()
        total = room.groupby(cell).move.first().to_numpy()
        room["x"] = room.pre + _signed_share(total, room.lo.to_numpy(), room.hi.to_numpy(), cell)
        x = out[KEYS].join(room.set_index(KEYS).x, on=KEYS).x.fillna(0.0).to_numpy()
        moved = (out.group == mover).to_numpy()
        out.loc[moved, "emp"] = out.loc[moved, "emp"].to_numpy() + x[moved]
        log.info("%s: %d employed moved to fit the county and country rates", kind, np.abs(x).sum())
    out["unemp"] = np.minimum(out.unemp, np.floor(0.5 * (out["pop"] - out.emp)))
    return out


def misses(muni: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Recorded county and country rates the summed counts miss by more than rounding (pp)."""
    rows = muni.assign(county=county_of(muni.area))
    rows = pd.concat([rows, rows.assign(sex="total")], ignore_index=True)  # both sexes too
    frames = []
    for kind, (groups, _) in KINDS.items():
        part = rows[rows.group.isin(groups)]
        sums = pd.concat([part.groupby(["county", "year", "sex"])[["pop", "emp"]].sum(),
                          part.assign(county="00").groupby(["county", "year", "sex"])[["pop", "emp"]].sum()])  # fmt: skip
        summed = (sums.emp / sums["pop"]).rename("summed")
        frames.append(targets[targets.kind == kind].join(summed, on=["county", "year", "sex"]))
    out = pd.concat(frames, ignore_index=True)
    out["diff"] = 100 * (out.summed - out.rate)
    return out[out["diff"].abs() > 100 * TOL]


SEARCH = 60  # people: how far a county's largest mover group may grow or shrink for whole people


def _whole_people(e_c: float, p_c: float, e_m: float, p_m: float, rate_c: float,
                  rate_m: float) -> tuple[int, int] | None:  # fmt: skip
    """(people, employed) to add to one municipality so both rates fit to rounding, or None."""
    for k in sorted(range(-SEARCH, SEARCH + 1), key=abs):
        lo_c, hi_c = _window(np.array([p_c + k]), np.array([e_c]), np.array([rate_c]))
        lo, hi = lo_c[0], hi_c[0]
        if not np.isnan(rate_m):
            lo_m, hi_m = _window(np.array([p_m + k]), np.array([e_m]), np.array([rate_m]))
            lo, hi = max(lo, lo_m[0]), min(hi, hi_m[0])
        if lo <= hi:  # the added people employed at about the county's rate
            return k, int(np.clip(np.round(k * rate_c), lo, hi))
    return None


def fit_whole_people(
    muni: pd.DataFrame, targets: pd.DataFrame, municipal: pd.DataFrame
) -> pd.DataFrame:
    """Counties still off by whole-people steps: add or take a few people (and employed) in the
    county's largest municipality so its own and the county's rates both fit to rounding."""
    out = muni.copy()
    for row in misses(out, targets).itertuples():
        if row.county == "00" or row.sex not in ("women", "men"):
            continue
        groups, mover = KINDS[row.kind]
        part = out[(out.area.str[:2] == row.county) & (out.year == row.year) & (out.sex == row.sex)]
        cells = part[part.group.isin(groups)].groupby("area")[["pop", "emp"]].sum()
        area = cells["pop"].idxmax()
        real = municipal[(municipal.kind == row.kind) & (municipal.area == area)
                         & (municipal.year == row.year) & (municipal.sex == row.sex)].rate  # fmt: skip
        step = _whole_people(cells.emp.sum(), cells["pop"].sum(), cells.emp[area], cells["pop"][area],
                             row.rate, real.iloc[0] if len(real) else np.nan)  # fmt: skip
        if step is None:
            continue
        at = part.index[(part.area == area) & (part.group == mover)]
        out.loc[at, "pop"] += step[0]
        out.loc[at, "emp"] += step[1]
    return out


SEX_RATIO_LIMIT = 1.25  # a county's women or men of the moved groups scale by at most this
SEX_RATE_MIN = 0.003  # women and men this close: the total does not determine the split


def fit_sex_ratio(muni: pd.DataFrame, levels: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Split each county's people by sex so that women + men give the real county total.

    `levels` has kind, county, year, sex (women, men, total), rate. The women's share `w` of the
    kind's people solves `w * women + (1 - w) * men = total`, with the recorded women's and men's
    rates where there are; the moved groups (the foreign-born, or the Swedish-born for the total)
    take the change, every municipality's women and men by the county's two factors (rates kept).
    Years without a total carry the nearest recorded years' factors.
    """
    groups, _ = KINDS[kind]
    moved_groups = FOREIGN if kind == "foreign" else ("sweden",)
    rows = muni.assign(county=county_of(muni.area))
    keys = ["county", "year", "sex"]
    sums = rows[rows.group.isin(groups)].groupby(keys)[["pop", "emp"]].sum()
    moved = rows[rows.group.isin(moved_groups)].groupby(keys)["pop"].sum()
    goal = levels[(levels.kind == kind) & (levels.county != "00")]
    goal = goal.drop_duplicates(keys).set_index(keys).rate
    rate = goal.reindex(sums.index).fillna(sums.emp / sums["pop"])
    wide = pd.DataFrame({
        "rw": rate.xs("women", level="sex"), "rm": rate.xs("men", level="sex"),
        "pw": sums["pop"].xs("women", level="sex"), "pm": sums["pop"].xs("men", level="sex"),
        "mw": moved.xs("women", level="sex"), "mm": moved.xs("men", level="sex"),
    }).join(goal.xs("total", level="sex").rename("t"), how="inner")  # fmt: skip
    if wide.empty:
        return muni
    split = ((wide.t - wide.rm) / (wide.rw - wide.rm)).where(
        (wide.rw - wide.rm).abs() >= SEX_RATE_MIN
    )
    people = wide.pw + wide.pm
    women = split * people - (wide.pw - wide.mw)  # the moved groups' women for that split
    men = people - split * people - (wide.pm - wide.mm)
    logs = pd.DataFrame({"women": np.log(women / wide.mw), "men": np.log(men / wide.mm)})
    logs = logs.clip(-np.log(SEX_RATIO_LIMIT), np.log(SEX_RATIO_LIMIT)).fillna(0.0)
    logs = logs.stack().rename("f").rename_axis(["county", "year", "sex"]).reset_index()
    table = logs.set_index(["county", "sex", "year"]).f.unstack("year")
    table = table.reindex(columns=sorted(muni.year.unique()))
    table = table.interpolate(axis=1, limit_direction="both").fillna(0.0)
    f = np.exp(table.stack()).rename("f").reorder_levels(keys)
    factor = rows[keys].join(f, on=keys).f.fillna(1.0).to_numpy()
    mask = rows.group.isin(moved_groups).to_numpy()
    out = muni.copy()
    for col in ("pop", "emp", "unemp"):
        out.loc[mask, col] = np.round(out.loc[mask, col].to_numpy() * factor[mask])
    return out
