"""Helpers for the browser tests: the dashboard's pages, graphs and controls seen through dash_duo."""

from __future__ import annotations

import base64
import json
import os
import struct
from pathlib import Path
from typing import Any

from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.ui import ids

CHROMIUM = os.environ.get("LABOURDASH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = (1280, 800)
PHONE = (390, 844)
WAIT = 20  # seconds; generous for a slow CI machine (every page now renders in a few seconds)

SCROLL_TO = (
    "var e = document.getElementById(arguments[0]); if (e) e.scrollIntoView({block: 'center'});"
)

# Graphs each page draws (the Data page draws a table instead).
GRAPHS = {
    "map": [ids.MAP_GRAPH],
    "trends": [ids.TRENDS_GRAPH, ids.TRENDS_GAP_GRAPH],
    "peers": [ids.PEERS_GRAPH, ids.PEERS_SLOPE_GRAPH],
    "explore": [ids.EXPLORE_GRAPH],
    "explain": [
        ids.EXPLAIN_SPLIT_GRAPH,
        ids.EXPLAIN_YEARS_GRAPH,
        ids.EXPLAIN_MAP_GRAPH,
        ids.EXPLAIN_SCATTER_GRAPH,
    ],
    "data": [],
}
SUMMARIES = {
    "map": [ids.MAP_SUMMARY],
    "trends": [ids.TRENDS_SUMMARY, ids.TRENDS_GAP_SUMMARY],
    "peers": [ids.PEERS_SUMMARY, ids.PEERS_SLOPE_SUMMARY],
    "explore": [ids.EXPLORE_SUMMARY],
    "explain": [ids.EXPLAIN_SPLIT_SUMMARY, ids.EXPLAIN_SCATTER_SUMMARY],
    "data": [ids.DATA_SUMMARY],
}
PATHS = {
    "map": "/",
    "trends": "/trends",
    "peers": "/peers",
    "explore": "/explore",
    "data": "/data",
    "explain": "/explain",
}


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class UI:
    """dash_duo plus the dashboard's ids: open pages, read and set controls, wait for graphs."""

    def __init__(self, duo):
        self.duo = duo
        self.driver = duo.driver
        self.driver.implicitly_wait(
            0
        )  # every wait below is explicit; absent elements return at once
        self.base = duo.server.url.rstrip("/")

    # navigation -----------------------------------------------------------------------------
    def open(self, path: str, timeout: float = WAIT) -> None:
        """Load a path and wait for the page's layout (its H1) to be rendered."""
        self.driver.get(self.base + path)
        self.duo.wait_for_element(self.duo.dash_entry_locator, timeout=timeout)
        self.duo.wait_for_element(f"#{ids.MAIN} .page h1", timeout=timeout)

    @property
    def search(self) -> str:
        """The browser's current query string."""
        return self.driver.execute_script("return window.location.search")

    @property
    def path(self) -> str:
        """The browser's current path."""
        return self.driver.execute_script("return window.location.pathname")

    def wait_search(self, predicate, msg: str, timeout: float = WAIT) -> str:
        """Wait until predicate(query string) holds; return the query string."""
        until(lambda: predicate(self.search), timeout, msg=f"{msg} (URL: {self.search!r})")
        return self.search

    # reading ----------------------------------------------------------------------------------
    def text(self, element_id: str) -> str:
        """Visible text of an element."""
        return self.driver.find_element(By.ID, element_id).text

    def value_text(self, dropdown_id: str) -> str:
        """The label a dcc.Dropdown shows as its value."""
        return self.driver.find_element(
            By.CSS_SELECTOR, f"#{dropdown_id} .dash-dropdown-value"
        ).text

    def checked(self, radio_id: str) -> str | None:
        """Value of the checked option of a dcc.RadioItems."""
        return self.driver.execute_script(
            "var el = document.querySelector(arguments[0]); return el ? el.value : null;",
            f"#{radio_id} input:checked",
        )

    def wait_text(self, element_id: str, needle: str, timeout: float = WAIT) -> str:
        """Wait until an element's text contains needle; return the text."""
        self.duo.wait_for_contains_text(f"#{element_id}", needle, timeout=timeout)
        return self.text(element_id)

    def wait_value(self, dropdown_id: str, label: str, timeout: float = WAIT) -> None:
        """Wait until a dropdown shows label as its value."""
        self.duo.wait_for_text_to_equal(
            f"#{dropdown_id} .dash-dropdown-value", label, timeout=timeout
        )

    def figure(self, graph_id: str) -> dict[str, Any] | None:
        """What Plotly drew in a dcc.Graph: traces (type, name, counts, y values), size, title."""
        return self.driver.execute_script(
            """
            var root = document.getElementById(arguments[0]);
            if (!root) { return null; }
            var gd = root.classList.contains('js-plotly-plot') ? root
                     : root.querySelector('.js-plotly-plot');
            if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) { return null; }
            var title = gd._fullLayout.title && gd._fullLayout.title.text;
            return {
              traces: (gd._fullData || []).map(function (t) {
                function arr(a) { return (Array.isArray(a) || ArrayBuffer.isView(a))
                                         ? Array.from(a) : []; }
                var n = [t.locations, t.y, t.x, t.lat].map(arr)
                          .reduce(function (m, a) { return Math.max(m, a.length); }, 0);
                return {type: t.type || 'scatter', name: t.name || '', n: n,
                        y: arr(t.y).slice(0, 400).map(String),
                        locations: arr(t.locations).map(String)};
              }),
              width: gd._fullLayout.width, height: gd._fullLayout.height,
              title: title || '',
              ticks: Array.from(gd.querySelectorAll('.ytick text')).map(function (e) {
                return e.textContent; })
            };
            """,
            graph_id,
        )

    def wait_graph(self, graph_id: str, min_points: int = 1, timeout: float = WAIT) -> dict:
        """Wait until a graph is drawn with at least one trace holding min_points points."""

        top = self.driver.execute_script("return window.scrollY")

        def drawn():
            fig = self.figure(graph_id)
            if fig and any(t["n"] >= min_points for t in fig["traces"]):
                return fig
            # a chart below the first screen is drawn when it is scrolled to, as a reader would
            self.driver.execute_script(SCROLL_TO, graph_id)
            return None

        fig = until(
            drawn, timeout, poll=0.25, msg=f"#{graph_id} not drawn with {min_points}+ points"
        )
        self.driver.execute_script("window.scrollTo(0, arguments[0])", top)
        return fig

    def wait_map_shapes(self, minimum: int, timeout: float = WAIT) -> int:
        """Wait until the choropleth has drawn at least `minimum` area shapes; return the count."""
        count = "return document.querySelectorAll(arguments[0]).length"
        selector = f"#{ids.MAP_GRAPH} path.choroplethlocation"
        return until(
            lambda: (n := self.driver.execute_script(count, selector)) >= minimum and n,
            timeout,
            poll=0.25,
            msg=f"fewer than {minimum} map shapes drawn",
        )

    def wait_page(self, page: str, timeout: float = WAIT) -> dict[str, dict]:
        """Wait until a page's graphs (or the Data page's grid) and summaries are rendered."""
        figures = {g: self.wait_graph(g, timeout=timeout) for g in GRAPHS[page]}
        if page == "map":
            self.wait_map_shapes(200, timeout)
        if page == "data":
            self.duo.wait_for_element(f"#{ids.DATA_TABLE} .ag-row", timeout=timeout)
        for summary in SUMMARIES[page]:
            until(
                lambda s=summary: self.text(s).strip(),
                timeout,
                msg=f"#{summary} stayed empty",
            )
        self.settle(timeout)
        return figures

    def settle(self, timeout: float = WAIT) -> None:
        """Wait until Dash has no callbacks pending."""
        until(self.duo._wait_for_callbacks, timeout, poll=0.2, msg="callbacks still pending")

    def severe_logs(self) -> list[dict]:
        """SEVERE browser console entries since the last call (errors, failed requests)."""
        logs = self.duo.get_logs() or []
        self.duo.reset_log_timestamp()
        return [e for e in logs if e.get("level") == "SEVERE"]

    def error_alerts(self) -> list[str]:
        """Texts of Dash dev-tools error pop-ups (callback errors, invalid props)."""
        found = self.driver.find_elements(
            By.CSS_SELECTOR, ".dash-fe-error__title, .dash-debug-alert, .test-devtools-error-count"
        )
        return [e.text for e in found]

    # acting ----------------------------------------------------------------------------------
    def choose(self, dropdown_id: str, label: str, timeout: float = WAIT) -> None:
        """Pick an option of a single-value dcc.Dropdown as a user does: open, type, click."""
        self.driver.find_element(By.ID, dropdown_id).click()
        box = self.duo.wait_for_element(".dash-dropdown-search", timeout=timeout)
        box.send_keys(label)
        xpath = (
            "//*[contains(@class,'dash-dropdown-option')]"
            f"[.//span[normalize-space(text())={json.dumps(label, ensure_ascii=False)}]]"
        )
        until(
            lambda: self.driver.find_elements(By.XPATH, xpath),
            timeout,
            msg=f"option {label!r} not offered by #{dropdown_id}",
        )
        self.driver.find_element(By.XPATH, xpath).click()
        self.wait_value(dropdown_id, label, timeout)

    def click_radio(self, radio_id: str, value: str) -> None:
        """Click the option of a dcc.RadioItems with this value."""
        self.driver.find_element(
            By.CSS_SELECTOR, f"#{radio_id} input[value='{value}']"
        ).find_element(By.XPATH, "./ancestor::label").click()

    # screenshots -----------------------------------------------------------------------------
    def viewport(self, width: int, height: int, mobile: bool) -> None:
        """Resize the window and pin the CSS viewport to exactly width × height."""
        self.driver.set_window_size(max(width, 500), height + 150)
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        until(
            lambda: self.driver.execute_script("return window.innerWidth") == width,
            10,
            msg=f"viewport did not become {width} px wide",
        )

    def fit_graphs(self, page: str, width: int, timeout: float = WAIT) -> None:
        """Wait until Plotly has re-laid the page's graphs out for a viewport width."""
        for graph in GRAPHS[page]:
            until(
                lambda g=graph: (f := self.figure(g)) and f["width"] <= width,
                timeout,
                msg=f"#{graph} not resized to the {width} px viewport",
            )
        self.settle(timeout)

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        """Save the viewport (or the whole page) as tests/artifacts/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.execute_script(  # Dash's dev-tools menu would cover the page's corner
            "if (!document.getElementById('hide-devtools')) {"
            " var s = document.createElement('style'); s.id = 'hide-devtools';"
            " s.textContent = '.dash-debug-menu__outer { display: none !important; }';"
            " document.head.appendChild(s); }"
        )
        if not full_page:
            assert self.driver.save_screenshot(str(path)), f"could not save {path}"
            return path
        width, height = self.driver.execute_script(
            "return [window.innerWidth, Math.ceil(document.documentElement.scrollHeight)]"
        )
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def layout_report(self) -> dict[str, Any]:
        """Measurements for the screenshot review: overflow, graph sizes, overlapping texts."""
        return self.driver.execute_script(
            """
            var vw = document.documentElement.clientWidth;
            function box(e) { var r = e.getBoundingClientRect();
              return {x: Math.round(r.left), y: Math.round(r.top + window.scrollY),
                      w: Math.round(r.width), h: Math.round(r.height)}; }
            function hit(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w
                                        && a.y < b.y + b.h && b.y < a.y + a.h; }
            function name(e) { return e.id ? '#' + e.id : e.tagName.toLowerCase() + '.'
                               + String(e.className && e.className.baseVal !== undefined
                                        ? e.className.baseVal : e.className).split(' ')[0]; }
            var wide = [];
            document.querySelectorAll('#main-content *, header *, nav *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.width > 0 && r.right > vw + 1 && !e.closest('.js-plotly-plot')
                  && !e.classList.contains('dash-dropdown-focus-target')
                  && !e.closest('.ag-root-wrapper') && e.offsetParent !== null) {
                wide.push(name(e) + ' right=' + Math.round(r.right)); }
            });
            var graphs = [];
            document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
              var root = gd.closest('[id]');
              var texts = Array.from(gd.querySelectorAll(
                  '.gtitle, .legendtext, .xtick text, .ytick text, .annotation-text, .g-xtitle text, .g-ytitle text'))
                .filter(function (t) { var r = t.getBoundingClientRect(); return r.width > 0; });
              var overlaps = [];
              for (var i = 0; i < texts.length; i++) {
                for (var j = i + 1; j < texts.length; j++) {
                  var a = box(texts[i]), b = box(texts[j]);
                  if (hit(a, b)) { overlaps.push([texts[i].textContent, texts[j].textContent]); }
                }
              }
              var svg = gd.getBoundingClientRect();
              var clipped = texts.filter(function (t) { var r = t.getBoundingClientRect();
                return r.left < svg.left - 1 || r.right > svg.right + 1; })
                .map(function (t) { return t.textContent; });
              var legend = gd.querySelector('.legend');
              graphs.push({id: root ? root.id : '', box: box(gd),
                           plot: gd._fullLayout ? {w: Math.round(gd._fullLayout._size.w),
                                                   h: Math.round(gd._fullLayout._size.h)} : null,
                           legend: legend ? box(legend) : null,
                           overlapping_texts: overlaps.slice(0, 20), clipped_texts: clipped});
            });
            return {viewport: [vw, window.innerHeight],
                    scroll_width: document.documentElement.scrollWidth,
                    page_height: document.documentElement.scrollHeight,
                    wider_than_viewport: wide.slice(0, 30), graphs: graphs};
            """
        )
