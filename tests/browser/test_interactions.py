"""What users do in a real browser: pick a municipality, share and reopen URLs, go back, switch the
language, download the CSV, and open malformed addresses."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.core.gaps import GAPS
from dashboard.core.text import gap_label
from dashboard.ui import ids
from tests.browser.browser_ui import WAIT


def peer_set(warehouse, code: str) -> set[str]:
    """Kolada's 'similar labour market' peers of a municipality, itself included (independent SQL)."""
    rows = warehouse(
        "SELECT DISTINCT area_code FROM mart.peer_group "
        "WHERE peer_kind = 'similar_labour_2024' AND owner_code = ?",
        [code],
    )
    return {r[0] for r in rows} | {code}


def names(warehouse, codes) -> set[str]:
    """Swedish names of area codes."""
    rows = warehouse(
        "SELECT name_sv FROM mart.area WHERE area_code IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(codes)],
    )
    return {r[0] for r in rows}


@pytest.mark.browser
def test_choosing_a_municipality_redraws_the_peer_chart_and_its_summary(ui, warehouse):
    ui.open("/peers?area=1280")  # without an area, Peers starts at the country (test_place.py)
    ui.wait_page("peers")
    before = ui.text(ids.PEERS_SUMMARY)
    ticks_before = set(ui.wait_graph(ids.PEERS_GRAPH)["ticks"])
    assert "Malmö" in before and ticks_before == names(warehouse, peer_set(warehouse, "1280"))

    ui.choose(ids.PEERS_MUNICIPALITY, "Umeå")
    after = ui.wait_text(ids.PEERS_SUMMARY, "Umeå")
    expected = names(warehouse, peer_set(warehouse, "2480"))
    until(
        lambda: set(ui.figure(ids.PEERS_GRAPH)["ticks"]) == expected,
        WAIT,
        msg=f"dumbbell rows are not Umeå's peers {sorted(expected)}",
    )
    assert after != before and "Malmö" not in after
    assert ui.text("peers-rank").startswith("Umeå:")
    assert ui.text("peers-rank").endswith(f"av {len(expected)}")
    assert "area=2480" in ui.wait_search(lambda s: "area=2480" in s, "URL keeps the choice")
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_url_round_trip_restores_the_view_and_back_returns_to_it(ui):
    fw_fm = gap_label(GAPS["fw_fm"], "sv")
    ui.open("/peers?area=1281&year=2022&gap=fw_fm&peers=la")
    ui.wait_page("peers")
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Lund"
    assert ui.value_text(ids.PEERS_YEAR) == "2022"
    assert ui.value_text(ids.PEERS_GAP) == fw_fm
    assert ui.checked(ids.PEERS_KIND) == "la"
    first = ui.text(ids.PEERS_SUMMARY)
    assert first.startswith("2022:") and "Lund" in first and "utrikes födda män" in first

    ui.choose(ids.PEERS_YEAR, "2023")
    search = ui.wait_search(lambda s: "year=2023" in s, "the URL follows the year control")
    assert "area=1281" in search and "gap=fw_fm" in search and "peers=la" in search
    assert ui.wait_text(ids.PEERS_SUMMARY, "2023:").startswith("2023:")

    ui.driver.back()
    ui.wait_search(lambda s: "year=2022" in s, "back restores the previous URL")
    ui.wait_value(ids.PEERS_YEAR, "2022")
    assert ui.wait_text(ids.PEERS_SUMMARY, "2022:") == first
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Lund"
    assert ui.value_text(ids.PEERS_GAP) == fw_fm
    assert ui.checked(ids.PEERS_KIND) == "la"

    ui.driver.forward()
    ui.wait_search(lambda s: "year=2023" in s, "forward re-applies the change")
    ui.wait_value(ids.PEERS_YEAR, "2023")
    ui.wait_text(ids.PEERS_SUMMARY, "2023:")
    assert ui.severe_logs() == []
    assert ui.error_alerts() == []


