"""First visit: headless Chromium opens a shared link on `labourdash serve` (demo warehouse).

For each link condition (unthrottled loopback; 10 Mbit/s with 40 ms latency; 4 Mbit/s with 80 ms, a
phone) and each page (`/` the map, `/trends`, `/lua`, and `/` in a 390 px phone window) it loads the
page cold (browser cache cleared) and then again warm (same browser, cache kept), and prints:

- first chart drawn: from navigation start until a Plotly chart holds drawn data (a trace's SVG);
- bytes transferred: encoded bytes on the wire (headers included), from the DevTools network log;
- requests: requests that went to the network (a warm visit's cache hits are not counted).

The link is shaped with the DevTools protocol (`Network.emulateNetworkConditions`). A page counts
as loaded when its first chart is drawn and no request has started or finished for a quiet second.
Rows go to benchmarks/out/bench_first_visit.json and the detailed table into benchmarks/RESULTS.md
(between the first-visit markers). One run per cell by default (--runs N: medians).

Run: .venv/bin/python benchmarks/bench_first_visit.py [--runs 1] [--workers 2] [--label after]
Uses LABOURDASH_DB (else data/labour.duckdb, else a demo warehouse it builds).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import dashrows  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- first-visit:begin -->", "<!-- first-visit:end -->"
GOAL_CHART_S, GOAL_COLD_MB, GOAL_WARM_KB = 2.0, 1.5, 150.0
DEADLINE_S = 180.0  # a page that draws no chart by then is reported as failed
QUIET_S = 1.0

# (label, latency ms, throughput bits/s; None = not throttled)
LINKS = [("unthrottled", 0, None), ("10 Mbit/s, 40 ms", 40, 10_000_000),
         ("4 Mbit/s, 80 ms", 80, 4_000_000)]  # fmt: skip
# (label, path, window width, height, mobile)
PAGES = [("/", "/", 1280, 900, False), ("/trends", "/trends", 1280, 900, False),
         ("/lua", "/lua", 1280, 900, False), ("/ at 390 px", "/", 390, 844, True)]  # fmt: skip

# Installed before any page script: notes when the first Plotly chart has drawn data.
FIRST_CHART_PROBE = """
(function () {
  window.__firstChart = null;
  function drawn() {
    var plots = document.querySelectorAll('.js-plotly-plot');
    for (var i = 0; i < plots.length; i++) {
      var gd = plots[i];
      if (gd.data && gd.data.length && gd._fullLayout &&
          gd.querySelector('.trace path, .choroplethlocation, .trace .point, .bars path')) {
        return true;
      }
    }
    return false;
  }
  function tick() {
    if (window.__firstChart === null && document.readyState !== 'loading' && drawn()) {
      window.__firstChart = performance.now();
      return;
    }
    if (window.__firstChart === null) { requestAnimationFrame(tick); }
  }
  requestAnimationFrame(tick);
})();
"""


@dataclass
class Visit:
    """One page load: first chart (s, None if none drawn), bytes and network requests."""

    chart_s: float | None
    bytes: int
    requests: int


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "LABOURDASH_DB": str(db)}
    cmd = [sys.executable, "-m", "etl.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 5 minutes")


def _driver() -> webdriver.Chrome:
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1280,900", "--lang=sv-SE"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_CHART_PROBE})
    return driver


def _shape(driver: webdriver.Chrome, latency: int, bits: int | None) -> None:
    rate = -1 if bits is None else bits / 8  # bytes per second
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency, "downloadThroughput": rate, "uploadThroughput": rate})  # fmt: skip


def _window(driver: webdriver.Chrome, width: int, height: int, mobile: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 3 if mobile else 1, "mobile": mobile})  # fmt: skip


def _network(entries: list[dict]) -> tuple[int, int, float]:
    """(bytes on the wire, requests that went to the network, time of the last event) of a log."""
    sent: dict[str, str] = {}
    cached: set[str] = set()
    size: dict[str, float] = {}
    last = 0.0
    for entry in entries:
        msg = json.loads(entry["message"])["message"]
        method, params = msg["method"], msg.get("params", {})
        if not method.startswith("Network."):
            continue
        rid = params.get("requestId")
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("data:", "blob:")):
                sent[rid] = url
            last = max(last, entry["timestamp"])
        elif method == "Network.requestServedFromCache":
            cached.add(rid)
        elif method == "Network.responseReceived":
            resp = params.get("response", {})
            if (
                resp.get("fromDiskCache")
                or resp.get("fromMemoryCache")
                or resp.get("fromPrefetchCache")
            ):
                cached.add(rid)
        elif method == "Network.loadingFinished":
            size[rid] = params.get("encodedDataLength", 0)
            last = max(last, entry["timestamp"])
        elif method == "Network.loadingFailed":
            last = max(last, entry["timestamp"])
    went = [r for r in sent if r not in cached]
    return int(sum(size.get(r, 0) for r in went)), len(went), last / 1000


def _visit(driver: webdriver.Chrome, url: str) -> Visit:
    """Load url and wait until the first chart is drawn and the network has been quiet."""
    driver.get("about:blank")
    driver.get_log("performance")  # drop what came before
    driver.get(url)
    deadline = time.monotonic() + DEADLINE_S
    chart = None
    entries: list[dict] = []
    while time.monotonic() < deadline:
        chart = driver.execute_script("return window.__firstChart")
        if chart is not None:
            break
        entries += driver.get_log("performance")
        time.sleep(0.1)  # polling interval while waiting on the condition above
    while time.monotonic() < deadline:  # then until no request started or ended for QUIET_S
        entries += driver.get_log("performance")
        _, _, last = _network(entries)
        if last and time.time() - last >= QUIET_S:
            break
        time.sleep(0.2)
    entries += driver.get_log("performance")
    size, requests, _ = _network(entries)
    return Visit(None if chart is None else chart / 1000, size, requests)


def measure(base: str, runs: int) -> dict[tuple[str, str, str], list[Visit]]:
    """Every (link, page, cold|warm) measured `runs` times, each in a fresh browser."""
    out: dict[tuple[str, str, str], list[Visit]] = {}
    for _ in range(runs):
        for link, latency, bits in LINKS:
            for page, path, width, height, mobile in PAGES:
                driver = _driver()
                try:
                    _window(driver, width, height, mobile)
                    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                    _shape(driver, latency, bits)
                    cold = _visit(driver, base + path)
                    warm = _visit(driver, base + path)
                finally:
                    driver.quit()
                out.setdefault((link, page, "cold"), []).append(cold)
                out.setdefault((link, page, "warm"), []).append(warm)
                print(f"{link:18} {page:12} cold {_fmt_s(cold.chart_s):>7} {cold.bytes / 1e6:6.2f} MB "
                      f"{cold.requests:3} req | warm {_fmt_s(warm.chart_s):>7} "
                      f"{warm.bytes / 1e3:7.1f} kB {warm.requests:3} req", flush=True)  # fmt: skip
    return out


def _fmt_s(value: float | None) -> str:
    return "none" if value is None else f"{value:.2f} s"


def _median(visits: list[Visit]) -> Visit:
    charts = [v.chart_s for v in visits]
    chart = None if any(c is None for c in charts) else statistics.median(charts)
    return Visit(chart, int(statistics.median(v.bytes for v in visits)),
                 int(statistics.median(v.requests for v in visits)))  # fmt: skip


def table(results: dict[tuple[str, str, str], list[Visit]], label: str, runs: int) -> str:
    """The Markdown table of one measurement, goals beside the figures."""
    lines = [f"### {label}", "",
             f"Goals: first chart ≤ {GOAL_CHART_S:g} s at 10 Mbit/s/40 ms cold; ≤ {GOAL_COLD_MB:g} MB "
             f"transferred cold; warm second visit < {GOAL_WARM_KB:g} kB. "
             f"{runs} run(s) per cell{' (median)' if runs > 1 else ''}.", "",
             "| link | page | first chart, cold | transferred, cold | requests, cold | first chart, warm | transferred, warm | requests, warm |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for link, _, _ in LINKS:
        for page, *_ in PAGES:
            cold = _median(results[(link, page, "cold")])
            warm = _median(results[(link, page, "warm")])
            chart_ok = link.startswith("10 Mbit") and cold.chart_s is not None
            mark = ("" if not link.startswith("10 Mbit") else
                    (" ✓" if chart_ok and cold.chart_s <= GOAL_CHART_S else " ✗"))  # fmt: skip
            lines.append(
                f"| {link} | {page} | {_fmt_s(cold.chart_s)}{mark} | "
                f"{cold.bytes / 1e6:.2f} MB{' ✓' if cold.bytes <= GOAL_COLD_MB * 1e6 else ' ✗'} | "
                f"{cold.requests} | {_fmt_s(warm.chart_s)} | "
                f"{warm.bytes / 1e3:.1f} kB{' ✓' if warm.bytes < GOAL_WARM_KB * 1e3 else ' ✗'} | "
                f"{warm.requests} |"
            )
    return "\n".join(lines) + "\n"


def rows(results: dict[tuple[str, str, str], list[Visit]], runs: int) -> list[dict]:
    """The contract rows for report.py: the three goals per page at 10 Mbit/s/40 ms."""
    out = []
    link = LINKS[1][0]
    for page, *_ in PAGES:
        cold = _median(results[(link, page, "cold")])
        warm = _median(results[(link, page, "warm")])
        chart = float("nan") if cold.chart_s is None else cold.chart_s
        out += [
            dashrows.row(f"first visit {page}, {link}: first chart drawn, cold",
                         f"<= {GOAL_CHART_S:g} s", chart, "s", runs=runs,
                         measured=_fmt_s(cold.chart_s),
                         met=cold.chart_s is not None and cold.chart_s <= GOAL_CHART_S),
            dashrows.row(f"first visit {page}, {link}: transferred, cold ({cold.requests} requests)",
                         f"<= {GOAL_COLD_MB:g} MB", cold.bytes / 1e6, "MB", runs=runs,
                         measured=f"{cold.bytes / 1e6:.2f} MB", met=cold.bytes <= GOAL_COLD_MB * 1e6),
            dashrows.row(f"first visit {page}, {link}: transferred, warm ({warm.requests} requests)",
                         f"< {GOAL_WARM_KB:g} kB", warm.bytes / 1e3, "kB", runs=runs,
                         measured=f"{warm.bytes / 1e3:.1f} kB", met=warm.bytes < GOAL_WARM_KB * 1e3),
        ]  # fmt: skip
    return out


def write_results(section: str, label: str) -> None:
    """Put the table into RESULTS.md between the first-visit markers (the other tables kept)."""
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = re.search(re.escape(BEGIN) + r"(.*?)" + re.escape(END), text, re.S)
    kept = block.group(1) if block else ""
    # one table per label: a new measurement with the same label replaces the old one
    parts = [p for p in re.split(r"(?m)^(?=### )", kept) if p.strip() and p.startswith("### ")]
    parts = [p for p in parts if not p.startswith(f"### {label}\n")] + [section]
    head = ("\n## First visit (`benchmarks/bench_first_visit.py`)\n\n"
            "Written by `benchmarks/bench_first_visit.py`; `benchmarks/report.py` keeps this part.\n\n")  # fmt: skip
    body = f"{BEGIN}{head}" + "\n".join(p.rstrip() + "\n" for p in parts) + f"{END}"
    text = text[: block.start()] + body + text[block.end():] if block else text.rstrip() + "\n\n" + body + "\n"  # fmt: skip
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote the first-visit table into {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    """Serve the demo, measure every page on every link, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="measured", help="heading of the table in RESULTS.md")
    args = parser.parse_args(argv)
    db = dashrows.warehouse()
    port = _port()
    server = _serve(db, port, args.workers)
    try:
        results = measure(f"http://127.0.0.1:{port}", max(1, args.runs))
    finally:
        server.terminate()
        server.wait(30)
    section = table(results, args.label, args.runs)
    print("\n" + section)
    dashrows.write_rows(Path(__file__).stem, rows(results, args.runs))
    write_results(section, args.label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
