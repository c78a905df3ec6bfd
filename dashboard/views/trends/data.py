"""The Trends view's data: every year of the shown groups for the chosen areas, and the gap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard.core import queries
from dashboard.core.frames import any_synthetic, gap_frame, small_threshold
from dashboard.core.gaps import GAPS, Gap, Group
from dashboard.core.mappings import BIRTH_SETS
from dashboard.core.queries import Catalogue
from dashboard.views.trends.state import TrendsState

SEXES = {"split": ("women", "men"), "total": ("total",)}  # the sexes drawn per "sexes" choice


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
    groups = [Group(s, b) for b in BIRTH_SETS[state.birth] for s in SEXES[state.sexes]]
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
