"""Exports fit to hand on: stamped charts, Swedish-Excel CSV, xlsx with a sources sheet."""

from __future__ import annotations

import base64
import csv
import io

import openpyxl
import pandas as pd
import pytest

from tests.dashboard_fixture import sql

MAP_ARGS = ("employment_rate", "20-64", "municipality", "1280", "gap", "fw_sw", "women.foreign")


def map_download(env, fmt: str, year: int, lang: str) -> dict:
    fn = env.map.download_csv if fmt == "csv" else env.map.download_xlsx
    return fn(1, *MAP_ARGS, year, None, None, lang)


def test_swedish_csv_parses_to_the_warehouse_numbers(dash_env):
    # 2023: synthetic SCB counts in the demo (2020-2022 show the real Kolada rates, without counts)
    out = map_download(dash_env, "csv", 2023, "sv")
    text = out["content"]
    assert text.startswith("\ufeff")  # UTF-8 BOM: Excel reads å/ä/ö
    frame = pd.read_csv(
        io.StringIO(text.lstrip("\ufeff")), sep=";", decimal=",", comment="#", dtype={"Kod": str}
    )
    assert len(frame) == 290
    base = "Utrikes födda kvinnor"
    value = f"{base}, 20–64 år"  # value headers name the age band (issue 22)
    num, den = f"{base}: täljare (antal)", f"{base}: befolkning (nämnare)"
    assert frame[value].dtype == float and frame[den].dtype.kind == "i"  # counts as integers
    rows = sql(
        "SELECT area_code, value, numerator, denominator FROM mart.observation WHERE "
        "indicator = 'employment_rate' AND age = '20-64' AND year = 2023 AND sex = 'women' "
        "AND birth_region = 'foreign' AND area_code IN (SELECT area_code FROM mart.area "
        "WHERE level = 'municipality')"
    )
    expected = {r[0]: r[1:] for r in rows}
    got = frame.set_index("Kod")
    for code, (v, n, d) in expected.items():
        assert got.at[code, value] == pytest.approx(round(v, 1), abs=1e-9)
        assert got.at[code, num] == round(n) and got.at[code, den] == round(d)
    source = "Källa: tabell/KPI (uppdaterad)"
    assert (got[source] == "SCB TAB3200 (uppdaterad 2025-11-28)").all()
    assert set(got["Syntetiskt"]) <= {"ja", "nej"} and list(got.columns)[-1] == "Syntetiskt"
    last = text.rstrip().splitlines()[-1]
    assert last.startswith("# Vyns adress: /?") and "year=2023" in last


def test_english_csv_uses_comma_and_point(dash_env):
    text = map_download(dash_env, "csv", 2023, "en")["content"]
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), comment="#", dtype={"Code": str})
    assert frame["Gap (pp), ages 20–64"].dtype == float and len(frame) == 290
    assert "Source: table/KPI (updated)" in frame and "lang=en" in text.splitlines()[-1]


def test_xlsx_has_typed_numbers_a_frozen_header_and_a_sources_sheet(dash_env):
    out = map_download(dash_env, "xlsx", 2023, "en")
    assert out["filename"].endswith(".xlsx") and out["base64"] is True
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(out["content"])))
    assert book.sheetnames == ["Data", "Sources"]
    data = book["Data"]
    assert data.freeze_panes == "A2"
    header = [c.value for c in data[1]]
    assert header[:4] == ["Code", "Area", "Year", "Gap (pp), ages 20–64"]
    malmo = next(r for r in data.iter_rows(min_row=2, values_only=True) if r[0] == "1280")
    gap = sql(
        "SELECT f.value - s.value FROM mart.observation f JOIN mart.observation s USING "
        "(indicator, age, area_code, year) WHERE f.indicator = 'employment_rate' AND "
        "f.age = '20-64' AND f.area_code = '1280' AND f.year = 2023 AND f.sex = 'women' AND "
        "f.birth_region = 'foreign' AND s.sex = 'women' AND s.birth_region = 'sweden'"
    )[0][0]
    assert isinstance(malmo[2], int) and isinstance(malmo[3], float)
    assert malmo[3] == pytest.approx(round(gap, 1))
    den = header.index("Foreign-born women: population (denominator)")
    assert isinstance(malmo[den], int)
    assert data.column_dimensions["B"].width >= len("Upplands Väsby")
    sources = [r for r in book["Sources"].iter_rows(values_only=True)]
    assert sources[0][2] == "Source table / KPI"
    assert any(r[2] == "TAB3200" and r[5] == "2025-11-28T07:00:00Z" for r in sources[1:])
    assert any(r[7] == "Källa: SCB" for r in sources[1:])
    assert str(sources[-1][0]).startswith("View URL: /?")


