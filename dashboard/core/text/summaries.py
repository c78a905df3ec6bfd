"""The generated one-sentence summaries of the Map, Trends, Peers and Explore charts.

Their sentence templates are in dashboard/text/sentences.py; the Explain and LUA views' summaries
are in dashboard/text/explain.py and dashboard/lua.py.
"""

from __future__ import annotations

from dashboard.core.gaps import Gap, Group
from dashboard.core.text.numbers import NumberFormat, fmt_num, fmt_pp
from dashboard.core.text.phrases import (
    gap_label,
    gap_phrase,
    group_phrase,
    no_data,
    relation,
    synthetic_suffix,
)
from dashboard.core.text.strings import DEFAULT_LANG, t


def _value_sentence(group: Group, area: str, value: float, fmt: NumberFormat) -> str:
    lang = fmt.lang
    return t("s.value_in", lang, who=group_phrase(group, lang), area=area, value=fmt.value(value))


def summary_peers(
    *,
    year: int,
    area: str,
    gap: Gap,
    stats: dict,
    fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """'2024: foreign-born women in Malmö 61.2 %, 19.8 pp below Swedish-born women; rank 5 of 7 peers (…).'"""
    lang = fmt.lang
    if stats.get("value_a") is None:
        return no_data(lang)
    head = f"{year}: {_value_sentence(gap.a, area, stats['value_a'], fmt)}"
    if stats.get("gap") is not None:
        head += f", {relation(stats['gap'], lang)} {group_phrase(gap.b, lang)}"
    parts = [head]
    if stats.get("rank") is not None:
        rank = t("rank", lang, rank=stats["rank"], n=stats["n"])
        parts.append(t("s.in_peers", lang, rank=rank))
    extra = []
    if stats.get("median_a") is not None:
        extra.append(f"{t('peer_median', lang).lower()} {fmt.value(stats['median_a'])}")
    if stats.get("wmean_a") is not None:
        extra.append(f"{t('peer_mean', lang).lower()} {fmt.value(stats['wmean_a'])}")
    sentence = "; ".join(parts)
    if extra:
        sentence += f" ({', '.join(extra)})"
    return sentence + synthetic_suffix(synthetic, lang) + "."


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


def summary_trends(
    *,
    area: str,
    gap: Gap,
    first: tuple[int, float] | None,
    last: tuple[int, float, float] | None,
    fmt: NumberFormat,
    synthetic: bool,
    others: list[tuple[str, float]] | None = None,
) -> str:
    """'2024: foreign-born women in Malmö 61.2 %, 19.8 pp below Swedish-born women (2017: 25.0 pp below).'"""
    lang = fmt.lang
    if last is None:
        return no_data(lang)
    year, value_a, gap_value = last
    s = f"{year}: {_value_sentence(gap.a, area, value_a, fmt)}, {relation(gap_value, lang)} {group_phrase(gap.b, lang)}"
    if first is not None and first[0] != year:
        s += f" ({first[0]}: {relation(first[1], lang)})"
    if others:
        values = ", ".join(f"{n} {fmt_pp(v, lang)}" for n, v in others)
        s += "; " + t("s.others", lang, values=values)
    return s + synthetic_suffix(synthetic, lang) + "."


def gap_verb(gap0: float, gap1: float, lang: str = DEFAULT_LANG) -> str:
    """'narrowed' / 'widened' / 'was unchanged': how the gap's size moved."""
    change = abs(gap1) - abs(gap0)
    return t("s.narrowed" if change < 0 else "s.widened" if change > 0 else "s.unchanged", lang)


def summary_gap_lines(
    *, gap: Gap, series: list[tuple[str, int, float, int, float]], lang: str, synthetic: bool
) -> str:
    """How each area's gap moved: (name, first year, first gap, last year, last gap)."""
    if not series:
        return no_data(lang)
    parts = []
    for name, y0, g0, y1, g1 in series:
        if y0 == y1:  # a single year: no movement to describe
            parts.append(t("one_year_gap", lang, name=name, gap=fmt_pp(g1, lang), year=y1))
            continue
        parts.append(t("s.gap_moved", lang, name=name, verb=gap_verb(g0, g1, lang),
                       g0=fmt_pp(g0, lang), y0=y0, g1=fmt_pp(g1, lang), y1=y1))  # fmt: skip
    head = gap_label(gap, lang)
    return f"{head}: " + "; ".join(parts) + synthetic_suffix(synthetic, lang) + "."


def summary_slope(
    *,
    area: str,
    year0: int,
    year: int,
    gap0: float | None,
    gap1: float | None,
    narrowed: int,
    n: int,
    lang: str,
    synthetic: bool,
    key: str = "s.slope",  # s.slope_national: the counties and the country, no municipality chosen
) -> str:
    """'Between 2020 and 2024 the gap in Malmö narrowed from −22.0 to −19.8 pp; it narrowed in 5 of 7 peers.'"""
    if gap0 is None or gap1 is None:
        return no_data(lang)
    s = t(key, lang, year0=year0, year=year, verb=gap_verb(gap0, gap1, lang), area=area,
          g0=fmt_pp(gap0, lang), g1=fmt_pp(gap1, lang), narrowed=narrowed, n=n)  # fmt: skip
    return s + synthetic_suffix(synthetic, lang) + "."


def summary_explore(
    *,
    year: int,
    n: int,
    r: float | None,
    x_label: str,
    area: str,
    x_value: float | None,
    gap_value: float | None,
    x_fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """Correlation over all municipalities and where the selected one lies (x_fmt: the x indicator's)."""
    lang = x_fmt.lang
    if n == 0:
        return no_data(lang)
    corr = "" if r is None else f"r = {fmt_num(r, 2, lang)}"
    s = t("s.explore", lang, year=year, n=n, x=x_label.lower(), corr=corr).rstrip()
    if x_value is not None and gap_value is not None:
        x_text = x_fmt.value(x_value)
        s += "; " + t("s.explore_area", lang, area=area, x=x_text, gap=fmt_pp(gap_value, lang))
    return s + synthetic_suffix(synthetic, lang) + "."
