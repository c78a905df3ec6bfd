"""The stamp off the plot (issue 22): on screen each chart's plot starts right under its title and
the source line, the link and the synthetic mark sit as text under the chart, clear of its legend;
every export (the tool bar's camera, the card's PNG/SVG buttons) carries the full stamp."""

from __future__ import annotations

import base64

import pytest
from dash.testing.wait import until

from dashboard.core.text.widgets import MODEBAR
from dashboard.ui import ids
from tests.browser.browser_ui import ARTIFACTS, DESKTOP, GRAPHS, PATHS, PHONE, WAIT

pytestmark = pytest.mark.browser

TITLE_GAP_PX = 40  # room between a title's last line and the plot (the theme's is 20-30 px)
TITLE_TOP_PX = 20  # a title's first line starts this near the figure's top

PAGES = {
    **{p: (PATHS[p] if p != "trends" else "/trends?areas=1280", GRAPHS[p]) for p in GRAPHS if GRAPHS[p]},
    "lua": ("/lua", ["lua-graph"]),
    "area": ("/area?area=0127", ["area-trend", "area-spine"]),
}  # fmt: skip

# every drawn chart: its title, plot top, legend and the stamp under it (boxes in page pixels)
CHARTS = """
var out = [];
document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  var f = gd._fullLayout, root = gd.closest('.dash-graph') || gd;
  if (!f || !f._size || !gd.querySelector('.main-svg')) { return; }
  var g = gd.getBoundingClientRect();
  if (g.width === 0) { return; }
  function rect(e) { if (!e) { return null; } var r = e.getBoundingClientRect();
    return {left: r.left, top: r.top + scrollY, right: r.right, bottom: r.bottom + scrollY}; }
  var t = gd.querySelector('.gtitle');
  var st = root.nextElementSibling;
  var stamp = st && st.classList.contains('chart-stamp') && !st.hidden ? st : null;
  var texts = stamp ? Array.from(stamp.childNodes).map(function (n) {
    if (n.nodeType === 1) { return rect(n); }
    var range = document.createRange(); range.selectNodeContents(n);
    var r = range.getBoundingClientRect();
    return {left: r.left, top: r.top + scrollY, right: r.right, bottom: r.bottom + scrollY};
  }) : [];
  out.push({id: root.id, fig: rect(gd), plot_top: g.top + scrollY + f._size.t,
            title: t && t.textContent.trim() ? rect(t) : null,
            legend: rect(gd.querySelector('.legend')), stamp: rect(stamp), stamp_texts: texts,
            stamp_text: stamp ? stamp.textContent : '',
            link: stamp && stamp.querySelector('a') ? stamp.querySelector('a').href : '',
            in_plot: Array.from(gd.querySelectorAll('.annotation-text')).map(function (e) {
              return e.textContent; }).filter(function (s) { return /Källa|Source/.test(s); })});
});
return out;
"""


def _hit(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]  # fmt: skip


def _charts(ui, graphs: list[str], width: int, msg: str) -> dict[str, dict]:
    """The page's drawn charts by graph id, once every one of graphs has its stamp at this width."""
    charts: dict[str, dict] = {}

    def drawn() -> bool:
        charts.clear()
        charts.update({c["id"]: c for c in ui.driver.execute_script(CHARTS)})
        return all(
            g in charts and charts[g]["stamp"] and charts[g]["fig"]["right"] <= width + 1
            for g in graphs
        )

    until(drawn, WAIT, poll=0.5, msg=msg)
    return charts


@pytest.mark.parametrize("page", list(PAGES))
def test_the_plot_starts_under_its_title_and_the_stamp_sits_under_the_chart(ui, page):
    path, graphs = PAGES[page]
    ui.open(path)
    for width, height, mobile in ((*DESKTOP, False), (*PHONE, True)):
        ui.viewport(width, height, mobile)
        ui.open(path)
        for graph in graphs:
            ui.wait_graph(graph)
        ui.settle()
        charts = _charts(ui, graphs, width, f"{page} at {width} px: charts or stamps missing")
        for graph in graphs:
            c = charts[graph]
            where = f"{page} {graph} at {width} px: {c}"
            assert c["in_plot"] == [], where  # no source line inside the figure on screen
            assert "Källa: " in c["stamp_text"] and c["link"].startswith(ui.base), where
            assert c["stamp"]["top"] >= c["fig"]["bottom"] - 1, where  # under the chart
            if c["title"]:  # the plot takes the room under the title, no more
                assert c["title"]["top"] - c["fig"]["top"] <= TITLE_TOP_PX, where
                assert c["plot_top"] - c["title"]["bottom"] <= TITLE_GAP_PX, where
            else:
                assert c["plot_top"] - c["fig"]["top"] <= TITLE_GAP_PX, where
            if c["legend"]:  # no stamp text over the legend
                hits = [t for t in c["stamp_texts"] if t and _hit(t, c["legend"])]
                assert hits == [], where
        ui.screenshot(f"stamp-{page}-{width}", full_page=True)
    assert ui.severe_logs() == []


