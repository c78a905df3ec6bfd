"""Frames every view builds on: observations pivoted per group, the gap or one group's value per
area and year, statuses, small numbers, the synthetic flag (queried per request, no Dash)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core import queries
from dashboard.core.gaps import Gap, Group
from dashboard.core.queries import Catalogue
from dashboard.core.records import records
from etl.row_provenance import combine
from etl.settings import Settings

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


def weighted_mean(values: pd.Series, weights: pd.Series) -> float | None:
    """Σ value·weight / Σ weight over rows where both are known (None if no weight)."""
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return None
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum())
