"""The LUA view's figures: lines per area and birth region (split at every series break, never
joined across it) and the 17 districts ranked against their municipality."""

from __future__ import annotations

import logging

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import theme
from dashboard.core.hover import provenance_lines, provenance_tag
from dashboard.core.queries import Catalogue
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, t
from dashboard.views.lua.data import COUNTRY, COUNTY, REST, SET, LuaData
from dashboard.views.lua.text import tr
from etl.row_provenance import MIXED

log = logging.getLogger(__name__)

GREY = "#777777"
AREA_COLOURS = {SET: "#b2182b", COUNTY: "#2166ac", REST: "#67a9cf", COUNTRY: "#4d4d4d"}
DISTRICT_COLOURS = ("#b2182b", "#e08214", "#2166ac")  # district, municipality, county
AREA_DASH = {SET: "solid", COUNTY: "solid", REST: "dash", COUNTRY: "dot"}
BIRTH_DASH = ("solid", "dot")  # the chosen birth region, then the Swedish-born


def segments(rows: list[dict]) -> list[list[dict]]:
    """Rows (sorted by year) split where the series changes or years are missing (an age band
    change is no break: the hover and the note say it)."""
    runs: list[list[dict]] = []
    for r in rows:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and r.get("series") == last.get("series")
            and r["year"] - last["year"] == 1
        ):
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def age_changes(rows: list[dict]) -> dict[int, str]:
    """Year → the previous age band, where a line's age band changes from one point to the next."""
    return {b["year"]: a["age"] for a, b in zip(rows, rows[1:], strict=False)
            if a.get("age") != b.get("age")}  # fmt: skip


def status_text(row: dict, lang: str, cat: Catalogue, names: dict[str, str] | None = None) -> str:
    """How a value was made, in words (derived, incomplete, summed counts), or ''."""
    status = row.get("status")
    if status == "derived":
        return t("derived_band", lang)
    if status == "incomplete" and row.get("missing_members"):
        members = ", ".join((names or {}).get(m.strip(), m.strip())
                            for m in str(row["missing_members"]).split(","))  # fmt: skip
        return tr("lua.incomplete", lang, members=members)
    if status == "missing" and row.get("reason") == "no_matching_population":
        return tr("lua.no_pop_short", lang)
    if status in (None, "ok"):
        return tr("lua.direct", lang) if row.get("source") == "derived" else ""
    return cat.label("status", status, lang)


def hover(row: dict, name: str, cat: Catalogue, fmt: NumberFormat, age_before: str = "") -> str:
    """Name, year and age band (and where it changes), value and provenance, counts, how it was
    made, small/synthetic marks, source."""
    lang = fmt.lang
    group = cat.label("birth_region", row["birth_region"], lang)
    value = fmt.value(row.get("value")) + provenance_tag(row.get("provenance"), lang)
    lines = [f"<b>{name}</b> {row['year']}", f"{group}, {tr('lua.ages', lang, ages=row['age'])}",
             value]  # fmt: skip
    if age_before:
        lines.insert(2, tr("lua.age_change", lang, old=age_before.replace("-", "–"),
                           new=str(row["age"]).replace("-", "–")))  # fmt: skip
    if row.get("numerator") is not None and row.get("denominator") is not None:
        lines.append(t("count_of", lang, num=fmt.count(row["numerator"]),
                       den=fmt.count(row["denominator"])))  # fmt: skip
    status = status_text(row, lang, cat)
    if status:
        lines.append(status)
    if row.get("small"):
        lines.append(f"⚠ {t('small', lang)}")
    if row.get("synthetic"):
        lines.append(f"⚠ {t('synthetic_value', lang)}")
    if str(row.get("provenance") or "").startswith(MIXED):
        lines.extend(provenance_lines(row["provenance"], lang))
    lines.append(f"{t('prov.source', lang)}: {provider(row)}")
    return "<br>".join(lines)


def provider(row: dict) -> str:
    """Who published a row's value: Kolada for a Kolada KPI, else SCB (tables and derived rows)."""
    return "Kolada" if row.get("source") == "kolada" else "SCB"


def _mark(row: dict) -> str:
    return (
        "⚠" if (row.get("synthetic") or row.get("small") or row.get("status") == "derived") else ""
    )


def _style(chart: str, areas: list[str], area: str, births: list[str], birth: str) -> dict:
    if chart == "district":
        colour = DISTRICT_COLOURS[min(areas.index(area), len(DISTRICT_COLOURS) - 1)]
    else:
        colour = AREA_COLOURS.get(area, GREY)
    if len(births) > 1:
        return {"color": colour, "dash": BIRTH_DASH[births.index(birth) % len(BIRTH_DASH)]}
    return {"color": colour, "dash": AREA_DASH.get(area, "solid")}