# record what the page hands to the download instead of saving it (plotly's file saver makes
# an object URL of the image's blob and clicks a download link)
CAPTURE = """
window.__blobs = [];
var make = URL.createObjectURL;
URL.createObjectURL = function (b) { window.__blobs.push(b); return make.call(URL, b); };
var click = HTMLAnchorElement.prototype.click;
HTMLAnchorElement.prototype.click = function () {
  if (this.hasAttribute('download')) { window.__saved = this.download; return; }
  return click.call(this);
};
"""
BLOBS = """
var done = arguments[arguments.length - 1];
Promise.all((window.__blobs || []).map(function (b) {
  return new Promise(function (ok) {
    var r = new FileReader();
    r.onload = function () { ok({type: b.type, data: r.result}); };
    r.readAsDataURL(b);
  });
})).then(done);
"""
CLICK_CAMERA = """
var btn = document.querySelector('#' + arguments[0] + ' .modebar-btn[data-title="' + arguments[1] + '"]');
if (!btn) { return false; }
btn.dispatchEvent(new MouseEvent('click', {bubbles: true}));
return true;
"""


def _downloads(ui, kinds: set[str]) -> dict[str, bytes]:
    """The blobs handed to the download so far, by type, once every kind is there."""
    found: dict[str, bytes] = {}

    def ready() -> bool:
        for blob in ui.driver.execute_async_script(BLOBS):
            found[blob["type"].split(";")[0]] = base64.b64decode(blob["data"].split(",", 1)[1])
        return kinds <= set(found)

    ui.driver.set_script_timeout(WAIT)
    until(ready, WAIT, poll=0.5, msg=f"no {kinds} download")
    return found


def _assert_stamped(svg: str, ui, height: int) -> None:
    assert svg.startswith("<svg"), svg[:200]
    assert "Källa: " in svg and "TAB3200 (uppdaterad" in svg
    assert "SYNTETISKA VÄRDEN – inte officiell statistik" in svg  # the stamp's mark
    assert ">SYNTETISKA VÄRDEN<" in svg  # the watermark in the plot
    assert (ui.base + "/trends?areas=1280").replace("&", "&amp;") in svg
    assert f'height="{height}"' not in svg.split(">", 1)[0]  # taller than on screen: room for it


def test_tool_bar_and_buttons_export_the_chart_with_its_full_stamp(ui):
    ui.open("/trends?areas=1280")
    ui.wait_page("trends")
    shown = ui.figure(ids.TRENDS_GRAPH)
    ui.driver.execute_script(CAPTURE)
    png_title = MODEBAR["Download plot as a PNG"][0]  # the tool bar speaks Swedish
    assert ui.driver.execute_script(CLICK_CAMERA, ids.TRENDS_GRAPH, png_title)
    got = _downloads(ui, {"image/png", "image/svg+xml"})  # the PNG is drawn from an SVG
    _assert_stamped(got["image/svg+xml"].decode(), ui, shown["height"])
    png = got["image/png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert w == 2 * shown["width"] and h > 2 * shown["height"]  # scale 2, taller by the stamp
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "stamp-export-toolbar.png").write_bytes(png)

    ui.driver.execute_script("window.__blobs = [];")
    ui.driver.find_element("id", f"{ids.TRENDS_GRAPH}-svg").click()
    got = _downloads(ui, {"image/svg+xml"})
    svg = got["image/svg+xml"].decode()
    _assert_stamped(svg, ui, shown["height"])
    (ARTIFACTS / "stamp-export-button.svg").write_text(svg, encoding="utf-8")
    # the chart on screen is untouched by the exports
    assert ui.figure(ids.TRENDS_GRAPH)["height"] == shown["height"]
    assert ui.driver.execute_script(CHARTS)[0]["in_plot"] == []
    assert ui.severe_logs() == []
