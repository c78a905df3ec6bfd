"""Shared HTTP fetcher: retries, Retry-After, a sliding-window rate limiter, exact raw bytes."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Self

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from etl.parse import fastjson
from etl.sources import deadline
from etl.sources.ratelimit import RateLimiter, parse_retry_after, problem_detail
from etl.sources.spool import SizeCapExceeded, SpooledBody, spool

log = logging.getLogger(__name__)

USER_AGENT = "labourdash/0.1 (+https://github.com/; statistics ETL)"
MAX_BACKOFF = 60.0
MAX_REDIRECTS = 5
MAX_RESPONSE_BYTES = 256 * 1024 * 1024  # LABOURDASH_MAX_RESPONSE_MB; real answers stay below 10 MB


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL: what a redirect or next_url must keep."""
    u = httpx.URL(str(url))
    return u.scheme, u.host.lower(), u.port


# --- errors ---------------------------------------------------------------------------------


class SourceError(Exception):
    """Base class: a request to a statistics API failed. The message is one line."""

    retryable = False

    def __init__(
        self,
        url: str,
        cause: str,
        *,
        method: str = "GET",
        status: int | None = None,
        detail: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(url, cause)
        self.url = url
        self.cause = " ".join(cause.split())
        self.method = method
        self.status = status
        self.detail = detail
        self.attempts = 1
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        tail = f" (gave up after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{self.method} {self.url}: {self.cause}{tail}"


class RateLimitedError(SourceError):
    """HTTP 429: too many requests (retried after Retry-After unless it exceeds the cap)."""

    retryable = True

    def __init__(self, url: str, cause: str, *, retry_after: float | None = None, **kw: Any):
        super().__init__(url, cause, **kw)
        self.retry_after = retry_after


class ServerError(SourceError):
    """HTTP 5xx from the API (retried with backoff)."""

    retryable = True

    def __init__(self, url: str, cause: str, *, retry_after: float | None = None, **kw: Any):
        super().__init__(url, cause, **kw)
        self.retry_after = retry_after


class SourceTimeout(SourceError):
    """The API did not answer within the timeout (retried with backoff)."""

    retryable = True


class SourceConnectionError(SourceError):
    """The API could not be reached (connection refused, DNS, reset; retried with backoff)."""

    retryable = True


class MalformedResponse(SourceError):
    """Truncated body, invalid JSON, or JSON of the wrong shape."""


class OffsiteRedirect(SourceError):
    """A redirect (or next_url) to another host or scheme than the API's: never followed."""


class ResponseTooLarge(SourceError):
    """The body grew past LABOURDASH_MAX_RESPONSE_MB: reading stopped there."""


class ClientRequestError(SourceError):
    """HTTP 4xx other than 429: the request itself is wrong; the API's `detail` is included."""


class GoneError(ClientRequestError):
    """HTTP 410: the endpoint or API version is retired (Kolada v2 answers 410; use v3)."""


def gone_hint(url: str) -> str:
    """What a 410 means for this URL: a retired v2 base URL, or a resource withdrawn by the API."""
    path = httpx.URL(url).path
    if "/v2/" in path + "/" and "kolada" in url.lower():
        return " — Kolada API v2 is retired: set LABOURDASH_KOLADA_URL to the v3 base URL"
    return " — the API says this resource is gone (withdrawn or moved); check the seeds"


# --- result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchResult:
    """One successful response, with the exact bytes the API sent (spooled to a file) and what was
    asked."""

    url: str
    method: str
    params: dict[str, Any]
    request_json: Any
    status: int
    body: SpooledBody
    fetched_at: datetime

    @cached_property
    def _decoded(self) -> Any:
        return decode_json(self.body.read(), self.url, self.method)

    def json(self) -> Any:
        """Decode the body as JSON (once, parsed from its file); MalformedResponse when invalid."""
        return self._decoded

    @property
    def content(self) -> bytes:
        """The exact body bytes, read from the spool file (or the archive, once archived)."""
        return self.body.read()

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the exact body bytes (computed while they arrived)."""
        return self.body.sha256

    @property
    def size(self) -> int:
        """Size of the body in bytes."""
        return self.body.size


def decode_json(content: bytes, url: str, method: str = "GET") -> Any:
    """Parse JSON bytes, raising MalformedResponse with a clear cause."""
    try:
        return fastjson.loads(content)
    except RecursionError as exc:
        raise MalformedResponse(
            url, f"JSON nested too deeply to parse in {len(content)}-byte body", method=method
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        looks_json = content.lstrip()[:1] in (b"{", b"[")
        hint = " (body looks truncated)" if looks_json else ""
        raise MalformedResponse(
            url, f"invalid JSON in {len(content)}-byte body{hint}: {exc}", method=method
        ) from exc


# --- fetcher --------------------------------------------------------------------------------


class Closing:
    """A context manager over `close()`: `with X(...) as x:` closes x on the way out."""

    def close(self) -> None:
        """Release what the object holds."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HttpFetcher(Closing):
    """GET/POST with retries (429 Retry-After, 5xx, timeouts), a rate limiter and FetchResults."""

    def __init__(
        self,
        *,
        timeout: float = 60.0,
        retries: int = 5,
        max_retry_after: float = 120.0,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        limiter: RateLimiter | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        spool_dir: Path | None = None,
    ) -> None:
        """`spool_dir`: where bodies are streamed to (the archive's `raw/.tmp`; None: system tmp)."""
        self.retries = retries
        self.max_response_bytes = max_response_bytes
        self.spool_dir = spool_dir
        self.timeout = timeout  # overall deadline of one attempt, not only of each socket read
        self.max_retry_after = max_retry_after
        self.backoff = backoff
        self.limiter = limiter or RateLimiter()
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            follow_redirects=False,  # followed by _send, on the request's own host only
            transport=transport or deadline.deadline_transport(),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kw: Any) -> FetchResult:
        """GET with retries."""
        return self.request("GET", url, params=params, **kw)

    def post(
        self, url: str, json_body: Any, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> FetchResult:
        """POST a JSON body with retries."""
        return self.request("POST", url, params=params, json_body=json_body, **kw)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        expect_json: bool = True,
    ) -> FetchResult:
        """Send one logical request, retrying transient failures; raise a SourceError at the end."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, SourceError) and e.retryable),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, url, dict(params or {}), json_body, expect_json)
        except SourceError as exc:
            exc.attempts = retrying.statistics.get("attempt_number", 1)
            log.error("%s", exc)
            raise

    # one HTTP exchange -> FetchResult or SourceError
    def _attempt(
        self, method: str, url: str, params: dict[str, Any], json_body: Any, expect_json: bool
    ) -> FetchResult:
        kw: dict[str, Any] = {"params": params or None}
        if json_body is not None:
            kw["json"] = json_body
        full = str(httpx.URL(url, params=params or None))
        deadline.check_run(f"before {method} {full}")
        with self.limiter.slot():
            try:
                response, body = self._send(method, url, full, kw)
            except httpx.TimeoutException as exc:
                deadline.check_run(f"during {method} {full}")
                raise SourceTimeout(
                    full,
                    f"timed out ({type(exc).__name__}): no complete answer (connect, headers and "
                    f"body) within the {self.timeout:g} s deadline (LABOURDASH_HTTP_TIMEOUT)",
                    method=method,
                ) from exc
            except httpx.RemoteProtocolError as exc:
                raise MalformedResponse(
                    full, f"truncated or broken response: {exc}", method=method, retryable=True
                ) from exc
            except httpx.TransportError as exc:
                raise SourceConnectionError(
                    full, f"connection failed: {type(exc).__name__}: {exc}", method=method
                ) from exc
        final = str(response.url)
        log.debug("%s %s -> %s (%d bytes)", method, final, response.status_code, body.size)
        if response.status_code >= 400:
            body.discard()  # an error answer: its (capped) body only feeds the message
            self._raise_for_status(response, method, final)
        result = FetchResult(
            url=final,
            method=method,
            params=params,
            request_json=json_body,
            status=response.status_code,
            body=body,
            fetched_at=datetime.now(UTC),
        )
        if expect_json:
            try:
                result.json()
            except MalformedResponse as exc:
                exc.retryable = True  # a cut or garbled transfer is usually transient
                raise
        return result

    def _send(
        self, method: str, url: str, full: str, kw: dict[str, Any]
    ) -> tuple[httpx.Response, SpooledBody]:
        """One exchange under an overall deadline (connect, headers, body), redirects on-site only."""
        end = time.monotonic() + self.timeout
        left = deadline.run_remaining()
        if left is not None:
            end = min(end, time.monotonic() + max(left, 0.0))
        request = self._client.build_request(method, url, **kw)
        with deadline.request_deadline(end):
            for _ in range(MAX_REDIRECTS + 1):
                response = self._client.send(request, stream=True)
                if not response.has_redirect_location:
                    return self._read(response, method, full, end)
                response.close()
                target = response.next_request
                if target is None or origin(target.url) != origin(request.url):
                    where = target.url if target is not None else "?"
                    raise OffsiteRedirect(
                        full,
                        f"HTTP {response.status_code} redirect to {where} refused: it leaves "
                        f"{request.url.scheme}://{request.url.netloc.decode()} (the configured API)",
                        method=method,
                        status=response.status_code,
                    )
                log.info("%s %s: redirected to %s", method, full, target.url)
                request = target
        raise OffsiteRedirect(full, f"more than {MAX_REDIRECTS} redirects", method=method)

    def _read(
        self, response: httpx.Response, method: str, full: str, end: float
    ) -> tuple[httpx.Response, SpooledBody]:
        """Stream a response's body to a spool file, cut off at the deadline and at the size cap.

        Past the cap, reading stops and the partial file is deleted. An error answer (4xx/5xx) is
        returned with its body in memory too, for the message.
        """
        cap = self.max_response_bytes
        try:
            declared = int(response.headers.get("Content-Length", "") or -1)
        except ValueError:
            declared = -1

        def in_time(size: int) -> None:
            if time.monotonic() > end:
                deadline.check_run(f"during {method} {full}")
                raise SourceTimeout(
                    full,
                    f"timed out: the response took longer than the {self.timeout:g} s "
                    f"deadline (LABOURDASH_HTTP_TIMEOUT); {size} bytes arrived",
                    method=method,
                )

        try:
            if declared > cap:
                raise self._too_large(full, method, f"its Content-Length is {declared:,} bytes")
            try:
                body = spool(response.iter_bytes(), self.spool_dir, cap, in_time)
            except SizeCapExceeded as exc:
                raise self._too_large(full, method, f"{exc.size:,} bytes arrived") from None
        finally:
            response.close()
        if response.status_code < 400:
            return response, body
        error = httpx.Response(
            response.status_code,
            # the body is decoded already: drop the encoding so it is not decoded twice
            headers=[
                (k, v) for k, v in response.headers.items() if k.lower() != "content-encoding"
            ],
            content=body.read(),
            request=response.request,
            extensions=response.extensions,
        )
        return error, body

    def _too_large(self, full: str, method: str, what: str) -> ResponseTooLarge:
        mb = self.max_response_bytes / 1024 / 1024
        return ResponseTooLarge(
            full,
            f"response larger than the cap of {mb:g} MB (LABOURDASH_MAX_RESPONSE_MB): {what}; "
            "reading stopped and the partial body deleted",
            method=method,
        )

    def _raise_for_status(self, response: httpx.Response, method: str, url: str) -> None:
        code = response.status_code
        if code < 400:
            return
        detail = problem_detail(response.content)
        reason = f"HTTP {code} {response.reason_phrase}" + (f": {detail}" if detail else "")
        kw: dict[str, Any] = {"method": method, "status": code, "detail": detail}
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if code == 429 or (code == 503 and retry_after is not None):
            if retry_after is not None and retry_after > self.max_retry_after:
                cls = RateLimitedError if code == 429 else ServerError
                raise cls(
                    url,
                    f"{reason}; Retry-After {retry_after:g} s exceeds the cap of "
                    f"{self.max_retry_after:g} s (LABOURDASH_MAX_RETRY_AFTER)",
                    retry_after=retry_after,
                    retryable=False,
                    **kw,
                )
            if code == 429:
                raise RateLimitedError(url, reason, retry_after=retry_after, **kw)
        if code >= 500:
            if retry_after is not None and retry_after > self.max_retry_after:
                retry_after = None  # an odd hint on a 5xx: fall back to backoff
            raise ServerError(url, reason, retry_after=retry_after, **kw)
        if code == 410:
            raise GoneError(url, f"{reason}{gone_hint(url)}", **kw)
        raise ClientRequestError(url, reason, **kw)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return float(retry_after)
        return min(self.backoff * 2 ** (state.attempt_number - 1), MAX_BACKOFF)

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "attempt %d/%d failed, retrying in %.2f s: %s",
            state.attempt_number,
            self.retries + 1,
            wait,
            exc,
        )


class ApiClient(Closing):
    """Base of the API clients: one HttpFetcher, settings wiring, context management."""

    url_setting: ClassVar[str] = ""  # name of the Settings field with this API's base URL

    def __init__(self, base_url: str, *, fetcher: HttpFetcher | None = None, **http: Any) -> None:
        """`http`: HttpFetcher's keyword arguments (timeout, retries, backoff, limiter, ...)."""
        self.base_url = base_url.rstrip("/")
        self.http = fetcher or HttpFetcher(**http)

    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> Self:
        """A client for this API's base-URL setting with the settings' timeout, retries and cap."""
        kw.setdefault("timeout", settings.http_timeout)
        kw.setdefault("retries", settings.http_retries)
        kw.setdefault("max_retry_after", settings.max_retry_after)
        mb = getattr(settings, "max_response_mb", None)
        if mb is not None:
            kw.setdefault("max_response_bytes", int(mb * 1024 * 1024))
        if getattr(settings, "spool_dir", None) is not None:
            kw.setdefault("spool_dir", settings.spool_dir)
        if getattr(settings, "http_backoff", None) is not None:
            kw.setdefault("backoff", settings.http_backoff)
        return cls(getattr(settings, cls.url_setting), **kw)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()
