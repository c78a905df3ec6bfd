"""Data & sources: the table behind a view (CSV download), series definitions and sources, last refresh."""

from __future__ import annotations

import logging

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import render
from dashboard.core import queries, viewspec
from dashboard.core.source_notes import note_text
from dashboard.core.text import t
from dashboard.core.text.numbers import real_share
from dashboard.ui import components as c
from dashboard.ui import downloads, exports, ids, scaffold
from dashboard.ui.cache import by_state
from dashboard.urlstate import DataState, parse_data, parse_search, to_search, with_lang
from dashboard.views.data import VIEW

log = logging.getLogger(__name__)
scaffold.register_page(__name__, VIEW)


def layout(**query) -> html.Div:
    """The page, with the view and its selection taken from the query string."""
    opened = scaffold.open_page(query, parse_data, "data")
    if isinstance(opened, html.Div):
        return opened
    lang, cat, state, problems = opened
    table = c.table(ids.DATA_TABLE, ids.DATA_CSV, ids.DATA_DOWNLOAD, lang, open_=True)
    return html.Div(
        [
            dcc.Location(id=ids.DATA_URL, refresh=False),
            dcc.Store(id=ids.DATA_LANG, data=lang),
            html.H1(t("nav.data", lang)),
            c.message_box(ids.DATA_MESSAGE, problems, lang),
            html.Div(
                c.field(
                    t("view", lang),
                    c.radio(
                        ids.DATA_VIEW,
                        [{"value": v, "label": t(f"nav.{v}", lang)} for v in viewspec.data_views()],
                        state.view,
                    ),
                    ids.DATA_VIEW,
                    "field wide",
                ),
                className="controls",
            ),
            html.P(id=ids.DATA_SUMMARY, className="summary", **{"aria-live": "polite"}),
            table,
            html.H2(t("sources.title", lang)),
            html.Div(sources_table(cat, lang), id=ids.DATA_SOURCES, className="sources"),
            html.H2(t("refresh.title", lang)),
            html.Div(refresh_block(lang), id=ids.DATA_REFRESH),
        ],
        className="page",
    )


def sources_table(cat, lang: str) -> list:
    """Each indicator's definition once, then one row per series (grouped by indicator).

    Columns: source table/KPI, years, updated stamp, fetch time, attribution, real or synthetic.
    """
    series = queries.series_info()
    if series.empty:
        return [html.P(t("refresh.none", lang))]
    head = [
        "col.indicator",
        "col.source",
        "col.years",
        "col.updated",
        "col.fetched",
        "col.attribution",
        "col.real",
        "col.notes",
    ]
    order = {code: i for i, code in enumerate(cat.indicators.index)}
    series = series.assign(_order=[order.get(i, len(order)) for i in series["indicator"]])
    series = series.sort_values(["_order", "indicator"], kind="stable")
    definitions: list = []
    rows = []
    notes: dict[str, int] = {}  # each distinct note once, below the table, referred to as [n]
    for indicator, part in series.groupby(["_order", "indicator"], sort=False):
        code = indicator[1]
        name = cat.indicator_name(code, lang)
        if code in cat.indicators.index:
            value = cat.indicators.at[code, f"definition_{lang}"]
            if not pd.isna(value) and str(value):
                definitions += [html.Dt(name), html.Dd(str(value))]
        for k, r in enumerate(part.itertuples()):
            source = f"{r.source_table}" + (
                f" – {r.source_title}" if isinstance(r.source_title, str) else ""
            )
            link = (
                html.A(source, href=r.url)
                if isinstance(r.url, str) and r.url.startswith("http")
                else source
            )
            fetched = "" if pd.isna(r.fetched_at) else str(r.fetched_at)[:19]
            years = "" if pd.isna(r.first_year) else f"{int(r.first_year)}–{int(r.last_year)}"
            first = [html.Th(name, scope="rowgroup", rowSpan=len(part))] if k == 0 else []
            rows.append(
                html.Tr(
                    [
                        *first,
                        html.Td(link),
                        html.Td(years),
                        html.Td("" if pd.isna(r.source_updated) else str(r.source_updated)),
                        html.Td(fetched),
                        html.Td(r.attribution),
                        html.Td(_real_or_synthetic(r, lang)),
                        html.Td(_note_ref(r.notes, notes)),
                    ]
                )
            )
    table = html.Table(
        [html.Thead(html.Tr([html.Th(t(h, lang), scope="col") for h in head])), html.Tbody(rows)]
    )
    footnotes = html.Ol(
        [html.Li(note_text(note, lang), id=f"source-note-{n}") for note, n in notes.items()],
        className="source-notes",
    )
    return [
        html.Dl(definitions, className="definitions"),
        html.Div(table, className="scroll-x"),
        footnotes,
    ]


def _real_or_synthetic(r, lang: str) -> str:
    """'real', 'synthetic' or the share of real rows of a partly synthetic series."""
    rows, made_up = float(r.rows), float(getattr(r, "synthetic_rows", 0) or 0)
    if made_up <= 0 and not r.synthetic:
        return t("real", lang)
    if made_up >= rows or (r.synthetic and made_up == 0):
        return t("synthetic", lang)
    return t("sources.real_share", lang, share=real_share(r))


