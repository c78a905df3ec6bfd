"""View models: state → the DataFrames a view shows (queried per request, never the whole warehouse)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.core import queries
from dashboard.core.gaps import GAPS, Gap, Group
from dashboard.core.mappings import BIRTH_SETS
from dashboard.core.queries import Catalogue
from dashboard.core.records import records
from dashboard.urlstate import COUNTRY, MapState, PeersState, TrendsState
from etl.areas import regso_codes_in_year
from etl.row_provenance import combine
from etl.settings import Settings

log = logging.getLogger(__name__)
# dashboard/views/<page>/ packages (the area profile) import beside this module until the
# restructuring turns dashboard/views/ into the package

SEX_SETS = {"split": ("women", "men"), "total": ("total",)}
_PER_GROUP = ("value", "numerator", "denominator", "status", "provenance")


def small_threshold() -> int:
    """Population below which a value is flagged as small numbers (LABOURDASH_SMALL_POPULATION)."""
    return Settings().small_population


def wide(obs: pd.DataFrame, groups: list[Group]) -> pd.DataFrame:
    """One row per (area_code, year), columns value_i/numerator_i/denominator_i/status_i per group."""
    index = {g.key: i for i, g in enumerate(groups)}
    empty = {f"{c}_{i}": None for i in range(len(groups)) for c in _PER_GROUP}
    rows: dict[tuple, dict] = {}
    cols = [
        "area_code",
        "year",
        "sex",
        "birth_region",
        *_PER_GROUP,
        "series",
        "series_break",
        "synthetic",
    ]
    if "provenance" not in obs:  # rows from a warehouse built before the column existed
        obs = obs.assign(provenance=None)
    for r in records(obs[cols]) if len(obs) else []:
        i = index.get(f"{r['sex']}.{r['birth_region']}")
        if i is None:
            continue
        row = rows.get((r["area_code"], r["year"]))
        if row is None:
            row = {
                "area_code": r["area_code"],
                "year": r["year"],
                **empty,
                "series": None,
                "series_break": False,
                "synthetic": False,
            }
            rows[(r["area_code"], r["year"])] = row
        for c in _PER_GROUP:
            row[f"{c}_{i}"] = r[c]
        row["series"] = row["series"] or r["series"]
        row["series_break"] = row["series_break"] or bool(r["series_break"])
        row["synthetic"] = row["synthetic"] or bool(r["synthetic"])
    columns = ["area_code", "year", *empty, "series", "series_break", "synthetic"]
    frame = pd.DataFrame(list(rows.values()), columns=columns)
    for i in range(len(groups)):
        for c in ("value", "numerator", "denominator"):
            frame[f"{c}_{i}"] = pd.to_numeric(frame[f"{c}_{i}"], errors="coerce").astype("float64")
    return finish(frame.sort_values(["area_code", "year"]).reset_index(drop=True), len(groups))


def combined_status(frame: pd.DataFrame, n: int) -> pd.Series:
    """'ok' when every group has a value, else 'suppressed' if any is suppressed, else 'missing'."""
    statuses = frame[[f"status_{i}" for i in range(n)]]
    ok = (statuses == "ok").all(axis=1)
    suppressed = (statuses == "suppressed").any(axis=1)
    return pd.Series(
        np.where(ok, "ok", np.where(suppressed, "suppressed", "missing")), index=frame.index
    )


def add_small(frame: pd.DataFrame, n: int, threshold: int) -> pd.DataFrame:
    """Adds 'population' (smallest group denominator) and 'small' (population < threshold)."""
    dens = frame[[f"denominator_{i}" for i in range(n)]]
    frame["population"] = dens.min(axis=1, skipna=True)
    frame["small"] = frame["population"].notna() & (frame["population"] < threshold)
    return frame


def finish(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """Statuses of a pivoted frame: no row → 'missing'; 'ok' without a value → 'missing'."""
    # a value derived as share x population (RegSO sets) is shown like 'ok', flagged 'derived'
    status_cols = [f"status_{i}" for i in range(n)]
    frame["derived"] = (frame[status_cols] == "derived").any(axis=1) if n else False
    frame[status_cols] = frame[status_cols].replace("derived", "ok")
    for i in range(n):
        status = frame[f"status_{i}"].fillna("missing")
        frame[f"status_{i}"] = status.where(
            ~(frame[f"value_{i}"].isna() & (status == "ok")), "missing"
        )
    frame["series_break"] = frame["series_break"].fillna(False).astype(bool)
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    provenance = [f"provenance_{i}" for i in range(n)]
    if n and all(c in frame for c in provenance):  # real only where every group's row is real
        columns = (frame[c] for c in provenance)
        frame["provenance"] = [combine(labels) for labels in zip(*columns, strict=True)]
    return frame


def gap_frame(obs: pd.DataFrame, gap: Gap, threshold: int, pivoted: bool = False) -> pd.DataFrame:
    """Per (area, year): value_a/value_b (…_0, …_1), gap = a − b in pp, status, small, synthetic."""
    frame = finish(obs, 2) if pivoted else wide(obs, [gap.a, gap.b])
    if frame.empty:
        for c in ("value_0", "value_1", "gap", "status", "population", "small", "synthetic",
                  "provenance"):  # fmt: skip
            frame[c] = pd.Series(
                dtype="float64" if c.startswith(("value", "gap", "pop")) else "object"
            )
        return frame
    frame["gap"] = (frame["value_0"] - frame["value_1"]).round(6)
    frame["status"] = combined_status(frame, 2)
    return add_small(frame, 2, threshold)


def value_frame(
    obs: pd.DataFrame, group: Group, threshold: int, pivoted: bool = False
) -> pd.DataFrame:
    """Per (area, year): one group's value_0, status, small, synthetic."""
    frame = finish(obs, 1) if pivoted else wide(obs, [group])
    if frame.empty:
        for c in ("value_0", "status", "population", "small", "synthetic", "provenance"):
            frame[c] = pd.Series(dtype="float64" if c.startswith(("value", "pop")) else "object")
        return frame
    frame["status"] = frame["status_0"]
    return add_small(frame, 1, threshold)


