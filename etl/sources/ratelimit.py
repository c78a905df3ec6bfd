"""Rate limiting and the hints servers send: a sliding-window limiter, Retry-After, error details."""

from __future__ import annotations

import collections
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)


# --- rate limiter ---------------------------------------------------------------------------


class RateLimiter:
    """Sliding window: at most `max_calls` calls within any `window` seconds (None = no limit).

    A call occupies the window from when it starts until `window` seconds after it finished,
    so a server that counts arrivals never sees more than `max_calls` in its own window.
    """

    def __init__(
        self,
        max_calls: int | None = None,
        window: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls = max_calls
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._calls: collections.deque[list[float]] = collections.deque()
        self._lock = threading.Lock()

    def configure(self, max_calls: int | None, window: float) -> None:
        """Set new limits (keeps the calls already made)."""
        if max_calls is not None and (max_calls < 1 or window <= 0):
            raise ValueError(f"invalid rate limit: {max_calls} calls per {window} s")
        with self._lock:
            self.max_calls, self.window = max_calls, window

    def _reserve(self) -> list[float] | float:
        """Take a slot (returns it) or return how long to wait for one."""
        with self._lock:
            now = self._clock()
            # unlimited: remember an hour of calls, so limits set later count them
            horizon = self.window if self.max_calls is not None else max(self.window, 3600.0)
            while self._calls and self._calls[0][0] + horizon <= now:
                self._calls.popleft()
            if self.max_calls is None or len(self._calls) < self.max_calls:
                slot = [float("inf")]  # in flight: holds the window until released
                self._calls.append(slot)
                return slot
            earliest = min(s[0] for s in self._calls)
            if earliest == float("inf"):  # every slot is held by a call still in flight
                return min(self.window, 0.01)
            return max(earliest + self.window - now, 0.001)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Block until a call is allowed, then hold the slot for the duration of the call."""
        while True:
            got = self._reserve()
            if isinstance(got, list):
                break
            log.debug("rate limiter: waiting %.3f s", got)
            self._sleep(got)
        try:
            yield
        finally:
            with self._lock:
                got[0] = self._clock()
                self._calls = collections.deque(sorted(self._calls, key=lambda s: s[0]))

    @property
    def calls_in_window(self) -> int:
        """Number of calls currently counted in the window."""
        with self._lock:
            now = self._clock()
            return sum(1 for s in self._calls if s[0] + self.window > now)


# --- Retry-After ----------------------------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        if not math.isfinite(seconds):
            log.warning("ignoring Retry-After %r (not a finite number of seconds)", value[:40])
            return None
        return max(seconds, 0.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def problem_detail(content: bytes) -> str | None:
    """The `detail` (or `title`/`message`) of an error body, or a short text excerpt."""
    try:
        body = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        text = content.decode("utf-8", "replace").strip()
        return " ".join(text.split())[:200] or None
    if isinstance(body, dict):
        for key in ("detail", "title", "message", "error"):
            value = body.get(key)
            if value:
                return (
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:300]
                )
    return json.dumps(body, ensure_ascii=False)[:200]
