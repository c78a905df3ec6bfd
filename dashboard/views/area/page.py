"""The area profile page `/area?area=<code>` (dash.register_page) and its thin callbacks.

The whole profile is drawn from the URL: a control (comparators, benchmark, since, sort, the
"find your area" search) navigates to the new address and Dash draws the page for it, so every
view is a shareable link. `?print=1` is the print view (no controls).
"""

from __future__ import annotations

import logging

import dash
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, callback, dcc, html

from dashboard.core.text import age_band, fmt_num
from dashboard.ui import a11y, exports, scaffold
from dashboard.ui import components as c
from dashboard.urlstate import href as view_href
from dashboard.urlstate import lang_of
from dashboard.views.area import VIEW, data, render
from dashboard.views.area.report import PLANNER_ROUTE
from dashboard.views.area.state import SORTS, AreaState, href, parse
from dashboard.views.area.text import tr
from etl import seeds

log = logging.getLogger(__name__)


GO, QUERY, LANG = "area-go", "area-query", "area-lang"
FIND, CMP, BENCH, SINCE, SORT = "area-find", "area-cmp", "area-bench", "area-since", "area-sort"
TABLES = ("spine", "members", "planner")
MEMBERS_OPEN = 8  # a longer list of member areas starts folded (a county's 26 municipalities)


def html_table(
    frame: pd.DataFrame, table_id: str, lang: str, *, open_: bool = True, extra: list | None = None
) -> html.Details:
    """A plain, printable, keyboard-scrollable table with CSV and xlsx downloads, folded behind a
    summary that names its rows (open unless `open_` is False: the phone's page stays short)."""

    def cell(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, float):
            return fmt_num(v, 1, lang)
        return str(v)

    head = html.Thead(html.Tr([html.Th(str(col), scope="col") for col in frame.columns]))
    body = html.Tbody(
        [html.Tr([html.Td(cell(v)) for v in row]) for row in frame.itertuples(index=False)]
    )
    label = tr(f"area.table.{table_id}", lang, n=len(frame))
    return html.Details(
        [
            html.Summary(label, className="area-table-summary"),
            html.Div(html.Table([head, body], className="area-table"), className="area-table-wrap",
                     tabIndex="0", role="region", **{"aria-label": label}),
            html.Div(
                [html.Button(tr("csv", lang), id={"type": "area-csv", "table": table_id}, className="btn"),
                 html.Button(tr("xlsx", lang), id={"type": "area-xlsx", "table": table_id}, className="btn"),
                 *(extra or []), dcc.Download(id={"type": "area-dl", "table": table_id})],
                className="area-downloads no-print",
            ),
        ],
        open=open_, className="area-table-block",
    )  # fmt: skip


def phone_fold(children, key: str, label: str) -> html.Div:
    """A long part of the profile behind a button on phones (always open on wider screens, by
    the CSS of the pages' "Val"/"Options" fold); pattern ids, as only some areas have the part."""
    button, box = {"type": "area-fold-button", "part": key}, {"type": "area-fold-box", "part": key}
    return html.Div(
        [html.Button(label, id=button, className="btn fold-button", **{"aria-expanded": "false"}),
         html.Div(children, id=box, className="fold-box")],
        className="fold",
    )  # fmt: skip


