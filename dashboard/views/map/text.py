"""The Map's one-sentence summary: extremes and median over the mapped areas."""

from __future__ import annotations

from dashboard.core.gaps import Gap, Group
from dashboard.core.text.numbers import NumberFormat
from dashboard.core.text.phrases import gap_phrase, group_phrase, no_data, synthetic_suffix
from dashboard.core.text.strings import t


def summary_map(
    *,
    year: int,
    colour: str,
    group: Group,
    gap: Gap,
    names_values: list[tuple[str, float]],
    n_areas: int,
    n_missing: int,
    level_label: str,
    indicator_label: str,
    fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """Extremes and median over the mapped areas, and how many are suppressed or missing."""
    lang = fmt.lang
    if not names_values:
        return no_data(lang)
    ordered = sorted(names_values, key=lambda p: p[1])
    (lo_name, lo), (hi_name, hi) = ordered[0], ordered[-1]
    values = sorted(v for _, v in names_values)
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    if colour == "gap":
        key, who = "s.map_gap", {"what": gap_phrase(gap, lang)}
    else:
        key, who = "s.map_value", {"who": group_phrase(group, lang)}
    shown = fmt.measure(colour)
    s = t(key, lang, year=year, ind=indicator_label.lower(), lo=shown(lo), lo_name=lo_name,
          hi=shown(hi), hi_name=hi_name, **who)  # fmt: skip
    s += f"; median {shown(median)} ({len(values)} {level_label.lower()})"
    if n_missing:
        s += "; " + t("s.suppressed_or_missing", lang, n=n_missing)
    return s + synthetic_suffix(synthetic, lang) + "."
