"""The LUA page in a real browser: the report's four charts at 1280 and 390 px (screenshots in
<tmp>/shots-lua/, outside the repository), the unemployment comparison, one district's line across
the 2018/2020 break, URL state with back/forward, the language, the districts on the map."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException

from tests.browser.browser_ui import DESKTOP, PHONE, WAIT

GRAPH, SUMMARY = "lua-graph", "lua-summary"
SHOTS = Path(tempfile.gettempdir()) / "shots-lua"
CASES = {
    "unemployment": "/lua?chart=unemployment&ind=open_unemployed_share&lang=en",
    "birth": "/lua?chart=birth&ind=employment_rate&birth=foreign&lang=en",
    "district": "/lua?chart=district&district=lua_alby&ind=employment_rate&birth=foreign&lang=en",
    "rank": "/lua?chart=rank&ind=employment_rate&birth=foreign&year=2024&lang=en",
}
LINES = ["The 17 LUA districts of Stockholm county", "Stockholms län",
         "Stockholm county without the LUA districts", "Sweden"]  # fmt: skip


def _traces(ui) -> list[dict]:
    """Name, legend flag and years of every trace Plotly drew."""
    return ui.driver.execute_script(
        "var gd = document.querySelector('#lua-graph .js-plotly-plot');"
        "return gd._fullData.map(function (t) { return {name: t.name, legend: t.showlegend,"
        " x: Array.from(t.x || []).map(Number), hover: Array.from(t.hovertext || [])}; });"
    )


def _shot(ui, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(ui.screenshot(name, full_page=True), SHOTS / f"{name}.png")


def _boxes(ui) -> dict:
    """The title's right edge and the tool bar's left (and the legend's bottom, the summary's top)."""
    return ui.driver.execute_script(
        "var g = document.querySelector('#lua-graph');"
        "var r = function (s) { var e = g.querySelector(s); return e && e.getBoundingClientRect(); };"
        "var t = r('.gtitle'), m = r('.modebar'), l = r('.legend');"
        "var s = document.getElementById('lua-summary').getBoundingClientRect();"
        "return {title: t ? t.right : 0, modebar: m ? m.left : 1e9, legend: l ? l.bottom : 0,"
        " summary: s.top};"
    )


def _legend_and_summary(ui) -> tuple[dict, dict]:
    """The legend's and the summary's bounding boxes on the page."""
    return ui.driver.execute_script(
        "var box = function (e) { var r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };"
        "var l = document.querySelector('#lua-graph .legend');"
        "return [l ? box(l) : null, box(document.getElementById('lua-summary'))];"
    )


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def _legend_clear_of_summary(ui) -> None:
    """Wait until the legend is drawn and does not overlap the summary under the chart."""

    def clear() -> bool:
        legend, summary = _legend_and_summary(ui)
        return legend is not None and not _overlap(legend, summary)

    try:
        until(clear, WAIT, msg="the legend covers the summary")
    except TimeoutException as exc:
        raise AssertionError(f"the legend covers the summary: {_legend_and_summary(ui)}") from exc


def _overflow(ui) -> int:
    return ui.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _check(ui, chart: str, warehouse) -> None:
    traces = _traces(ui)
    if chart == "unemployment":
        assert [t["name"] for t in traces if t["legend"]] == LINES
        set_years = {x for t in traces if t["name"] == LINES[0] for x in t["x"]}
        assert {1997, 2008} <= set_years
        assert "derived: share × population" in "|".join(traces[0]["hover"])
    elif chart == "district":
        alby = [t for t in traces if t["name"] == "Alby (LUA) – Foreign-born"]
        assert len(alby) >= 2  # one trace per side of the break
        assert all(max(t["x"]) <= 2018 or min(t["x"]) >= 2020 for t in alby)
        want = warehouse(
            "SELECT count(DISTINCT year) FROM mart.observation WHERE area_code = 'lua_alby' AND "
            "indicator = 'employment_rate' AND sex = 'total' AND birth_region = 'foreign' AND "
            "age IN ('20-64', '20-65') AND value IS NOT NULL AND year >= 1997"
        )[0][0]
        assert sum(len(t["x"]) for t in alby) == want
        notes = ui.driver.execute_script(
            "return Array.from(document.querySelectorAll('#lua-graph .annotation-text'))"
            ".map(function (e) { return e.textContent; }).join('|');"
        )
        assert "Series break" in notes
    elif chart == "rank":
        assert len(traces[0]["x"]) == 17
    else:
        names = {t["name"] for t in traces}
        assert (
            "Stockholms län – Foreign-born" in names and "Stockholms län – Born in Sweden" in names
        )


@pytest.mark.browser
@pytest.mark.parametrize("chart", list(CASES))
def test_lua_chart_at_desktop_and_phone_width(ui, warehouse, chart):
    ui.open(CASES[chart])
    ui.wait_graph(GRAPH, min_points=17 if chart == "rank" else 2)
    until(lambda: ui.text(SUMMARY).strip(), WAIT, msg="summary empty")
    ui.settle()
    _check(ui, chart, warehouse)
    assert "lua_" not in ui.text("lua-notes") and "RegSO2025" not in ui.text("lua-notes")
    assert ui.error_alerts() == []
    _shot(ui, f"lua-{chart}-1280")
    ui.viewport(*PHONE, mobile=True)
    until(lambda: (f := ui.figure(GRAPH)) and f["width"] <= PHONE[0], WAIT,
          msg="chart not resized to the phone")  # fmt: skip
    ui.settle()
    assert _overflow(ui) <= 1, "the page scrolls sideways at 390 px"
    box = _boxes(ui)
    assert box["title"] <= box["modebar"], f"the title runs under the tool bar at 390 px: {box}"
    _legend_clear_of_summary(ui)  # after the resize from 1280 px
    _shot(ui, f"lua-{chart}-390")
    ui.viewport(*DESKTOP, mobile=False)
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_lua_url_state_with_back_and_forward(ui):
    ui.open(CASES["district"])
    ui.wait_graph(GRAPH, min_points=2)
    ui.settle()
    ui.click_radio("lua-chart", "rank")
    ui.wait_search(lambda s: "chart=rank" in s, "URL follows the chart")
    ui.wait_graph(GRAPH, min_points=17)
    ui.click_radio("lua-sex", "women")
    ui.wait_search(lambda s: "sex=women" in s and "birth=foreign" in s, "URL keeps the group")
    ui.driver.back()
    ui.wait_search(lambda s: "sex=total" in s, "back restores the sex")
    until(lambda: ui.checked("lua-sex") == "total", WAIT, msg="radio follows the URL")
    ui.driver.back()
    ui.wait_search(lambda s: "chart=district" in s, "back restores the chart")
    until(lambda: ui.checked("lua-chart") == "district", WAIT, msg="chart radio follows the URL")
    assert ui.severe_logs() == []
    assert ui.error_alerts() == []


@pytest.mark.browser
def test_lua_view_in_swedish_and_districts_on_the_map(ui):
    ui.open("/lua")
    comp = ui.wait_graph(GRAPH)
    assert comp["traces"][0]["name"] == "LUA-områdena i Stockholms län (17)"
    assert "Riket" in ui.wait_text(SUMMARY, "Stockholms län utom LUA-områdena")
    ui.open("/?level=regso_set&colour=value&group=total.total")
    ui.wait_map_shapes(17)
    assert ui.severe_logs() == []
    assert ui.error_alerts() == []


@pytest.mark.browser
def test_lua_legend_clear_of_the_summary_when_opened_at_390_px(ui):
    ui.open("/lua?lang=en")
    ui.viewport(*PHONE, mobile=True)
    ui.open(CASES["unemployment"])  # drawn first at 390 px, not resized to it
    ui.wait_graph(GRAPH, min_points=2)
    assert ui.driver.execute_script("return window.innerWidth") == PHONE[0]
    until(lambda: ui.text(SUMMARY).strip(), WAIT, msg="summary empty")
    ui.settle()
    _legend_clear_of_summary(ui)
    legend, _summary = _legend_and_summary(ui)
    assert legend["right"] - legend["left"] <= PHONE[0]
    ui.viewport(*DESKTOP, mobile=False)
    until(lambda: (f := ui.figure(GRAPH)) and f["width"] > PHONE[0], WAIT,
          msg="chart not resized to the desktop")  # fmt: skip
    ui.settle()
    _legend_clear_of_summary(ui)  # and back at 1280 px
    assert ui.severe_logs() == []
