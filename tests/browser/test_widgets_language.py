"""Issue 22 in a real browser: third-party widgets speak Swedish, no "Select all" beside a limit,
the year slider and empty charts are named, and dropdown focus is the 3 px ring."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.ui import ids
from tests.browser.browser_ui import WAIT

# the first test of a session also builds the demo warehouse (minutes on a loaded machine)
pytestmark = pytest.mark.timeout(1200)


def _js(ui, script: str, *args):
    return ui.driver.execute_script(script, *args)


@pytest.mark.browser
def test_trends_widgets_are_swedish_and_offer_no_select_all(ui):
    ui.open("/trends?areas=01,0127")
    ui.wait_page("trends")
    assert "2 valda" in ui.driver.find_element(By.ID, ids.TRENDS_AREAS).text
    ui.driver.find_element(By.ID, ids.TRENDS_AREAS).click()
    box = ui.duo.wait_for_element(".dash-dropdown-search", timeout=WAIT)
    assert box.get_attribute("placeholder") == "Sök"
    shown = _js(
        ui,
        "return [...document.querySelectorAll('.dash-dropdown-action-button')]"
        ".filter(b => b.offsetParent !== null).map(b => b.textContent)",
    )
    assert shown == [], f"'Select all' offered beside the 6-area limit: {shown}"
    titles = _js(
        ui,
        "return [...document.querySelectorAll('#' + arguments[0] + ' .modebar-btn')]"
        ".map(b => b.getAttribute('data-title'))",
        ids.TRENDS_GRAPH,
    )
    assert "Ladda ned diagrammet som PNG" in titles and "Zooma in" in titles, titles
    assert not [x for x in titles if x in ("Zoom in", "Download plot as a PNG", "Reset axes")]


@pytest.mark.browser
def test_dropdown_focus_ring_is_3px_like_the_buttons(ui):
    ui.open("/trends?areas=01")
    ui.wait_page("trends")
    width = _js(
        ui,
        "var d = document.querySelector('#' + arguments[0]); d.focus();"
        "return getComputedStyle(document.activeElement).outlineWidth",
        ids.TRENDS_INDICATOR,
    )
    assert width == "3px", width


@pytest.mark.browser
def test_year_slider_and_empty_charts_are_named(ui):
    ui.open("/?year=2022")
    ui.wait_page("map")
    until(
        lambda: _js(ui, "var s = document.querySelector(\"[role='slider']\");"
                    "return s && s.getAttribute('aria-label')") == "År",
        WAIT, msg="the year slider has no accessible name",
    )  # fmt: skip
    ui.open("/trends?areas=lua_stockholm&age=25-29")

    def name():
        return (
            _js(
                ui,
                "var g = document.querySelector('#' + arguments[0]); return g && g.getAttribute('aria-label')",
                ids.TRENDS_GRAPH,
            )
            or ""
        )

    until(lambda: "(tomt)" in name(), WAIT, msg="the empty chart is not named as empty")
    assert name().startswith("Sysselsättningsgrad 25–29 år (tomt): "), name()
