"""The area profile (/area) in a real browser: Botkyrka, Stockholm county and a LUA district at
1280 and 390 px (screenshots in tests/artifacts/screenshots/), keyboard use, and a map click that
leads to the profile."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.ui import ids
from tests.browser.browser_ui import DESKTOP, PHONE, WAIT

CASES = [("0127", "Botkyrka"), ("01", "Stockholms län"), ("lua_alby", "Alby (LUA)")]


def _wait_profile(ui, name: str) -> None:
    heading = "var h = document.querySelector('.page h1'); return h ? h.textContent : '';"
    # read in one script: the heading is redrawn as the page renders (no stale element)
    until(lambda: name in ui.driver.execute_script(heading), WAIT,
          msg=f"profile heading of {name}")  # fmt: skip
    ui.duo.wait_for_element("#area-headline", timeout=WAIT)
    ui.wait_graph("area-spine")


def _overflow(ui) -> int:
    return ui.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.browser
@pytest.mark.parametrize(("code", "name"), CASES)
def test_profile_at_desktop_and_phone_width(ui, warehouse, code, name):
    ui.open(f"/area?area={code}")
    _wait_profile(ui, name)
    headline = ui.text("area-headline")
    assert name in headline
    rows = ui.driver.find_elements(By.CSS_SELECTOR, ".area-table-block")[0].find_elements(
        By.CSS_SELECTOR, "tbody tr"
    )
    spine_points = sum(t["n"] for t in ui.figure("area-spine")["traces"] if t["type"] == "scatter")
    assert len(rows) == spine_points > 0  # the table alternative has the chart's rows
    if code == "01":
        planner = ui.driver.find_elements(By.CSS_SELECTOR, ".area-table-block")[-1].text
        assert "Botkyrka" in planner and "Alby (LUA)" in planner and "Riket" in planner
        pdf = ui.driver.find_element(By.ID, "area-planner-pdf").get_attribute("href")
        assert pdf.endswith("/area/planner.pdf?area=01")
    link = ui.driver.find_element(By.ID, "area-pdf-link").get_attribute("href")
    assert link.endswith(f"/area/report.pdf?area={code}")
    assert not ui.error_alerts()
    ui.screenshot(f"area-{code}-1280", full_page=True)
    ui.viewport(*PHONE, mobile=True)
    until(lambda: (f := ui.figure("area-spine")) and f["width"] <= PHONE[0], WAIT,
          msg="spine chart not resized to the phone")  # fmt: skip
    ui.settle()
    assert _overflow(ui) <= 1, "the page scrolls sideways at 390 px"
    # every label of the spine chart (groups above their bars, indicator headings) fits the phone
    widest = ui.driver.execute_script(
        "var r = 0; document.querySelectorAll('#area-spine .annotation-text').forEach(function (e)"
        " { r = Math.max(r, e.getBoundingClientRect().right); }); return r;"
    )
    assert 0 < widest <= PHONE[0], f"a spine label runs to {widest} px"
    if code == "01":  # the planner's table and chart fold on a phone; the button opens them
        shown = "return document.querySelector('.area-block .fold-box').offsetHeight"
        assert ui.driver.execute_script(shown) == 0
        button = ui.driver.find_element(By.CSS_SELECTOR, ".area-block .fold-button")
        ui.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        until(lambda: ui.driver.execute_script(shown) > 0, WAIT, msg="the planner did not open")
        until(lambda: (f := ui.figure("area-planner-chart")) and f["width"] <= PHONE[0], WAIT,
              msg="the planner's chart not fitted to the phone")  # fmt: skip
        assert button.get_attribute("aria-expanded") == "true"
        assert _overflow(ui) <= 1
    ui.screenshot(f"area-{code}-390", full_page=True)
    ui.viewport(*DESKTOP, mobile=False)


@pytest.mark.browser
def test_keyboard_reaches_the_controls_and_changes_the_area(ui):
    ui.open("/area?area=0127")
    _wait_profile(ui, "Botkyrka")
    body = ui.driver.find_element(By.TAG_NAME, "body")
    body.click()
    seen = []
    for _ in range(60):
        ActionChains(ui.driver).send_keys(Keys.TAB).perform()
        seen.append(ui.driver.execute_script(
            "var e = document.activeElement; return (e.id || '') + '|' + e.tagName + '|' + "
            "(e.className || '') + '|' + (e.getAttribute('href') || '')"
        ))  # fmt: skip
    joined = "\n".join(seen)
    assert "area-find" in joined  # the search
    assert "/area/report.pdf" in joined  # the PDF link
    assert "area-table-wrap" in joined  # a table scrolls with the keyboard
    assert "/explain?area=0127" in joined
    assert "|SUMMARY|area-table-summary|" in joined  # a folded table's summary takes the focus
    # Enter on the folded spine table's summary opens it
    opened = "return document.querySelector('.area-table-block').open"
    assert ui.driver.execute_script(opened) is False
    summary = ui.driver.find_element(By.CSS_SELECTOR, ".area-table-block .area-table-summary")
    ui.driver.execute_script("arguments[0].focus()", summary)
    ActionChains(ui.driver).send_keys(Keys.ENTER).perform()
    until(lambda: ui.driver.execute_script(opened) is True, WAIT, msg="Enter did not open it")
    find = ui.driver.find_element(By.ID, "area-find")
    find.send_keys(Keys.ENTER)  # the dropdown has the focus the Tab loop found: open it
    search = ui.duo.wait_for_element(".dash-dropdown-search", timeout=WAIT)
    search.send_keys("Stockholms län")
    option = "//*[contains(@class,'dash-dropdown-option')][.//span[normalize-space(text())='Stockholms län']]"
    until(lambda: ui.driver.find_elements(By.XPATH, option), WAIT, msg="Stockholms län not offered")
    search.send_keys(Keys.ARROW_DOWN)
    search.send_keys(Keys.ENTER)
    ui.wait_search(lambda s: "area=01" in s, "the search navigates to the county's profile")
    _wait_profile(ui, "Stockholms län")
    ui.driver.back()
    ui.wait_search(lambda s: "area=0127" in s, "back returns to Botkyrka")
    _wait_profile(ui, "Botkyrka")


@pytest.mark.browser
def test_map_click_opens_the_profile(ui, warehouse):
    ui.open("/?level=municipality")
    ui.wait_map_shapes(200)
    graph = ids.MAP_GRAPH
    clicked = ui.driver.execute_script(
        f"var gd = document.querySelector('#{graph} .js-plotly-plot');"
        "var i = gd.data[0].locations.indexOf('2584');"  # Kiruna: the largest shape
        f"var p = document.querySelectorAll('#{graph} path.choroplethlocation')[i];"
        "p.scrollIntoView({block: 'center'}); return i;"
    )
    assert clicked >= 0
    shape = ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MAP_GRAPH} path.choroplethlocation")[
        clicked
    ]
    ActionChains(ui.driver).move_to_element(shape).click().perform()
    ui.wait_search(lambda s: "area=" in s, "the click selects an area")
    code = [p.split("=")[1] for p in ui.search.lstrip("?").split("&") if p.startswith("area=")][0]
    name = warehouse("SELECT name_sv FROM mart.area WHERE area_code = ?", [code])[0][0]
    link = None

    def profile_link():
        nonlocal link
        found = ui.driver.find_elements(
            By.CSS_SELECTOR, f"#{ids.MAP_LINKS} a[href^='/area?area={code}']"
        )
        link = found[0] if found else None
        return link is not None

    until(profile_link, WAIT, msg="no link to the clicked area's profile")
    link.click()
    until(lambda: ui.path == "/area", WAIT, msg="the link did not open /area")
    _wait_profile(ui, name)
