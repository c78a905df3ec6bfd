"""The load test's captured browser session must still match the app (datasette-style drift test).

`benchmarks/bench_serve.py` replays `benchmarks/sessions/browser_session.json`. When a callback
gains or loses an output, the captured bodies are refused (400) and the load test would time
refusals instead of renders. Re-capture with `benchmarks/capture_session.py` when this fails.
"""

from __future__ import annotations

import json
from pathlib import Path

SESSION = (
    Path(__file__).resolve().parent.parent / "benchmarks" / "sessions" / "browser_session.json"
)


def _requests() -> list[tuple[str, dict]]:
    doc = json.loads(SESSION.read_text("utf-8"))
    return [(action, req) for action, reqs in doc["actions"].items() for req in reqs]


def test_every_captured_callback_exists_in_the_app(dash_env) -> None:
    """Each captured body names an output string the app registers (its /_dash-dependencies)."""
    deps = dash_env.app.server.test_client().get("/_dash-dependencies").get_json()
    known = {dep["output"] for dep in deps}
    stale = [(action, req["body"]["output"][:60]) for action, req in _requests()
             if req["body"]["output"] not in known]  # fmt: skip
    assert not stale, f"re-run benchmarks/capture_session.py; stale: {stale}"


def test_every_captured_request_is_answered_200(dash_env) -> None:
    """Replayed through the app, each captured request renders (no 400 from the hardening)."""
    client = dash_env.app.server.test_client()
    statuses = {}
    for action, req in _requests():
        statuses.setdefault(action, []).append(
            client.post(req["path"], json=req["body"]).status_code
        )
    assert all(code == 200 for codes in statuses.values() for code in codes), statuses
    assert set(statuses) == {"map year change", "level change", "peer selection",
                             "trends with 3 areas"}  # fmt: skip
