"""Explore's one-sentence summary: the correlation and where the chosen area lies."""

from __future__ import annotations

from dashboard.core.text.numbers import NumberFormat, fmt_num, fmt_pp
from dashboard.core.text.phrases import no_data, synthetic_suffix
from dashboard.core.text.strings import t


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
