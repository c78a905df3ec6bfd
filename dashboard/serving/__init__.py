"""Serving the dashboard under gunicorn: every worker complete before its first request, hostile
clients bounded (body cap, header deadline, safe error answers and logs), cheap page loads.

`prepare(app)` is what dashboard.wsgi calls on the app it builds; gunicorn_conf.py is the gunicorn
configuration `labourdash serve` runs with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # this package's import stays light: wait_ready runs as a health check
    from dash import Dash


def prepare(app: Dash) -> None:
    """Cap request bodies, cache the page shell, add /_ready, then warm the app up completely."""
    from dashboard.serving import pagecache, readiness, warmup
    from dashboard.serving.bodycap import BodyCap
    from dashboard.ui.hardening import MAX_BODY

    # Werkzeug enforces this on every body Flask reads, announced (Content-Length) or chunked
    # (gunicorn sets wsgi.input_terminated): more than MAX_BODY bytes is a 413, never buffered.
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.server.wsgi_app = BodyCap(
        app.server.wsgi_app, MAX_BODY
    )  # 413 for an oversized chunked body
    pagecache.install(app)
    readiness.register(app)
    warmup.warm(app)
