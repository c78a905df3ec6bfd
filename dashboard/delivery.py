"""How the pages reach a browser: compressed, cached by kind of answer, the grid's script on demand."""

from __future__ import annotations

from dash import Dash

from dashboard import caching, compression, lazygrid, preload


def install(app: Dash) -> None:
    """Compression, then Cache-Control (Flask runs its hook first), then the grid on demand."""
    compression.install(app)  # brotli/gzip on every text answer, Vary: Accept-Encoding
    caching.install(app)  # a year for fingerprinted files; the page and its data fresh
    lazygrid.install(app)  # the grid's 1.3 MB script loads when a table is opened
    preload.install(app)  # layout, callbacks and the map's shapes start with the HTML
