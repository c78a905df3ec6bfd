"""GET /_ready: 200 only when this worker can serve the page and every script it names.

"Ready" means: the warm-up ran in this process's app (the component registry holds every script
the page names, and the files are on disk), the CSP is frozen, and the warehouse opens. Anything
else is a 503 with the reason, so a load balancer or health check keeps users away from it.
`python -m dashboard.serving.wait_ready` polls it (systemd's ExecStartPost, the container health check).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

import flask
from dash import Dash

from dashboard.core import db
from dashboard.serving.warmup import CSP_KEY, READY_KEY

log = logging.getLogger(__name__)
ROUTE = "/_ready"
SUITES = "/_dash-component-suites/"


def _script_file(app: Dash, src: str) -> Path | None:
    """The file behind a component-suite address if Dash would serve it (None otherwise)."""
    from dash.fingerprint import check_fingerprint

    rest = src.split("?", 1)[0].split(SUITES, 1)[-1]
    namespace, _, fingerprinted = rest.partition("/")
    path, _ = check_fingerprint(fingerprinted)
    if path not in app.registered_paths.get(namespace, ()):
        return None
    module = sys.modules.get(namespace)
    return Path(module.__file__).parent / path if module and module.__file__ else None


def problems(app: Dash) -> list[str]:
    """Why this worker is not ready (empty when it is)."""
    warmed = app.server.config.get(READY_KEY)
    if not warmed or not app.server.config.get(CSP_KEY):
        return ["not warmed up"]
    found = []
    for src in warmed["scripts"]:
        if SUITES in src:
            file = _script_file(app, src)
            if file is None or not file.is_file():
                found.append(f"script not servable: {src}")
    try:
        db.query_rows("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to read the warehouse is "not ready"
        found.append(f"warehouse unreadable: {type(exc).__name__}")
    return found


def register(app: Dash) -> None:
    """Add GET /_ready."""

    @app.server.route(ROUTE)
    def _ready() -> flask.Response:
        found = problems(app)
        csp = app.server.config.get(CSP_KEY) or ""
        body = {"ready": not found, "pid": os.getpid(), "problems": found,
                "csp_sha256": hashlib.sha256(csp.encode()).hexdigest()[:16]}  # fmt: skip
        response = flask.Response(json.dumps(body), status=503 if found else 200,
                                  mimetype="application/json")  # fmt: skip
        response.headers["Cache-Control"] = "no-store"
        return response
