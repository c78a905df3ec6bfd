"""Browser tests for the remainders of issues 9, 10 and 12: history entries of the slider and Play,
chart names and descriptions, the phone layout (folded controls, sideways-scrolling table), typing
into an open dropdown, the map coloured by the decomposition, and the exports of /explain and /lua."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.ui import ids
from dashboard.ui.exports import synthetic_mark
from tests.browser.browser_ui import DESKTOP, PHONE, WAIT
from tests.browser.test_handon import svg_of

LUA_GRAPHS = ["lua-graph"]  # one chart at a time: ?chart=unemployment|birth|district|rank
PAGES = {  # page -> (path, graphs whose names are checked)
    "map": ("/", [ids.MAP_GRAPH]),
    "trends": ("/trends?areas=1280", [ids.TRENDS_GRAPH, ids.TRENDS_GAP_GRAPH]),
    "peers": ("/peers", [ids.PEERS_GRAPH, ids.PEERS_SLOPE_GRAPH]),
    "explore": ("/explore", [ids.EXPLORE_GRAPH]),
    "explain": ("/explain", [ids.EXPLAIN_SPLIT_GRAPH, ids.EXPLAIN_SCATTER_GRAPH]),
    "lua": ("/lua", LUA_GRAPHS),
}


def _history(ui) -> int:
    return ui.driver.execute_script("return window.history.length")


def _year(ui) -> str | None:
    return ui.driver.execute_script(
        "return new URLSearchParams(window.location.search).get('year')"
    )


@pytest.mark.browser
def test_slider_and_play_replace_the_history_entry_a_choice_adds_one(ui):
    ui.open("/")
    ui.wait_page("map")
    start = _history(ui)
    handle = ui.driver.find_element(By.CSS_SELECTOR, f"#{ids.MAP_YEAR} [role=slider]")
    handle.click()
    seen = []
    for _ in range(3):
        before = _year(ui)
        ActionChains(ui.driver).send_keys(Keys.ARROW_LEFT).perform()
        until(lambda b=before: _year(ui) not in (None, b), WAIT, msg="slider did not move the URL")
        ui.settle()
        seen.append(_year(ui))
    assert len(set(seen)) == 3, seen
    assert _history(ui) == start, "slider steps added history entries"
    ui.click_radio(ids.MAP_COLOUR, "value")
    ui.wait_search(lambda s: "colour=value" in s, "colour choice in the URL")
    assert _history(ui) == start + 1, "a deliberate choice adds one entry"
    ui.driver.find_element(By.ID, ids.MAP_PLAY).click()
    first = _year(ui)
    until(lambda: _year(ui) != first, WAIT, msg="Play did not advance the year")
    second = _year(ui)
    until(lambda: _year(ui) != second, WAIT, msg="Play did not advance the year twice")
    ui.driver.find_element(By.ID, ids.MAP_PLAY).click()
    ui.settle()
    assert _history(ui) == start + 1, "Play frames added history entries"
    ui.driver.back()
    ui.wait_search(
        lambda s: "colour=gap" in s and f"year={seen[-1]}" in s, "back: before the choice"
    )
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_every_chart_has_a_name_and_its_summary_as_description(ui):
    for page, (path, graphs) in PAGES.items():
        ui.open(path)
        for graph in graphs:
            fig = ui.wait_graph(graph)
            until(
                lambda g=graph: ui.driver.find_element(By.ID, g).get_attribute("aria-label"),
                WAIT,
                msg=f"{page}: #{graph} has no accessible name",
            )
            el = ui.driver.find_element(By.ID, graph)
            title = " ".join(str(fig["title"] or "").replace("<br>", " ").split())
            name = el.get_attribute("aria-label")
            assert el.get_attribute("role") == "figure", page
            assert title and name == title, (page, graph, name, title)
            described = el.get_attribute("aria-describedby")
            until(lambda d=described: ui.text(d).strip(), WAIT, msg=f"{page}: #{described} empty")
    assert ui.severe_logs() == []


LAYOUT = """
var root = document.getElementById(arguments[0]);
var gd = root.querySelector('.js-plotly-plot');
var section = root.closest('section.chart');
var g = root.getBoundingClientRect(), svg = gd.getBoundingClientRect();
var bar = gd.querySelector('.modebar');
var size = gd._fullLayout._size;
return {graph_bottom: g.bottom,
        summary_top: section.querySelector('p.summary').getBoundingClientRect().top,
        cartesian: !!gd._fullLayout.xaxis && !gd._fullLayout.geo,
        plot_right: svg.left + size.l + size.w,
        modebar_left: bar ? bar.getBoundingClientRect().left : 1e9};
