"""The Explore view's render: the gap against another indicator for every municipality."""

from __future__ import annotations

import logging

from dashboard.core import text
from dashboard.core.frames import small_threshold
from dashboard.core.gaps import GAPS, Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.core.viewspec import Rendered
from dashboard.provenance import Scope
from dashboard.render import explained, fig_or_none, stamped
from dashboard.urlstate import COUNTRY
from dashboard.views.explore import figures as explore_fig
from dashboard.views.explore import text as explore_text
from dashboard.views.explore.data import explore_data, x_group
from dashboard.views.explore.state import ExploreState
from dashboard.views.explore.table import explore_table

log = logging.getLogger(__name__)


@stamped("explore")
def render_explore(
    state: ExploreState, cat: Catalogue, lang: str, *, figures: bool = True
) -> Rendered:
    """Scatter of the gap against another indicator for all municipalities."""
    data = explore_data(state, cat, lang)
    gap = GAPS[state.gap]
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, small_threshold())
    x_label = cat.indicator_name(state.x, lang)
    x_fmt = text.NumberFormat.for_indicator(cat, state.x, lang, fmt.threshold)
    table, headers = explore_table(data.frame, gap, cat, lang, x_label, fmt.decimals)
    notes = [t("note.size", lang)]
    if data.x_year is not None and data.x_year != state.year:
        notes.append(f"{x_label}: {data.x_year}")
    filename = f"explore_{state.indicator}_{state.x}_{state.year}"
    if data.empty_reason:
        return explained(
            data.empty_reason, ("scatter",), cat=cat, state=state, groups=[gap.a, gap.b], lang=lang,
            table=table, headers=headers, notes=notes, filename=filename,
        )  # fmt: skip
    y_label = f"{t('gap', lang)} ({t('pp', lang)}): {text.gap_label(gap, lang)}"
    band = text.age_band(state.age, lang)
    title = (
        f"{cat.indicator_name(state.indicator, lang)} {band}, {state.year}: "
        f"{t('gap', lang).lower()} ({text.gap_label(gap, lang)}) vs {x_label.lower()}"
    )
    fig = fig_or_none(
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
        band=band,
    )
    explore_fig.add_country(fig, cat.area_name(COUNTRY, lang), data.country_x, data.country_gap)
    summary = explore_text.summary_explore(
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


def scopes(state: ExploreState, cat: Catalogue) -> list[Scope]:
    """The gap's groups and everyone, and the x indicator's group in its nearest year."""
    gap = GAPS[state.gap]
    main = Scope(
        state.indicator,
        state.age,
        (gap.a, gap.b, Group("total", "total")),
        level="municipality",
        years=(state.year,),
    )
    x_age = cat.default_age(state.x)
    xg = x_group(cat, state.x, x_age)
    if xg is None or state.x == state.indicator:
        return [main]
    x_years = [y for y in cat.years_for(state.x, x_age) if y <= state.year] or cat.years_for(
        state.x, x_age
    )
    x_year = (x_years[-1],) if x_years else None
    return [main, Scope(state.x, x_age, (xg,), level="municipality", years=x_year)]
