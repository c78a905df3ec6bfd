"""At 390 px no chart title runs past its chart's right edge, on every page (issue 22): long titles
are wrapped again to the chart's width in the browser (dashboard/assets/labourdash.js)."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

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
