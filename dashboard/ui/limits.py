"""Over-long addresses get the app's own friendly page (HTTP 414), not gunicorn's raw one.

gunicorn runs with `--limit-request-line 0` (no limit of its own, see etl/cli.py serve), so every
request reaches this check.
"""

from __future__ import annotations

import html
import logging

import flask
from dash import Dash

from dashboard.core.text import t

log = logging.getLogger(__name__)

MAX_URL = 4096  # characters of path + query string the views accept


def too_long_page(lang: str) -> str:
    """A small self-contained HTML page in the user's language."""
    title = html.escape(t("url_too_long.title", lang))
    body = html.escape(t("url_too_long.body", lang, n=MAX_URL))
    link = html.escape(t("url_too_long.link", lang))
    home = "/?lang=en" if lang == "en" else "/"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} – {html.escape(t('title', lang))}</title></head>"
        '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; '
        f'padding: 0 1rem"><h1>{title}</h1><p>{body}</p><p><a href="{home}">{link}</a></p>'
        "</body></html>"
    )


def register(app: Dash) -> None:
    """Answer requests whose address is longer than MAX_URL with the friendly page."""

    @app.server.before_request
    def _too_long():
        raw = flask.request.environ.get("RAW_URI") or flask.request.full_path
        if len(raw) <= MAX_URL:
            return None
        lang = "en" if "lang=en" in raw else "sv"
        log.info("address of %d characters refused", len(raw))
        return flask.Response(too_long_page(lang), status=414, mimetype="text/html")
