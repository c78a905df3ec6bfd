"""gunicorn's threaded worker with two guards against hostile clients.

- **Header deadline.** gunicorn's gthread worker gives a thread to a connection once its first
  byte arrives, then reads the request line and headers blocking, without a deadline: a client
  trickling its headers a byte at a time (slowloris) holds the thread for as long as it likes, and
  a few such clients hold every thread. Here each request must have sent its request line and
  headers within HEADER_TIMEOUT_S (LABOURDASH_HEADER_TIMEOUT) of being taken up; the main loop
  (which wakes every second) shuts the socket of any request past it, which frees the thread.
- **Safe error answers.** gunicorn answers a malformed or oversized request (400, 414, 431, ...)
  itself, before the app sees it, with a bare page and no security headers. Here those answers get
  the app's security headers, a CSP that allows nothing, and, for an over-long address, the
  dashboard's friendly page.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time

from gunicorn import util
from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, ThreadWorker

log = logging.getLogger(__name__)
DEFAULT_HEADER_TIMEOUT_S = 10.0
ERROR_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def header_timeout() -> float:
    """Seconds a request may take to send its request line and headers."""
    try:
        return max(
            1.0, float(os.environ.get("LABOURDASH_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT_S))
        )
    except ValueError:
        return DEFAULT_HEADER_TIMEOUT_S


class _Captured:
    """Stands in for the client socket while gunicorn writes its error page (we rewrite it)."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data


def _too_long_page(request_line: str) -> str:
    from dashboard.ui import limits  # gunicorn loads this worker class before the app

    return limits.too_long_page("en" if "lang=en" in request_line else "sv")


def error_response(captured: bytes, request_line: str = "") -> bytes:
    """gunicorn's error answer rewritten with security headers (the friendly page for a 414)."""
    status = captured.split(b"\r\n", 1)[0].split(b" ", 1)[-1].decode("latin-1") or "400 Bad Request"
    if status.startswith("414"):
        body = _too_long_page(request_line).encode("utf-8")
    else:
        body = captured.split(b"\r\n\r\n", 1)[-1] if b"\r\n\r\n" in captured else b""
    head = [f"HTTP/1.1 {status}", "Connection: close", "Content-Type: text/html; charset=utf-8",
            f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in ERROR_HEADERS.items())]  # fmt: skip
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class LabourdashWorker(ThreadWorker):
    """gthread worker with a header deadline and security headers on its own error answers."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - gunicorn's signature
        super().__init__(*args, **kwargs)
        self._reading: dict[object, float] = {}  # connection → deadline for its request headers
        self._reading_lock = threading.Lock()
        self._header_timeout = header_timeout()

    def handle(self, conn):  # noqa: ANN001, ANN201 - gunicorn's TConn and result
        """Handle a request, its headers watched by the deadline."""
        # the wait for a first byte (at most DEFAULT_WORKER_DATA_TIMEOUT) is gunicorn's own
        deadline = time.monotonic() + DEFAULT_WORKER_DATA_TIMEOUT + self._header_timeout
        with self._reading_lock:
            self._reading[conn] = deadline
        try:
            return super().handle(conn)
        finally:
            with self._reading_lock:
                self._reading.pop(conn, None)

    def handle_request(self, req, conn):  # noqa: ANN001, ANN201
        """The headers are in: the deadline no longer applies."""
        with self._reading_lock:
            self._reading.pop(conn, None)
        return super().handle_request(req, conn)

    def murder_keepalived(self, force: bool = False) -> None:
        """gunicorn's idle-connection sweep, then cut requests past their header deadline."""
        super().murder_keepalived(force)
        now = time.monotonic()
        with self._reading_lock:
            late = [conn for conn, deadline in self._reading.items() if deadline < now]
            for conn in late:
                self._reading.pop(conn, None)
        for conn in late:
            self.log.warning("closed a connection from %s: request headers not complete within %.0f s",
                             conn.client[0] if conn.client else "?", self._header_timeout)  # fmt: skip
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, req, client, addr, exc):  # noqa: ANN001, ANN201
        """gunicorn's error handling (log lines, access log), its answer rewritten."""
        captured = _Captured()
        super().handle_error(req, captured, addr, exc)
        line = f"{getattr(req, 'uri', '')} {exc}"
        try:
            util.write_nonblock(client, error_response(captured.data, line))
        except Exception:  # noqa: BLE001 - the client may be gone; gunicorn ignores this too
            self.log.debug("failed to send the error answer")
