"""The Peers view's render: the ranked dumbbell with its statistics and the slope chart of the gap."""

from __future__ import annotations

import logging

from dashboard.core import references, text
from dashboard.core.frames import small_threshold
from dashboard.core.gaps import GAPS
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.core.viewspec import Rendered
from dashboard.provenance import Scope
from dashboard.render import explained, fig_or_none, stamped
from dashboard.urlstate import COUNTRY
from dashboard.views.peers import figures as peers_fig
from dashboard.views.peers import text as peers_text
from dashboard.views.peers.data import peer_members, peers_data
from dashboard.views.peers.state import PeersState
from dashboard.views.peers.table import peers_table

log = logging.getLogger(__name__)


@stamped("peers")
def render_peers(state: PeersState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Ranked dumbbell, rank x of n, median and weighted mean, and a slope chart of the gap."""
    data = peers_data(state, cat, lang)
    fmt = text.NumberFormat.for_indicator(cat, state.indicator, lang, small_threshold())
    ind_label = cat.indicator_name(state.indicator, lang)
    threshold = fmt.threshold
    table, headers = peers_table(data, cat, lang, state.year0, fmt.decimals)
    name = cat.area_name(state.municipality, lang)
    notes = [t("note.weighted", lang)]
    filename = f"peers_{state.municipality}_{state.kind}_{state.year}"
    if data.empty_reason:
        return explained(
            data.empty_reason, ("dumbbell", "slope"), cat=cat, state=state,
            groups=[data.gap.a, data.gap.b], lang=lang, table=table, headers=headers, notes=notes,
            filename=filename, extra={"stats": data.stats},
        )  # fmt: skip
    national = state.municipality == COUNTRY and state.kind != "custom"  # no municipality chosen
    kind_label = t("peers.national" if national else f"peers.{state.kind}", lang)
    band = text.age_band(state.age, lang)
    title = (
        f"{ind_label} {band}, {state.year}: {text.gap_label(data.gap, lang)} – {name}, "
        f"{kind_label.lower()}"
    )
    dumbbell = fig_or_none(
        figures,
        peers_fig.dumbbell_figure,
        data.frame,
        selected=state.municipality,
        gap=data.gap,
        stats=data.stats,
        fmt=fmt,
        title=title,
        band=band,
    )
    slope_title = (
        f"{t('gap', lang)} {state.year0} → {state.year} ({t('pp', lang)}): "
        f"{text.gap_label(data.gap, lang)}, {ind_label.lower()} {band} – {name}, {kind_label.lower()}"
    )
    slope = fig_or_none(
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
        band=band,
    )
    synthetic = data.synthetic
    if slope is not None:  # the county and the country as reference lines
        refs = references.reference_series(
            cat, state.indicator, state.age, data.gap, references.county_of(cat, state.municipality),
            lang, years=sorted({state.year0, state.year}),
        )  # fmt: skip
        references.add_reference_lines(
            slope, refs, lang, x_values={state.year0: str(state.year0), state.year: str(state.year)}
        )
    summary = peers_text.summary_peers(
        year=state.year,
        area=name,
        gap=data.gap,
        stats=data.stats,
        fmt=fmt,
        synthetic=synthetic,
    )
    if national:
        summary += " " + t("peers.pick", lang)
    s = data.slope
    slope_summary = peers_text.summary_slope(
        area=name, year0=state.year0, year=state.year, gap0=s.gap0, gap1=s.gap1,
        narrowed=s.narrowed, n=s.n, lang=lang, synthetic=synthetic,
        key="s.slope_national" if national else "s.slope",
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


def scopes(state: PeersState, cat: Catalogue) -> list[Scope]:
    """The observations the peers compare: the members' gap groups in the two years."""
    gap = GAPS[state.gap]
    members = tuple(peer_members(state))
    years = tuple(sorted({state.year, state.year0}))
    return [Scope(state.indicator, state.age, (gap.a, gap.b), members, years=years)]
