"""Brotli and gzip for every text response (flask-compress), `Vary: Accept-Encoding` on all.

flask-compress is the extension Dash's own `compress=True` installs; it is set up here instead so
that its settings (brotli first, then gzip; the shapes' `application/geo+json`) are in place when
it starts. A client that sends no `Accept-Encoding` gets the bytes as they are. Static files (the
assets) are read into memory first so they are compressed like any other answer, and the
compressed bytes of a fingerprinted file are kept per worker: a year-cached URL never changes.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import flask
from dash import Dash
from dash.fingerprint import check_fingerprint
from flask_compress import Compress

log = logging.getLogger(__name__)

ALGORITHMS = ["br", "gzip"]  # preference order when the browser accepts both
EXTRA_MIMETYPES = ["application/geo+json"]  # the /geo/<level>.json shapes
BR_LEVEL = 5  # brotli quality: near-best size, a few ms for the largest script
GZIP_LEVEL = 6
MIN_SIZE = 500  # bytes; smaller bodies are not worth the header
CACHE_ENTRIES = 256  # compressed fingerprinted files kept per worker


class CompressedFiles:
    """A bounded map of compressed bodies, for fingerprinted files only (others: never stored)."""

    def __init__(self, size: int = CACHE_ENTRIES) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """The compressed body stored under key (None when absent or not cacheable)."""
        if key.endswith(";"):
            return None
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def set(self, key: str, body: bytes) -> None:
        """Store a compressed body (a key without a fingerprint is ignored)."""
        if key.endswith(";"):
            return
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def fingerprinted(request: flask.Request) -> bool:
    """True for a GET whose URL names one version of a file (Dash fingerprints, ?m=, ?v=)."""
    if request.method != "GET":
        return False
    path = request.path
    if "/_dash-component-suites/" in path:  # dash_ag_grid.v35_3_0m1733.min.js: Dash's own test
        return check_fingerprint(path.rsplit("/", 1)[-1])[1]
    if "/assets/" in path:
        return "m" in request.args
    return False


def cache_key(request: flask.Request) -> str:
    """The full path of a fingerprinted file; '' for everything else (never cached)."""
    return request.full_path if fingerprinted(request) else ""


def install(app: Dash) -> Compress:
    """Compress every compressible answer of the app, after all its other response hooks."""
    server = app.server
    config = server.config
    config["COMPRESS_ALGORITHM"] = ALGORITHMS
    config["COMPRESS_ALGORITHM_STREAMING"] = ["br"]
    config["COMPRESS_BR_LEVEL"] = BR_LEVEL
    config["COMPRESS_LEVEL"] = GZIP_LEVEL
    config["COMPRESS_MIN_SIZE"] = MIN_SIZE
    config["COMPRESS_MIMETYPES"] = _mimetypes()
    config["COMPRESS_CACHE_BACKEND"] = CompressedFiles
    config["COMPRESS_CACHE_KEY"] = cache_key
    compress = Compress(server)

    def _buffer_static(response: flask.Response) -> flask.Response:
        # a file sent by send_file is streamed, and a streamed body is compressed chunk by chunk
        # and never cached: read it into memory first
        if response.direct_passthrough and response.mimetype in config["COMPRESS_MIMETYPES"]:
            response.direct_passthrough = False
            response.set_data(response.get_data())
        return response

    # Flask calls after_request hooks last-registered first: put these two at the head of the
    # list so they run after every other hook, whenever that was installed. The other hooks then
    # see the plain body (the rendered-view cache stores it, ETags are taken from it).
    hooks = server.after_request_funcs.setdefault(None, [])
    hooks.remove(compress.after_request)
    hooks[:0] = [compress.after_request, _buffer_static]

    log.debug("compression on: %s", ", ".join(ALGORITHMS))
    return compress


def _mimetypes() -> list[str]:
    """flask-compress's default text types plus the shapes' type."""
    probe = flask.Flask("compression-defaults")
    Compress(probe)
    return [*probe.config["COMPRESS_MIMETYPES"], *EXTRA_MIMETYPES]
