"""Why a Trends panel is empty, and what the area does have (issue 22: never a silent blank panel)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import db, text
from dashboard.core.gaps import Group
from dashboard.core.text import t


def _available(indicator: str, area: str) -> pd.DataFrame:
    """The ages and groups with a value for one area and indicator, and their years."""
    return db.query(
        "SELECT age, sex, birth_region, min(year) AS first, max(year) AS last "
        "FROM mart.observation WHERE indicator = $i AND area_code = $a AND value IS NOT NULL "
        "GROUP BY age, sex, birth_region ORDER BY age, sex, birth_region",
        {"i": indicator, "a": area},
    )


def empty_notes(
    obs: pd.DataFrame, areas: list[str], names: dict[str, str], *, indicator: str, age: str,
    groups: list[Group], lang: str,
) -> dict[str, str]:  # fmt: skip
    """area → why its panel has no line, and what exists for it instead ('' never)."""
    drawn = set(obs.loc[obs["value"].notna(), "area_code"]) if len(obs) else set()
    band = text.age_band(age, lang)
    wanted = text.join_names([text.group_phrase(g, lang) for g in groups], lang)
    out = {}
    for area in areas:
        if area in drawn:
            continue
        note = t("trends.empty_panel", lang, area=names.get(area, area), groups=wanted, band=band)
        have = _available(indicator, area)
        same_age = have[have["age"] == age]
        if len(same_age):
            found = [
                text.group_phrase(Group(r.sex, r.birth_region), lang) for r in same_age.itertuples()
            ]
            note += " " + t("trends.empty_has", lang, groups=text.join_names(found, lang))
        elif len(have):
            ages = sorted({text.age_band(a, lang) for a in have["age"]})
            note += " " + t("trends.empty_ages", lang, ages=text.join_names(ages, lang))
        else:
            note += " " + t("trends.empty_none", lang)
        out[area] = note
    return out


def trends_empty(data, state, names: dict[str, str], lang: str) -> tuple[dict, dict]:
    """Why a Trends panel has no line, and why an area has no gap line (area → text)."""
    notes_for = {"indicator": state.indicator, "age": state.age, "lang": lang}
    empty = empty_notes(data.obs, list(state.areas), names, groups=data.groups, **notes_for)
    gaps = data.gaps
    with_gap = set(gaps.loc[gaps["gap"].notna(), "area_code"]) if len(gaps) else set()
    no_gap = empty_notes(
        data.obs.iloc[0:0], [a for a in state.areas if a not in with_gap], names,
        groups=[data.gap.a, data.gap.b], **notes_for,
    )  # fmt: skip
    return empty, no_gap