def test_every_chart_carries_source_line_permalink_and_synthetic_mark(dash_env):
    from dashboard.ui import exports

    shown = dash_env.map.render_map(*MAP_ARGS, 2023, None, None, "sv")[0]
    fig = exports.for_export(shown)
    stamp = next(a for a in fig.layout.annotations if a.name == "labourdash-stamp")
    assert "Källa: SCB, TAB3200 (uppdaterad 2025-11-28)" in stamp.text
    assert "SYNTETISKA VÄRDEN – inte officiell statistik" in stamp.text
    assert "/?ind=employment_rate" in stamp.text and "year=2023" in stamp.text
    # the export makes room above the plot for the stamp's lines; the plot keeps its height
    lines = stamp.text.count("<br>") + 1
    assert fig.layout.margin.t - shown.layout.margin.t >= 15 * lines
    assert fig.layout.height - shown.layout.height == fig.layout.margin.t - shown.layout.margin.t
    trends = dash_env.trends.render_trends(
        ["1280"], "employment_rate", "20-64", "fw_sw", "main", "split", "en"
    )
    for fig in (exports.for_export(trends[0]), exports.for_export(trends[2])):
        text = " ".join(a.text for a in fig.layout.annotations)
        assert "TAB4881" in text and "Kolada" in text, text
        assert exports.synthetic_mark("en") in text and "/trends?areas=1280" in text


def test_source_line_names_kolada_kpis_with_fetch_date(dash_env, cat):
    from dashboard import provenance
    from dashboard.views.explore.state import parse_explore

    state, _ = parse_explore({"year": "2022"}, cat)
    line = provenance.source_line(provenance.view_sources(state, cat), "sv")
    fetched = sql("SELECT max(fetched_at) FROM mart.series WHERE source_table = 'N02926'")[0][0]
    assert line.startswith("Källa: Kolada, N02268 (hämtad ")  # real foreign-born rates (demo)
    assert "N02926 (hämtad " in line
    assert str(fetched)[:10] in line and "SCB, TAB3200 (uppdaterad 2025-11-28)" in line


def test_real_official_values_get_no_synthetic_mark():
    import plotly.graph_objects as go

    from dashboard.ui import exports

    fig = exports.stamp(go.Figure(), source="Källa: SCB", link="/x", synthetic=False, lang="sv")
    text = " ".join(a.text for a in exports.for_export(fig).layout.annotations)
    assert "Källa: SCB" in text and "SYNTETISKA" not in text


def test_trends_csv_writes_every_count_as_an_integer(dash_env, cat):
    """Trends' table holds the numerator as objects (None for gaps): the CSV still writes integers."""
    from dashboard.ui import exports
    from dashboard.views.trends.state import TrendsState

    state = TrendsState(areas=("0127", "0180"), indicator="employment_rate", age="20-64",
                        gap="fw_sw")  # fmt: skip
    text = exports.view_download("csv", "trends", state, cat, "en")["content"]
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), comment="#", dtype={"Code": str})
    counts = [c for c in frame.columns if "(count)" in c or "(denominator)" in c]
    assert len(counts) == 2 and frame[counts].notna().any().all()
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff").split("\r\n\r\n")[0])))
    for col in counts:  # as written in the file: digits only, never '203064.0'
        written = [r[col] for r in rows if r[col]]
        assert written and all(v.isdigit() for v in written), (col, written[:3])


def test_on_screen_the_stamp_takes_none_of_the_chart_s_space_and_every_export_has_it():
    """Issue 22: the stamp rides in layout.meta (shown under the chart); exports add it above."""
    import plotly.graph_objects as go

    from dashboard.core import theme
    from dashboard.ui import exports
    from dashboard.views.area import report

    plain = go.Figure(layout=theme.layout("sv", "Sysselsättningsgrad 20–64 år", height=400))
    fig = exports.stamp(
        go.Figure(plain), source="Källa: SCB, TAB3200", link="http://x/trends?areas=1280",
        synthetic=True, lang="sv",
    )  # fmt: skip
    names = [a.name for a in fig.layout.annotations]
    assert "labourdash-stamp" not in names  # not in the plot's space on screen ...
    assert names == ["labourdash-watermark"]  # ... but synthetic values keep their watermark
    assert (fig.layout.height, fig.layout.margin.t) == (plain.layout.height, plain.layout.margin.t)
    shown = exports.stamp_of(fig)
    assert shown["source"] == "Källa: SCB, TAB3200" and shown["link"].endswith("areas=1280")
    assert shown["mark"] == exports.synthetic_mark("sv") and shown["link_label"]

    out = exports.for_export(fig)
    names = [a.name for a in out.layout.annotations]
    assert names.count("labourdash-stamp") == 1 and "labourdash-watermark" in names
    assert out.layout.height == 400 + shown["extra"]  # the plot keeps its size
    assert out.layout.margin.t == plain.layout.margin.t + shown["extra"]
    assert [a.name for a in fig.layout.annotations] == ["labourdash-watermark"]  # a copy
    # the area report's and the planner's PDF charts are drawn from the exported figure
    html = report._chart(fig, "trend")
    assert "Källa: SCB, TAB3200" in html and "SYNTETISKA VÄRDEN" in html
    assert "areas=1280" in html
