"""In a real browser: the demo shows where its values are real (issue 19)."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.ui import ids
from tests.browser.browser_ui import WAIT

HOVER_TEXTS = """
var root = document.getElementById(arguments[0]);
var gd = root && (root.classList.contains('js-plotly-plot') ? root
                  : root.querySelector('.js-plotly-plot'));
if (!gd || !gd._fullData) { return []; }
return [].concat.apply([], gd._fullData.map(function (t) {
  var a = t.text || t.hovertext || [];
  return Array.isArray(a) ? a.map(String) : [String(a)];
}));
"""


@pytest.mark.browser
def test_data_page_shows_real_rows_of_the_headline_series(ui, warehouse):
    real_kpis = {r[0] for r in warehouse(
        "SELECT source_table FROM mart.series WHERE indicator = 'employment_rate' "
        "AND synthetic_rows < rows"
    )}  # fmt: skip
    assert {"N00713", "N02268"} <= real_kpis  # independent of the page: the mart's real series
    ui.open("/data")
    ui.wait_text(ids.DATA_SOURCES, "N00713")
    rows = ui.driver.find_elements(By.CSS_SELECTOR, f"#{ids.DATA_SOURCES} tr")
    shown = {kpi: row.text for row in rows for kpi in ("N00713", "N02268") if kpi in row.text}
    assert set(shown) == {"N00713", "N02268"}
    assert all("verklig" in text.lower() for text in shown.values()), shown


@pytest.mark.browser
def test_the_hover_of_a_real_point_says_it_is_real(ui):
    ui.open("/trends")
    ui.wait_graph(ids.TRENDS_GRAPH)
    texts: list[str] = []

    def hovers() -> bool:
        texts[:] = ui.driver.execute_script(HOVER_TEXTS, ids.TRENDS_GRAPH)
        return bool(texts)

    until(hovers, timeout=WAIT, msg="the trends chart has no hover texts")
    real = [h for h in texts if "verkligt publicerat värde" in h]
    assert real, texts[:5]
    assert not [h for h in real if "syntetiskt demovärde" in h]  # a real point is not flagged


@pytest.mark.browser
def test_the_map_hover_of_a_real_cell_says_it_is_real(ui):
    # Upplands Väsby 2004, foreign-born women: Kolada N00713 = 63,4 % (real); 1999 has no recording
    ui.open("/?ind=employment_rate&level=municipality&gap=fw_sw&year=2004")
    ui.wait_graph(ids.MAP_GRAPH)
    texts: list[str] = []

    def vasby() -> bool:
        texts[:] = [h for h in ui.driver.execute_script(HOVER_TEXTS, ids.MAP_GRAPH)
                    if "Upplands Väsby" in h]  # fmt: skip
        return bool(texts) and "2004" in texts[0]

    until(vasby, timeout=WAIT, msg="the map has no hover for Upplands Väsby 2004")
    line = next(x for x in texts[0].split("<br>") if x.startswith("Utrikes födda kvinnor:"))
    assert "63,4" in line and line.endswith("· verkligt"), texts[0]
