"""Browser tests for issue 9: exports that carry their source, the county view, flaws users hit."""

from __future__ import annotations

import urllib.parse

import pytest
from dash.testing.wait import until

from dashboard import ids
from tests.browser.browser_ui import WAIT

SVG_OF = """
var done = arguments[arguments.length - 1];
var root = document.getElementById(arguments[0]);
var gd = root.classList.contains('js-plotly-plot') ? root : root.querySelector('.js-plotly-plot');
window.Plotly.toImage(gd, {format: 'svg', width: 1000, height: 700})
  .then(function (url) { done(decodeURIComponent(url.split(',', 2)[1])); })
  .catch(function (e) { done('ERROR ' + e); });
"""


def svg_of(ui, graph_id: str) -> str:
    """The chart exported as SVG text, as the toolbar's download makes it."""
    ui.driver.set_script_timeout(WAIT)
    return ui.driver.execute_async_script(SVG_OF, graph_id)


@pytest.mark.browser
def test_exported_svg_carries_source_line_permalink_and_synthetic_mark(ui, warehouse):
    updated = warehouse(
        "SELECT source_updated FROM mart.series WHERE source_table = 'TAB3200' LIMIT 1"
    )[0][0][:10]
    ui.open("/trends?areas=1280")
    ui.wait_page("trends")
    svg = svg_of(ui, ids.TRENDS_GRAPH)
    assert svg.startswith("<svg"), svg[:200]
    assert f"Källa: SCB, TAB3200 (uppdaterad {updated})" in svg
    assert "SYNTETISKA VÄRDEN – inte officiell statistik" in svg
    assert ui.base + "/trends?areas=1280" in urllib.parse.unquote(svg).replace("&amp;", "&")
    ui.open("/?year=2022&lang=en")
    ui.wait_page("map")
    svg = svg_of(ui, ids.MAP_GRAPH)
    assert "Source: SCB, TAB3200 (updated" in svg and "SYNTHETIC VALUES" in svg
    assert ui.severe_logs() == []
