"""How the pages reach a browser: compressed, cached by kind of answer, scripts run when needed."""

from __future__ import annotations

from dash import Dash

from dashboard import caching, compression, lazygrid, plotlyjs


def install(app: Dash) -> None:
    """Compression, Cache-Control, the grid's script on demand, Plotly's partial bundle."""
    compression.install(app)  # brotli/gzip on every text answer, Vary: Accept-Encoding
    caching.install(app)  # a year for fingerprinted files; the page and its data fresh
    lazygrid.install(app)  # the grid's 1.3 MB script loads when a table is opened
    plotlyjs.install(app)  # the partial Plotly bundle, preloaded, run when the first chart mounts
