"""State → everything a view shows: figures, one-sentence summaries, notes and the table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import facts as views
from dashboard import focus, tables
from dashboard.core import geo, text, theme
from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.ui import exports
from dashboard.urlstate import DataState, ExploreState, MapState, PeersState, TrendsState
from dashboard.views.explore import figures as explore_fig
from dashboard.views.explore.data import explore_data
from dashboard.views.map import figures as map_fig
from dashboard.views.peers import figures as peers_fig
from dashboard.views.trends import figures as trends_fig

log = logging.getLogger(__name__)


def _stamped(page: str) -> Callable:
    """Decorator: every figure of the view carries its source line, permalink and synthetic mark."""

    def wrap(render: Callable[..., Rendered]) -> Callable:
        def inner(state: Any, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
            out = render(state, cat, lang, figures=figures)
            if not figures:
                return out
            return exports.stamp_rendered(out, page, state, cat, lang)

        inner.__doc__ = render.__doc__
        inner.__name__ = render.__name__
        inner.__wrapped__ = render  # type: ignore[attr-defined]
        return inner

    return wrap


def _fig(
    figures: bool, build: Callable[..., go.Figure], *args: Any, **kwargs: Any
) -> go.Figure | None:
    """Build a figure unless only the table is wanted (the Data page, the downloads)."""
    return build(*args, **kwargs) if figures else None


@dataclass
class Rendered:
    """Outputs of one view."""

    figures: dict[str, go.Figure]
    summaries: dict[str, str]
    table: pd.DataFrame
    headers: dict[str, str]
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    filename: str = "labourdash"


def empty_reason(reason: str, lang: str, group: Group | None = None) -> str:
    """The explanation shown instead of a chart."""
    detail = t(f"empty.{reason}", lang, group=text.group_phrase(group, lang) if group else "")
    return t("empty", lang, reason=detail)


def missing_units_note(indicator: str | None, lang: str) -> str:
    """' Not loaded: …' naming the refresh units of an indicator that never succeeded (or '')."""
    missing = views.missing_units(indicator)
    return " " + t("empty.units_missing", lang, units=", ".join(missing)) if missing else ""


def _explained(
    reason: str,
    keys: tuple[str, ...],
    *,
    cat: Catalogue,
    state: Any,
    groups: list[Group],
    lang: str,
    table: pd.DataFrame,
    headers: dict[str, str],
    notes: list[str],
    filename: str,
    extra: dict[str, Any] | None = None,
) -> Rendered:
    """A view with no data: every chart replaced by a figure that says why (never a blank chart)."""
    msg = empty_reason(reason, lang, views.missing_group(cat, state.indicator, state.age, groups))
    msg += missing_units_note(getattr(state, "indicator", None), lang)
    empty = theme.empty_figure(theme.wrap(msg), lang)
    return Rendered(
        dict.fromkeys(keys, empty), dict.fromkeys(keys, msg), table, headers, notes,
        extra=extra or {}, filename=filename,
    )  # fmt: skip


@_stamped("map")
def render_map(state: MapState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Choropleth of the chosen level, year and gap/value (or standardised gap/local difference)."""
    if state.colour in ("standardised", "local"):
        from dashboard.views.map import decomposed as explain_map  # it imports this module

        return explain_map.render_map(state, cat, lang, figures=figures)
    data = focus.restrict(views.map_data(state, cat, lang), state, cat)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, views.small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    gap = GAPS[state.gap]
    threshold = fmt.threshold
    table, headers = tables.map_table(data, cat, lang, fmt.decimals)
    level_label = t(f"level.{state.level}", lang)
    where = f" – {cat.area_name(state.municipality, lang)}" if state.level == "regso" else ""
    focused = focus.applies(state, cat)
    if focused:
        where = f" – {cat.area_name(state.focus, lang)}"
    what = (
        text.gap_label(gap, lang)
        if state.colour == "gap"
        else text.group_label(data.groups[0], lang)
    )
    title = f"{ind_label}, {what}, {state.year}{where}"
    notes = [t("note.missing", lang, n=threshold), t("note.summed", lang)]
    if data.empty_reason:
        return _explained(
            data.empty_reason, ("map",), cat=cat, state=state, groups=data.groups, lang=lang,
            table=table, headers=headers, notes=notes, filename=f"map_{state.level}_{state.year}",
        )  # fmt: skip
    shapes = geo.shapes(state.level, data.municipality)
    points, bounds = shapes.points, shapes.bounds
    if focused:
        points, bounds = focus.view_box(shapes, list(data.frame["area_code"]))
    fig = _fig(
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
    )
    summary = text.summary_map(
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
    if shapes.synthetic:
        notes.insert(0, t("schematic", lang) + ".")
    figs, summaries = {"map": fig}, {"map": summary}
    if focused:
        _focus_extras(state, cat, lang, data, figs, summaries, points, what, fmt, figures)
    return Rendered(
        figs,
        summaries,
        table,
        headers,
        notes,
        filename=f"map_{state.level}_{state.year}" + (f"_{state.focus}" if focused else ""),
    )


def _focus_extras(state, cat, lang, data, figs, summaries, points, what, fmt, figures) -> None:
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
    figs["rank"] = _fig(
        figures,
        focus.ranked_figure, data.frame, colour=state.colour, refs=refs, selected=state.area,
        title=title, fmt=fmt,
    )  # fmt: skip
    summaries["rank"] = focus.ranked_summary(
        data.frame, colour=state.colour, refs=refs, focus_name=name, year=state.year,
        what=what, fmt=fmt,
    )  # fmt: skip


@_stamped("trends")
def render_trends(
    state: TrendsState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Group lines over years with the gap shaded, and the gap per area over years."""
    data = views.trends_data(state, cat)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, views.small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    threshold = fmt.threshold
    names = {a: cat.area_name(a, lang) for a in state.areas}
    table, headers = tables.trends_table(data, cat, lang, fmt.decimals)
    notes = [t("note.break", lang), text.noise_note(lang)]
    filename = f"trends_{'_'.join(state.areas)}"
    if data.empty_reason:
        return _explained(
            data.empty_reason, ("lines", "gap"), cat=cat, state=state, groups=[data.gap.a, data.gap.b],
            lang=lang, table=table, headers=headers, notes=notes, filename=filename,
        )  # fmt: skip
    title = f"{ind_label} – {text.join_names(list(names.values()), lang)}"
    lines = _fig(
        figures,
        trends_fig.trends_figure,
        data.obs,
        data.gaps,
        areas=list(state.areas),
        names=names,
        groups=data.groups,
        gap=data.gap,
        fmt=fmt,
        indicator_label=ind_label,
        title=title,
    )
    gap_title = f"{t('gap', lang)}: {text.gap_label(data.gap, lang)} ({t('pp', lang)})"
    gap_fig = _fig(
        figures,
        trends_fig.gap_lines_figure,
        data.gaps,
        areas=list(state.areas),
        names=names,
        lang=lang,
        threshold=threshold,
        title=gap_title,
    )
    synthetic = data.synthetic
    first_area = state.areas[0]
    if gap_fig is not None:  # the county and the country as reference lines
        refs = focus.reference_series(
            cat, state.indicator, state.age, data.gap, focus.county_of(cat, first_area), lang
        )
        shown = set(state.areas)
        focus.add_reference_lines(gap_fig, [r for r in refs if r["code"] not in shown], lang)
    ends = data.ends
    e = ends.get(first_area)
    first = (e.first_year, e.first_gap) if e else None
    last = (e.last_year, e.last_value, e.last_gap) if e else None
    others = [(names[a], ends[a].last_gap) for a in state.areas[1:] if a in ends]
    lines_summary = text.summary_trends(
        area=names[first_area],
        gap=data.gap,
        first=first,
        last=last,
        fmt=fmt,
        synthetic=synthetic,
        others=others,
    )
    if last is None:  # no gap for the first area (e.g. a LUA district): say its latest values
        from dashboard.views.lua.render import latest_values_summary

        lines_summary = (
            latest_values_summary(data.obs, first_area, names[first_area], cat, fmt, synthetic)
            or lines_summary
        )
    moves = [
        (names[a], e.first_year, e.first_gap, e.last_year, e.last_gap) for a, e in ends.items()
    ]
    gap_summary = text.summary_gap_lines(gap=data.gap, series=moves, lang=lang, synthetic=synthetic)
    return Rendered(
        {"lines": lines, "gap": gap_fig},
        {"lines": lines_summary, "gap": gap_summary},
        table,
        headers,
        notes,
        filename=filename,
    )


@_stamped("peers")
def render_peers(state: PeersState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Ranked dumbbell, rank x of n, median and weighted mean, and a slope chart of the gap."""
    data = views.peers_data(state, cat, lang)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, views.small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    threshold = fmt.threshold
    table, headers = tables.peers_table(data, cat, lang, state.year0, fmt.decimals)
    name = cat.area_name(state.municipality, lang)
    notes = [t("note.weighted", lang)]
    filename = f"peers_{state.municipality}_{state.kind}_{state.year}"
    if data.empty_reason:
        return _explained(
            data.empty_reason, ("dumbbell", "slope"), cat=cat, state=state,
            groups=[data.gap.a, data.gap.b], lang=lang, table=table, headers=headers, notes=notes,
            filename=filename, extra={"stats": data.stats},
        )  # fmt: skip
    kind_label = t(f"peers.{state.kind}", lang)
    title = f"{ind_label}, {state.year}: {text.gap_label(data.gap, lang)} – {kind_label}"
    dumbbell = _fig(
        figures,
        peers_fig.dumbbell_figure,
        data.frame,
        selected=state.municipality,
        gap=data.gap,
        stats=data.stats,
        fmt=fmt,
        title=title,
    )
    slope_title = f"{t('gap', lang)} {state.year0} → {state.year} ({t('pp', lang)})"
    slope = _fig(
        figures,
        peers_fig.slope_figure,
        data.frame,
        data.frame0,
        selected=state.municipality,
        year0=state.year0,
        year=state.year,
        lang=lang,
        series_differ=data.series_differ,
        threshold=threshold,
        title=slope_title,
    )
    synthetic = data.synthetic
    if slope is not None:  # the county and the country as reference lines
        refs = focus.reference_series(
            cat, state.indicator, state.age, data.gap, focus.county_of(cat, state.municipality),
            lang, years=sorted({state.year0, state.year}),
        )  # fmt: skip
        focus.add_reference_lines(
            slope, refs, lang, x_values={state.year0: str(state.year0), state.year: str(state.year)}
        )
    summary = text.summary_peers(
        year=state.year,
        area=name,
        gap=data.gap,
        stats=data.stats,
        fmt=fmt,
        synthetic=synthetic,
    )
    s = data.slope
    slope_summary = text.summary_slope(
        area=name, year0=state.year0, year=state.year, gap0=s.gap0, gap1=s.gap1,
        narrowed=s.narrowed, n=s.n, lang=lang, synthetic=synthetic,
    )  # fmt: skip
    if data.series_differ:
        notes.append(t("note.break", lang))
    return Rendered(
        {"dumbbell": dumbbell, "slope": slope},
        {"dumbbell": summary, "slope": slope_summary},
        table,
        headers,
        notes,
        extra={"stats": data.stats, "members": data.members},
        filename=filename,
    )


@_stamped("explore")
def render_explore(
    state: ExploreState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Scatter of the gap against another indicator for all municipalities."""
    data = explore_data(state, cat, lang)
    gap = GAPS[state.gap]
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, views.small_threshold())
    x_label = cat.indicator_name(state.x, lang)
    x_fmt = text.NumberFormat.for_indicator(cat, state.x, lang, fmt.threshold)
    table, headers = tables.explore_table(data, gap, cat, lang, x_label, fmt.decimals)
    notes = [t("note.size", lang)]
    if data.x_year is not None and data.x_year != state.year:
        notes.append(f"{x_label}: {data.x_year}")
    filename = f"explore_{state.indicator}_{state.x}_{state.year}"
    if data.empty_reason:
        return _explained(
            data.empty_reason, ("scatter",), cat=cat, state=state, groups=[gap.a, gap.b], lang=lang,
            table=table, headers=headers, notes=notes, filename=filename,
        )  # fmt: skip
    y_label = f"{t('gap', lang)} ({t('pp', lang)}): {text.gap_label(gap, lang)}"
    title = f"{cat.indicator_name(state.indicator, lang)}, {state.year}: {t('gap', lang).lower()} vs {x_label.lower()}"
    fig = _fig(
        figures,
        explore_fig.scatter_figure,
        data.frame,
        selected=state.municipality,
        x_label=x_label,
        y_label=y_label,
        x_fmt=x_fmt,
        gap=gap,
        fmt=fmt,
        title=title,
    )
    summary = text.summary_explore(
        year=state.year,
        n=data.n,
        r=data.r,
        x_label=x_label,
        area=cat.area_name(state.municipality, lang),
        x_value=data.x_value,
        gap_value=data.gap_value,
        x_fmt=x_fmt,
        synthetic=data.synthetic,
    )
    return Rendered(
        {"scatter": fig},
        {"scatter": summary},
        table,
        headers,
        notes,
        extra={"r": data.r, "peers": data.peers},
        filename=filename,
    )


def _render_explain(state: Any, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    from dashboard.views.explain.view import (
        render_explain,  # the view's own module imports this one
    )

    return render_explain(state, cat, lang, figures=figures)


def _render_lua(state: Any, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    from dashboard.views.lua.render import render_lua  # the view's own module imports this one

    return render_lua(state, cat, lang, figures_too=figures)


RENDERERS = {
    "map": render_map,
    "trends": render_trends,
    "peers": render_peers,
    "explore": render_explore,
    "explain": _render_explain,
    "lua": _render_lua,
}


def render_data(state: DataState, cat: Catalogue, lang: str) -> Rendered:
    """The table and summary of the chosen view, without its figures (the Data page)."""
    return RENDERERS[state.view](state.inner, cat, lang, figures=False)