def break_shapes(runs: list[list[list[dict]]], lang: str) -> tuple[list[dict], list[dict]]:
    """A dotted vertical line midway between two segments of a line where the series changes
    (a definition break); a gap in the years alone is no break."""
    xs = sorted({(a[-1]["year"] + b[0]["year"]) / 2 for line in runs
                 for a, b in zip(line, line[1:], strict=False)
                 if a[-1].get("series") != b[0].get("series")})  # fmt: skip
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
               "line": {"dash": "dot", "color": GREY, "width": 1}} for x in xs]  # fmt: skip
    notes = []
    regso = [x for x in xs if 2018 <= x <= 2020]
    if regso:
        notes.append({"x": regso[0], "y": 1.0, "xref": "x", "yref": "paper", "showarrow": False,
                      "text": tr("lua.break", lang), "xanchor": "right", "yanchor": "bottom",
                      "font": {"size": 11, "color": "#555"}})  # fmt: skip
    return shapes, notes


def line_name(data: LuaData, cat: Catalogue, area: str, birth: str, lang: str) -> str:
    """A line's name in the legend and the summary: the area, and its birth region when the chart
    draws several ('Alby (LUA) – Födda utanför EU/EFTA')."""
    name = cat.area_name(area, lang)
    return f"{name} – {cat.label('birth_region', birth, lang)}" if len(data.births) > 1 else name


def line_figure(data: LuaData, chart: str, title: str, cat: Catalogue, fmt: NumberFormat,
                empty: str) -> go.Figure:  # fmt: skip
    """One line per area and birth region, one trace per segment (a break is never joined)."""
    lang = fmt.lang
    frame = data.frame[data.frame.value.notna()]
    if frame.empty:
        return theme.empty_figure(theme.wrap(empty), lang)
    fig, runs = go.Figure(), []
    for area in data.areas:
        for birth in data.births:
            rows = records(frame[(frame.area_code == area) & (frame.birth_region == birth)])
            if not rows:
                continue
            name = line_name(data, cat, area, birth, lang)
            parts, before = segments(rows), age_changes(rows)
            runs.append(parts)
            for i, part in enumerate(parts):
                fig.add_trace(
                    go.Scatter(
                        x=[r["year"] for r in part], y=[r["value"] for r in part], name=name,
                        legendgroup=name, showlegend=i == 0, mode="lines+markers",
                        line=_style(chart, data.areas, area, data.births, birth),
                        hovertext=[hover(r, cat.area_name(area, lang), cat, fmt,
                                         before.get(r["year"], "")) for r in part],
                        hoverinfo="text", customdata=[_mark(r) for r in part],
                        marker={"size": 8, "symbol": ["diamond-open" if r.get("status") == "derived"
                                                      else "circle" for r in part]},
                    )
                )  # fmt: skip
    years = sorted({int(y) for y in frame.year})
    lay = theme.layout(lang, title, height=480)
    lay["xaxis"] = theme.year_axis(years)
    lay["yaxis"] = {"ticksuffix": " %" if fmt.unit == "percent" else ""}
    shapes, notes = break_shapes(runs, lang)
    lay["shapes"], lay["annotations"] = shapes, notes
    fig.update_layout(lay)
    return fig


def rank_figure(data: LuaData, year: int, title: str, cat: Catalogue, fmt: NumberFormat,
                empty: str) -> go.Figure:  # fmt: skip
    """The districts ranked for the year, each with its municipality's value beside it."""
    lang = fmt.lang
    this = data.frame[data.frame.year == year]
    dist = this[this.area_code.isin(data.districts)].copy()
    if dist.value.notna().sum() == 0:
        return theme.empty_figure(theme.wrap(empty), lang)
    dist["name"] = dist.area_code.map(lambda a: cat.area_name(a, lang))
    dist = dist.sort_values("value", na_position="first")
    muni = this.set_index("area_code")
    mcodes = [data.municipality_of.get(a) for a in dist.area_code]
    mvals = [muni.value.get(m) for m in mcodes]
    mvals = [None if v is None or pd.isna(v) else float(v) for v in mvals]
    mtags = [provenance_tag(muni.provenance.get(m), lang) for m in mcodes]
    rows = records(dist)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=dist.name, x=dist.value, orientation="h", name=tr("lua.districts", lang),
            marker={"color": ["#f4a582" if r.get("status") == "derived" else "#b2182b" for r in rows],
                    "pattern": {"shape": ["/" if r.get("synthetic") else "" for r in rows]}},
            hovertext=[hover(r, r["name"], cat, fmt) for r in rows], hoverinfo="text",
            customdata=[_mark(r) for r in rows],
        )
    )  # fmt: skip
    mnames = [cat.area_name(data.municipality_of.get(a, ""), lang) for a in dist.area_code]
    fig.add_trace(
        go.Scatter(
            y=dist.name, x=mvals, mode="markers", name=tr("lua.municipality", lang),
            marker={"symbol": "line-ns-open", "size": 18, "color": "#2166ac", "line": {"width": 3}},
            hovertext=[f"<b>{m}</b> {year}<br>{fmt.value(v)}{tag}"
                       for m, v, tag in zip(mnames, mvals, mtags, strict=True)],
            hoverinfo="text",
        )
    )  # fmt: skip
    lay = theme.layout(lang, title, height=560)
    lay["xaxis"] = {"ticksuffix": " %" if fmt.unit == "percent" else ""}
    lay["yaxis"] = {"automargin": True}
    lay["margin"]["l"] = 140
    lay["meta"] = {"stamp_xshift": -(140 - 6)}  # the stamp starts at the figure's left edge
    fig.update_layout(lay)
    return fig