@pytest.mark.browser
def test_language_toggle_switches_labels_to_english_and_back(ui):
    ui.open("/peers?area=1281")
    ui.wait_page("peers")
    sv_summary = ui.text(ids.PEERS_SUMMARY)
    assert ui.text(ids.nav_link("peers")) == "Jämförelse"
    assert "utrikes födda kvinnor i Lund" in sv_summary

    ui.click_radio(ids.LANG, "en")
    ui.duo.wait_for_text_to_equal(f"#{ids.nav_link('peers')}", "Peers", timeout=WAIT)
    ui.duo.wait_for_text_to_equal(f"#{ids.MAIN} h1", "Peers", timeout=WAIT)
    en_summary = ui.wait_text(ids.PEERS_SUMMARY, "foreign-born women in Lund")
    assert ui.text(ids.HEADER_TITLE) == "Labour-market gaps"
    assert "Peer set" in ui.text(ids.MAIN) and "Jämförelsegrupp" not in ui.text(ids.MAIN)
    assert "synthetic" in ui.text(ids.BANNER).lower()
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Lund"  # the selection survives
    assert "lang=en" in ui.search and "area=1281" in ui.search
    assert ui.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert en_summary != sv_summary

    ui.click_radio(ids.LANG, "sv")
    ui.duo.wait_for_text_to_equal(f"#{ids.nav_link('peers')}", "Jämförelse", timeout=WAIT)
    ui.duo.wait_for_text_to_equal(f"#{ids.MAIN} h1", "Jämförelse", timeout=WAIT)
    assert ui.wait_text(ids.PEERS_SUMMARY, "utrikes födda kvinnor i Lund") == sv_summary
    assert ui.text(ids.HEADER_TITLE) == "Arbetsmarknadsgap"
    assert "lang=en" not in ui.search
    assert ui.severe_logs() == []


def downloaded(folder: Path, timeout: float = WAIT) -> Path:
    """The one finished .csv download in folder."""

    def done():
        files = list(folder.glob("*.csv"))
        partial = list(folder.glob("*.crdownload"))
        return files if files and not partial else None

    files = until(done, timeout, poll=0.2, msg=f"no CSV downloaded to {folder}")
    assert len(files) == 1, files
    return files[0]


@pytest.mark.browser
def test_csv_download_holds_the_table_shown(ui, warehouse):
    folder = Path(ui.duo.download_path)
    ui.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    ui.open("/data?view=peers&area=1281&year=2022")
    ui.wait_page("data")
    summary = ui.text(ids.DATA_SUMMARY)
    shown = int(summary.split(":")[1].split()[0])  # "Jämförelse: 8 rader. 2022: ..."

    ui.driver.find_element(By.ID, ids.DATA_CSV).click()
    path = downloaded(folder)
    text = path.read_text(encoding="utf-8-sig")
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter=";"))  # Swedish Excel

    assert path.name.endswith(".csv")
    assert {"Kod", "Område", "År"} <= set(rows[0]), list(rows[0])
    assert len(rows) == shown
    assert {r["Kod"] for r in rows} == peer_set(warehouse, "1281")
    assert {r["År"] for r in rows} == {"2022"}
    lund = next(r for r in rows if r["Kod"] == "1281")
    assert lund["Område"] == "Lund"
    assert any(key.startswith("Utrikes födda kvinnor") and lund[key] for key in lund)
    assert ui.severe_logs() == []


BAD_URLS = {
    "map": "/?area=9999&year=1800&level=zz&colour=rainbow&junk=%3Cscript%3E",
    "trends": "/trends?area=9999&ind=nope&birth=xx&junk=1",
    "peers": "/peers?area=9999&year=1800&peers=zz&gap=%25%25&foo=bar",
    "explore": "/explore?area=DROP%20TABLE&year=1800&x=nope&foo",
    "data": "/data?view=nope&year=1800&area=9999",
}
BAD_VALUES = {
    "map": ["9999", "1800", "zz", "rainbow"],
    "trends": ["9999", "nope", "xx"],
    "peers": ["9999", "1800", "zz", "%%"],
    "explore": ["DROP TABLE", "1800", "nope"],
    "data": ["nope", "1800", "9999"],
}