def any_synthetic(*frames: pd.DataFrame) -> bool:
    """Whether any row of the frames is a synthetic value."""
    return any(
        len(f) and "synthetic" in f and bool(f["synthetic"].fillna(False).astype(bool).any())
        for f in frames
    )


def missing_group(cat: Catalogue, indicator: str, age: str, groups: list[Group]) -> Group | None:
    """The first of the groups the indicator has no values for (None: all have some)."""
    return next((g for g in groups if not cat.has_group(indicator, age, g)), None)


def missing_units(indicator: str | None) -> list[str]:
    """'source:unit' of the refresh units feeding the indicator that never succeeded."""
    units = queries.unit_status()
    if units.empty or not indicator:
        return []
    feeds = units.indicators.str.split(",").map(lambda xs: indicator in xs)
    return [
        f"{u.source}:{u.unit_key}" for u in units[feeds & (units.state == "missing")].itertuples()
    ]


def with_names(frame: pd.DataFrame, cat: Catalogue, lang: str) -> pd.DataFrame:
    """Adds the area's display name."""
    names = cat.names(lang)
    frame["area"] = [names.get(c, c) for c in frame["area_code"]]
    return frame


@dataclass
class MapData:
    """Values per area for the map (all areas of the level, missing ones included)."""

    frame: pd.DataFrame
    groups: list[Group]
    level: str
    municipality: str | None
    empty_reason: str | None = None
    zrange: tuple[float, float] | None = None  # colour range over all years, so play compares
    colour: str = "gap"  # what the map is coloured by: the gap or group 0's value

    @property
    def column(self) -> str:
        """The frame's column the colour shows."""
        return "gap" if self.colour == "gap" else "value_0"

    @property
    def shown(self) -> list[tuple[str, float]]:
        """(name, value) of every area with a value shown, in the frame's order."""
        f = self.frame
        ok = f[(f["status"] == "ok") & f[self.column].notna()]
        return list(zip(ok["area"], ok[self.column].astype(float), strict=True))

    @property
    def n_missing(self) -> int:
        """Areas of the map without a value (missing or suppressed)."""
        return int((self.frame["status"] != "ok").sum())

    @property
    def synthetic(self) -> bool:
        """Whether any shown value is synthetic."""
        return any_synthetic(self.frame)


