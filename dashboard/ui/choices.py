"""Choices a control change can make valid: the nearest valid age/year/gap/group, the gaps an
indicator has, the years a level has data for. A control change never yields a URL error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import dash
from dash import Input, Output, State

from dashboard.core import db, queries, text
from dashboard.core.gaps import DEFAULT_GAP, GAPS, Gap, Group
from dashboard.core.queries import Catalogue

log = logging.getLogger(__name__)

# Problems a user must hear about even after a control change (the rest are repaired silently).
KEEP_KINDS = ("too_many",)


def has_gap(cat: Catalogue, indicator: str, age: str, gap: Gap) -> bool:
    """Whether the indicator has values for both groups of a gap."""
    return cat.has_group(indicator, age, gap.a) and cat.has_group(indicator, age, gap.b)


def gaps_for(cat: Catalogue, indicator: str, age: str) -> list[Gap]:
    """The gap presets an indicator has data for (all presets when it has none, so a choice stays)."""
    found = [g for g in GAPS.values() if has_gap(cat, indicator, age, g)]
    return found or list(GAPS.values())


def gap_options(cat: Catalogue, indicator: str, age: str, lang: str) -> list[dict]:
    """Dropdown options: only the gaps the indicator has."""
    return [
        {"value": g.id, "label": text.gap_label(g, lang)} for g in gaps_for(cat, indicator, age)
    ]


def nearest(value: Any, allowed: list[int]) -> int | None:
    """The allowed year nearest to value (the later one on a tie); None when none is allowed."""
    if not allowed:
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        return allowed[-1]
    return min(allowed, key=lambda y: (abs(y - year), -y))


@queries.cached
def group_years(
    indicator: str, age: str, level: str, groups: tuple[Group, ...], municipality: str | None
) -> list[int]:
    """Years with a value for every group somewhere in a level (or one municipality's areas)."""
    params: dict[str, Any] = {"indicator": indicator, "age": age, "level": level}
    pairs = []
    for i, g in enumerate(groups):
        params[f"sex_{i}"], params[f"br_{i}"] = g.sex, g.birth_region
        pairs.append(f"(o.sex = $sex_{i} AND o.birth_region = $br_{i})")
    muni = ""
    if municipality:
        params["municipality"] = municipality
        muni = " AND a.municipality_code = $municipality"
    # a year counts when every group has a value somewhere in the view (a gap needs both)
    sql = (
        "SELECT o.year FROM mart.observation o JOIN mart.area a USING (area_code) "
        "WHERE o.indicator = $indicator AND o.age = $age AND a.level = $level AND o.value "
        f"IS NOT NULL AND ({' OR '.join(pairs) or 'FALSE'}){muni} GROUP BY o.year "
        f"HAVING count(DISTINCT o.sex || '.' || o.birth_region) = {len(groups)} ORDER BY o.year"
    )
    return [int(r[0]) for r in db.query_rows(sql, params)]


def repair(query: Mapping[str, Any], cat: Catalogue, page: str = "") -> dict[str, Any]:
    """A control-made query with every choice the new indicator lacks replaced by the nearest one."""
    q = dict(query)
    indicator = q.get("ind")
    if not indicator or not cat.has_indicator(indicator) or not cat.years_for(indicator):
        q.pop("ind", None)
        indicator = None
    if indicator is None:
        return q
    ages = cat.ages(indicator)
    if q.get("age") not in ages:
        q["age"] = cat.default_age(indicator)
    age = q["age"]
    if q.get("colour") == "gap" and not any(has_gap(cat, indicator, age, g) for g in GAPS.values()):
        q["colour"] = "value"  # no gap can be formed: show the value of a group the indicator has
    gap = GAPS.get(str(q.get("gap")))
    if "gap" in q and (gap is None or not has_gap(cat, indicator, age, gap)):
        options = gaps_for(cat, indicator, age)
        preferred = GAPS[DEFAULT_GAP]
        q["gap"] = (preferred if preferred in options else options[0]).id
    if "group" in q:
        groups = [g.key for g in cat.groups_for(indicator, age)]
        if groups and q["group"] not in groups:
            q["group"] = "women.foreign" if "women.foreign" in groups else groups[0]
    years = cat.years_for(indicator, age)
    for key in ("year", "year0"):
        if key in q and years:
            try:
                ok = int(q[key]) in years
            except (TypeError, ValueError):
                ok = False
            if not ok:
                q[key] = nearest(q[key], years)
    return q


def register_gap_options(indicator_id: str, age_id: str, gap_id: str, lang_id: str) -> None:
    """Keep a page's gap dropdown to the gaps its indicator has."""

    @dash.callback(
        Output(gap_id, "options"),
        Input(indicator_id, "value"),
        Input(age_id, "value"),
        State(lang_id, "data"),
    )
    def _gap_options(indicator, age, lang):
        cat = queries.catalogue()
        if not cat.has_indicator(indicator):
            return dash.no_update
        if age not in cat.ages(indicator):
            age = cat.default_age(indicator)
        return gap_options(cat, indicator, age, lang if lang in text.LANGS else "sv")

    _gap_options.__name__ = f"gap_options_{gap_id.replace('-', '_')}"
