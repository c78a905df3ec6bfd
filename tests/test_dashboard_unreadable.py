"""A warehouse the dashboard cannot read (garbage or corrupt blocks) gives a clear message in the
view's message box, not a blank HTTP 204 (issue 18, item 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ui import ids
from tests.test_dashboard_hostile import body


@pytest.mark.parametrize("content", [b"", b"\x00garbage" * 5000])
def test_an_unreadable_warehouse_is_said_not_answered_blank(
    dash_env, tmp_path: Path, content
) -> None:
    from dashboard.core import db, text

    client = dash_env.app.server.test_client()
    assert client.get("/").status_code == 200  # joins the page callbacks to the app
    target = f"map-{ids.S_MESSAGE}.children"
    output, cb = next((k, cb) for k, cb in dash_env.app.callback_map.items()
                      if target in k and "callback" in cb)  # fmt: skip
    bad = tmp_path / "labour.duckdb"
    bad.write_bytes(content)  # zero bytes, or garbage where a DuckDB file should be
    db.configure(bad)
    try:
        values = [None] * (len(cb["inputs"]) + len(cb["state"]))
        response = client.post("/_dash-update-component", json=body(output, cb, values, 0))
    finally:
        db.configure(dash_env.path)
    assert response.status_code == 200, response.status_code  # was 204: blank charts, no word
    doc = json.loads(response.data)
    message = doc["response"][f"map-{ids.S_MESSAGE}"]["children"]
    assert message == [text.t("no_read", "sv", path=str(bad))]