def colour_range(
    state: MapState, groups: list[Group], threshold: int
) -> tuple[float, float] | None:
    """The colour range of the map over every year of the view (not just the shown year)."""
    municipality = state.municipality if state.level == "regso" else None
    obs = queries.pivot(
        state.indicator, state.age, groups, level=state.level, municipality=municipality
    )
    if obs.empty:
        return None
    if state.colour == "gap":
        values = gap_frame(obs, GAPS[state.gap], threshold, pivoted=True)["gap"].dropna()
        if values.empty:
            return None
        # 1st-99th percentile: a few outliers must not wash it out; the sign decides the scale
        return (float(values.quantile(0.01)), float(values.quantile(0.99)))
    values = value_frame(obs, groups[0], threshold, pivoted=True)["value_0"].dropna()
    return None if values.empty else (float(values.quantile(0.01)), float(values.quantile(0.99)))


def map_data(state: MapState, cat: Catalogue, lang: str) -> MapData:
    """Gap or value per area of the chosen level for one year."""
    threshold = small_threshold()
    municipality = state.municipality if state.level == "regso" else None
    if state.colour == "gap":
        gap = GAPS[state.gap]
        groups = [gap.a, gap.b]
    else:
        groups = [Group.parse(state.group)]
    obs = queries.pivot(
        state.indicator,
        state.age,
        groups,
        level=state.level,
        municipality=municipality,
        years=[state.year],
    )
    frame = (
        gap_frame(obs, GAPS[state.gap], threshold, pivoted=True)
        if state.colour == "gap"
        else value_frame(obs, groups[0], threshold, pivoted=True)
    )
    # every area of the level, so that areas without a row show as missing (not as 0, not blank)
    areas = cat.areas[cat.areas["level"] == state.level]
    if municipality is not None:
        areas = areas[areas["municipality_code"] == municipality]
        areas = areas.loc[regso_codes_in_year(list(areas.index), state.year)]  # one vintage
    base = pd.DataFrame({"area_code": areas.index.astype(str), "year": state.year})
    frame = base.merge(frame, on=["area_code", "year"], how="left")
    frame["status"] = frame["status"].fillna("missing")
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    frame["small"] = frame["small"].fillna(False).astype(bool)
    frame = with_names(frame, cat, lang)
    reason = None
    if frame.empty:
        reason = "no_areas"
    elif (frame["status"] != "ok").all():
        reason = "no_data"
    for g in groups:
        if not cat.has_group(state.indicator, state.age, g):
            reason = "no_group"
    zrange = None if reason else colour_range(state, groups, threshold)
    return MapData(frame, groups, state.level, municipality, reason, zrange, state.colour)


@dataclass
class TrendsData:
    """Long observations of the shown groups plus the gap per area and year."""

    obs: (
        pd.DataFrame
    )  # area_code, year, group(key), value, numerator, denominator, status, series...
    gaps: pd.DataFrame  # gap_frame over all years for the chosen areas
    groups: list[Group]
    gap: Gap
    empty_reason: str | None = None
    ends: dict[str, GapEnds] = field(default_factory=dict)  # per area with a gap, in state order
    synthetic: bool = False


@dataclass(frozen=True)
class GapEnds:
    """An area's gap in its first and last year with one, and group a's value that last year."""

    first_year: int
    first_gap: float
    last_year: int
    last_value: float
    last_gap: float


