"""A browser that arrives in the first second after `labourdash serve` starts gets a working page."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ui import ids
from tests.test_serve_hostile import Served


@pytest.mark.browser
def test_page_works_when_loaded_in_the_first_second_after_start(dash_duo, demo_db: Path,
                                                                tmp_path: Path) -> None:  # fmt: skip
    served = Served(demo_db, tmp_path / "serve.log")
    try:
        served.wait_listening()  # the port opens after the warm-up; workers fork right after
        dash_duo.driver.get(served.base + "/")  # no request has reached any worker before this
        wait = WebDriverWait(dash_duo.driver, 120)
        wait.until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, f"#{ids.MAP_GRAPH} .main-svg"))
        )
        assert dash_duo.driver.find_element(By.ID, ids.HEADER_TITLE).text.strip()
        severe = [e for e in (dash_duo.get_logs() or []) if e.get("level") == "SEVERE"]
        assert severe == [], severe  # no CSP refusal, no "is not a registered library"
    finally:
        served.stop()
