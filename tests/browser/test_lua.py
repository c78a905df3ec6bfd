"""The LUA comparison view in a real browser: both charts drawn from the warehouse, the derived
flag in the hover, URL state with back/forward, the language, the map level of the districts."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from tests.browser.browser_ui import WAIT

GRAPH, RANK = "lua-graph", "lua-rank-graph"


@pytest.mark.browser
def test_lua_view_opens_with_both_charts_and_url_state(ui, warehouse):
    ui.open("/lua?ind=longterm_unemployed_share&sex=women&lang=en")
    comp = ui.wait_graph(GRAPH)
    rank = ui.wait_graph(RANK, min_points=17)
    assert comp["traces"][0]["name"] == "The 17 LUA districts of Stockholm county"
    assert rank["traces"][0]["n"] == 17
    districts = warehouse("SELECT count(*) FROM mart.area WHERE level = 'regso_set'")[0][0]
    assert districts == 17
    until(lambda: ui.text("lua-summary").strip(), WAIT, msg="comparison summary empty")
    year = warehouse(
        "SELECT max(year) FROM mart.observation WHERE area_code = 'lua_stockholm' AND "
        "indicator = 'longterm_unemployed_share' AND value IS NOT NULL"
    )[0][0]
    assert str(year) in ui.text("lua-rank-summary")
    hover = ui.driver.execute_script(
        "var gd = document.querySelector('#lua-graph .js-plotly-plot');"
        "return gd._fullData[0].hovertext.join('|');"
    )
    assert "derived: share × population" in hover
    assert "Method:" in ui.text("lua-notes")
    ui.screenshot("lua-desktop", full_page=True)
    ui.settle()
    ui.click_radio("lua-sex", "men")
    ui.wait_search(lambda s: "sex=men" in s, "URL keeps the sex")
    ui.driver.back()
    ui.wait_search(lambda s: "sex=women" in s, "back restores the sex")
    until(lambda: ui.checked("lua-sex") == "women", WAIT, msg="radio follows the URL")
    assert ui.severe_logs() == []
    assert ui.error_alerts() == []


@pytest.mark.browser
def test_lua_view_in_swedish_and_districts_on_the_map(ui):
    ui.open("/lua")
    comp = ui.wait_graph(GRAPH)
    assert comp["traces"][0]["name"] == "LUA-områdena i Stockholms län (17)"
    assert "i länet utan dem" in ui.wait_text("lua-summary", "LUA-områdena tillsammans")
    ui.open("/?level=regso_set&colour=value&group=total.total")
    ui.wait_map_shapes(17)
    assert ui.severe_logs() == []
    assert ui.error_alerts() == []
