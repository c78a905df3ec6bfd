"""Real-browser tests: headless Debian Chromium driven by dash[testing]'s `dash_duo`.

Run with `make test` (= `pytest --webdriver Chrome --headless`) or
`.venv/bin/pytest --webdriver Chrome --headless tests/browser`. Every test gets a fresh Chromium and
a fresh server of the session's one app (`dash_app` on `demo_db`, tests/conftest.py); the `ui` fixture
wraps `dash_duo` with helpers that know the dashboard's component ids (dashboard/ids.py).

Screenshots land in tests/artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.chrome.options import Options

from tests.browser.browser_ui import CHROMIUM, DESKTOP, UI


def pytest_setup_options():
    """Chrome options for dash_duo: Debian's Chromium, headless, no sandbox (containers/CI)."""
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        "--lang=sv-SE",
    ):
        options.add_argument(arg)
    return options


@pytest.fixture(scope="session")
def warehouse(demo_db: Path):
    """Read-only SQL on the demo warehouse, for expected values independent of the dashboard."""

    def sql(query: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(demo_db), read_only=True)
        try:
            return con.execute(query, params or []).fetchall()
        finally:
            con.close()

    return sql


@pytest.fixture(scope="session")
def latest_year(warehouse) -> int:
    """The newest year with employment-rate values (the views' default year)."""
    return warehouse(
        "SELECT max(year) FROM mart.observation WHERE indicator = 'employment_rate' "
        "AND age = '20-64' AND value IS NOT NULL"
    )[0][0]


@pytest.fixture
def ui(dash_duo, dash_app, demo_db: Path) -> UI:
    """The session's app on the demo warehouse, served by dash_duo with Dash's dev-tools checks on."""
    from dashboard.core import db

    db.configure(demo_db)  # a test before may have pointed the process at another warehouse
    dash_duo.start_server(
        dash_app,
        navigate=False,
        port=int(os.environ.get("LABOURDASH_TEST_PORT", "8050")),  # parallel checkouts apart
        debug=True,  # dev tools: invalid props and callback errors become visible alerts
        use_reloader=False,
        use_debugger=False,
        dev_tools_hot_reload=False,
    )
    return UI(dash_duo)
