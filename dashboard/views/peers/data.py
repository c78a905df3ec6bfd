"""The Peers view's data: the peer set's gaps in the chosen year and the slope start year, ranks,
the median and the population-weighted mean."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.core import queries
from dashboard.core.frames import (
    any_synthetic,
    gap_frame,
    small_threshold,
    weighted_mean,
    with_names,
)
from dashboard.core.gaps import GAPS, Gap
from dashboard.core.queries import Catalogue
from dashboard.urlstate import COUNTRY
from dashboard.views.peers.state import PeersState


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
