"""The browser tab's title of every page, in the page's language ('Trends – Labour-market gaps').

Dash asks a callable title for it on the first load (the link preview's og:title; a GET: the
language is in the query string) and on every navigation (inside Dash's page-routing callback: the
language is in its `search` input); dashboard/a11y.py sets the same titles in the browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qs

import dash
import flask
from dash.exceptions import MissingCallbackContextException

from dashboard.core.text.strings import t
from dashboard.urlstate import lang_of

log = logging.getLogger(__name__)


def request_lang() -> str:
    """The language of the page being served or routed to ('sv' outside a request)."""
    if not flask.has_request_context():
        return "sv"
    if not flask.request.path.endswith("_dash-update-component"):  # the page's own GET
        return lang_of(flask.request.args.to_dict())
    try:  # Dash's page-routing callback: the address is among its inputs
        inputs = dash.ctx.inputs
    except MissingCallbackContextException:
        return "sv"
    search = next((str(v) for k, v in inputs.items() if k.endswith(".search") and v), "")
    return lang_of(parse_qs(search.lstrip("?")))


def page_title(page: str, lang: str) -> str:
    """'Trends – Labour-market gaps' in `lang`."""
    return f"{t(f'nav.{page}', lang)} – {t('title', lang)}"


def title(page: str) -> Callable[..., str]:
    """A callable page title for dash.register_page (the client keeps it in step: a11y.py)."""
    return lambda **_path_variables: page_title(page, request_lang())
