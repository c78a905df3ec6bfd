"""Every page in a real browser: drawn with data, no console errors, banner shown, screenshots saved.

Each page is loaded once, checked at 1280×800, then re-laid out for a 390 px phone viewport; the
viewport and full-page screenshots and a layout report (overflow, overlapping chart texts) go to
tests/artifacts/screenshots/ for review.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from dashboard.ui import ids
from tests.browser.browser_ui import DESKTOP, GRAPHS, PATHS, PHONE, SCREENSHOTS, SUMMARIES, png_size

HEADINGS = {
    "map": "Karta",
    "trends": "Utveckling",
    "peers": "Jämförelse",
    "explore": "Utforska",
    "data": "Data och källor",
    "explain": "Förklara gapet",
}


def page_specific_checks(ui, page: str, figures: dict, warehouse, latest_year: int) -> None:
    """What each page must show on the demo warehouse by default (the newest year; no area chosen: every page at the country)."""
    if page == "map":
        municipalities = warehouse("SELECT count(*) FROM mart.area WHERE level = 'municipality'")
        drawn = ui.wait_map_shapes(municipalities[0][0])
        assert drawn >= municipalities[0][0]
        assert figures[ids.MAP_GRAPH]["traces"][0]["type"] == "choropleth"
    elif page == "trends":
        lines = figures[ids.TRENDS_GRAPH]["traces"]
        assert sum(t["type"] == "scatter" and t["n"] > 1 for t in lines) >= 4  # 2 sexes × 2 regions
        # with no area chosen, Trends starts at the country
        assert "Riket" in ui.text(ids.TRENDS_SUMMARY)
    elif page == "peers":  # the counties against the country, and a prompt to choose one
        counties = warehouse("SELECT count(*) FROM mart.area WHERE level = 'county'")[0][0]
        assert len(set(ui.wait_graph(ids.PEERS_GRAPH)["ticks"])) == counties + 1
        summary = ui.text(ids.PEERS_SUMMARY)
        assert "Riket" in summary and "Välj en kommun" in summary
    elif page == "explore":
        points = sum(t["n"] for t in figures[ids.EXPLORE_GRAPH]["traces"] if t["type"] == "scatter")
        assert points >= 280, f"only {points} municipalities in the scatter"
    elif page == "data":
        sources = ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.DATA_SOURCES} tbody tr")
        assert len(sources) >= 3
        assert "Källa: SCB" in ui.text(ids.DATA_SOURCES)
        assert ui.checked(ids.DATA_VIEW) == "peers"
    for summary in SUMMARIES[page]:
        if summary != ids.TRENDS_SUMMARY:  # Trends' line summary names the latest and first year
            assert str(latest_year) in ui.text(summary), f"#{summary}: {ui.text(summary)!r}"


@pytest.mark.browser
@pytest.mark.parametrize("page", list(PATHS))
def test_page_renders_without_console_errors_and_is_captured(ui, page, warehouse, latest_year):
    ui.open(PATHS[page])
    figures = ui.wait_page(page)

    assert ui.driver.find_element(By.CSS_SELECTOR, f"#{ids.MAIN} h1").text == HEADINGS[page]
    banner = ui.driver.find_element(By.ID, ids.BANNER)
    assert banner.is_displayed(), "the synthetic-data banner is hidden on the demo warehouse"
    assert "syntetisk" in banner.text.lower() and "⚠" in banner.text
    assert ui.text(ids.MAP_MESSAGE if page == "map" else f"{page}-message") == ""
    page_specific_checks(ui, page, figures, warehouse, latest_year)
    assert ui.severe_logs() == [], f"console errors on {PATHS[page]}"
    assert ui.error_alerts() == []

    report = {}
    for label, (width, height), mobile in (
        ("desktop", DESKTOP, False),
        ("phone", PHONE, True),
    ):
        ui.viewport(width, height, mobile)
        ui.fit_graphs(page, width)
        shot = ui.screenshot(f"{page}-{label}")
        assert png_size(shot) == (width, height)
        full = ui.screenshot(f"{page}-{label}-full", full_page=True)
        full_width, full_height = png_size(full)
        assert full_width == width and full_height >= height
        report[label] = ui.layout_report()
        assert report[label]["scroll_width"] <= width, (
            f"{page} scrolls sideways at {width} px: {report[label]['wider_than_viewport']}"
        )
        for graph in GRAPHS[page]:  # still drawn, with data, after the re-layout
            assert ui.wait_graph(graph)["width"] <= width
    (SCREENSHOTS / f"{page}-layout.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    assert ui.severe_logs() == [], f"console errors on {PATHS[page]} after resizing"
    assert ui.error_alerts() == []
