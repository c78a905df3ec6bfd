"""What a user takes away: charts stamped with source, permalink and synthetic mark; CSV and xlsx.

- `stamp(fig, ...)` adds the source line, the view's permalink and (for synthetic values) the
  synthetic mark as figure annotations, so the toolbar's PNG/SVG and `Plotly.toImage` carry them.
- `csv_download(...)` writes Swedish Excel's CSV (`;`, decimal comma, UTF-8 BOM) in Swedish and
  plain CSV (`,`, `.`) in English, counts as integers, a source and a synthetic column on every row
  and the view URL in a footer line.
- `xlsx_download(...)` writes a workbook with a data sheet (typed numbers, frozen header, widths)
  and a sources sheet (definitions, tables/KPIs, updated and fetched stamps, attribution, URL).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import provenance
from dashboard.core.queries import Catalogue
from dashboard.core.text import norm_lang, t
from dashboard.urlstate import DataState, href

log = logging.getLogger(__name__)

STAMP_FONT = 11
STAMP_LINE_PX = 15
TITLE_TOP_PX = 8
TITLE_LINE_PX = 20
STAMP_WIDTH = 54  # characters per stamp line: fits a 390 px phone card at 11 px beside the tool bar
SYNTHETIC_COLOUR = "#b00020"
STAMP_COLOUR = "#4d4d4d"
COUNT_COLUMNS = ("numerator", "denominator", "population", "min_band_population")  # integers
CSV_FORMATS = {"sv": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def public_base() -> str:
    """Base of permalinks: LABOURDASH_PUBLIC_URL, else the request's host URL, else ''."""
    base = os.environ.get("LABOURDASH_PUBLIC_URL", "").strip()
    if base:
        return base.rstrip("/")
    try:
        import flask

        if flask.has_request_context():
            return flask.request.host_url.rstrip("/")
    except Exception:  # outside Flask (unit tests, scripts)
        log.debug("no request context for the permalink base")
    return ""


def permalink(page: str, state: Any, lang: str) -> str:
    """The full URL of a view (page + its query string + language)."""
    if isinstance(state, DataState):
        query = {"view": state.view, **state.inner.to_query()}
    else:
        query = state.to_query()
    return public_base() + href(page, query, lang)


def _wrap(text: str, width: int = STAMP_WIDTH, seps: str = " ") -> list[str]:
    """Split text into lines of at most ~width characters at the given separators."""
    lines: list[str] = []
    line = ""
    token = ""
    for ch in text + "\0":
        if ch in seps or ch == "\0":
            piece = token + ("" if ch == "\0" else ch)
            if line and len(line) + len(piece) > width:
                lines.append(line.rstrip())
                line = ""
            line += piece
            token = ""
        else:
            token += ch
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def synthetic_mark(lang: str) -> str:
    """'SYNTETISKA VÄRDEN – inte officiell statistik' in the chart's language."""
    return t("prov.synthetic_mark", lang)


def stamp(
    fig: go.Figure | None, *, source: str, link: str, synthetic: bool, lang: str
) -> go.Figure | None:
    """Add source line, permalink and synthetic mark to a figure (annotations above the plot)."""
    if fig is None:
        return None
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    width = int(meta.get("stamp_width", STAMP_WIDTH))
    lines: list[str] = []
    if synthetic:
        lines.append(
            f"<b><span style='color:{SYNTHETIC_COLOUR}'>⚠ {synthetic_mark(lang)}</span></b>"
        )
    lines += _wrap(source, width)
    link_lines = _wrap(link, width, seps="&?")
    lines += [
        f"<a href='{link}' style='color:{STAMP_COLOUR}'>{part}</a>" if link.startswith("http")
        else part
        for part in link_lines
    ]  # fmt: skip
    extra = STAMP_LINE_PX * len(lines) + 8
    margin = fig.layout.margin
    top = (margin.t if margin and margin.t is not None else 30) + extra
    height = fig.layout.height
    new_height = height + extra if height else None  # the plot keeps its size
    title = fig.layout.title.text if fig.layout.title else None
    layout: dict[str, Any] = {"margin": {"t": top}, "height": new_height}
    if title and new_height:
        # the title's middle at a fixed distance from the top; the stamp goes below it
        n = str(title).count("<br>") + 1
        middle = TITLE_TOP_PX + TITLE_LINE_PX * n / 2
        layout["title"] = {"y": 1 - middle / new_height, "yref": "container", "yanchor": "middle"}
    fig.update_layout(**layout)
    fig.add_annotation(
        text="<br>".join(lines),
        x=0,
        y=1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        yshift=4,
        xshift=int(meta.get("stamp_xshift", 0)),
        align="left",
        showarrow=False,
        font={"size": STAMP_FONT, "color": STAMP_COLOUR},
        name="labourdash-stamp",
    )
    if synthetic:
        fig.add_annotation(
            text=synthetic_mark(lang).split(" – ")[0],
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            textangle=-18,
            opacity=0.13,
            font={"size": 30, "color": SYNTHETIC_COLOUR},
            name="labourdash-watermark",
        )
    return fig