def gap_ends(gaps: pd.DataFrame, areas: Sequence[str]) -> dict[str, GapEnds]:
    """Per area (in the given order, areas without any gap left out): its first and last gap."""
    if "gap" not in gaps:
        return {}
    known = gaps[gaps["gap"].notna()].sort_values("year")
    out: dict[str, GapEnds] = {}
    for area in areas:
        rows = known[known["area_code"] == area]
        if len(rows):
            a, z = rows.iloc[0], rows.iloc[-1]
            out[area] = GapEnds(int(a["year"]), float(a["gap"]), int(z["year"]),
                                float(z["value_0"]), float(z["gap"]))  # fmt: skip
    return out


def trend_groups(state: TrendsState, cat: Catalogue) -> list[Group]:
    """Groups drawn as lines: the chosen birth regions × sexes, plus the gap's two groups."""
    groups = [Group(s, b) for b in BIRTH_SETS[state.birth] for s in SEX_SETS[state.sexes]]
    gap = GAPS[state.gap]
    for g in (gap.b, gap.a):
        if g not in groups:
            groups.append(g)
    return [g for g in groups if cat.has_group(state.indicator, state.age, g)]


def trends_data(state: TrendsState, cat: Catalogue) -> TrendsData:
    """All years of the shown groups for the chosen areas."""
    threshold = small_threshold()
    gap = GAPS[state.gap]
    groups = trend_groups(state, cat)
    if not state.areas:
        return TrendsData(pd.DataFrame(), pd.DataFrame(), groups, gap, "no_areas")
    obs = queries.observations(
        state.indicator, state.age, area_codes=list(state.areas), groups=groups or [gap.a]
    )
    obs["group"] = obs["sex"] + "." + obs["birth_region"]
    obs["small"] = obs["denominator"].notna() & (obs["denominator"] < threshold)
    gaps = gap_frame(obs, gap, threshold)
    reason = None
    if not groups:
        reason = "no_group"
    elif obs["value"].notna().sum() == 0:
        reason = "no_data"
    ends = gap_ends(gaps, state.areas)
    return TrendsData(obs, gaps, groups, gap, reason, ends, any_synthetic(obs))


@dataclass
class PeersData:
    """Gap frame for the peer set in the chosen year and the slope start year, with stats."""

    frame: pd.DataFrame  # year == state.year, one row per peer, with rank
    frame0: pd.DataFrame  # year == state.year0
    members: list[str]
    gap: Gap
    stats: dict[str, float | int | None] = field(default_factory=dict)
    empty_reason: str | None = None
    slope: SlopeFacts | None = None
    series_differ: bool = False  # the two years come from different series (a break between)
    synthetic: bool = False


@dataclass(frozen=True)
class SlopeFacts:
    """The selected municipality's gap in both years, and how many of n peers' gaps narrowed."""

    gap0: float | None
    gap1: float | None
    narrowed: int
    n: int


def slope_facts(now: pd.DataFrame, then: pd.DataFrame, municipality: str) -> SlopeFacts:
    """Gap then and now of the municipality; peers (with both gaps) whose gap got smaller."""
    both = then[["area_code", "gap"]].merge(
        now[["area_code", "gap"]], on="area_code", suffixes=("0", "1")
    )
    both = both[both["gap0"].notna() & both["gap1"].notna()]
    sel = both[both["area_code"] == municipality]
    return SlopeFacts(
        float(sel["gap0"].iloc[0]) if len(sel) else None,
        float(sel["gap1"].iloc[0]) if len(sel) else None,
        int((both["gap1"].abs() < both["gap0"].abs()).sum()),
        len(both),
    )


def series_differ(now: pd.DataFrame, then: pd.DataFrame) -> bool:
    """Whether the two frames' values come from different series (both known)."""
    series_now = set(now["series"].dropna()) if "series" in now else set()
    series_then = set(then["series"].dropna()) if "series" in then else set()
    return bool(series_now and series_then and series_now != series_then)


