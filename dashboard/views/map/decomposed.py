"""The Map page coloured by the age-standardised gap or the difference from expected.

The values come from mart.gap_decomposition (etl/decompose.py), which decomposes the employment
rate (20–64) of municipalities, counties and LA regions; the Map page offers these colours only
there (`colour=standardised|local` in the URL, see map/state.py). The reads, texts and choropleth
are the decomposition's, shared with the Explain page (core/decomposition*.py, core/text/).
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from dashboard.core import decomposition as explain
from dashboard.core import decomposition_map as xf
from dashboard.core import geo
from dashboard.core.frames import small_threshold
from dashboard.core.gaps import GAPS
from dashboard.core.queries import Catalogue
from dashboard.core.text import decomposition as xt
from dashboard.core.text import gap_label, t
from dashboard.core.viewspec import Rendered
from dashboard.views.map import focus

log = logging.getLogger(__name__)

COLOURS = tuple(explain.COLOURS)  # ("standardised", "local")


def colour_label(colour: str, lang: str) -> str:
    """The Map page's label of a colour choice (gap, value, standardised gap, local difference)."""
    return xt.tr(f"x.colour.{colour}", lang) if colour in COLOURS else t(f"colour.{colour}", lang)


def colours(indicator: str, age: str, level: str, base: tuple[str, ...]) -> tuple[str, ...]:
    """The colour choices of a map view (the decomposition's only where it applies)."""
    return base + COLOURS if explain.applies(indicator, age, level) else base


def render_map(state: Any, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Choropleth of the standardised gap or local difference, its summary, notes and table."""
    gap = GAPS[state.gap]
    column = explain.COLOUR_COLUMN[state.colour]
    frame = explain.with_names(
        explain.decomposition(state.gap, year=state.year, level=state.level), lang
    )
    focused = focus.applies(state, cat)
    if focused:
        frame = frame[frame.area_code.isin(focus.members(cat, state.focus))]
    threshold = small_threshold()
    synthetic = bool(frame["synthetic"].fillna(False).astype(bool).any()) if len(frame) else False
    table, headers = xt.table(frame, SimpleNamespace(area=state.area), lang)
    what = colour_label(state.colour, lang)
    notes = [
        xt.tr(f"x.mapnote.{state.colour}", lang),
        *xt.notes(state.year, threshold, synthetic, lang),
    ]
    filename = f"map_{state.colour}_{state.gap}_{state.level}_{state.year}"
    summary = xt.summary_map(frame, column, gap, state.year, lang)
    if frame.dropna(subset=[column]).empty:
        msg = t("empty", lang, reason=xt.tr("x.no_table", lang))
        return Rendered({"map": xf.empty(msg, lang)}, {"map": msg}, table, headers, notes,
                        filename=filename)  # fmt: skip
    figs: dict[str, Any] = {}
    if figures:
        shapes = geo.shapes(state.level)
        points, bounds = shapes.points, shapes.bounds
        if focused:
            points, bounds = focus.view_box(shapes, list(frame["area_code"]))
        fig = xf.map_figure(frame, column, geo.url(state.level), bounds, state.area or "", gap,
                            lang)  # fmt: skip
        fig.update_traces(colorbar_title_text=f"{what}<br>({t('pp', lang)})")
        if focused:
            fig.update_layout(
                title_text=f"{fig.layout.title.text} – {cat.area_name(state.focus, lang)}"
            )
            focus.add_names(fig, points, dict(zip(frame["area_code"], frame["area"], strict=True)))
        figs["map"] = fig
    return Rendered(figs, {"map": summary}, table, headers, notes, filename=filename,
                    extra={"what": f"{what}: {gap_label(gap, lang)}"})  # fmt: skip
