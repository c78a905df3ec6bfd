"""Explore's view model: the scatter's rows, r, the chosen municipality's point and its peers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.core import queries
from dashboard.core.frames import any_synthetic, gap_frame, small_threshold, with_names
from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.urlstate import COUNTRY
from dashboard.views.explore.state import ExploreState

log = logging.getLogger(__name__)


@dataclass
class ExploreData:
    """One row per municipality: gap (y), x indicator value, population, peer flag."""

    frame: pd.DataFrame
    x_year: int | None
    x_group: Group | None
    peers: list[str]
    empty_reason: str | None = None
    n: int = 0  # municipalities plotted (both a gap and an x value)
    r: float | None = None  # Pearson correlation of x and the gap over them
    x_value: float | None = None  # the selected municipality's x value and gap
    gap_value: float | None = None
    synthetic: bool = False
    country_x: float | None = None  # the country's x value and gap: the reference lines
    country_gap: float | None = None


def country_point(state: ExploreState, x_age: str, xg: Group | None,
                  x_year: int | None) -> tuple[float | None, float | None]:  # fmt: skip
    """The country's x value and gap (the scatter's reference lines; None where it has none)."""
    gap = GAPS[state.gap]
    obs = queries.pivot(state.indicator, state.age, [gap.a, gap.b], area_codes=[COUNTRY],
                        years=[state.year])  # fmt: skip
    gaps = gap_frame(obs, gap, small_threshold(), pivoted=True)["gap"].dropna()
    x = None
    if xg is not None and x_year is not None:
        xobs = queries.observations(state.x, x_age, area_codes=[COUNTRY], years=[x_year],
                                    groups=[xg])["value"].dropna()  # fmt: skip
        x = float(xobs.iloc[0]) if len(xobs) else None
    return x, (float(gaps.iloc[0]) if len(gaps) else None)


def correlation(x: pd.Series, y: pd.Series) -> float | None:
    """Pearson's r of two aligned series (None under 3 points or without spread)."""
    if len(x) < 3 or not x.std() > 0 or not y.std() > 0:
        return None
    return float(np.corrcoef(x.astype(float), y.astype(float))[0, 1])


def x_group(cat: Catalogue, indicator: str, age: str) -> Group | None:
    """The group plotted for the x indicator: everyone if available."""
    groups = cat.groups_for(indicator, age)
    if not groups:
        return None
    return Group("total", "total") if Group("total", "total") in groups else groups[0]


def explore_data(state: ExploreState, cat: Catalogue, lang: str) -> ExploreData:
    """Gap of the chosen indicator against another indicator for all municipalities."""
    threshold = small_threshold()
    gap = GAPS[state.gap]
    total = Group("total", "total")
    obs = queries.pivot(
        state.indicator, state.age, [gap.a, gap.b, total], level="municipality", years=[state.year]
    )
    frame = gap_frame(obs, gap, threshold, pivoted=True).rename(
        columns={"denominator_2": "pop_total"}
    )
    if frame.empty:
        frame["pop_total"] = pd.Series(dtype="float64")
    frame["population"] = frame["pop_total"].fillna(
        frame.get("denominator_0", np.nan) + frame.get("denominator_1", np.nan)
    )
    x_age = cat.default_age(state.x)
    xg = x_group(cat, state.x, x_age)
    x_years = cat.years_for(state.x, x_age)
    x_year = (
        state.year
        if state.year in x_years
        else max([y for y in x_years if y <= state.year] or x_years or [None])
    )
    frame["x_value"] = np.nan
    frame["x_provenance"] = None
    if xg is not None and x_year is not None:
        xobs = queries.observations(
            state.x, x_age, level="municipality", years=[x_year], groups=[xg]
        )
        x_cols = {"value": "x_value", "provenance": "x_provenance"}
        frame = frame.drop(columns=list(x_cols.values())).merge(
            xobs[["area_code", *x_cols]].rename(columns=x_cols), on="area_code", how="outer"
        )
        frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool) | frame[
            "area_code"
        ].isin(xobs.loc[xobs["synthetic"], "area_code"])
    frame["status"] = frame["status"].fillna("missing") if "status" in frame else "missing"
    frame["small"] = frame["small"].fillna(False).astype(bool) if "small" in frame else False
    peers = [] if state.peers == "none" else queries.peer_codes(state.peers, state.municipality)
    frame["peer"] = frame["area_code"].isin(peers)
    frame = with_names(frame, cat, lang)
    plotted = (
        frame["gap"].notna() & frame["x_value"].notna() if "gap" in frame else pd.Series(dtype=bool)
    )
    reason = "no_data" if not plotted.any() else None
    frame = frame.reset_index(drop=True)
    shown = frame[frame["gap"].notna() & frame["x_value"].notna()] if "gap" in frame else frame[:0]
    sel = shown[shown["area_code"] == state.municipality]
    country_x, country_gap = country_point(state, x_age, xg, x_year)
    if state.municipality == COUNTRY:  # no municipality chosen: the summary states the country's
        x_value, gap_value = country_x, country_gap
    else:
        x_value = float(sel["x_value"].iloc[0]) if len(sel) else None
        gap_value = float(sel["gap"].iloc[0]) if len(sel) else None
    return ExploreData(
        frame, x_year, xg, peers, reason, len(shown),
        correlation(shown["x_value"], shown["gap"]) if "gap" in shown else None,
        x_value, gap_value, any_synthetic(frame), country_x, country_gap,
    )  # fmt: skip
