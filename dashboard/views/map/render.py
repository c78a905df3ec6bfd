"""The Map view's render: the choropleth (or the decomposition's colours), the focus's names and ranked bars."""

from __future__ import annotations

import logging

from dashboard.core import geo, text
from dashboard.core.frames import small_threshold
from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.core.viewspec import Rendered
from dashboard.provenance import Scope
from dashboard.render import explained, fig_or_none, stamped
from dashboard.views.map import decomposed as explain_map
from dashboard.views.map import figures as map_fig
from dashboard.views.map import focus
from dashboard.views.map import selected as map_selected
from dashboard.views.map import text as map_text
from dashboard.views.map.data import map_data
from dashboard.views.map.state import MapState
from dashboard.views.map.table import map_table

log = logging.getLogger(__name__)


@stamped("map")
def render_map(state: MapState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Choropleth of the chosen level, year and gap/value (or standardised gap/local difference)."""
    if state.colour in ("standardised", "local"):
        return explain_map.render_map(state, cat, lang, figures=figures)
    data = focus.restrict(map_data(state, cat, lang), state, cat)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    gap = GAPS[state.gap]
    threshold = fmt.threshold
    table, headers = map_table(data, cat, lang, fmt.decimals)
    level_label = t(f"level.{state.level}", lang)
    where = (
        f" – {cat.area_name(state.municipality, lang)}"
        if state.level == "regso"
        else f" – {level_label.lower()}"
    )
    focused = focus.applies(state, cat)
    if focused:
        where = f" – {cat.area_name(state.focus, lang)}"
    what = (
        text.gap_label(gap, lang)
        if state.colour == "gap"
        else text.group_label(data.groups[0], lang)
    )
    band = text.age_band(state.age, lang)  # every title names the age band (issue 22)
    title = f"{ind_label} {band}, {what}, {state.year}{where}"
    notes = [t("note.missing", lang, n=threshold), t("note.summed", lang)]
    if data.empty_reason:
        return explained(
            data.empty_reason, ("map",), cat=cat, state=state, groups=data.groups, lang=lang,
            table=table, headers=headers, notes=notes, filename=f"map_{state.level}_{state.year}",
        )  # fmt: skip
    shapes = geo.shapes(state.level, data.municipality)
    points, bounds = shapes.points, shapes.bounds
    if focused:
        points, bounds = focus.view_box(shapes, list(data.frame["area_code"]))
    near = map_selected.zoom_codes(shapes, state.area, list(data.frame["area_code"]))
    if near:  # the selected area and its neighbours fill the frame (issue 22)
        bounds = focus.view_box(shapes, near)[1]
    fig = fig_or_none(
        figures,
        map_fig.map_figure,
        data.frame,
        geojson=geo.url(state.level, data.municipality),
        points=points,
        bounds=bounds,
        schematic=shapes.synthetic,
        colour=state.colour,
        groups=data.groups,
        indicator_label=ind_label,
        fmt=fmt,
        selected=state.area,
        title=title,
        zrange=data.zrange,
        zoomed=bool(near),
        band=band,
    )
    summary = map_text.summary_map(
        year=state.year,
        colour=state.colour,
        group=data.groups[0],
        gap=gap,
        names_values=data.shown,
        n_areas=len(data.frame),
        n_missing=data.n_missing,
        level_label=level_label,
        indicator_label=ind_label,
        fmt=fmt,
        synthetic=data.synthetic,
    )
    summary = map_selected.selected_sentence(data.frame, state.area, colour=state.colour, group=data.groups[0], fmt=fmt, higher_is_better=cat.higher_is_better(state.indicator) is not False) + summary  # fmt: skip
    if shapes.synthetic:
        notes.insert(0, t("schematic", lang) + ".")
    figs, summaries = {"map": fig}, {"map": summary}
    if focused:
        focus_extras(state, cat, lang, data, figs, summaries, points, what, fmt, figures)
    return Rendered(
        figs,
        summaries,
        table,
        headers,
        notes,
        filename=f"map_{state.level}_{state.year}" + (f"_{state.focus}" if focused else ""),
    )


def focus_extras(state, cat, lang, data, figs, summaries, points, what, fmt, figures) -> None:
    """Municipality names on the focused map, and the ranked bars beside it."""
    if figs.get("map") is not None:
        focus.add_names(
            figs["map"], points, dict(zip(data.frame["area_code"], data.frame["area"], strict=True))
        )
    gap = GAPS[state.gap] if state.colour == "gap" else None
    refs = focus.references(
        cat, state.indicator, state.age, state.year, data.groups, gap, state.focus, lang
    )
    name = cat.area_name(state.focus, lang)
    title = t("focus.rank_title", lang, what=what, year=state.year, focus=name)
    figs["rank"] = fig_or_none(
        figures,
        focus.ranked_figure, data.frame, colour=state.colour, refs=refs, selected=state.area,
        title=title, fmt=fmt,
    )  # fmt: skip
    summaries["rank"] = focus.ranked_summary(
        data.frame, colour=state.colour, refs=refs, focus_name=name, year=state.year,
        what=what, fmt=fmt,
    )  # fmt: skip


def scopes(state: MapState, cat: Catalogue) -> list[Scope]:
    """The observations the map shows: its level, year and groups (one RegSO municipality's)."""
    groups = (
        (GAPS[state.gap].a, GAPS[state.gap].b)
        if state.colour != "value"
        else (Group.parse(state.group),)
    )
    muni = state.municipality if state.level == "regso" else None
    return [Scope(state.indicator, state.age, groups, None, state.level, muni, (state.year,))]
