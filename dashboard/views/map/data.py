"""The Map view's data: the gap or a group's value per area of the chosen level for one year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import queries
from dashboard.core.frames import any_synthetic, gap_frame, small_threshold, value_frame, with_names
from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.views.map.state import MapState
from etl.areas import regso_codes_in_year


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
        return _fitted(values)
    values = value_frame(obs, groups[0], threshold, pivoted=True)["value_0"].dropna()
    return None if values.empty else _fitted(values)


def _fitted(values: pd.Series) -> tuple[float, float]:
    """1st-99th percentile, so a few outliers do not wash the colours out; but the range keeps
    the sign of every value: one area above zero makes the scale diverge, never 'all below'."""
    lo, hi = float(values.quantile(0.01)), float(values.quantile(0.99))
    low, high = float(values.min()), float(values.max())
    if high > 0 >= hi:
        hi = high
    if low < 0 <= lo:
        lo = low
    return lo, hi


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
