"""One placer for the labels of break lines: labels on the same edge of a chart that would overlap
at a phone's plot width go a line further in, so none covers another at 390 px or at 1280 px."""

from __future__ import annotations

import re
from typing import Any

PHONE_PLOT_PX = 300  # the plot area of a 390 px phone
CHAR_PX = 6.2  # one character at the labels' 11 px font
STEP_PX = 15  # one label line


def _extent(note: dict[str, Any], span: float) -> tuple[float, float]:
    """The years a label covers at a phone's plot width, by its anchor."""
    text = re.sub(r"<[^>]+>", "", str(note.get("text", "")))
    width = (len(text) * CHAR_PX + 4) / PHONE_PLOT_PX * span
    x = float(note["x"])
    anchor = note.get("xanchor", "center")
    if anchor == "left":
        return x, x + width
    if anchor == "right":
        return x - width, x
    return x - width / 2, x + width / 2


def is_edge_label(note: Any) -> bool:
    """A label at the top or foot of the plot (paper y 0 or 1), not an arrow on a point."""
    get = note.get if isinstance(note, dict) else lambda k, d=None: getattr(note, k, d)
    return (get("yref") == "paper" and get("y") in (0, 0.0, 1, 1.0) and not get("showarrow")
            and isinstance(get("x"), int | float))  # fmt: skip


def stack(notes: list[dict[str, Any]], lo: float, hi: float) -> list[dict[str, Any]]:
    """The labels with `yshift` set: a label overlapping an earlier one on its edge moves a line
    inward (down from the top, up from the foot); `lo`, `hi` are the x axis's years."""
    span = max(float(hi) - float(lo), 1.0)
    placed: list[tuple[float, float, int, float]] = []  # edge, start, end, line
    out = []
    for note in sorted(notes, key=lambda n: float(n["x"])):
        edge = float(note["y"])
        start, end = _extent(note, span)
        line = 0
        while any(e == edge and ln == line and start < b and a < end for e, a, b, ln in placed):
            line += 1
        placed.append((edge, start, end, line))
        out.append({**note, "yshift": STEP_PX * line * (-1 if edge >= 1 else 1)})
    return out