"""
FIRST_CHART_TOP = "return document.querySelector('section.chart').getBoundingClientRect().top"


@pytest.mark.browser
def test_phone_controls_fold_behind_val_and_the_first_chart_is_on_the_first_screen(ui):
    ui.open("/")
    ui.viewport(*PHONE, mobile=True)
    for page, (path, graphs) in PAGES.items():
        ui.open(path)
        ui.wait_graph(graphs[0])
        button = ui.driver.find_element(By.ID, f"{page}-fold-button")
        box = ui.driver.find_element(By.ID, f"{page}-fold-box")
        assert button.is_displayed() and button.text == "Val", page
        assert not box.is_displayed(), f"{page}: controls shown on a phone before 'Val'"
        top = ui.driver.execute_script(FIRST_CHART_TOP)
        assert 0 < top < PHONE[1] - 200, f"{page}: first chart starts at {top} px"
        button.click()
        until(box.is_displayed, WAIT, msg=f"{page}: 'Val' did not unfold the controls")
        assert button.get_attribute("aria-expanded") == "true"
        ui.screenshot(f"features-{page}-phone-options")
        for (
            graph
        ) in graphs:  # the summary below its chart, not under it; no point under the tool bar
            ui.wait_graph(graph)
            got = ui.driver.execute_script(LAYOUT, graph)
            assert got["summary_top"] >= got["graph_bottom"] - 1, (page, graph, got)
            if got["cartesian"]:
                assert got["modebar_left"] >= got["plot_right"] - 1, (page, graph, got)
        assert ui.driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    ui.viewport(*DESKTOP, mobile=False)
    ui.open("/trends?areas=1280")
    ui.wait_graph(ids.TRENDS_GRAPH)
    assert not ui.driver.find_element(By.ID, "trends-fold-button").is_displayed()
    assert ui.driver.find_element(By.ID, "trends-fold-box").is_displayed()


TABLE = """
var sec = document.getElementById(arguments[0]).closest('details');
var vp = sec.querySelector('.ag-center-cols-viewport');
var wrap = sec.querySelector('.ag-root-wrapper').getBoundingClientRect();
return {headers: sec.querySelectorAll('.ag-header-cell').length, scroll: vp.scrollWidth,
        client: vp.clientWidth, right: wrap.right, page: document.documentElement.scrollWidth};
