"""The xlsx export: a workbook with a data sheet (typed numbers, frozen header, widths) and a
sources sheet (definitions, tables/KPIs, updated and fetched stamps, attribution, URL)."""

from __future__ import annotations

import base64
import io
from typing import Any

import pandas as pd

from dashboard import provenance
from dashboard.core import queries
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.ui.exports.table import export_table
from dashboard.ui.permalink import permalink

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    frame = export_table(table, headers, state, cat, lang)
    url = permalink(page, state, lang)
    content = xlsx_bytes(frame, sources_sheet(state, cat, lang, url), lang)
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": f"{filename}.xlsx",
        "type": XLSX_TYPE,
        "base64": True,
    }
