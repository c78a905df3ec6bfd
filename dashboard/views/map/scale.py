"""The gap map's colour scale, fitted to the values shown: diverging only when they straddle zero."""

from __future__ import annotations

from dataclasses import dataclass

from plotly.colors import sample_colorscale

from dashboard.core.text import t
from dashboard.core.theme import GAP_SCALE

# PuOr: the orange half (below zero) and the purple half (above); the near-white middle is left out
# of a one-sided scale, so its lightest colour never reads as "no gap".
BELOW_STOPS = (0.0, 0.4)
ABOVE_STOPS = (0.6, 1.0)


@dataclass(frozen=True)
class GapScale:
    """Plotly colour settings of the gap map and the colour bar's title."""

    colorscale: list[list]
    zmin: float
    zmax: float
    zmid: float | None
    side: str  # "both", "below" (every value under zero) or "above"

    def plotly(self) -> dict:
        """The trace attributes (colorscale, zmin, zmax and zmid when diverging)."""
        out: dict = {"colorscale": self.colorscale, "zmin": self.zmin, "zmax": self.zmax}
        if self.zmid is not None:
            out["zmid"] = self.zmid
        return out

    def title(self, lang: str) -> str:
        """The colour bar's title: the unit, and which side of zero a one-sided scale covers."""
        axis = t("gap_axis", lang)
        return axis if self.side == "both" else f"{axis}<br>({t(f'gap_scale.{self.side}', lang)})"


def _part(lo: float, hi: float) -> list[list]:
    """GAP_SCALE's stops between positions lo and hi, stretched over 0…1."""
    inner = [(p, c) for p, c in GAP_SCALE if lo <= p <= hi]
    return [[round((p - lo) / (hi - lo), 6), c] for p, c in inner]


def _crop(a: float, b: float) -> list[list]:
    """GAP_SCALE between positions a and b, stretched over 0…1: its own stops inside, and the
    colours at a and b interpolated (so 0 keeps the scale's exact middle colour)."""
    points = sorted({a, b, *(p for p, _ in GAP_SCALE if a < p < b)})
    colours = sample_colorscale(GAP_SCALE, points)
    return [[round((p - a) / (b - a), 6), c] for p, c in zip(points, colours, strict=True)]


def gap_scale(values: list[float], zrange: tuple[float, float] | None = None) -> GapScale:
    """Diverging around 0 when values fall on both sides; else one half of the scale, fitted."""
    # zrange spans every year of the view, so a played year keeps the scale; else the shown year
    lo, hi = zrange if zrange else (min(values, default=0.0), max(values, default=0.0))
    if lo < 0 < hi:
        bound = max(abs(lo), abs(hi), 1.0)
        a, b = (lo + bound) / (2 * bound), (hi + bound) / (2 * bound)
        if b - a > 0.999:  # balanced: the whole scale, centred on 0
            return GapScale(GAP_SCALE, -bound, bound, 0.0, "both")
        # lopsided (-30…+2): the symmetric scale cut to the values, so +2 is a pale purple, not
        # as dark as -30, and the orange side keeps its contrast; 0 keeps the scale's middle
        return GapScale(_crop(a, b), lo, hi, None, "both")
    if lo < 0:  # every value at or below zero: the orange half, darkest for the largest gap
        return GapScale(_part(*BELOW_STOPS), min(lo, hi - 1.0), hi, None, "below")
    if hi > 0:  # every value at or above zero: the purple half
        return GapScale(_part(*ABOVE_STOPS), lo, max(hi, lo + 1.0), None, "above")
    return GapScale(GAP_SCALE, -1.0, 1.0, 0.0, "both")  # every value exactly 0 (or none)