"""


@pytest.mark.browser
def test_phone_table_shows_every_column_scrolling_sideways(ui):
    ui.open("/trends?areas=1280")
    ui.viewport(*PHONE, mobile=True)
    ui.open("/trends?areas=1280")
    ui.wait_graph(ids.TRENDS_GRAPH)
    ui.driver.execute_script("document.querySelector('details.table-section').open = true")
    ui.duo.wait_for_element(f"#{ids.TRENDS_TABLE} .ag-row", timeout=WAIT)
    ui.settle()
    columns = ui.driver.execute_script(
        "return document.querySelector('#' + arguments[0]).closest('details')"
        ".querySelectorAll('.ag-header-cell').length",
        ids.TRENDS_TABLE,
    )
    got = ui.driver.execute_script(TABLE, ids.TRENDS_TABLE)
    assert got["headers"] == columns and columns >= 8, got  # every column rendered
    assert got["scroll"] > got["client"], got  # the grid scrolls sideways inside its box
    assert got["right"] <= PHONE[0] and got["page"] <= PHONE[0], got  # not the whole page
    ui.screenshot("features-trends-phone-table")


@pytest.mark.browser
def test_typing_filters_a_dropdown_opened_with_enter(ui):
    ui.open("/trends?areas=1280")
    ui.wait_graph(ids.TRENDS_GRAPH)
    ui.settle()
    trigger = ui.driver.find_element(By.ID, ids.TRENDS_INDICATOR)
    ui.driver.execute_script("arguments[0].focus()", trigger)
    ActionChains(ui.driver).send_keys(Keys.ENTER).perform()
    until(lambda: trigger.get_attribute("aria-expanded") == "true", WAIT, msg="Enter did not open")
    ActionChains(ui.driver).send_keys("arbetsl").perform()

    def offered():
        # read in one script call: the options re-render while the filter applies (no stale handles)
        return ui.driver.execute_script(
            "return [...document.querySelectorAll('.dash-dropdown-content [role=option]')]"
            ".map(o => o.innerText)"
        )

    until(lambda: 0 < len(offered()) < 6, WAIT, msg=f"typing did not filter: {offered()}")
    assert all("arbetsl" in o.lower() for o in offered()), offered()
    ActionChains(ui.driver).send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()
    ui.wait_search(lambda s: "ind=" in s and "employment_rate" not in s, "choice by keyboard")
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_map_colours_by_standardised_gap_and_local_difference(ui, warehouse):
    lo, hi = warehouse(
        "SELECT min(standardised_gap), max(standardised_gap) FROM mart.gap_decomposition g "
        "JOIN mart.area a USING (area_code) WHERE a.level = 'municipality' AND gap = 'fw_sw' "
        "AND year = (SELECT max(year) FROM mart.gap_decomposition)"
    )[0]
    ui.open("/?colour=standardised&gap=fw_sw&lang=en")
    fig = ui.wait_graph(ids.MAP_GRAPH)
    assert ui.checked(ids.MAP_COLOUR) == "standardised"
    assert "Age-standardised gap" in fig["title"]
    z = ui.driver.execute_script(
        "var gd = document.querySelector('#map-graph .js-plotly-plot');"
        "return [Math.min.apply(null, gd.data[0].z), Math.max.apply(null, gd.data[0].z),"
        " gd.data[0].colorbar.title.text, gd.data[0].text[0]];"
    )
    assert abs(z[0] - lo) < 0.01 and abs(z[1] - hi) < 0.01, (z, lo, hi)
    assert "Age-standardised gap" in z[2] and "Employment at the same ages" in z[3]
    assert "Age-standardised gap" in ui.text(ids.MAP_SUMMARY)
    ui.click_radio(ids.MAP_COLOUR, "local")
    ui.wait_search(lambda s: "colour=local" in s, "local difference in the URL")
    until(lambda: "Difference from expected" in ui.text(ids.MAP_SUMMARY), WAIT, msg="summary")
    ui.choose(ids.MAP_INDICATOR, "Unemployment rate")  # not decomposed: the plain gap, silently
    ui.wait_search(lambda s: "colour=gap" in s, "colour falls back to the gap")
    offered = ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_COLOUR} input")
    assert {o.get_attribute("value") for o in offered} == {"gap", "value"}
    assert ui.text(ids.MAP_MESSAGE).strip() == ""
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_explain_and_lua_exports_carry_source_and_synthetic_mark(ui, warehouse):
    updated = warehouse(
        "SELECT source_updated FROM mart.series WHERE source_table = 'TAB3200' LIMIT 1"
    )[0][0][:10]
    ui.open("/explain?area=0127&gap=fw_sw")
    ui.wait_page("explain")
    for graph in (ids.EXPLAIN_SPLIT_GRAPH, ids.EXPLAIN_MAP_GRAPH):
        svg = svg_of(ui, graph)
        assert f"Källa: SCB, TAB3200 (uppdaterad {updated})" in svg, graph
        assert "SYNTETISKA VÄRDEN – inte officiell statistik" in svg, graph
        assert "/explain?area=0127" in svg, graph
    ui.open("/lua?ind=registered_unemployed_share&lang=en")
    for graph in LUA_GRAPHS:
        ui.wait_graph(graph)
        svg = svg_of(ui, graph)
        # every table is named by SCB's id or title, never by the seeds' key
        assert "Source: SCB" in svg and "LUA_LABOUR" not in svg, graph
        assert "SYNTHETIC VALUES – not official statistics" in svg, graph
    assert ui.severe_logs() == []


WATERMARKS = {synthetic_mark(lang).split(" – ")[0] for lang in ("sv", "en")}


@pytest.mark.browser
def test_screenshots_of_every_page_at_desktop_and_phone_width(ui):
    pages = {
        **PAGES,
        "data": ("/data?view=explain", []),
        "map-focus": ("/?focus=01", [ids.MAP_GRAPH]),
    }
    ui.open("/")
    for width, height, mobile, tag in ((*DESKTOP, False, "1280"), (*PHONE, True, "390")):
        ui.viewport(width, height, mobile)
        for page, (path, graphs) in pages.items():
            ui.open(path)
            for graph in graphs:
                ui.wait_graph(graph)
            if not graphs:
                ui.duo.wait_for_element(f"#{ids.DATA_TABLE} .ag-row", timeout=WAIT)
            ui.settle()
            shot = ui.screenshot(f"features-{page}-{tag}", full_page=True)
            assert shot.stat().st_size > 10_000
            report = ui.layout_report()
            assert report["scroll_width"] <= width, (page, tag, report["wider_than_viewport"])
            for g in report["graphs"]:  # the stamp and labels stay inside their chart (the
                # diagonal synthetic watermark may run past a narrow plot's edges)
                cut = [t for t in g["clipped_texts"] if t not in WATERMARKS]
                assert cut == [], (page, tag, g["id"], cut)
    assert ui.severe_logs() == []