def stamp_rendered(out: Any, page: str, state: Any, cat: Catalogue, lang: str) -> Any:
    """Stamp every figure of a render.Rendered with the view's source line and permalink."""
    figs = {k: f for k, f in out.figures.items() if f is not None}
    if not figs:
        return out
    sources = provenance.view_sources(state, cat)
    line = provenance.source_line(sources, lang)
    link = permalink(page, state, lang)
    synthetic = bool((sources["synthetic_rows"] > 0).any()) if len(sources) else cat.synthetic
    for key, fig in figs.items():
        out.figures[key] = stamp(fig, source=line, link=link, synthetic=synthetic, lang=lang)
    out.extra.setdefault("source_line", line)
    out.extra.setdefault("permalink", link)
    return out


def export_table(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str
) -> pd.DataFrame:
    """The shown table with localised headers, counts as integers and a source column per row."""
    frame = table.copy()
    for col in frame.columns:
        if col.startswith(COUNT_COLUMNS):  # numbers even when the table holds them as objects
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round(0).astype("Int64")
    if "year" in frame and pd.api.types.is_numeric_dtype(frame["year"]):
        frame["year"] = pd.to_numeric(frame["year"], errors="coerce").astype("Int64")
    if "area_code" in frame and "year" in frame:
        rows = provenance.row_sources(state, cat, lang)
        key = frame[["area_code", "year"]].astype({"year": "Int64"})
        merged = key.merge(rows.astype({"year": "Int64"}), on=["area_code", "year"], how="left")[
            "source"
        ]
        frame["source"] = merged.fillna("").to_numpy()
    else:
        frame["source"] = provenance.source_line(provenance.view_sources(state, cat), lang)
    names = {**headers, "source": t("prov.column", lang)}
    cols = [c for c in frame.columns if c != "synthetic"] + (
        ["synthetic"] if "synthetic" in frame else []
    )
    return frame[cols].rename(columns={c: names.get(c, c) for c in cols})


def csv_text(frame: pd.DataFrame, lang: str, url: str) -> str:
    """CSV in the language's Excel convention, with a BOM and a footer line naming the view URL.

    The footer starts with '#' after a blank line, so `pandas.read_csv(..., comment="#")` skips it.
    """
    fmt = CSV_FORMATS[norm_lang(lang)]
    body = frame.to_csv(index=False, sep=fmt["sep"], decimal=fmt["decimal"], lineterminator="\r\n")
    footer = pd.DataFrame([[f"# {t('prov.view_url', lang)}: {url}"]]).to_csv(
        index=False, header=False, sep=fmt["sep"], lineterminator="\r\n"
    )
    return "\ufeff" + body + "\r\n" + footer


