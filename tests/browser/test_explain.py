"""Explain the gap in a real browser: the headline sentence, the split, the map colour in the URL,
back/forward, the language toggle and the CSV download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.ui import ids
from tests.browser.browser_ui import WAIT
from tests.browser.test_interactions import downloaded


@pytest.mark.browser
def test_explain_view_split_map_colour_language_and_csv(ui, warehouse):
    crude, comp, rate, std, local = warehouse(
        "SELECT crude_gap, composition, rate_effect, standardised_gap, local_difference "
        "FROM mart.gap_decomposition WHERE area_code='0127' AND year=2024 AND gap='fw_sw'"
    )[0]
    ui.open("/explain?area=0127&year=2024")
    ui.wait_page("explain")
    summary = ui.text(ids.EXPLAIN_SPLIT_SUMMARY)
    assert summary.startswith(
        "Botkyrka 2024: gapet mellan utrikes födda kvinnor och inrikes födda kvinnor"
    )
    assert f"{abs(crude):.1f}".replace(".", ",") in summary
    assert f"{abs(rate):.1f}".replace(".", ",") in summary
    split = ui.wait_graph(ids.EXPLAIN_SPLIT_GRAPH)
    assert any("Botkyrka" in tick for tick in split["ticks"])
    assert ui.text(ids.EXPLAIN_MESSAGE) == ""

    # the map colour is part of the URL; back returns to the standardised gap
    assert ui.checked(ids.EXPLAIN_COLOUR) == "standardised"
    ui.click_radio(ids.EXPLAIN_COLOUR, "local")
    ui.wait_search(lambda s: "colour=local" in s, "the map colour goes into the URL")
    ui.wait_text(ids.EXPLAIN_MAP_SUMMARY, "Skillnad mot förväntat")
    ui.driver.back()
    until(
        lambda: ui.checked(ids.EXPLAIN_COLOUR) == "standardised", WAIT, msg="back did not restore"
    )
    ui.wait_text(ids.EXPLAIN_MAP_SUMMARY, "Åldersstandardiserat gap")

    # a shared URL in English opens the same view
    ui.open("/explain?area=0127&year=2024&colour=local&lang=en")
    ui.wait_page("explain")
    assert ui.driver.find_element(By.CSS_SELECTOR, f"#{ids.MAIN} h1").text == "Explain the gap"
    assert ui.checked(ids.EXPLAIN_COLOUR) == "local"
    assert "the gap between foreign-born women and Swedish-born women" in ui.text(
        ids.EXPLAIN_SPLIT_SUMMARY
    )

    folder = Path(ui.duo.download_path)
    ui.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    ui.driver.find_element(By.CSS_SELECTOR, f"#{ids.MAIN} details.table-section summary").click()
    ui.driver.find_element(By.ID, ids.EXPLAIN_CSV).click()
    path = downloaded(folder)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    first = rows[0]
    assert first["Code"] == "0127" and first["Synthetic"] == "yes"
    assert abs(float(first["Age structure (pp)"]) - round(comp, 2)) < 1e-9
    assert abs(float(first["Against expected (pp)"]) - round(local, 2)) < 1e-9
    assert abs(float(first["Standardised gap (pp)"]) - round(std, 2)) < 1e-9
    assert ui.severe_logs() == [] and ui.error_alerts() == []
