"""At 390 px no chart title runs past its chart's right edge, on every page (issue 22): long titles
are wrapped again to the chart's width in the browser (dashboard/assets/labourdash.js)."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from dashboard.ui import ids
from tests.browser.browser_ui import GRAPHS, PATHS, PHONE, WAIT

pytestmark = pytest.mark.browser

# every drawn chart's title box against its chart's box: the ones that overflow, and how many titles
OVERFLOWS = """
var out = [], seen = 0;
document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  var t = gd.querySelector('.gtitle');
  if (!t || !t.textContent.trim()) { return; }
  seen += 1;
  var tb = t.getBoundingClientRect(), gb = gd.getBoundingClientRect();
  if (tb.right > gb.right + 0.5 || tb.left < gb.left - 0.5) {
    out.push({graph: (gd.closest('[id]') || gd).id, title: t.textContent,
              title_right: tb.right, chart_right: gb.right});
  }
});
return {seen: seen, overflows: out};
"""

PAGES = [p for p in GRAPHS if GRAPHS[p]]  # the pages with charts


@pytest.mark.parametrize("page", PAGES)
def test_no_chart_title_overflows_its_chart_on_a_phone(ui, page):
    ui.open(PATHS[page])
    ui.viewport(*PHONE, mobile=True)
    ui.open(PATHS[page])
    ui.wait_page(page)
    ui.fit_graphs(page, PHONE[0])
    found: dict = {}

    def fits() -> bool:
        found.update(ui.driver.execute_script(OVERFLOWS))
        return found["seen"] >= len(GRAPHS[page]) and not found["overflows"]

    try:
        until(fits, WAIT, poll=0.5, msg="titles overflow")
    except Exception:
        ui.screenshot(f"titles-{page}-390", full_page=True)
        raise AssertionError(f"{page}: {found}") from None
    ui.screenshot(f"titles-{page}-390", full_page=True)


# a one-line title the server never wrapped, set on a drawn chart (as a longer name would make it)
LONG_TITLE = (
    "Sysselsättningsgrad 20–64 år, utrikes födda kvinnor − inrikes födda kvinnor – "
    "Malmö, Stockholms län och Riket, 1993–2024"
)
SET_TITLE = """
var done = arguments[arguments.length - 1];
var gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
window.Plotly.relayout(gd, {'title.text': arguments[1]}).then(function () { done(true); });
"""
TITLE_OF = """
var gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
var t = gd.querySelector('.gtitle'), tb = t.getBoundingClientRect(), gb = gd.getBoundingClientRect();
return {text: gd.layout.title.text, right: tb.right, chart_right: gb.right, width: gb.width};
"""


def test_a_title_the_server_did_not_wrap_is_wrapped_when_the_window_narrows(ui):
    """The browser-side wrap alone keeps the title inside: 1280 px, then the same page at 390 px."""
    graph = ids.TRENDS_GRAPH
    ui.open("/trends?areas=1280")
    ui.wait_page("trends")
    ui.driver.set_script_timeout(WAIT)
    assert ui.driver.execute_async_script(SET_TITLE, graph, LONG_TITLE)
    wide = ui.driver.execute_script(TITLE_OF, graph)
    assert wide["text"] == LONG_TITLE  # one line fits 1280 px: left as it is
    assert wide["right"] <= wide["chart_right"]
    ui.viewport(*PHONE, mobile=True)  # the same page, the window narrowed
    until(
        lambda: (
            (t := ui.driver.execute_script(TITLE_OF, graph))["width"] <= PHONE[0]
            and "<br>" in t["text"]
            and t["right"] <= t["chart_right"] + 0.5
        ),
        WAIT,
        poll=0.5,
        msg=f"title not wrapped to the phone's chart: {ui.driver.execute_script(TITLE_OF, graph)}",
    )
    text = ui.driver.execute_script(TITLE_OF, graph)["text"]
    assert text.replace("<br>", " ") == LONG_TITLE  # the same words, only broken into lines
    ui.screenshot("titles-resized-390")