def csv_download(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """dcc.Download data for the CSV of a view's table."""
    frame = export_table(table, headers, state, cat, lang)
    url = permalink(page, state, lang)
    return {
        "content": csv_text(frame, lang, url),
        "filename": f"{filename}.csv",
        "type": "text/csv",
    }


def sources_sheet(state: Any, cat: Catalogue, lang: str, url: str) -> pd.DataFrame:
    """The sources sheet: one row per table/KPI, with definition, stamps and attribution."""
    sources = provenance.view_sources(state, cat)
    series = _series_meta()
    rows = []
    indicators = {s.indicator for s in provenance.scopes(state, cat)}
    for r in sources.itertuples():
        meta = series.get(str(r.source_table), {})
        indicator = next((i for i in meta.get("indicators", []) if i in indicators), None)
        definition = ""
        if indicator and indicator in cat.indicators.index:
            value = cat.indicators.at[indicator, f"definition_{lang}"]
            definition = "" if pd.isna(value) else str(value)
        rows.append(
            {
                t("col.indicator", lang): cat.indicator_name(indicator, lang) if indicator else "",
                t("prov.definition", lang): definition,
                t("col.source", lang): str(r.source_table),
                t("prov.title", lang): meta.get("title", ""),
                t("col.years", lang): f"{int(r.first_year)}–{int(r.last_year)}",
                t("col.updated", lang): "" if pd.isna(r.source_updated) else str(r.source_updated),
                t("col.fetched", lang): "" if pd.isna(r.fetched_at) else str(r.fetched_at)[:19],
                t("col.attribution", lang): r.attribution,
                t("prov.synthetic_share", lang): round(float(r.synthetic_rows) / float(r.rows), 4)
                if r.rows
                else 0.0,
            }
        )
    frame = pd.DataFrame(rows)
    footer = pd.DataFrame([{t("col.indicator", lang): f"{t('prov.view_url', lang)}: {url}"}])
    return pd.concat([frame, footer], ignore_index=True)


def _series_meta() -> dict[str, dict]:
    from dashboard.core import queries

    out: dict[str, dict] = {}
    for r in queries.series_info().itertuples():
        d = out.setdefault(str(r.source_table), {"indicators": [], "title": ""})
        d["indicators"].append(str(r.indicator))
        if isinstance(r.source_title, str) and not d["title"]:
            d["title"] = r.source_title
    return out


def xlsx_bytes(data: pd.DataFrame, sources: pd.DataFrame, lang: str) -> bytes:
    """A workbook: data sheet (typed numbers, frozen header, widths) and a sources sheet."""
    buf = io.BytesIO()
    names = (t("prov.sheet_data", lang), t("prov.sheet_sources", lang))
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for frame, name in zip((data, sources), names, strict=True):
            out = frame.copy()
            for col in out.columns:  # nullable integers → plain objects openpyxl understands
                if str(out[col].dtype) == "Int64":
                    out[col] = out[col].astype(object).where(out[col].notna(), None)
            out.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for i, col in enumerate(out.columns, start=1):
                values = out[col].dropna().astype(str)
                longest = int(values.str.len().max()) if len(values) else 0
                width = min(60, max(8, len(str(col)) + 2, longest + 2))
                sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    return buf.getvalue()


def xlsx_download(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """dcc.Download data (base64) for the xlsx of a view's table."""
    import base64

    frame = export_table(table, headers, state, cat, lang)
    url = permalink(page, state, lang)
    content = xlsx_bytes(frame, sources_sheet(state, cat, lang, url), lang)
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": f"{filename}.xlsx",
        "type": XLSX_TYPE,
        "base64": True,
    }


# the export formats: one builder each, (table, headers, state, cat, lang, *, page, filename) ->
# dcc.Download data; every view's table offers one button and one download per entry, in this order
FORMATS: dict[str, Callable[..., dict]] = {"csv": csv_download, "xlsx": xlsx_download}


def download(
    fmt: str, table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """The download of a view's table in one of FORMATS (an unknown format: CSV)."""
    build = FORMATS.get(fmt, csv_download)
    return build(table, headers, state, cat, lang, page=page, filename=filename)


def view_download(fmt: str, page: str, state: Any, cat: Catalogue, lang: str) -> dict:
    """The CSV/xlsx download of a view's table (rendered without its figures)."""
    from dashboard import render  # render stamps figures through this module

    out = render.render_data(DataState(page, state), cat, lang)
    return download(fmt, out.table, out.headers, state, cat, lang, page=page, filename=out.filename)
