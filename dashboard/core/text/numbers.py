"""Numbers as the page language writes them: decimal mark, thousands space, real minus sign, units.

The marks of each language are one table (`MARKS`), used by the text, by the charts (Plotly's
`separators`) and by the grid's formatter (assets/dashAgGridFunctions.js follows the same rules).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dashboard.core.text.strings import DEFAULT_LANG, norm_lang, t

if TYPE_CHECKING:
    from dashboard.core.queries import Catalogue

MINUS = "\u2212"
NBSP = "\u00a0"
MARKS: dict[str, dict[str, str]] = {
    "sv": {"decimal": ",", "thousands": NBSP, "plotly": ", "},
    "en": {"decimal": ".", "thousands": ",", "plotly": ".,"},
}
_MARKED = {  # Python writes '1,234.5'; each language's marks in their place
    lang: str.maketrans({",": marks["thousands"], ".": marks["decimal"]})
    for lang, marks in MARKS.items()
}


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` (decimal mark, then thousands) for the language."""
    return MARKS[norm_lang(lang)]["plotly"]


def isnan(value: object) -> bool:
    """True for None or NaN (a missing value)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_num(value: float | None, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A number with the language's decimal mark and a real minus sign ('..' if missing)."""
    if isnan(value):
        return ".."
    text = f"{abs(value):,.{decimals}f}".translate(_MARKED[norm_lang(lang)])
    return (MINUS if value < 0 and text.strip("0,.\u00a0") else "") + text


def fmt_count(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """A whole count with thousands separators."""
    return fmt_num(value, 0, lang)


def fmt_value(
    value: float | None, decimals: int = 1, unit: str = "percent", lang: str = DEFAULT_LANG
) -> str:
    """A value with its unit, e.g. '61,2 %'."""
    text = fmt_num(value, decimals, lang)
    return f"{text}{NBSP}%" if unit == "percent" and text != ".." else text


def fmt_pp(value: float | None, lang: str = DEFAULT_LANG, signed: bool = True) -> str:
    """A difference in percentage points, e.g. '−19,8 p.e.'."""
    if isnan(value):
        return ".."
    text = fmt_num(value if signed else abs(value), 1, lang)
    if signed and value > 0 and text.strip("0,.") != "":
        text = "+" + text
    return f"{text}{NBSP}{t('pp', lang)}"


@dataclass(frozen=True)
class NumberFormat:
    """How one indicator's numbers are written: decimals, unit, language and small-numbers threshold."""

    decimals: int = 1
    unit: str = "percent"
    lang: str = DEFAULT_LANG
    threshold: int = 0

    @classmethod
    def for_indicator(
        cls, cat: Catalogue, indicator: str, lang: str, threshold: int = 0
    ) -> NumberFormat:
        """The format of an indicator from the catalogue (its decimals and unit)."""
        known = indicator in cat.indicators.index
        unit = str(cat.indicators.at[indicator, "unit"]) if known else ""
        return cls(cat.decimals(indicator), unit, lang, threshold)

    def value(self, value: float | None) -> str:
        """A value with its unit, e.g. '61,2 %'."""
        return fmt_value(value, self.decimals, self.unit, self.lang)

    def pp(self, value: float | None, signed: bool = True) -> str:
        """A difference in percentage points, e.g. '−19,8 p.e.'."""
        return fmt_pp(value, self.lang, signed)

    def count(self, value: float | None) -> str:
        """A whole count with thousands separators."""
        return fmt_count(value, self.lang)

    def measure(self, colour: str) -> Callable[[float | None], str]:
        """The formatter of what a map colours: the gap in pp, or the group's value."""
        return self.pp if colour == "gap" else self.value

    @property
    def axis_suffix(self) -> str:
        """' (%)' after an axis title of a percentage, else ''."""
        return " (%)" if self.unit == "percent" else ""


def real_share(row: Any) -> str:
    """The share of a series' rows that are real, as a whole percent ('1 %' for a few)."""
    rows, made_up = float(row.rows), float(row.synthetic_rows)
    share = 100 * (rows - made_up) / rows if rows else 0.0
    return f"{max(1, round(share)) if share > 0 else 0} %"
