"""Layout building blocks shared by the pages: labelled controls, chart cards, tables, messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_ag_grid as dag
import numpy as np
import pandas as pd
from dash import ClientsideFunction, Input, Output, dcc, html

from dashboard.core import db, text
from dashboard.core.gaps import GAPS
from dashboard.core.records import records
from dashboard.core.text import t
from dashboard.core.text.grid import grid_locale
from dashboard.core.text.widgets import dropdown_labels, plotly_locale
from dashboard.ui.exports import FORMATS
from dashboard.urlstate import Problem, href, shared_params

EXPORT_SCALE = 2
# modebar buttons no chart shows: "Share chart…" uploads the data to an outside cloud service
NEVER_BUTTONS = ["sendChartToCloud", "editInChartStudio"]


def graph_config(filename: str, lang: str = "sv") -> dict[str, Any]:
    """dcc.Graph config: PNG download in the modebar, offline map assets, no Plotly logo, no cloud
    upload, and the tool bar's tooltips in the page language."""
    try:
        topojson = dash.get_asset_url("topojson/")
    except Exception:  # outside an app context (unit tests)
        topojson = "/assets/topojson/"
    return {
        "displaylogo": False,
        "showSendToCloud": False,  # plotly.js 4 shows "Share chart…" (an upload) by default
        "showEditInChartStudio": False,
        "plotlyServerURL": "",
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": EXPORT_SCALE},
        "modeBarButtonsToRemove": [
            *NEVER_BUTTONS,
            *(["lasso2d"] if not filename.startswith("explore") else []),
        ],
        "topojsonURL": topojson,
        **plotly_locale(lang),
    }


def field(label: str, control: Any, control_id: str, class_name: str = "field") -> html.Div:
    """A control with a visible label linked to it (for screen readers and keyboard users)."""
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="field-label"), control],
        className=class_name,
    )


def dropdown(
    control_id: str,
    options: list[dict],
    value: Any,
    *,
    multi: bool = False,
    clearable: bool = False,
    lang: str = "sv",
) -> dcc.Dropdown:
    """A searchable dropdown with its placeholder, search box and counts in the page language.

    Dash's "Select all" of a multi-select is hidden by CSS (style.css): every multi-select here has
    a limit (6 areas, 60 peers) that selecting everything would break.
    """
    return dcc.Dropdown(
        id=control_id,
        options=options,
        value=value,
        multi=multi,
        clearable=clearable,
        searchable=True,
        placeholder=t("select", lang),
        labels=dropdown_labels(lang),
    )


def radio(control_id: str, options: list[dict], value: Any) -> dcc.RadioItems:
    """Inline radio buttons (keyboard: arrow keys)."""
    return dcc.RadioItems(
        id=control_id, options=options, value=value, inline=True, className="radio"
    )


def message(problems: Sequence[Problem], lang: str) -> list:
    """Friendly text about rejected URL parameters (empty list when there are none)."""
    if not problems:
        return []
    items = [html.Li(t(f"msg.{p.kind}", lang, value=p.value, param=p.param)) for p in problems]
    return [html.P(t("msg.bad", lang)), html.Ul(items)]


def message_box(box_id: str, problems: Sequence[Problem], lang: str) -> html.Div:
    """The message area of a page (role=status, hidden when empty)."""
    return html.Div(message(problems, lang), id=box_id, role="status", className="message")


def export_buttons(graph_id: str, lang: str) -> html.Div:
    """PNG and SVG download buttons for one chart."""
    return html.Div(
        [
            html.Button(t("png", lang), id=f"{graph_id}-png", className="btn-small", title="PNG"),
            html.Button(t("svg", lang), id=f"{graph_id}-svg", className="btn-small", title="SVG"),
            html.Span(id=f"{graph_id}-export-status", className="visually-hidden"),
        ],
        className="export",
    )


def later_id(graph_id: str) -> str:
    """The store a deferred chart's figure waits in until the chart nears the screen."""
    return f"{graph_id}-later"


def chart(
    graph_id: str,
    summary_id: str,
    filename: str,
    lang: str,
    height: int = 480,
    *,
    deferred: bool = False,
) -> html.Section:
    """A chart with its export buttons and its one-sentence summary (deferred: drawn when seen)."""
    later = [dcc.Store(id=later_id(graph_id))] if deferred else []
    return html.Section(
        [
            *later,
            export_buttons(graph_id, lang),
            dcc.Loading(
                dcc.Graph(
                    id=graph_id,
                    config=graph_config(filename, lang),
                    style={"minHeight": f"{height}px"},
                    figure={"data": [], "layout": {"height": height}},
                ),
                type="default",
                delay_show=300,
            ),
            html.P(id=summary_id, className="summary", **{"aria-live": "polite"}),
        ],
        className="chart",
    )


