"""The Explain view's sentences: the headline split, the years, the scatter, Kolada's model, and
why there is no split (the decomposition's text table is core/text/decomposition.py)."""

from __future__ import annotations

import logging

import pandas as pd

from dashboard.core.gaps import Gap
from dashboard.core.text.decomposition import flags_text, tr
from dashboard.core.text.numbers import NumberFormat, fmt_pp
from dashboard.core.text.phrases import group_phrase, no_data, synthetic_suffix
from dashboard.core.text.strings import t

log = logging.getLogger(__name__)


def summary(area: str, year: int, gap: Gap, row: pd.Series, lang: str) -> str:
    """The view's headline sentence, e.g. 'Botkyrka 2024: the gap between … is −20,1 p.e.; …'."""
    rate = float(row["rate_effect"])
    text = tr(
        "x.summary", lang, area=area, year=year, g1=group_phrase(gap.a, lang),
        g2=group_phrase(gap.b, lang), crude=fmt_pp(row["crude_gap"], lang),
        comp=fmt_pp(row["composition"], lang), rate=fmt_pp(rate, lang),
        level=tr("x.lower" if rate < 0 else "x.higher", lang),
        expected=NumberFormat(lang=lang).value(row["expected_1"]),
        actual=NumberFormat(lang=lang).value(row["actual_1"]),
    )  # fmt: skip
    flags = flags_text(row.get("flags", ""), lang)
    extra = f" ({flags})" if flags else ""
    return text + extra + synthetic_suffix(bool(row.get("synthetic")), lang)


def summary_years(area: str, gap: Gap, history: pd.DataFrame, lang: str) -> str:
    """How the gap and its age part moved over the years."""
    h = history.dropna(subset=["crude_gap"]).sort_values("year")
    if h.empty:
        return ""
    if len(h) == 1:  # one year: no movement to describe
        one = h.iloc[0]
        text = tr("x.summary_one_year", lang, area=area, year=int(one.year),
                  gap=fmt_pp(one.crude_gap, lang), c=fmt_pp(one.composition, lang))  # fmt: skip
        return text + synthetic_suffix(bool(h["synthetic"].any()), lang)
    a, b = h.iloc[0], h.iloc[-1]
    text = tr(
        "x.summary_years", lang, area=area, first=fmt_pp(a.crude_gap, lang), y0=int(a.year),
        last=fmt_pp(b.crude_gap, lang), y1=int(b.year), c0=fmt_pp(a.composition, lang),
        c1=fmt_pp(b.composition, lang),
    )  # fmt: skip
    return text + synthetic_suffix(bool(h["synthetic"].any()), lang)


def summary_scatter(
    frame: pd.DataFrame, area: str, row: pd.Series, gap: Gap, lang: str, *, country: bool = False
) -> str:
    """How many municipalities are above their expected rate, and the chosen area's difference
    (not for the country, whose own rates define the expectation: 0 by construction)."""
    if frame.empty:
        return no_data(lang)
    above = int((frame["actual_1"] > frame["expected_1"]).sum())
    text = tr(
        "x.summary_scatter_country" if country else "x.summary_scatter", lang, above=above, n=len(frame), group=group_phrase(gap.a, lang),
        area=area, diff=fmt_pp(row["local_difference"], lang), year=int(row["year"]),
        g2=group_phrase(gap.b, lang),
    )  # fmt: skip
    return text + synthetic_suffix(bool(frame["synthetic"].any()), lang)


def no_result(area: str, year: int, gap: Gap, row: pd.DataFrame, lang: str) -> str:
    """Why there is no split for the area (missing bands, no data)."""
    why = "x.why.missing" if len(row) and "missing" in str(row.iloc[0]["flags"]) else "x.why.none"
    return t("empty", lang, reason=tr("x.no_result", lang, area=area, year=year, why=tr(why, lang)))


def summary_kolada(rows: pd.DataFrame, area: str, year: int, lang: str) -> str:
    """What Kolada's model is, and its figures for the area in the chosen year (else the latest)."""
    if rows.empty:
        return tr("x.kolada_none", lang, area=area)
    shown = rows[rows["year"] <= year]
    r = (shown if len(shown) else rows).iloc[-1]
    value = NumberFormat(lang=lang).value
    text = tr(
        "x.kolada_summary", lang, area=area, year=int(r["year"]), actual=value(r["actual"]),
        expected=value(r["expected"]), deviation=fmt_pp(r["deviation"], lang),
    )  # fmt: skip
    return text + synthetic_suffix(bool(rows["synthetic"].any()), lang)
