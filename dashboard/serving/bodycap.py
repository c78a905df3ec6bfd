"""A cap on request bodies however they arrive: announced (Content-Length) or chunked.

Flask's MAX_CONTENT_LENGTH stops reading a chunked body at the cap but, read through
`get_json(silent=True)`, the truncation passes silently. This WSGI layer reads a body of unknown
length itself, at most `limit` + 1 bytes, and answers 413 when there is more; a body within the cap
is handed on with its length, so nothing downstream sees a chunked body.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from dashboard.serving.worker import ERROR_HEADERS

TOO_LARGE = b'{"error": "the request body is too large"}'


class BodyCap:
    """WSGI middleware: 413 for a body over `limit` bytes, chunked ones included."""

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int) -> None:
        self.app, self.limit = app, limit

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        """Read an unannounced body up to the cap before the app sees the request."""
        announced = environ.get("CONTENT_LENGTH") or ""
        if announced.isdigit() and int(announced) > self.limit:
            return self._too_large(start_response)
        if not announced and environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"].read(self.limit + 1)
            if len(body) > self.limit:
                return self._too_large(start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _too_large(self, start_response: Callable) -> Iterable[bytes]:
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(TOO_LARGE))),
                   ("Connection", "close"), *ERROR_HEADERS.items()]  # fmt: skip
        start_response("413 Content Too Large", headers)
        return [TOO_LARGE]
