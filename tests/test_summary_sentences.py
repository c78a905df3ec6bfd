"""Issue 9's sentences: a one-year trend says so, and a rank says what is ranked and which way."""

from __future__ import annotations

from types import SimpleNamespace

from dashboard.core.gaps import GAPS
from dashboard.views.trends import text as trends_text


def test_a_single_year_gets_its_own_sentence_not_unchanged() -> None:
    gap = GAPS["fw_sw"]
    one = trends_text.summary_gap_lines(
        gap=gap, series=[("Kalmar", 2024, -12.8, 2024, -12.8)], lang="en", synthetic=False
    )
    assert "only one year" in one and "unchanged" not in one and "-12.8" in one.replace("−", "-")
    sv = trends_text.summary_gap_lines(
        gap=gap, series=[("Kalmar", 2024, -12.8, 2024, -12.8)], lang="sv", synthetic=False
    )
    assert "bara ett år" in sv and "oförändrat" not in sv
    two = trends_text.summary_gap_lines(
        gap=gap, series=[("Kalmar", 2020, -14.0, 2024, -12.8)], lang="en", synthetic=False
    )
    assert "narrowed" in two and "only one year" not in two


class _Cat:
    def __init__(self, higher_is_better: bool) -> None:
        self.hib = higher_is_better

    def higher_is_better(self, indicator: str) -> bool:
        return self.hib

    def indicator_name(self, indicator: str, lang: str) -> str:
        return {"sv": "Sysselsättningsgrad", "en": "Employment rate"}[lang]


def test_rank_names_the_indicator_the_group_and_the_direction(dash_app) -> None:
    from dashboard.views.peers.page import rank_phrase

    state = SimpleNamespace(indicator="employment_rate", gap="fw_sw")
    stats = {"rank": 1, "n": 43}
    en = rank_phrase(_Cat(True), state, stats, "en")
    assert en == "Highest first by employment rate among foreign-born women: rank 1 of 43"
    sv = rank_phrase(_Cat(False), state, stats, "sv")
    assert sv.startswith("Lägst först efter sysselsättningsgrad bland utrikes födda kvinnor")
    assert sv.endswith("plats 1 av 43")
