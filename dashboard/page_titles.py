"""The browser tab's title of every page, in the page's language ('Trends – Labour-market gaps').

Dash asks a callable title for it on the first load (a GET: the language is in the query string) and
on every navigation (inside Dash's page-routing callback: the language is in its `search` input).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qs

import dash
import flask
from dash.exceptions import MissingCallbackContextException

from dashboard.text import t
from dashboard.urlstate import lang_of

log = logging.getLogger(__name__)


def request_lang() -> str:
    """The language of the page being served or routed to ('sv' outside a request)."""
    search = ""
    try:
        inputs = dash.ctx.inputs
    except MissingCallbackContextException:  # not inside a callback: the page's own GET
        inputs = {}
    search = next((str(v) for k, v in inputs.items() if k.endswith(".search") and v), "")
    if search:
        return lang_of(parse_qs(search.lstrip("?")))
    if flask.has_request_context():
        return lang_of(flask.request.args.to_dict())
    return "sv"


def title(page: str) -> Callable[..., str]:
    """A callable page title for dash.register_page."""

    def page_title(**_path_variables: str) -> str:
        lang = request_lang()
        return f"{t(f'nav.{page}', lang)} – {t('title', lang)}" if page else t("title", lang)

    return page_title
