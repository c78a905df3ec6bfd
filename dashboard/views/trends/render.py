"""The Trends view's render: group lines with the gap shaded, and the gap per area over the years."""

from __future__ import annotations

import logging

import pandas as pd

from dashboard.core import references, text
from dashboard.core.frames import small_threshold
from dashboard.core.gaps import GAPS
from dashboard.core.queries import Catalogue
from dashboard.core.text import NumberFormat, t
from dashboard.core.viewspec import Rendered
from dashboard.provenance import Scope
from dashboard.render import explained, fig_or_none, stamped, year_span
from dashboard.views.trends import figures as trends_fig
from dashboard.views.trends import text as trends_text
from dashboard.views.trends.data import trend_groups, trends_data
from dashboard.views.trends.empty import trends_empty
from dashboard.views.trends.state import TrendsState
from dashboard.views.trends.table import trends_table

log = logging.getLogger(__name__)


def latest_values_summary(
    obs: pd.DataFrame,
    area: str,
    name: str,
    cat: Catalogue,
    fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """'Alby (LUA), 2024: women 80,1 %, men 79,2 %.' for an area whose lines have no gap."""
    lang = fmt.lang
    rows = obs[(obs.area_code == area) & obs.value.notna()]
    if rows.empty:
        return ""
    year = int(rows.year.max())
    last = rows[rows.year == year]
    parts = [f"{cat.label('sex', r.sex, lang).lower()} {fmt.value(r.value)}"
             + (f" ({t('derived_band', lang)})" if r.status == "derived" else "")
             for r in last.itertuples()]  # fmt: skip
    tail = f" ({t('synthetic_value', lang)})" if synthetic else ""
    return f"{name}, {year}: " + ", ".join(parts) + tail + "."


@stamped("trends")
def render_trends(
    state: TrendsState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Group lines over years with the gap shaded, and the gap per area over years."""
    data = trends_data(state, cat)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    threshold = fmt.threshold
    names = {a: cat.area_name(a, lang) for a in state.areas}
    table, headers = trends_table(data, cat, lang, fmt.decimals)
    notes = [t("note.break", lang), text.noise_note(lang)]
    filename = f"trends_{'_'.join(state.areas)}"
    if data.empty_reason:
        return explained(
            data.empty_reason, ("lines", "gap"), cat=cat, state=state, groups=[data.gap.a, data.gap.b],
            lang=lang, table=table, headers=headers, notes=notes, filename=filename,
        )  # fmt: skip
    band, joined = text.age_band(state.age, lang), text.join_names(list(names.values()), lang)
    span = year_span(data.obs)
    title = f"{ind_label} {band}, {text.gap_label(data.gap, lang)} – {joined}{span}"
    empty, no_gap = trends_empty(data, state, names, lang) if figures else ({}, {})
    lines = fig_or_none(
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
        band=band,
        empty=empty,
    )
    gap_title = (
        f"{t('gap', lang)} ({t('pp', lang)}): {text.gap_label(data.gap, lang)}, "
        f"{ind_label.lower()} {band} – {joined}{span}"
    )
    gap_fig = fig_or_none(
        figures,
        trends_fig.gap_lines_figure,
        data.gaps,
        areas=list(state.areas),
        names=names,
        lang=lang,
        threshold=threshold,
        title=gap_title,
        band=band,
        missing=no_gap,
    )
    synthetic = data.synthetic
    first_area = state.areas[0]
    if gap_fig is not None:  # the county and the country as reference lines
        refs = references.reference_series(
            cat, state.indicator, state.age, data.gap, references.county_of(cat, first_area), lang
        )
        shown = set(state.areas)
        references.add_reference_lines(gap_fig, [r for r in refs if r["code"] not in shown], lang)
    ends = data.ends
    e = ends.get(first_area)
    first = (e.first_year, e.first_gap) if e else None
    last = (e.last_year, e.last_value, e.last_gap) if e else None
    others = [(names[a], ends[a].last_gap) for a in state.areas[1:] if a in ends]
    lines_summary = trends_text.summary_trends(
        area=names[first_area],
        gap=data.gap,
        first=first,
        last=last,
        fmt=fmt,
        synthetic=synthetic,
        others=others,
    )
    if last is None:  # no gap for the first area (e.g. a LUA district): say its latest values
        lines_summary = (
            latest_values_summary(data.obs, first_area, names[first_area], cat, fmt, synthetic)
            or lines_summary
        )
    moves = [
        (names[a], e.first_year, e.first_gap, e.last_year, e.last_gap) for a, e in ends.items()
    ]
    gap_summary = trends_text.summary_gap_lines(
        gap=data.gap, series=moves, lang=lang, synthetic=synthetic
    )
    return Rendered(
        {"lines": lines, "gap": gap_fig},
        {"lines": lines_summary, "gap": gap_summary},
        table,
        headers,
        notes,
        filename=filename,
    )


def scopes(state: TrendsState, cat: Catalogue) -> list[Scope]:
    """The observations the trend lines show: the areas' groups over every year."""
    groups = tuple(trend_groups(state, cat)) or (GAPS[state.gap].a,)
    return [Scope(state.indicator, state.age, groups, tuple(state.areas))]