def peer_members(state: PeersState) -> list[str]:
    """The peer set's municipalities, the selected one included (at the country, no municipality
    chosen: the counties and the country, the national picture)."""
    if state.kind == "custom":
        members = list(state.custom)
        if members and state.municipality not in members:
            members.append(state.municipality)
        return sorted(set(members))
    if state.municipality == COUNTRY:
        return sorted({*queries.catalogue().codes("county"), COUNTRY})
    return queries.peer_codes(state.kind, state.municipality)


def weighted_mean(values: pd.Series, weights: pd.Series) -> float | None:
    """Σ value·weight / Σ weight over rows where both are known (None if no weight)."""
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return None
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum())


def peers_data(state: PeersState, cat: Catalogue, lang: str) -> PeersData:
    """Peer comparison: values, gap, rank x of n, median and population-weighted mean."""
    threshold = small_threshold()
    gap = GAPS[state.gap]
    members = peer_members(state)
    if len(members) < 2:
        return PeersData(pd.DataFrame(), pd.DataFrame(), members, gap, {}, "no_peers")
    obs = queries.pivot(
        state.indicator,
        state.age,
        [gap.a, gap.b],
        area_codes=members,
        years=sorted({state.year, state.year0}),
    )
    frame = gap_frame(obs, gap, threshold, pivoted=True)

    def year_rows(year: int) -> pd.DataFrame:
        rows = frame[frame["year"] == year].set_index("area_code").reindex(members)
        return rows.rename_axis("area_code").reset_index()

    now, then = year_rows(state.year), year_rows(state.year0)
    for f, y in ((now, state.year), (then, state.year0)):
        f["year"] = y
        f["status"] = f["status"].fillna("missing")
        f["synthetic"] = f["synthetic"].fillna(False).astype(bool)
        f["small"] = f["small"].fillna(False).astype(bool)
        with_names(f, cat, lang)
    descending = cat.higher_is_better(state.indicator) is not False
    now["rank"] = now["value_0"].rank(ascending=not descending, method="min")
    ranked = now[now["value_0"].notna()]
    sel = now[now["area_code"] == state.municipality]
    ranked_sel = len(sel) and pd.notna(sel["rank"].iloc[0]) and state.municipality != COUNTRY
    stats: dict[str, float | int | None] = {
        "n": int(len(ranked)),
        "rank": int(sel["rank"].iloc[0]) if ranked_sel else None,  # the country is not ranked
        "median_a": float(ranked["value_0"].median()) if len(ranked) else None,
        "median_gap": float(now["gap"].median()) if now["gap"].notna().any() else None,
        "wmean_a": weighted_mean(now["value_0"], now["denominator_0"])
        if "denominator_0" in now
        else None,
        "wmean_b": weighted_mean(now["value_1"], now["denominator_1"])
        if "denominator_1" in now
        else None,
        "value_a": float(sel["value_0"].iloc[0])
        if len(sel) and pd.notna(sel["value_0"].iloc[0])
        else None,
        "value_b": float(sel["value_1"].iloc[0])
        if len(sel) and pd.notna(sel["value_1"].iloc[0])
        else None,
        "gap": float(sel["gap"].iloc[0]) if len(sel) and pd.notna(sel["gap"].iloc[0]) else None,
    }
    if stats["wmean_a"] is not None and stats["wmean_b"] is not None:
        stats["wmean_gap"] = stats["wmean_a"] - stats["wmean_b"]
    reason = "no_data" if ranked.empty else None
    order = now.sort_values(["rank", "area"], na_position="last").reset_index(drop=True)
    return PeersData(order, then, members, gap, stats, reason, slope_facts(order, then, state.municipality),
                     series_differ(order, then), any_synthetic(order, then))  # fmt: skip
