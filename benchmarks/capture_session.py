"""Capture the callback requests a real browser sends, for the load test (bench_serve.py) to replay.

Starts `labourdash serve` on loopback, drives headless Chromium (Selenium, Chrome's performance
log) through four user actions and stores every `POST /_dash-update-component` body each one sent:

- map year change: the map page opened, then the year slider stepped back with the arrow key;
- level change: the map's level switched to counties;
- peer selection: the peers page for Lund, then the LA-region peer set chosen;
- trends with 3 areas: the trends page opened with Stockholm, Göteborg and Malmö.

Writes benchmarks/sessions/browser_session.json (committed: the load test's input). Re-run it when
the callbacks change. Run: .venv/bin/python benchmarks/capture_session.py [--port 8065]
Uses LABOURDASH_DB (else data/labour.duckdb).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "sessions" / "browser_session.json"
DISPATCH = "/_dash-update-component"


def t(key: str, lang: str) -> str:
    """A label of the dashboard's text catalogue (what the user reads and types)."""
    from dashboard.core.text import t as text

    return text(key, lang)


def _driver() -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=sv-SE"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path="/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def _bodies(driver: webdriver.Chrome, quiet: float = 3.0, limit: float = 60.0) -> list[dict]:
    """{path, body} of the callbacks posted until the page has been quiet for `quiet` seconds."""
    found: list[dict] = []
    last = time.monotonic()
    stop = last + limit
    while time.monotonic() < stop and time.monotonic() - last < quiet:
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") != "Network.requestWillBeSent":
                continue
            req = msg["params"]["request"]
            url = urlsplit(req["url"])
            if req.get("method") != "POST" or not url.path.endswith(DISPATCH):
                continue
            data = req.get("postData")
            if data is None:
                got = driver.execute_cdp_cmd(
                    "Network.getRequestPostData", {"requestId": msg["params"]["requestId"]}
                )
                data = got["postData"]
            path = url.path + (f"?{url.query}" if url.query else "")
            found.append({"path": path, "body": json.loads(data)})
            last = time.monotonic()
        time.sleep(0.2)
    return found


def _wait(driver: webdriver.Chrome, css: str, timeout: float = 60) -> None:
    WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _choose(driver: webdriver.Chrome, dropdown_id: str, label: str) -> None:
    """Pick a dcc.Dropdown option as a user does: open it, type, click the option."""
    driver.find_element(By.ID, dropdown_id).click()
    _wait(driver, ".dash-dropdown-search")
    driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-search").send_keys(label)
    xpath = (
        "//*[contains(@class,'dash-dropdown-option')]"
        f"[.//span[normalize-space(text())={json.dumps(label, ensure_ascii=False)}]]"
    )
    WebDriverWait(driver, 30).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()


def capture(base: str) -> dict[str, list[dict]]:
    """Drive the browser through the four actions; returns action → bodies."""
    driver = _driver()
    out: dict[str, list[dict]] = {}
    try:
        driver.get(base + "/")
        _wait(driver, "#map-graph .main-svg")
        loaded = _bodies(driver)  # the page load itself is not one of the actions
        print(f"map page load: {len(loaded)} callback requests")
        before = driver.current_url
        thumb = driver.find_element(By.CSS_SELECTOR, "#map-year [role=slider]")
        thumb.click()
        thumb.send_keys(Keys.ARROW_LEFT)
        WebDriverWait(driver, 30).until(lambda d: d.current_url != before)
        out["map year change"] = _bodies(driver)
        _choose(driver, "map-level", t("level.county", "sv"))
        out["level change"] = _bodies(driver)
        driver.get(base + "/peers?area=1281")
        _wait(driver, "#peers-graph .main-svg")
        _bodies(driver)
        label = driver.find_element(By.CSS_SELECTOR, "#peers-kind input[value='la']")
        label.find_element(By.XPATH, "./ancestor::label").click()
        out["peer selection"] = _bodies(driver)
        driver.get(base + "/trends?areas=0180,1480,1280")
        _wait(driver, "#trends-graph .main-svg")
        out["trends with 3 areas"] = _bodies(driver)
    finally:
        driver.quit()
    return out


def main() -> None:
    """Serve, capture, write the session file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("LABOURDASH_TEST_PORT", 8065)))
    args = ap.parse_args()
    db = Path(os.environ.get("LABOURDASH_DB") or ROOT / "data" / "labour.duckdb")
    server = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--port", str(args.port), "--workers", "1"],
        env={**os.environ, "LABOURDASH_DB": str(db)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(240):
            try:
                httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        actions = capture(base)
    finally:
        server.terminate()
        server.wait(30)
    for name, bodies in actions.items():
        outputs = [b["body"].get("output", "")[:50] for b in bodies]
        print(f"{name}: {len(bodies)} callback requests: {outputs}")
        if not bodies:
            raise SystemExit(f"no callback request captured for {name!r}")
    OUT.parent.mkdir(exist_ok=True)
    doc = {
        "captured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "how": "headless Chromium via Selenium; bodies of POST /_dash-update-component read from "
        "Chrome's performance log (benchmarks/capture_session.py)",
        "actions": actions,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
