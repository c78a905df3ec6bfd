"""The permalink of a view: the public base URL, the view's path and its query string."""

from __future__ import annotations

import logging
import os
from typing import Any

from dashboard.urlstate import DataState, href

log = logging.getLogger(__name__)


def public_base() -> str:
    """Base of permalinks: LABOURDASH_PUBLIC_URL, else the request's host URL, else ''."""
    base = os.environ.get("LABOURDASH_PUBLIC_URL", "").strip()
    if base:
        return base.rstrip("/")
    try:
        import flask

        if flask.has_request_context():
            return flask.request.host_url.rstrip("/")
    except Exception:  # outside Flask (unit tests, scripts)
        log.debug("no request context for the permalink base")
    return ""


def permalink(page: str, state: Any, lang: str) -> str:
    """The full URL of a view (page + its query string + language)."""
    if isinstance(state, DataState):
        query = {"view": state.view, **state.inner.to_query()}
    else:
        query = state.to_query()
    return public_base() + href(page, query, lang)
