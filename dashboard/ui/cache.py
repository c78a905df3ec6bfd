"""Per-process LRU cache of rendered view outputs, keyed on the validated view state.

A key is (view, validated state, language, permalink base, small-numbers threshold: everything a
view's output depends on besides the warehouse) and every entry belongs to one warehouse file (its
identity from `db.generation()`: path, inode, mtime and size). When a refresh swaps the file the
whole cache is dropped on the next request, so an answer is never older than the file it came from.
Bound: `LABOURDASH_VIEW_CACHE` entries (default 256; 0 turns the cache off).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from dashboard.core import db, queries
from dashboard.core.frames import small_threshold
from dashboard.ui.permalink import public_base
from dashboard.urlstate import controls_to_query

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_SIZE = 256


def _size_from_env() -> int:
    raw = os.environ.get("LABOURDASH_VIEW_CACHE", "").strip()
    try:
        return max(0, int(raw)) if raw else DEFAULT_SIZE
    except ValueError:
        log.warning("LABOURDASH_VIEW_CACHE=%r is not a whole number; using %d", raw, DEFAULT_SIZE)
        return DEFAULT_SIZE


_lock = threading.Lock()
_entries: OrderedDict[Hashable, Any] = OrderedDict()
_generation: tuple | None = None
_size = _size_from_env()
_counts = {"hits": 0, "misses": 0, "cleared": 0}


def configure(size: int | None = None) -> None:
    """Set the bound (None: from LABOURDASH_VIEW_CACHE), empty both caches and zero their counts."""
    global _size
    with _lock:
        _size = _size_from_env() if size is None else max(0, int(size))
        _entries.clear()
        _responses.clear()
        _counts.update(hits=0, misses=0, cleared=0)
        _response_counts.update(hits=0, stored=0)


def clear() -> None:
    """Drop every entry (the benchmarks' cold calls; a swapped warehouse does it by itself)."""
    with _lock:
        _entries.clear()
        _responses.clear()


def stats() -> dict[str, int]:
    """Hits, misses, times dropped for a new warehouse file, entries held and the bound."""
    with _lock:
        return {**_counts, "entries": len(_entries), "size": _size}


def context() -> tuple[str, int]:
    """What else a rendered view depends on: the permalink base and the small-numbers threshold."""
    return public_base(), small_threshold()


def _mark_rendered() -> None:
    """Tell the response cache that this request's output came from a render callback."""
    try:
        import flask

        if flask.has_request_context():
            flask.g.view_rendered = True
    except ImportError:  # pragma: no cover - flask comes with Dash
        pass


def rendered(view: str, state: Hashable, lang: str, build: Callable[[], T]) -> T:
    """The cached output of `build()` for (view, state, lang) on the current warehouse file."""
    global _generation
    gen = db.generation()
    key = (view, state, lang, context())
    with _lock:
        if gen != _generation:
            if _entries:
                _counts["cleared"] += 1
                log.info("warehouse file changed: %d rendered views dropped", len(_entries))
            _entries.clear()
            _responses.clear()
            _generation = gen
        if key in _entries:
            _entries.move_to_end(key)
            _counts["hits"] += 1
            hit = _entries[key]
            _mark_rendered()
            return hit
        _counts["misses"] += 1
        size = _size
    value = build()
    _mark_rendered()
    if size:
        with _lock:
            if _generation == gen:  # not if the file changed while this view was drawn
                _entries[key] = value
                _entries.move_to_end(key)
                while len(_entries) > _size:
                    _entries.popitem(last=False)
    return value


_per_file: dict[str, tuple[tuple, dict]] = {}


def per_file(func: Callable[..., T]) -> Callable[..., T]:
    """Decorator: compute `func(*args)` once per warehouse file and arguments (like the catalogue),
    again after a swap. For what a view reads on every call but depends only on the file (the
    providers of the source tables, the provenance summary); the benchmarks' cold calls keep it.
    """
    name = f"{func.__module__}.{func.__qualname__}"
    lock = threading.Lock()

    @functools.wraps(func)
    def inner(*args: Hashable) -> T:
        gen = db.generation()
        held = _per_file.get(name)
        if held is not None and held[0] == gen and args in held[1]:
            return held[1][args]
        with lock:
            held = _per_file.get(name)
            if held is None or held[0] != gen:
                held = (gen, {})
                _per_file[name] = held
            if args not in held[1]:
                held[1][args] = func(*args)
        return held[1][args]

    return inner


def deterministic(func: Callable[..., T]) -> Callable[..., T]:
    """Decorator: this callback's answer depends only on its request body and the warehouse file,
    so the response cache may keep it (URL ↔ controls sync; never time- or run-log-dependent)."""

    @functools.wraps(func)
    def inner(*args: Any) -> T:
        value = func(*args)
        _mark_rendered()
        return value

    return inner


# Dash's page router: its answer is the page layout for the path and query in the body
ROUTER_OUTPUT = ".._pages_content.children"


def by_state(view: str, key_of: Callable[..., tuple[Hashable, str]]) -> Callable:
    """Decorator of a render callback: `key_of(*args)` gives (validated state, language)."""

    def wrap(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def inner(*args: Any) -> T:
            state, lang = key_of(*args)
            return rendered(view, state, lang, lambda: func(*args))

        return inner

    return wrap


def controls_key(spec: Any) -> Callable[..., tuple[Hashable, str]]:
    """key_of for a page whose callback takes its controls' values and then the language."""

    def key_of(*args: Any) -> tuple[Hashable, str]:
        *values, lang = args
        state, _ = spec.parse(controls_to_query(spec.params, values), queries.catalogue())
        return state, lang

    return key_of


_responses: OrderedDict[Hashable, bytes] = OrderedDict()
_response_counts = {"hits": 0, "stored": 0}


def response_stats() -> dict[str, int]:
    """Hits and stores of the response cache, and the responses it holds."""
    with _lock:
        return {**_response_counts, "entries": len(_responses)}


def install(app: Any) -> None:
    """Answer a repeated render request from the bytes of its first answer (same file, same body).

    Only requests that answered 200 from a render callback (`rendered()`), a `deterministic`
    callback or Dash's page router are kept, so failures, downloads and the shell's callbacks (the
    refresh-warning banner reads the run log and the clock) are always computed. The key is the warehouse file, the
    render context, the host (permalinks) and a hash of the exact request body.
    """
    import hashlib

    import flask

    server = app.server

    @server.before_request
    def _cached_response() -> flask.Response | None:
        req = flask.request
        if req.method != "POST" or not req.path.endswith("/_dash-update-component") or not _size:
            return None
        digest = hashlib.blake2b(req.get_data(cache=True), digest_size=20).digest()
        key = (db.generation(), context(), req.host_url, digest)
        with _lock:
            if _generation is not None and key[0] != _generation:
                _responses.clear()
            body = _responses.get(key)
            if body is not None:
                _responses.move_to_end(key)
                _response_counts["hits"] += 1
        if body is not None:
            return flask.Response(body, mimetype="application/json")
        flask.g.response_key = key
        body = req.get_json(silent=True, cache=True)
        if isinstance(body, dict) and str(body.get("output", "")).startswith(ROUTER_OUTPUT):
            flask.g.view_rendered = True
        return None

    @server.after_request
    def _store_response(response: flask.Response) -> flask.Response:
        key = flask.g.pop("response_key", None)
        if key is None or not flask.g.pop("view_rendered", False) or response.status_code != 200:
            return response
        body = response.get_data()
        with _lock:
            if key[0] == _generation:
                _responses[key] = body
                _response_counts["stored"] += 1
                while len(_responses) > _size:
                    _responses.popitem(last=False)
        return response
