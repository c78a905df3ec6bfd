"""The first screen first: a chart below it waits until scrolled to; the map fits a phone.

Also: no chart offers Plotly's "Share chart…" (an upload of the data to an outside cloud).
"""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from dashboard.core.text.widgets import MODEBAR
from dashboard.ui import ids
from tests.browser.browser_ui import DESKTOP, PHONE, WAIT

pytestmark = pytest.mark.browser

TRACES = """
var g = document.getElementById(arguments[0]);
var p = g && (g.classList.contains('js-plotly-plot') ? g : g.querySelector('.js-plotly-plot'));
return p && p.data ? p.data.length : -1;
"""
RECT = """
var e = document.querySelector(arguments[0]);
if (!e) return null;
var r = e.getBoundingClientRect();
return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
"""
# the map's source stamp: the link under the chart (assets/labourdash.js)
STAMP = """
var root = document.getElementById(arguments[0]);
var box = root && root.nextElementSibling;
var e = box && box.classList.contains('chart-stamp') ? box.querySelector('a') : null;
if (!e || !e.href.includes('?')) return null;
var r = e.getBoundingClientRect();
return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
"""


def _traces(ui, graph_id: str) -> int:
    return ui.driver.execute_script(TRACES, graph_id)


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "first", "below"),
    [
        ("/trends?areas=1280", ids.TRENDS_GRAPH, ids.TRENDS_GAP_GRAPH),
    ],
)
def test_a_chart_below_the_first_screen_has_no_data_until_scrolled_to(ui, path, first, below):
    ui.open(path)
    until(lambda: _traces(ui, first) > 0, WAIT, msg=f"{first} not drawn")
    ui.settle()  # every callback answered, the deferred figure included
    top = ui.driver.execute_script(RECT, f"#{below}")["top"]
    assert top > DESKTOP[1], f"{below} starts at {top} px: not below the first screen"
    assert _traces(ui, below) == 0, f"{below} was drawn before it was scrolled to"
    ui.driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", below
    )
    until(lambda: _traces(ui, below) > 0, WAIT, msg=f"{below} not drawn after scrolling to it")
    assert not ui.severe_logs()


def test_no_chart_offers_to_upload_itself(ui):
    for path, graph in (("/", ids.MAP_GRAPH), ("/trends?areas=1280", ids.TRENDS_GRAPH)):
        ui.open(path)
        until(lambda g=graph: _traces(ui, g) > 0, WAIT, msg=f"{graph} not drawn")
        titles = ui.driver.execute_script(
            "return [...document.querySelectorAll('#' + arguments[0] + ' .modebar-btn')]"
            ".map(b => b.getAttribute('data-title'))",
            graph,
        )
        png, share = MODEBAR["Download plot as a PNG"][0], MODEBAR["Share chart..."][0]  # Swedish
        assert png in titles  # the tool bar is there (in the page's language) ...
        no_upload = [t for t in titles if t == share or "Share" in t or "Chart Studio" in t]
        assert not no_upload, titles  # ... with no upload


@pytest.mark.parametrize("size", [PHONE, DESKTOP])
def test_map_colour_bar_and_tool_bar_cover_neither_map_nor_permalink(ui, size):
    width, height = size
    ui.open("/")
    ui.viewport(width, height, mobile=width < 600)
    ui.open("/")
    ui.wait_map_shapes(200)
    ui.settle()
    shapes = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .choroplethlayer")
    bar = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .colorbar")
    tools = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .modebar")
    stamp = ui.driver.execute_script(STAMP, ids.MAP_GRAPH)
    assert shapes and bar and tools and stamp
    assert not _overlap(bar, shapes), f"colour bar {bar} over the map {shapes}"
    assert not _overlap(tools, stamp), f"tool bar {tools} over the permalink {stamp}"
    assert not _overlap(tools, shapes), f"tool bar {tools} over the map {shapes}"
    ui.screenshot(f"first-screen-map-{width}")


def test_a_wide_county_s_map_on_a_phone_has_no_blank_band_above_it(ui):
    ui.open("/")
    ui.viewport(*PHONE, mobile=True)
    ui.open("/?focus=12")  # Skåne: wider than tall
    ui.wait_map_shapes(30)
    ui.settle()
    title = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .gtitle")
    shapes = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .choroplethlayer")
    graph = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH}")
    bar = ui.driver.execute_script(RECT, f"#{ids.MAP_GRAPH} .colorbar")
    assert shapes["top"] - title["bottom"] < 60, f"blank band: {title} then {shapes}"
    assert graph["bottom"] - shapes["bottom"] < 120, f"blank band below: {shapes} in {graph}"
    assert not _overlap(bar, shapes)
    ui.screenshot("first-screen-map-focus-390")
