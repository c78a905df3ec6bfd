"""Explain and LUA views take away what the other views do (stamped charts, Swedish-Excel CSV, xlsx
with a sources sheet, the Data page); the Map page colours by the decomposition; focused-map names
do not overlap."""

from __future__ import annotations

import base64
import io

import openpyxl
import pandas as pd
import pytest
from dashboard_fixture import sql

from dashboard.ui import exports


def _annotations(fig) -> str:
    """The annotations' texts of the figure as it is exported (with its stamp)."""
    return " | ".join(a.text or "" for a in exports.for_export(fig).layout.annotations)


def _csv(download: dict, lang: str) -> pd.DataFrame:
    text = download["content"]
    assert text.startswith("\ufeff")
    sep, dec = (";", ",") if lang == "sv" else (",", ".")
    return pd.read_csv(
        io.StringIO(text.lstrip("\ufeff")), sep=sep, decimal=dec, comment="#",
        dtype={"Kod": str, "Code": str},
    )  # fmt: skip


def test_explain_charts_are_stamped_with_source_permalink_and_synthetic_mark(cat) -> None:
    from dashboard.views.explain import view as explain

    state, _ = explain.parse_explain({"area": "0127", "gap": "fw_sw"}, cat)
    out = explain.render_explain(state, cat, "sv")
    updated = sql("SELECT max(source_updated) FROM mart.observation WHERE source_table = 'TAB3200' AND age = '20-24'")[0][0]  # fmt: skip
    for key in ("split", "years", "map", "scatter"):
        text = _annotations(out.figures[key])
        assert f"Källa: SCB, TAB3200 (uppdaterad {updated[:10]})" in text, key
        assert "SYNTETISKA VÄRDEN – inte officiell statistik" in text, key
        assert "/explain?area=0127&amp;gap=fw_sw" in text or "/explain?area=0127&" in text, key


def test_explain_csv_and_xlsx_hold_the_warehouse_numbers(cat) -> None:
    from dashboard.ui import exports
    from dashboard.views.explain import view as explain

    state, _ = explain.parse_explain({"area": "0127", "gap": "fw_sw", "year": "2024"}, cat)
    frame = _csv(exports.view_download("csv", "explain", state, cat, "sv"), "sv")
    row = frame[frame["Kod"] == "0127"].iloc[0]
    want = sql("SELECT crude_gap, composition, min_band_population FROM mart.gap_decomposition WHERE area_code = '0127' AND gap = 'fw_sw' AND year = 2024")[0]  # fmt: skip
    assert row["Gap (p.e.)"] == pytest.approx(want[0], abs=0.006)
    assert row["Åldersstruktur (p.e.)"] == pytest.approx(want[1], abs=0.006)
    assert row["Minsta åldersklass"] == int(round(want[2]))  # a count: an integer
    assert str(row["Syntetiskt"]) == "ja" and "TAB3200" in row["Källa: tabell/KPI (uppdaterad)"]
    assert "# Vyns adress:" in exports.view_download("csv", "explain", state, cat, "sv")["content"]
    x = exports.view_download("xlsx", "explain", state, cat, "en")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(x["content"])))
    data, sources = book.worksheets
    assert data.freeze_panes == "A2"
    header = [c.value for c in data[1]]
    col = header.index("Gap (pp)")
    assert all(isinstance(r[col].value, float) for r in data.iter_rows(min_row=2))
    assert any("TAB3200" in str(c.value) for c in sources["C"])


