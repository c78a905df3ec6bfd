"""Issue 22, keep the user's place, in a real browser: a page opened without an area starts from
the country (never Malmö or Botkyrka), the start is a real address, and a chosen area travels
through the navigation."""

from __future__ import annotations

import json

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.ui import ids
from tests.browser.browser_ui import WAIT

FRESH = {  # page: (its area dropdown, its first summary)
    "peers": (ids.PEERS_MUNICIPALITY, ids.PEERS_SUMMARY),
    "explore": (ids.EXPLORE_MUNICIPALITY, ids.EXPLORE_SUMMARY),
    "explain": (ids.EXPLAIN_AREA, ids.EXPLAIN_SPLIT_SUMMARY),
}


def _nav(ui, page: str, path: str) -> None:
    ui.duo.find_element(f"#{ids.nav_link(page)}").click()
    until(lambda: ui.path == path, timeout=WAIT, msg=f"the navigation did not open {path}")


@pytest.mark.browser
def test_pages_opened_without_an_area_start_from_the_country(ui):
    for page, (dropdown, summary) in FRESH.items():
        ui.open(f"/{page}")
        ui.wait_page(page)
        assert ui.value_text(dropdown) == "Riket", f"/{page} opened on {ui.value_text(dropdown)}"
        text = ui.wait_text(summary, "Riket")
        assert "Malmö" not in text and "Botkyrka" not in text, f"/{page}: {text!r}"
        assert ui.text(f"{page}-message") == ""
        assert ui.severe_logs() == [] and ui.error_alerts() == [], f"errors on /{page}"
    ui.open("/area")
    h1 = ui.driver.find_element(By.CSS_SELECTOR, f"#{ids.MAIN} h1").text
    assert h1 == "Riket: områdesprofil"
    page = ui.driver.execute_script(
        "return document.getElementById(arguments[0]).textContent", ids.MAIN
    )
    assert "Stockholms län" in page and "Blekinge län" in page  # its counties (a folded table)
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_a_county_on_a_municipality_page_says_so_and_shows_the_country(ui):
    ui.open("/peers?area=01")
    ui.wait_page("peers")
    message = ui.wait_text("peers-message", "Stockholms län")
    assert "annan sorts område" in message and "Traceback" not in ui.text(ids.MAIN)
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Riket"


@pytest.mark.browser
def test_a_municipality_chosen_on_trends_opens_peers_and_back_returns_to_the_country(ui):
    ui.open("/peers?area=00")  # the country start's permalink is the same page, without a message
    ui.wait_page("peers")
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Riket" and ui.text("peers-message") == ""
    ui.open("/trends")
    ui.wait_graph(ids.TRENDS_GRAPH)
    # the user adds Botkyrka beside the country in the areas dropdown
    ui.driver.find_element(By.ID, ids.TRENDS_AREAS).click()
    ui.duo.wait_for_element(".dash-dropdown-search", timeout=WAIT).send_keys("Botkyrka")
    option = (
        "//*[contains(@class,'dash-dropdown-option')]"
        f"[.//span[normalize-space(text())={json.dumps('Botkyrka')}]]"
    )
    until(lambda: ui.driver.find_elements(By.XPATH, option), WAIT, msg="Botkyrka not offered")
    ui.driver.find_element(By.XPATH, option).click()
    for box in ui.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-search"):  # close it
        box.send_keys(Keys.ESCAPE)
    ui.wait_search(lambda s: "0127" in s, "Trends keeps Botkyrka in its address")
    until(
        lambda: "area=0127" in (ui.duo.find_element(f"#{ids.nav_link('peers')}").get_attribute("href") or ""),
        timeout=WAIT,
        msg="the Peers link does not carry Botkyrka",
    )  # fmt: skip
    _nav(ui, "peers", "/peers")
    ui.wait_value(ids.PEERS_MUNICIPALITY, "Botkyrka")
    ui.wait_text(ids.PEERS_SUMMARY, "Botkyrka")
    # on Peers, the user goes back to the country and forward again: each is a real address
    ui.choose(ids.PEERS_MUNICIPALITY, "Riket")
    ui.wait_search(lambda s: "area=00" in s, "choosing the country is written into the address")
    ui.wait_text(ids.PEERS_SUMMARY, "Välj en kommun")
    ui.driver.back()
    ui.wait_search(lambda s: "area=0127" in s, "back returns to Botkyrka")
    ui.wait_value(ids.PEERS_MUNICIPALITY, "Botkyrka")
    ui.driver.forward()
    ui.wait_search(lambda s: "area=00" in s, "forward returns to the country")
    ui.wait_value(ids.PEERS_MUNICIPALITY, "Riket")
    assert ui.severe_logs() == []
