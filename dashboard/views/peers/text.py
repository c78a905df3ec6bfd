"""The Peers view's one-sentence summaries: the ranked chart and the slope."""

from __future__ import annotations

from dashboard.core.gaps import Gap
from dashboard.core.text.numbers import NumberFormat, fmt_pp
from dashboard.core.text.phrases import group_phrase, no_data, relation, synthetic_suffix
from dashboard.core.text.strings import t
from dashboard.core.text.summaries import gap_verb, value_sentence


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
    head = f"{year}: {value_sentence(gap.a, area, stats['value_a'], fmt)}"
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
