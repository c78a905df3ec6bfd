"""Cache-Control by kind of answer: fingerprinted files for a year, the page and its data fresh.

- A URL that names one version of a file (Dash's fingerprinted component scripts, `/assets/*?m=`,
  the shapes' `/geo/<level>.json?v=`) never changes: `public, max-age=31536000, immutable`.
- The HTML page, Dash's layout and dependency lists: `no-cache` with an ETag, so a second visit
  asks and gets `304 Not Modified` when nothing changed.
- Callback answers (POST): `no-store`; they are the data of the view and always computed fresh.
- Any other asset (a file fetched without a fingerprint, e.g. Plotly's topojson): `no-cache`.
"""

from __future__ import annotations

import flask
from dash import Dash

from dashboard.compression import fingerprinted

YEAR = "public, max-age=31536000, immutable"
FRESH = "no-cache"
NEVER = "no-store"
REVALIDATED = ("/_dash-layout", "/_dash-dependencies")  # GET answers that change only with a deploy


def policy(request: flask.Request) -> str | None:
    """The Cache-Control for this request's answer (None: leave what the route set)."""
    path = request.path
    if fingerprinted(request) or (path.startswith("/geo/") and "v" in request.args):
        return YEAR
    if request.method == "POST":
        return NEVER
    if "/assets/" in path or "/_dash-component-suites/" in path or path.endswith(REVALIDATED):
        return FRESH
    return None


def install(app: Dash) -> None:
    """Set Cache-Control (and an ETag on fresh GET answers) on every successful response."""
    server = app.server

    @server.after_request
    def _cache_control(response: flask.Response) -> flask.Response:
        request = flask.request
        if response.status_code >= 400 and response.status_code != 404:
            return response
        rule = policy(request)
        if response.status_code == 404:
            rule = NEVER if request.method == "POST" else FRESH
        elif rule is None and response.mimetype == "text/html":
            rule = FRESH  # the page itself (index and every view's path)
        if rule is None:
            return response
        response.headers["Cache-Control"] = rule
        static = response.direct_passthrough or response.is_streamed  # send_file sets its own
        if rule == FRESH and request.method == "GET" and response.status_code == 200 and not static:
            response.add_etag()
            response.make_conditional(request)
        return response