def _controls(state: AreaState, prof: render.Profile, lang: str) -> html.Div:
    a = prof.area
    fields = [
        c.field(tr("area.comparators", lang), c.radio(CMP, [
            {"value": v, "label": tr(f"area.cmp.{v}", lang)} for v in data.COMPARATORS], state.comparator), CMP),
        c.field(tr("area.bench", lang), c.radio(BENCH, [
            {"value": v, "label": tr(f"area.bench.{v}", lang)} for v in data.BENCHMARKS], state.benchmark), BENCH),
    ]  # fmt: skip
    planner = a.level in ("county", "la_region")  # since and sort belong to the planner's table
    since = dcc.Dropdown(
        id=SINCE,
        options=c.year_options(prof.planner_years),
        value=state.since,
        clearable=True,
        searchable=False,
        placeholder=tr("select", lang),
    )
    fields += [
        html.Div([
            c.field(tr("area.since", lang), since, SINCE, "field narrow"),
            c.field(tr("area.sort", lang), c.radio(SORT, [
                {"value": v, "label": tr(f"area.sort.{v}", lang)} for v in SORTS], state.sort), SORT),
        ], className="controls", style={} if planner else {"display": "none"}),
    ]  # fmt: skip
    hidden = {"display": "none"} if a.level == "country" else {}  # no comparators at the country
    return html.Div(fields, className="controls no-print", style=hidden)


def _block(heading: str, *children, class_name: str = "area-block") -> html.Section:
    return html.Section([html.H2(heading), *children], className=class_name)


def _graph(graph_id: str, fig, filename: str, lang: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=fig, config=c.graph_config(filename, lang),
                     style={"minHeight": f"{int(fig.layout.height or 400)}px"})  # fmt: skip


def layout(**query) -> html.Div:
    """The profile for the query (friendly text, never a 500, when something is missing)."""
    lang = lang_of(query)
    try:
        state, problems = parse(query)
        prof = render.profile(state, lang)
        options = data.search_options(lang)
    except Exception as exc:
        log.exception("area layout")
        return c.unavailable(lang, exc)
    printing = str(query.get("print", "")) == "1"
    a = prof.area
    mark = (
        [html.P("⚠ " + exports.synthetic_mark(lang), className="area-synthetic")]
        if prof.synthetic
        else []
    )
    find = html.Div(
        c.field(
            tr("area.find", lang), c.dropdown(FIND, options, a.code, lang=lang), FIND, "field wide"
        ),
        className="controls no-print",
    )
    pdf = html.A(tr("area.pdf", lang), href=href(state, lang, "/area/report.pdf"), id="area-pdf-link",
                 className="btn no-print")  # fmt: skip
    blocks = [
        _block(tr("area.ranks", lang), html.P(prof.rank_lead, className="summary"),
               html.Ul([html.Li(r) for r in prof.ranks]) if prof.ranks
               else html.P("" if a.level == "country" else "–")),  # the country: its lead says why
        _block(tr("nav.explain", lang), html.P([prof.explained, " ",
               dcc.Link(tr("area.explain_link", lang), href=view_href("explain", {"area": a.code}, lang),
                        id="area-explain-link")])),
        _block(tr("area.trend_title", lang, name=a.name(lang), band=age_band(data.headline_age(a.level), lang)), _graph("area-trend", prof.trend, "area_trend", lang),
               html.P(prof.trend_summary, className="summary")),
        _block(prof.spine.layout.title.text.replace("<br>", " ") if prof.spine.layout.title.text else
               tr("area.no_values", lang), _graph("area-spine", prof.spine, "area_spine", lang),
               html.P(prof.spine_summary, className="summary"),
               html.P(tr("area.not_compared_note", lang), className="note"),
               html_table(prof.spine_table, "spine", lang, open_=printing)),
    ]  # fmt: skip
    if len(prof.members):
        blocks.append(_block(tr("area.members_title", lang, name=a.name(lang)),
                             html_table(prof.members, "members", lang,
                                        open_=printing or len(prof.members) <= MEMBERS_OPEN)))  # fmt: skip
    if len(prof.planner):
        planner_pdf = html.A(tr("area.planner_pdf", lang), href=href(state, lang, PLANNER_ROUTE),
                             id="area-planner-pdf", className="btn")  # fmt: skip
        blocks.append(_block(tr("area.planner_title", lang, name=a.name(lang), age=data.PLANNER_AGE),
                             html.P(prof.planner_summary, className="summary"),
                             html.P([tr("area.mark.sig", lang), " ", tr("area.not_compared_note", lang)],
                                    className="note"),
                             html.P(render.planner_note(lang), className="note"),
                             phone_fold([_graph("area-planner-chart", prof.planner_chart, "area_planner", lang),
                                         html_table(prof.planner, "planner", lang, extra=[planner_pdf])],
                                        "planner", tr("area.table.planner", lang, n=len(prof.planner)))))  # fmt: skip
    return html.Div(
        [
            dcc.Location(id=GO, refresh="callback-nav"),
            dcc.Store(id=QUERY, data=state.to_query()),
            dcc.Store(id=LANG, data=lang),
            html.H1(tr("area.title", lang, name=a.name(lang))),
            c.message_box("area-message", problems, lang),
            *mark,
            html.P(tr("area.intro", lang), className="no-print area-intro"),
            *([] if printing else [find, a11y.foldable(_controls(state, prof, lang), "area", lang), pdf]),
            html.Div([html.P(line) for line in prof.headline], className="area-headline", id="area-headline"),
            *blocks,
            html.Footer([*[html.P(line) for line in prof.source_lines], html.P(tr("area.permalink", lang, url=prof.permalink)),
                         html.P(tr("area.method", lang, noise=seeds.noise_from_year()), className="note")],
                        className="area-sources"),
        ],
        className="page area-profile" + (" area-print" if printing else ""),
    )  # fmt: skip