def _note_ref(note, notes: dict[str, int]):
    """'[n]' linking to the note below the table (a long note repeated per series made the page
    thousands of pixels tall)."""
    if pd.isna(note) or not str(note).strip():
        return ""
    n = notes.setdefault(str(note), len(notes) + 1)
    return html.A(f"[{n}]", href=f"#source-note-{n}")


def refresh_block(lang: str) -> list:
    """The last ETL run and its status, and when the warehouse was built."""
    runs = queries.last_runs(1)
    cat = queries.catalogue()
    out = []
    if runs.empty:
        out.append(html.P(t("refresh.none", lang)))
    else:
        r = runs.iloc[0]
        finished = "" if pd.isna(r["finished_at"]) else str(r["finished_at"])[:19]
        out.append(
            html.P(
                t("refresh.line", lang, kind=r["kind"], finished=finished, status=r["status"]),
                id="data-last-run",
            )
        )
    if cat.info.get("built_at"):
        out.append(html.P(f"built_at: {cat.info['built_at']}", className="note"))
    out += units_block(lang)
    return out


def units_block(lang: str) -> list:
    """Which refresh units are stale, missing or discontinued, and why (all current: one line)."""
    units = queries.unit_status()
    if units.empty:
        return []
    bad = units[units.state != "ok"]
    out: list = [html.H3(t("units.title", lang))]
    stale = int(bad.state.isin(["failed", "missing"]).sum())
    line = (
        t("units.some_stale", lang, bad=stale, n=len(units))
        if stale
        else t("units.all_ok", lang, n=len(units))
    )
    out.append(html.P(line, id=ids.DATA_UNITS))
    head = ["col.unit", "col.state", "col.last_success", "col.last_attempt", "col.error"]

    def text(value: object, width: int = 0) -> str:
        return "–" if value is None or pd.isna(value) else str(value)[: width or None]

    rows = [
        html.Tr([html.Td(f"{u.source}:{u.unit_key}"), html.Td(t(f"units.state.{u.state}", lang)),
                 html.Td(text(u.last_success, 16)), html.Td(text(u.last_attempt, 16)),
                 html.Td(text(u.error))], className=f"unit-{u.state}")
        for u in units.itertuples()  # every unit, the ones that are not current first
    ]  # fmt: skip
    out.append(html.Table([html.Thead(html.Tr([html.Th(t(h, lang)) for h in head])),
                           html.Tbody(rows)], className="units"))  # fmt: skip
    return out


@callback(
    Output(ids.DATA_URL, "search"),
    Output(ids.DATA_VIEW, "value"),
    Output(ids.DATA_MESSAGE, "children"),
    Input(ids.DATA_URL, "search"),
    Input(ids.DATA_VIEW, "value"),
    State(ids.DATA_LANG, "data"),
)
def sync_url(search, view, lang):
    """URL ↔ the view selector (the view's own parameters are kept)."""
    cat = queries.catalogue()
    query = parse_search(search)
    if ctx.triggered_id == ids.DATA_VIEW:
        state, problems = parse_data({**query, "view": view}, cat)
        new = to_search(with_lang(state.to_query(), lang))
        return (new if new != (search or "") else dash.no_update), dash.no_update, dash.no_update
    state, problems = parse_data(query, cat)
    return (
        dash.no_update,
        state.view if state.view != view else dash.no_update,
        c.message(problems, lang),
    )


def table_for(search: str | None, view: str | None, lang: str) -> tuple[DataState, render.Rendered]:
    """The state and the rendered view the data page shows."""
    cat = queries.catalogue()
    query = parse_search(search)
    if view:
        query["view"] = view
    state, _ = parse_data(query, cat)
    return state, render.render_data(state, cat, lang)


def _table_key(view: str | None, search: str | None, lang: str) -> tuple[DataState, str]:
    """The rendered-view cache key of the data page: its validated state and the language."""
    query = parse_search(search)
    if view:
        query["view"] = view
    return parse_data(query, queries.catalogue())[0], lang


@callback(
    Output(ids.DATA_TABLE, "rowData"),
    Output(ids.DATA_TABLE, "columnDefs"),
    Output(ids.DATA_SUMMARY, "children"),
    Input(ids.DATA_VIEW, "value"),
    Input(ids.DATA_URL, "search"),
    State(ids.DATA_LANG, "data"),
)
@by_state("data", _table_key)
def render_table(view, search, lang):
    """The table of the chosen view and a sentence saying what it holds."""
    state, out = table_for(search, view, lang)
    rows, defs = c.grid_payload(out.table, out.headers, lang)
    first = next(iter(out.summaries.values()), "")
    n = len(out.table)
    lead = f"{t(f'nav.{state.view}', lang)}: {n} " + t("rows", lang)
    return rows, defs, f"{lead}. {first}"


def _download(fmt: str, view: str, search: str, lang: str) -> dict:
    """The chosen view's table as CSV or xlsx (source and synthetic columns, view URL)."""
    state, out = table_for(search, view, lang)
    return exports.download(
        fmt, out.table, out.headers, state.inner, queries.catalogue(), lang,
        page=state.view, filename=out.filename,
    )  # fmt: skip


DOWNLOADS = downloads.register_downloads(
    ids.DATA_CSV,
    ids.DATA_DOWNLOAD,
    [State(ids.DATA_VIEW, "value"), State(ids.DATA_URL, "search"), State(ids.DATA_LANG, "data")],
    _download,
)
download_csv, download_xlsx = DOWNLOADS["csv"], DOWNLOADS["xlsx"]