def test_lua_charts_and_exports_carry_source_and_derived_flag(cat) -> None:
    from dashboard.ui import exports
    from dashboard.views.lua.render import render_lua
    from dashboard.views.lua.state import parse_lua

    query = {"chart": "rank", "ind": "registered_unemployed_share", "sex": "women"}
    for chart in ("unemployment", "rank"):
        state, _ = parse_lua({**query, "chart": chart}, cat)
        text = _annotations(render_lua(state, cat, "en").figures["chart"]).replace("<br>", "")
        # SCB's 1997-2018 district tables (the lines) and the RegSO era's shares (2024 ranked),
        # named by their titles, never by the seeds' keys
        table = "LUA-område" if chart == "unemployment" else "RegSO,"
        assert "Source: SCB, " in text and table in text, chart
        assert "LUA_LABOUR" not in text and "REGSO_LABOUR" not in text, chart
        assert "SYNTHETIC VALUES – not official statistics" in text, chart
        assert f"/lua?chart={chart}&ind=registered_unemployed_share" in text, chart
    state, _ = parse_lua(query, cat)
    frame = _csv(exports.view_download("csv", "lua", state, cat, "sv"), "sv")
    alby = frame[(frame["Kod"] == "lua_alby") & (frame["År"] == state.year)].iloc[0]
    num, den, status = sql("SELECT numerator, denominator, status FROM mart.observation WHERE area_code = 'lua_alby' AND indicator = 'registered_unemployed_share' AND sex = 'women' AND birth_region = 'total' AND year = $y", {"y": state.year})[0]  # fmt: skip
    # SCB's district table to 2018, rebuilt shares (derived) in the RegSO era
    assert alby["Härlett"] == ("ja" if status == "derived" else "nej")
    for column, count in (("Täljare (antal)", num), ("Befolkning (nämnare)", den)):
        # SCB's district tables publish shares only: no count is made up for them
        assert pd.isna(alby[column]) if count is None else alby[column] == int(round(count))
    x = exports.view_download("xlsx", "lua", state, cat, "sv")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(x["content"])))
    assert [ws.title for ws in book.worksheets] == ["Data", "Källor"] or len(book.worksheets) == 2


def test_data_page_offers_the_explain_and_lua_views(cat) -> None:
    from dashboard import render
    from dashboard.core.viewspec import data_views
    from dashboard.urlstate import parse_data

    assert {"explain", "lua"} <= set(data_views())
    for view, key in (("explain", "crude_gap"), ("lua", "value")):
        state, problems = parse_data({"view": view}, cat)
        assert problems == [] and state.view == view
        out = render.render_data(state, cat, "sv")
        assert out.figures == {} and len(out.table) and key in out.table


def test_map_colours_by_the_decomposition_where_it_applies(cat) -> None:
    from dashboard.views.map import render as map_render
    from dashboard.views.map.state import parse_map

    state, problems = parse_map({"colour": "standardised", "gap": "fw_sw", "year": "2024"}, cat)
    assert problems == [] and state.colour == "standardised"
    out = map_render.render_map(state, cat, "sv")
    z = dict(zip(out.figures["map"].data[0].locations, out.figures["map"].data[0].z, strict=True))
    want = sql("SELECT standardised_gap FROM mart.gap_decomposition WHERE area_code = '0127' AND gap = 'fw_sw' AND year = 2024")[0][0]  # fmt: skip
    assert z["0127"] == pytest.approx(want, abs=0.006)
    assert "Åldersstandardiserat gap" in out.figures["map"].data[0].colorbar.title.text
    assert "Åldersstandardiserat gap" in out.summaries["map"]
    assert "Källa: SCB, TAB3200" in _annotations(out.figures["map"])
    local, _ = parse_map({"colour": "local", "level": "county", "lang": "en"}, cat)
    assert "Difference from expected" in map_render.render_map(local, cat, "en").summaries["map"]
    for query in ({"colour": "local", "ind": "unemployment_rate"}, {"colour": "local", "level": "regso"},
                  {"colour": "standardised", "gap": "roww_sw"}):  # fmt: skip
        fallback, problems = parse_map(query, cat)
        assert fallback.colour == "gap" and problems == [], query  # silently the plain gap
    _bad, problems = parse_map({"colour": "bogus"}, cat)
    assert [p.param for p in problems] == ["colour"]


def test_focused_map_names_do_not_overlap(cat) -> None:
    from dashboard.views.map import focus
    from dashboard.views.map import render as map_render
    from dashboard.views.map.state import parse_map

    state, _ = parse_map({"focus": "01"}, cat)
    fig = map_render.render_map(state, cat, "sv").figures["map"]
    names = next(t for t in fig.data if t.name == "names")
    assert 10 <= len(names.text) < 26  # the crowded centre of Stockholm county drops some
    assert "Stockholm" in names.text and "Norrtälje" in names.text
    points = {"a": (18.0, 59.3), "b": (18.001, 59.3001), "c": (19.0, 60.0)}
    kept = focus.declutter(
        points, {"a": "Solna", "b": "Sundbyberg", "c": "Norrtälje"}, (17.5, 19.5, 59.0, 60.5)
    )
    assert kept == ["a", "c"]
