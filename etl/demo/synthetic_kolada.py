"""Synthetic Kolada KPI values from the synthetic world, one model row per KPI in seeds/kolada_kpis.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.areas import kolada_to_area
from etl.demo.kolada_v3 import to_v3_items
from etl.demo.scale import clip_years
from etl.demo.world import RAMS_SHIFT, world
from etl.seeds import code_map, indicator_sources, load


def kolada_values(kpi: str, area_ids: list[str], years: list[int],
                  span: tuple[int, int] | None = None) -> list[dict]:  # fmt: skip
    """Kolada v3 `values` items for a KPI, marked synthetic, from the same world as the SCB tables.

    `span` (the demo's scale) cuts the KPI's year span; None keeps the whole span.
    """
    return to_v3_items(kpi, _kolada_frame(kpi, area_ids, years, span), synthetic=True)


def _kolada_model(kpi: str) -> tuple[str, str, int, int, float]:
    """(measure, birth group, first year, last year, RAMS shift) of a KPI in seeds/kolada_kpis.csv."""
    rows = load("kolada_kpis").set_index("kpi")
    if kpi not in rows.index:
        raise KeyError(f"Kolada KPI {kpi} has no row in seeds/kolada_kpis.csv (the demo's model)")
    row = rows.loc[kpi]
    src = indicator_sources("kolada")
    series = next(iter(src.series[src.table_key == kpi]), "")  # a KPI's first seeds row
    shift = RAMS_SHIFT if series.startswith("RAMS") else 0.0
    return (row.demo_measure, row.demo_birth_group, int(row.demo_first_year),
            int(row.demo_last_year), shift)  # fmt: skip


def _kolada_frame(kpi: str, area_ids: list[str], years: list[int],
                  span: tuple[int, int] | None = None) -> pd.DataFrame:  # fmt: skip
    """Vectorised KPI values: columns area_id, year, gender, value (NaN for small groups)."""
    measure, group, first, last, shift = _kolada_model(kpi)
    first, last = clip_years(first, last, span)
    wanted = [int(y) for y in years if first <= int(y) <= last]
    ids = pd.DataFrame({"area_id": list(area_ids)})
    ids["area"] = ids.area_id.map(kolada_to_area)
    w = world().reset_index()
    w = w[w.year.isin(wanted) & w.area.isin(ids.area)]
    sel = w[w.group == group].merge(ids, on="area")
    totals = w[w.group == "total"].set_index(["area", "year", "sex"])["pop"]
    pop, emp, unemp = sel["pop"], sel.emp, sel.unemp
    with np.errstate(invalid="ignore", divide="ignore"):
        value = {
            "emp_rate": 100 * emp / pop + shift,
            "unemp_rate": 100 * unemp / (emp + unemp),
            "participation": 100 * (emp + unemp) / pop,
            "longterm": 40 * unemp / pop,
            "newly_work": 100 * emp / pop - 25 + 1.2 * (sel.year - 2015),
            "newly_work_study": 100 * emp / pop - 13 + 1.2 * (sel.year - 2015),
            "refugees": 100 * emp / pop - 6,
            "refugees_expected": 0.5 * (100 * emp / pop - 6) + 32,  # pulled towards 64 %
            "refugees_deviation": 0.5 * (100 * emp / pop - 6) - 32,  # actual minus expected
            "unemp_pop": 100 * unemp / pop,
        }.get(measure)
        if value is None:  # share of the whole population
            value = (
                100
                * pop
                / totals.reindex(pd.MultiIndex.from_frame(sel[["area", "year", "sex"]])).to_numpy()
            )
    value = np.where(pop < 30, np.nan, np.round(np.asarray(value, dtype=float), 1))
    gender = sel.sex.map({v: k for k, v in code_map("kolada", "sex").items()})
    out = pd.DataFrame({"area_id": sel.area_id, "year": sel.year, "gender": gender, "value": value})
    return out.sort_values(["area_id", "year", "gender"], ignore_index=True)
