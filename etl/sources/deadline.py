"""Deadlines: one request's (connect + headers + body) and the whole refresh's.

A request deadline is enforced below httpx, in the network stream: every connect, read and write
waits at most until the deadline of the request in flight on that thread, so a server that trickles
its headers one byte at a time is cut off like one that trickles its body. The run deadline
(LABOURDASH_REFRESH_DEADLINE) is armed by `refresh` and caps every request after it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx

_local = threading.local()
_run_end: float | None = None
_run_seconds: float | None = None


class RunDeadlineExceeded(RuntimeError):
    """The refresh ran past its overall deadline; the run stops (and releases the lock)."""


@contextlib.contextmanager
def run_deadline(seconds: float | None) -> Iterator[None]:
    """Arm the overall deadline of a refresh for the duration of the block (None or <= 0: none)."""
    global _run_end, _run_seconds
    previous = _run_end, _run_seconds
    if seconds and seconds > 0:
        _run_end, _run_seconds = time.monotonic() + seconds, seconds
    try:
        yield
    finally:
        _run_end, _run_seconds = previous


def run_remaining() -> float | None:
    """Seconds left before the run deadline (None when no deadline is armed)."""
    return None if _run_end is None else _run_end - time.monotonic()


def check_run(what: str) -> None:
    """Raise RunDeadlineExceeded when the armed run deadline has passed."""
    left = run_remaining()
    if left is not None and left <= 0:
        raise RunDeadlineExceeded(
            f"the refresh ran past its overall deadline of {_run_seconds:g} s "
            f"(LABOURDASH_REFRESH_DEADLINE) {what}"
        )


@contextlib.contextmanager
def request_deadline(at: float) -> Iterator[None]:
    """Every network wait of this thread ends by monotonic time `at` while the block runs."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous


def _clamp(timeout: float | None) -> float | None:
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = max(at - time.monotonic(), 0.001)
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:  # fmt: skip
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend with every wait clamped to the thread's request deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> _Stream:  # fmt: skip
        return _Stream(self._inner.connect_tcp(host, port, _clamp(timeout), local_address,
                                               socket_options))  # fmt: skip

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> _Stream:  # fmt: skip
        return _Stream(self._inner.connect_unix_socket(path, _clamp(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport() -> httpx.HTTPTransport:
    """httpx's own transport over DeadlineBackend (its pool is swapped, its options kept)."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - httpx exposes no backend option
        ssl_context=transport._pool._ssl_context,  # noqa: SLF001
        max_connections=transport._pool._max_connections,  # noqa: SLF001
        max_keepalive_connections=transport._pool._max_keepalive_connections,  # noqa: SLF001
        keepalive_expiry=transport._pool._keepalive_expiry,  # noqa: SLF001
        network_backend=DeadlineBackend(),
    )
    return transport