@callback(
    Output(GO, "href"),
    Input(FIND, "value"),
    Input(CMP, "value"),
    Input(BENCH, "value"),
    Input(SINCE, "value"),
    Input(SORT, "value"),
    State(QUERY, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def navigate(code, comparator, benchmark, since, sort, query, lang):
    """A control changed: go to the profile's address for the new state."""
    state, _ = parse({**(query or {}), "area": code or (query or {}).get("area"), "cmp": comparator,
                      "bench": benchmark, "since": "" if since is None else str(since), "sort": sort})  # fmt: skip
    return href(state, lang or "sv")


@callback(
    Output({"type": "area-dl", "table": MATCH}, "data"),
    Input({"type": "area-csv", "table": MATCH}, "n_clicks"),
    Input({"type": "area-xlsx", "table": MATCH}, "n_clicks"),
    State(QUERY, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def download(_csv, _xlsx, query, lang):
    """CSV or xlsx of one of the profile's tables (the source and permalink with it)."""
    lang = lang or "sv"
    trigger = dash.ctx.triggered_id or {}
    state, _ = parse(query or {})
    prof = render.profile(state, lang)
    frame = {"spine": prof.spine_table, "members": prof.members, "planner": prof.planner}[
        trigger["table"]
    ].copy()
    frame[tr("prov.column", lang)] = prof.source_line
    if prof.synthetic:
        frame[tr("prov.synthetic_mark", lang)] = True
    name = f"area_{state.area}_{trigger['table']}"
    if trigger.get("type") == "area-xlsx":
        sources = pd.DataFrame({tr("area.sources", lang): [prof.source_line, prof.permalink]})
        return dcc.send_bytes(exports.xlsx_bytes(frame, sources, lang), f"{name}.xlsx")
    return {
        "content": exports.csv_text(frame, lang, prof.permalink),
        "filename": f"{name}.csv",
        "type": "text/csv",
    }


a11y.register_fold("area")
dash.clientside_callback(  # a folded part of the profile (phone_fold) opens and closes
    ClientsideFunction(namespace="labourdash_a11y", function_name="fold"),
    Output({"type": "area-fold-button", "part": MATCH}, "aria-expanded"),
    Output({"type": "area-fold-box", "part": MATCH}, "className"),
    Input({"type": "area-fold-button", "part": MATCH}, "n_clicks"),
    State({"type": "area-fold-button", "part": MATCH}, "aria-expanded"),
    prevent_initial_call=True,
)

# registered from here, not from dashboard/pages/ (which only imports this module): the layout is
# handed over explicitly, as Dash takes it from the pages folder's own modules only
scaffold.register_page(__name__, VIEW, layout=layout)
