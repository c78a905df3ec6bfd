"""Cheap page loads: the index page and the shell routes are built once per warehouse file.

Dash rebuilds the index page on every visit (a stat and an import per script to fingerprint it,
the page's meta tags) and serialises the layout shell and the callback list on every
`/_dash-layout` and `/_dash-dependencies`. None of them changes between two visits on the same
warehouse file: the index depends on the address only (its meta tags carry the page and the URL,
language included), the shell and the callbacks on nothing a visitor sends. So each is kept per
warehouse file (`db.generation()`: a refresh's swap drops them) and per address, in a small LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import flask
from dash import Dash

from dashboard.core import db

MAX_ENTRIES = 128  # addresses kept per process (an address is at most limits.MAX_URL characters)
SHELL_ROUTES = ("/_dash-layout", "/_dash-dependencies")


class PageCache:
    """A bounded LRU of rendered bytes, emptied when the warehouse file changes."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._generation: tuple | None = None
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value kept for `key` on the current warehouse file, built once."""
        generation = db.generation()
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        value = build()
        with self._lock:
            if generation == self._generation:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value


def install(app: Dash) -> PageCache:
    """Serve the index page and the shell routes from a PageCache (kept as `app._page_cache`)."""
    cache = PageCache()
    build_index = app.index

    def index(*args: Any, **kwargs: Any) -> str:
        # Dash's index route looks `app.index` up on every call, so this replaces it
        return cache.get(("index", flask.request.url), lambda: build_index(*args, **kwargs))

    app.index = index  # type: ignore[method-assign]
    views = {route: app.server.view_functions[route] for route in SHELL_ROUTES}

    @app.server.before_request
    def _shell_from_cache() -> flask.Response | None:
        view = views.get(flask.request.path) if flask.request.method == "GET" else None
        if view is None:
            return None

        def build() -> tuple[bytes, str]:
            answer = flask.make_response(view())
            return answer.get_data(), answer.mimetype

        body, mimetype = cache.get(("shell", flask.request.path), build)
        return flask.Response(body, mimetype=mimetype)

    app._page_cache = cache  # type: ignore[attr-defined]
    return cache