def register_deferred(graph_id: str) -> None:
    """Clientside: a deferred chart gets its figure when it nears the screen (or its fold opens)."""
    dash.clientside_callback(
        ClientsideFunction(namespace="labourdash", function_name="drawWhenSeen"),
        Output(graph_id, "figure"),
        Input(later_id(graph_id), "data"),
        dash.State(graph_id, "id"),
        prevent_initial_call=True,
    )


def register_export(graph_id: str) -> None:
    """Clientside callbacks: PNG/SVG buttons → Plotly.downloadImage of that chart."""
    for fmt in ("png", "svg"):
        dash.clientside_callback(
            ClientsideFunction(namespace="labourdash", function_name="downloadImage"),
            Output(f"{graph_id}-export-status", "children", allow_duplicate=True),
            Input(f"{graph_id}-{fmt}", "n_clicks"),
            dash.State(graph_id, "id"),
            dash.State(f"{graph_id}-{fmt}", "title"),
            prevent_initial_call=True,
        )


def format_id(csv_component_id: str, fmt: str) -> str:
    """A format's twin of a CSV button or download id ('map-csv-button', 'xlsx' → 'map-xlsx-button')."""
    return csv_component_id.replace("csv", fmt)


def table(
    table_id: str, csv_id: str, download_id: str, lang: str, open_: bool = False
) -> html.Details:
    """Collapsible AG Grid table (the accessible alternative) with a download button per format."""
    return html.Details(
        [
            html.Summary(t("table", lang)),
            *[html.Button(t(f, lang), id=format_id(csv_id, f), className="btn") for f in FORMATS],
            *[dcc.Download(id=format_id(download_id, f)) for f in FORMATS],
            dag.AgGrid(
                id=table_id,
                rowData=[],
                columnDefs=[],
                defaultColDef={
                    "sortable": True,
                    "filter": True,
                    "resizable": True,
                    "minWidth": 90,
                    "flex": 1,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                dashGridOptions={
                    "localeText": grid_locale(lang),  # "1 till 8 av 8", "Sök …" in Swedish
                    "ensureDomOrder": True,
                    "suppressColumnVirtualisation": True,
                    "pagination": True,
                    "paginationPageSize": 20,
                    "paginationPageSizeSelector": False,
                },
                columnSize="responsiveSizeToFit",
                style={"height": "460px"},
            ),
        ],
        open=open_,
        className="table-section",
    )


PLAIN_NUMBERS = {"year", "rank"}  # integer columns shown without thousands separators
CHAR_PX = 8  # about one character of the grid's font, for column widths


def _decimals(values: pd.Series, most: int = 3) -> int:
    """The fewest decimals that show every (already rounded) value of a column exactly."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    known = numbers[~np.isnan(numbers)]  # numpy, not pandas: this runs per column and request
    for d in range(most + 1):
        if known.size == 0 or bool((np.abs(np.round(known, d) - known) < 1e-9).all()):
            return d
    return most


def number_formatter(decimals: int, lang: str, grouping: bool = True) -> dict:
    """AG Grid valueFormatter: the language's decimal mark, thousands space and minus sign.

    The cell keeps its number (sorting and the number filter work on it); only the display is
    formatted, by labourdashNum in assets/dashAgGridFunctions.js (the same rules as text.fmt_num).
    """
    lang = text.norm_lang(lang)
    flag = "true" if grouping else "false"
    return {"function": f"labourdashNum(params.value, {int(decimals)}, '{lang}', {flag})"}


def _width(header: str, values: pd.Series) -> int:
    """A minimum column width that shows the longest value and the header's longest word."""
    known = values.dropna().tolist()
    longest = max(len(str(v)) for v in known) if known else 2
    word = max((len(w) for w in header.split()), default=2)
    return max(90, min(260, max(CHAR_PX * longest + 36, CHAR_PX * word + 60)))


def grid_payload(
    frame: pd.DataFrame, headers: dict[str, str], lang: str
) -> tuple[list[dict], list[dict]]:
    """rowData and columnDefs for AG Grid from a display table (column → header).

    Numbers stay numbers in rowData (numeric sort and filter) and are shown in the language's
    format; every column is at least as wide as its values, so the grid scrolls sideways inside
    its box on a phone instead of cutting names.
    """
    defs = []
    for col in frame.columns:
        header = headers.get(col, col)
        d: dict[str, Any] = {"field": col, "headerName": header}
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
            d["type"] = "numericColumn"
            d["filter"] = "agNumberColumnFilter"
            plain = col in PLAIN_NUMBERS
            decimals = _decimals(values)
            d["valueFormatter"] = number_formatter(decimals, lang, grouping=not plain)
            shown = values.abs().max() if values.notna().any() else 0
            width_of = pd.Series([f"−{float(shown):,.{decimals}f}"])
            d["minWidth"] = _width(header, width_of)
        else:
            d["minWidth"] = _width(header, values)
            if col == "area":
                d["flex"] = 2
        defs.append(d)
    return records(frame), defs


def view_output_ids(
    charts: Sequence[tuple[str, str]],
    notes_id: str,
    table_id: str,
    deferred: Sequence[str] = (),
) -> list:
    """A view callback's Outputs: each (graph, summary) pair, then the notes and the table.

    A deferred graph's figure goes to its waiting store (`chart(deferred=True)`), not the graph.
    """
    pairs = [
        o
        for g, s in charts
        for o in (
            Output(later_id(g), "data") if g in deferred else Output(g, "figure"),
            Output(s, "children"),
        )
    ]
    return [*pairs, Output(notes_id, "children"), Output(table_id, "rowData"),
            Output(table_id, "columnDefs")]  # fmt: skip


def view_outputs(out: Any, keys: Sequence[str], lang: str) -> tuple:
    """The values for view_output_ids from a rendered view: its charts by key, notes, table."""
    rows, defs = grid_payload(out.table, out.headers, lang)
    pairs = [x for k in keys for x in (out.figures[k], out.summaries[k])]
    return (*pairs, notes(out.notes), rows, defs)


def links_to_views(name: str, hrefs: dict[str, str], lang: str, header: str | None = None) -> list:
    """'Show Malmö in: Trends · Peers · Map' links."""
    items: list = [html.Span(header or t("open_in", lang, name=name) + " ")]
    for i, (page, link) in enumerate(hrefs.items()):
        if i:
            items.append(" · ")
        items.append(
            dcc.Link(
                t(f"nav.{page}", lang)
                if page in ("map", "trends", "peers", "explore", "data", "area")
                else page,
                href=link,
            )
        )
    return items


def notes(lines: Sequence[str]) -> list:
    """Chart notes as a list of paragraphs."""
    return [html.P(line, className="note") for line in lines if line]


def group_options(groups, lang: str) -> list[dict]:
    """Options for a sex × birth-region group selector."""
    return [{"value": g.key, "label": text.group_label(g, lang)} for g in groups]


def unavailable(lang: str, exc: Exception | None = None) -> html.Div:
    """Shown instead of a page when the warehouse is missing or a view cannot be drawn."""

    if exc is None or isinstance(exc, db.WarehouseMissing):
        msg = t("no_warehouse", lang, path=str(db.db_path()))
    else:
        msg = t("error", lang)
    return html.Div(html.P(msg), className="message", role="alert")


def area_options(cat, level: str, lang: str) -> list[dict]:
    """Dropdown options for the areas of one level, sorted by name."""
    codes = cat.codes(level)
    return [{"value": c, "label": cat.area_name(c, lang)} for c in codes]


def indicator_options(cat, lang: str) -> list[dict]:
    """Indicators that have data."""
    return [
        {"value": i, "label": cat.indicator_name(i, lang)}
        for i in cat.indicators.index
        if cat.years_for(i)
    ]


def gap_options(lang: str) -> list[dict]:
    """The gap presets."""

    return [{"value": g.id, "label": text.gap_label(g, lang)} for g in GAPS.values()]


def year_options(years: Sequence[int]) -> list[dict]:
    """Year dropdown options, newest first."""
    return [{"value": y, "label": str(y)} for y in sorted(years, reverse=True)]


def age_options(cat, indicator: str, lang: str) -> list[dict]:
    """Age groups of an indicator ('all' in the page language)."""
    return [{"value": a, "label": text.age_label(a, lang)} for a in cat.ages(indicator)]


def view_links(areas: Sequence[str], cat, lang: str, shared=None) -> list:
    """Links that open the selected area(s) in the other views (keeping indicator, year and gap)."""

    areas = [a for a in areas if cat.has_area(a)]
    if not areas:
        return []
    base = {
        k: v
        for k, v in (shared_params(shared) if shared is not None else {}).items()
        if k != "area"
    }
    munis = [a for a in areas if cat.area_level(a) in ("municipality", "regso")]
    hrefs: dict[str, str] = {}
    if len(areas) == 1:
        area = areas[0]
        hrefs["trends"] = href("trends", {**base, "areas": [area]}, lang)
        if munis:
            hrefs["peers"] = href("peers", {**base, "area": area}, lang)
            hrefs["explore"] = href("explore", {**base, "area": area}, lang)
        hrefs["map"] = href("map", {**base, "area": area}, lang)
        hrefs["area"] = href("area", {"area": area}, lang)  # the area profile
        return links_to_views(cat.area_name(area, lang), hrefs, lang)
    hrefs["trends"] = href("trends", {**base, "areas": list(areas[:6])}, lang)
    if len(munis) >= 2:
        q = {**base, "area": munis[0], "peers": "custom", "custom": list(munis)}
        hrefs["peers"] = href("peers", q, lang)
    return links_to_views("", hrefs, lang, header=t("selection_in", lang, n=len(areas)) + " ")
