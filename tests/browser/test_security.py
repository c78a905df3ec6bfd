"""The Content-Security-Policy is in force in a real browser, and Dash works under it."""

from __future__ import annotations

import pytest

from dashboard.ui import ids


@pytest.mark.browser
def test_csp_blocks_injected_inline_script_and_dash_still_works(ui) -> None:
    ui.open("/trends")
    ui.wait_page("trends")
    header = ui.driver.execute_async_script(
        "const done = arguments[0];"
        "fetch(location.href).then(r => done(r.headers.get('content-security-policy')));"
    )
    assert "frame-ancestors 'self'" in header and "script-src 'self' 'sha256-" in header
    ui.driver.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__injected = 1';"
        "document.body.appendChild(s);"
    )
    assert ui.driver.execute_script("return window.__injected === undefined")
    refused = [e for e in ui.severe_logs() if "Content Security Policy" in str(e)]
    assert len(refused) == 1 and "inline script" in str(refused[0])  # only the injected one
    assert ui.driver.find_element("id", ids.TRENDS_GRAPH).is_displayed()
    assert ui.error_alerts() == []