@pytest.mark.browser
def test_malformed_urls_give_a_friendly_message_and_the_default_view(ui, latest_year):
    for page, url in BAD_URLS.items():
        ui.open(url)
        ui.wait_page(page)
        message = ui.wait_text(f"{page}-message", "Adressen innehöll ogiltiga val")
        for value in BAD_VALUES[page]:
            assert repr(value) in message, f"{page}: {value!r} not reported in {message!r}"
        body = ui.text(ids.MAIN)
        assert "Traceback" not in body and "Internal Server Error" not in body
        assert ui.severe_logs() == [], f"console errors on {url}"
        assert ui.error_alerts() == [], f"dev-tools errors on {url}"
        if page == "map":
            assert ui.value_text(ids.MAP_LEVEL) == "Kommuner"
            assert str(latest_year) in ui.text(ids.MAP_SUMMARY)
        elif page == "trends":
            assert ui.value_text(ids.TRENDS_AREAS) == "Riket"  # no area: the country
            assert ui.checked(ids.TRENDS_BIRTH) == "main"
        elif page in ("peers", "explore"):  # no valid area: the country, not a municipality
            assert ui.value_text(f"{page}-municipality") == "Riket"
            assert ui.value_text(f"{page}-year") == str(latest_year)
        else:
            assert ui.checked(ids.DATA_VIEW) == "peers"
            assert "Riket" in ui.text(ids.DATA_SUMMARY)

    ui.open("/no/such/page?x=1")
    ui.duo.wait_for_text_to_equal(f"#{ids.MAIN} h1", "Sidan finns inte.", timeout=WAIT)
    links = [a.text for a in ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MAIN} .page a")]
    nav = [a.text for a in ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.NAV} a")]
    assert links[:1] == ["Karta"] and len(links) >= 8
    assert set(links) <= set(nav)  # every page the navigation offers, by its name there
    assert ui.severe_logs() == []


@pytest.mark.browser
def test_the_area_and_the_map_focus_travel_through_the_navigation(ui):
    ui.open("/?level=municipality&focus=12&area=1280")
    ui.wait_graph(ids.MAP_GRAPH)
    ui.duo.find_element(f"#{ids.nav_link('trends')}").click()
    until(lambda: ui.path == "/trends", timeout=WAIT, msg="the navigation did not open Trends")
    ui.wait_graph(ids.TRENDS_GRAPH)
    assert "1280" in ui.search  # the area chosen on the Map
    until(
        lambda: (
            "focus=12"
            in (ui.duo.find_element(f"#{ids.nav_link('map')}").get_attribute("href") or "")
        ),
        timeout=WAIT,
        msg="the Map link lost the focus",
    )
    ui.duo.find_element(f"#{ids.nav_link('map')}").click()
    until(lambda: ui.path == "/", timeout=WAIT, msg="the navigation did not open the Map")
    until(lambda: "focus=12" in ui.search and "area=1280" in ui.search, timeout=WAIT,
          msg=f"the Map opened without its focus or area: {ui.search}")  # fmt: skip


@pytest.mark.browser
def test_trends_opened_without_an_area_starts_from_the_country(ui):
    ui.open("/trends")
    ui.wait_graph(ids.TRENDS_GRAPH)
    assert "Malmö" not in ui.text(ids.TRENDS_SUMMARY)
    assert "Riket" in ui.text(ids.TRENDS_SUMMARY)


@pytest.mark.browser
def test_peer_sets_that_lead_nowhere_at_the_country_are_disabled(ui):
    """At the country the page shows the counties against the country whatever peer set is chosen,
    so only a custom list stays choosable; choosing a municipality enables them all again."""

    def enabled() -> dict[str, bool]:
        return ui.driver.execute_script(
            "var out = {}; document.querySelectorAll(arguments[0]).forEach("
            "function (el) { out[el.value] = !el.disabled; }); return out;",
            f"#{ids.PEERS_KIND} input[type=radio]",
        )

    ui.open("/peers")
    ui.wait_page("peers")
    assert ui.value_text(ids.PEERS_MUNICIPALITY) == "Riket"
    at_country = enabled()
    assert at_country["custom"] and len(at_country) > 3
    assert not any(v for k, v in at_country.items() if k != "custom")
    ui.choose(ids.PEERS_MUNICIPALITY, "Botkyrka")
    until(
        lambda: all(enabled().values()), timeout=WAIT, msg="a municipality enables every peer set"
    )
    assert ui.severe_logs() == []
