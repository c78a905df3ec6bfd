"""Trends' one-sentence summaries: the lines, and how each area's gap moved."""

from __future__ import annotations

from dashboard.core.gaps import Gap
from dashboard.core.text.numbers import NumberFormat, fmt_pp
from dashboard.core.text.phrases import gap_label, group_phrase, no_data, relation, synthetic_suffix
from dashboard.core.text.strings import t
from dashboard.core.text.summaries import gap_verb, value_sentence


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
    s = f"{year}: {value_sentence(gap.a, area, value_a, fmt)}, {relation(gap_value, lang)} {group_phrase(gap.b, lang)}"
    if first is not None and first[0] != year:
        s += f" ({first[0]}: {relation(first[1], lang)})"
    if others:
        values = ", ".join(f"{n} {fmt_pp(v, lang)}" for n, v in others)
        s += "; " + t("s.others", lang, values=values)
    return s + synthetic_suffix(synthetic, lang) + "."


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
