"""The page wiring every view shares, written once: from a view's spec and its page's ids, the render
callback (controls → the registered renderer → charts, summaries, notes and table), one download
per export format, the charts' image exports and the folding controls.

A page keeps what is its own (its layout, its URL sync with its own options, extra outputs such
as the map's boxes) and calls `wire(Wiring(...))` once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.core import queries, viewspec
from dashboard.core.queries import Catalogue
from dashboard.core.viewspec import Rendered, ViewSpec
from dashboard.ui import a11y, downloads, ids, titles
from dashboard.ui import components as c
from dashboard.ui.cache import by_state, controls_key
from dashboard.ui.sync import PageSpec, state_from_controls
from dashboard.urlstate import lang_of

log = logging.getLogger(__name__)


def register_page(module: str, spec: ViewSpec, **extra: Any) -> None:
    """`dash.register_page` for a view's page module: path, name, order and title from its spec."""
    dash.register_page(
        module, path=spec.path, name=spec.name, order=spec.nav, title=titles.title(spec.name),
        **extra,
    )  # fmt: skip


Extra = Callable[[Rendered, Any, Catalogue, str], Sequence[Any]]  # (out, state, cat, lang) → values


@dataclass(frozen=True)
class Wiring:
    """A page's ids for the shared wiring: its charts, notes, table, language store, downloads."""

    spec: PageSpec  # the page's controls ↔ query parameters; spec.page names the registered view
    charts: Sequence[tuple[str, str, str]]  # (figure key of Rendered, graph id, summary id)
    notes: str
    table: str
    lang: str  # the page's language store
    csv: str  # the first export format's button id (each format's id is derived from it)
    download: str  # the first export format's dcc.Download id
    extra_outputs: Sequence[Output] = ()  # outputs after the table's, filled by `extra`
    extra: Extra | None = None
    cached: bool = True  # a repeated state is answered from the view cache
    extra_first: bool = False  # the extra outputs right after the charts (before notes and table)
    figures_first: bool = False  # every chart's figure, then every summary (not pair by pair)
    exports: Sequence[str] = field(default=())  # graphs with an image export (default: the charts)
    deferred: Sequence[str] = ()  # figures that wait in a store until seen (c.chart deferred)
    own_draw: Sequence[str] = ()  # deferred graphs drawn by a clientside callback of the page


@dataclass(frozen=True)
class Wired:
    """What `wire` registered: the render callback and the download callbacks by format."""

    render: Callable[..., tuple]
    downloads: dict[str, Callable[..., dict]]


def render_values(w: Wiring, values: Sequence[Any], lang: str) -> tuple:
    """The render callback's values for control values: the view rendered, then `extra`."""
    cat = queries.catalogue()
    state, _ = state_from_controls(w.spec, list(values), cat)
    out = viewspec.view(w.spec.page).render(state, cat, lang)
    keys = [key for key, _, _ in w.charts]
    *charts, notes, rows, columns = c.view_outputs(out, keys, lang)
    if w.figures_first:
        charts = [out.figures[k] for k in keys] + [out.summaries[k] for k in keys]
    extra = tuple(w.extra(out, state, cat, lang)) if w.extra else ()
    if w.extra_first:
        return (*charts, *extra, notes, rows, columns)
    return (*charts, notes, rows, columns, *extra)


def _figure_output(w: Wiring, graph: str) -> Output:
    """Where a chart's figure goes: its graph, or the store it waits in when deferred."""
    return Output(c.later_id(graph), "data") if graph in w.deferred else Output(graph, "figure")


def _outputs(w: Wiring) -> list[Output]:
    """The render callback's outputs, in the order `render_values` fills them."""
    *charts, notes, rows, columns = c.view_output_ids(
        [(g, s) for _, g, s in w.charts], w.notes, w.table, deferred=w.deferred
    )
    if w.figures_first:
        charts = [_figure_output(w, g) for _, g, _ in w.charts] + [
            Output(s, "children") for _, _, s in w.charts
        ]
    if w.extra_first:
        return [*charts, *w.extra_outputs, notes, rows, columns]
    return [*charts, notes, rows, columns, *w.extra_outputs]


def wire(w: Wiring) -> Wired:
    """Register a page's render callback, downloads, chart exports and fold; return the callbacks."""
    page = w.spec.page

    def render(*args: Any) -> tuple:
        *values, lang = args
        return render_values(w, values, lang or "sv")

    render.__name__ = f"render_{page}"
    render.__doc__ = f"Draw the {page} view for the chosen controls."
    body = by_state(page, controls_key(w.spec))(render) if w.cached else render
    registered = callback(
        *_outputs(w),
        *[Input(cid, w.spec.prop(cid)) for cid in w.spec.control_ids],
        State(w.lang, "data"),
    )(body)
    made = downloads.register_view_downloads(page, w.spec, w.csv, w.download, w.lang)
    for graph in w.exports or [g for _, g, _ in w.charts]:
        c.register_export(graph)
    for graph in w.deferred:
        if graph not in w.own_draw:
            c.register_deferred(graph)
    a11y.register_fold(page)
    return Wired(registered, made)


def open_page(query: dict, parse: Callable, page: str) -> tuple | html.Div:
    """A layout's start: (lang, cat, state, problems) from the query, or the friendly page that
    says the warehouse cannot be read (never a 500)."""
    lang = lang_of(query)
    try:
        cat = queries.catalogue()
    except Exception as exc:
        log.exception("%s layout", page)
        return c.unavailable(lang, exc)
    state, problems = parse(query, cat)
    return lang, cat, state, problems


def frame(
    w: Wiring, url: str, message: str, heading: Sequence[Any], problems: list, controls: Any,
    lang: str, body: Sequence[Any], after_notes: Sequence[Any] = (),
) -> html.Div:  # fmt: skip
    """A view page: its URL and language, heading, message, folding controls, charts (`body`), the
    notes and the table with one download per export format."""
    return html.Div(
        [
            dcc.Location(id=url, refresh=False),
            dcc.Store(id=w.lang, data=lang),
            *heading,
            c.message_box(message, problems, lang),
            a11y.foldable(controls, w.spec.page, lang),
            *body,
            html.Div(id=w.notes, className="notes"),
            *after_notes,
            c.table(w.table, w.csv, w.download, lang),
        ],
        className="page",
    )


def sync_outputs(spec: PageSpec, url: str, message: str) -> list[Output]:
    """The URL sync callback's first outputs: the query string, the controls, the message and the
    selection shared with the navigation."""
    return [
        Output(url, "search"),
        *[Output(cid, spec.prop(cid)) for cid in spec.control_ids],
        Output(message, "children"),
        Output(ids.SHARED, "data", allow_duplicate=True),
    ]


def sync_inputs(spec: PageSpec, url: str) -> list[Input]:
    """The URL sync callback's first inputs: the query string and the controls."""
    return [Input(url, "search"), *[Input(cid, spec.prop(cid)) for cid in spec.control_ids]]
