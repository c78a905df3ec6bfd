"""Sentence pieces the views' one-sentence summaries share: a group's value in an area, and how
a gap's size moved. Each view's own summary is in its folder (views/<view>/text.py); the sentence
templates are in dashboard/core/text/sentences.py.
"""

from __future__ import annotations

from dashboard.core.gaps import Group
from dashboard.core.text.numbers import NumberFormat
from dashboard.core.text.phrases import group_phrase
from dashboard.core.text.strings import DEFAULT_LANG, t


def value_sentence(group: Group, area: str, value: float, fmt: NumberFormat) -> str:
    """'foreign-born women in Malmö 61.2 %'."""
    lang = fmt.lang
    return t("s.value_in", lang, who=group_phrase(group, lang), area=area, value=fmt.value(value))


def gap_verb(gap0: float, gap1: float, lang: str = DEFAULT_LANG) -> str:
    """'narrowed' / 'widened' / 'was unchanged': how the gap's size moved."""
    change = abs(gap1) - abs(gap0)
    return t("s.narrowed" if change < 0 else "s.widened" if change > 0 else "s.unchanged", lang)
