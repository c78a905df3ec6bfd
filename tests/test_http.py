"""The shared fetcher: retries, Retry-After, rate limiting, errors and exact bytes, over real HTTP."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from etl.sources.http import (
    ClientRequestError,
    FetchResult,
    GoneError,
    HttpFetcher,
    MalformedResponse,
    RateLimitedError,
    RateLimiter,
    ServerError,
    SourceConnectionError,
    SourceError,
    SourceTimeout,
    parse_retry_after,
)

TABLE = "/tables/TAB3200"


class Sleeps(list):
    """A sleep() that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def fetcher(sleeps: Sleeps):
    with HttpFetcher(timeout=2, retries=2, max_retry_after=30, backoff=0.01, sleep=sleeps) as f:
        yield f


def test_fetch_result_keeps_exact_bytes_and_request(standin, fetcher, shared_dir):
    result = fetcher.get(standin.scb_url + TABLE + "/metadata", {"lang": "sv"})
    assert isinstance(result, FetchResult)
    assert result.url == standin.scb_url + TABLE + "/metadata?lang=sv"
    assert (result.method, result.params, result.request_json, result.status) == (
        "GET",
        {"lang": "sv"},
        None,
        200,
    )
    assert result.fetched_at.tzinfo is UTC
    assert abs(result.fetched_at - datetime.now(UTC)) < timedelta(seconds=30)
    envelope = json.loads((shared_dir / "recorded/scb/TAB3200/metadata.json").read_text("utf-8"))
    assert result.json() == envelope["response"]
    assert json.loads(result.content) == envelope["response"]


def test_post_records_the_body(standin, fetcher):
    body = {"selection": [{"variableCode": "Region", "valueCodes": ["0180"]}]}
    standin.fault(r"/data", "status", status=418, detail="teapot")
    with pytest.raises(ClientRequestError):
        fetcher.post(standin.scb_url + TABLE + "/data", body, {"outputFormat": "json-stat2"})
    (sent,) = standin.requests(method="POST")
    assert sent.body == body and sent.query == {"outputFormat": "json-stat2"}


def test_429_retry_after_seconds_is_honoured(standin, fetcher, sleeps):
    standin.fault(TABLE, 429, times=2, retry_after="3")
    result = fetcher.get(standin.scb_url + TABLE)
    assert result.status == 200
    assert sleeps == [3.0, 3.0]
    assert [r.status for r in standin.requests(path=TABLE)] == [429, 429, 200]


def test_429_retry_after_http_date_is_honoured(standin, fetcher, sleeps):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    standin.fault(TABLE, 429, retry_after=when)
    assert fetcher.get(standin.scb_url + TABLE).status == 200
    assert len(sleeps) == 1 and 3.0 < sleeps[0] <= 5.0


def test_retry_after_above_cap_fails_at_once(standin, fetcher, sleeps):
    standin.fault(TABLE, 429, retry_after="600")
    with pytest.raises(RateLimitedError, match="exceeds the cap of 30 s") as err:
        fetcher.get(standin.scb_url + TABLE)
    assert err.value.retry_after == 600 and sleeps == []
    assert len(standin.requests(path=TABLE)) == 1


def test_persistent_429_gives_up(standin, fetcher):
    standin.fault(TABLE, 429, times=None, retry_after="0")
    with pytest.raises(RateLimitedError, match="gave up after 3 attempts"):
        fetcher.get(standin.scb_url + TABLE)
    assert len(standin.requests(path=TABLE)) == 3


def test_500_is_retried_with_exponential_backoff(standin, fetcher, sleeps):
    standin.fault(TABLE, 500, times=2)
    assert fetcher.get(standin.scb_url + TABLE).status == 200
    assert sleeps == [0.01, 0.02]


def test_persistent_500_raises_server_error_with_a_clear_message(standin, fetcher):
    standin.fault(TABLE, 500, times=None, detail="database down")
    with pytest.raises(ServerError) as err:
        fetcher.get(standin.scb_url + TABLE, {"lang": "sv"})
    message = str(err.value)
    assert "\n" not in message
    assert f"GET {standin.scb_url}{TABLE}?lang=sv" in message
    assert "HTTP 500" in message and "database down" in message
    assert "gave up after 3 attempts" in message
    assert err.value.status == 500 and err.value.attempts == 3


def test_503_retry_after_is_honoured(standin, fetcher, sleeps):
    standin.fault(TABLE, 503, retry_after="2")
    assert fetcher.get(standin.scb_url + TABLE).status == 200
    assert sleeps == [2.0]


def test_timeout_is_retried_then_raises_source_timeout(standin, sleeps):
    with HttpFetcher(timeout=0.2, retries=1, backoff=0.01, sleep=sleeps) as fetcher:
        standin.fault(TABLE, "timeout", times=1, delay=0.6)
        assert fetcher.get(standin.scb_url + TABLE).status == 200
        standin.fault(TABLE, "timeout", times=None, delay=0.6)
        with pytest.raises(SourceTimeout, match="timed out"):
            fetcher.get(standin.scb_url + TABLE)


@pytest.mark.parametrize("kind", ["truncated", "cut_json", "malformed_json"])
def test_broken_bodies_raise_malformed_response(standin, fetcher, kind):
    standin.fault(TABLE, kind, times=None)
    with pytest.raises(MalformedResponse) as err:
        fetcher.get(standin.scb_url + TABLE)
    expected = "truncated" if kind != "malformed_json" else "invalid JSON"
    assert expected in str(err.value)
    assert len(standin.requests(path=TABLE)) == 3  # a cut transfer is retried


def test_truncated_body_once_recovers(standin, fetcher):
    standin.fault(TABLE, "truncated")
    assert fetcher.get(standin.scb_url + TABLE).json()["id"] == "TAB3200"


def test_4xx_is_not_retried_and_carries_the_problem_detail(standin, fetcher):
    with pytest.raises(ClientRequestError) as err:
        fetcher.get(standin.scb_url + "/tables/TAB0000")
    assert err.value.status == 404 and not isinstance(err.value, GoneError)
    assert "Table with id TAB0000 can not be found" in str(err.value)
    assert len(standin.requests(path="TAB0000")) == 1


def test_410_raises_gone_error_pointing_to_v3(standin, fetcher):
    with pytest.raises(GoneError, match="use v3"):
        fetcher.get(standin.kolada_v2_url + "/kpi")


def test_connection_refused_is_a_source_error(fetcher):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceConnectionError) as err:
        fetcher.get(f"http://127.0.0.1:{port}/x")
    assert isinstance(err.value, SourceError) and "connection failed" in str(err.value)


def test_parse_retry_after_forms():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("0.5", now) == 0.5
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:09 GMT", now) == 9.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_rate_limiter_sliding_window():
    clock = FakeClock()
    limiter = RateLimiter(3, 10.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(7):
        with limiter.slot():
            starts.append(clock.now)
            clock.now += 1.0  # each call takes a second
    # a slot is held until `window` seconds after its call finished
    assert starts == [0.0, 1.0, 2.0, 11.0, 12.0, 13.0, 22.0]
    for i in range(len(starts) - 3):
        assert starts[i + 3] >= starts[i] + 1.0 + 10.0


def test_rate_limiter_unlimited_still_counts_calls():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(5):
        with limiter.slot():
            pass
    assert clock.now == 0.0 and limiter.calls_in_window == 5
    limiter.configure(2, 1.0)
    with limiter.slot():
        pass
    assert clock.now == pytest.approx(1.0)


def test_rate_limiter_keeps_the_server_happy(standin):
    standin.set_scb_limits(max_calls=3, window=0.3)
    limiter = RateLimiter(3, 0.3)
    with HttpFetcher(timeout=2, retries=0, limiter=limiter) as fetcher:
        for _ in range(8):
            fetcher.get(standin.scb_url + TABLE)
    statuses = [r.status for r in standin.requests(path=TABLE)]
    assert statuses == [200] * 8
    times = [r.at for r in standin.requests(path=TABLE)]
    assert times[-1] - times[0] >= 0.5


def test_without_rate_limiter_the_server_says_429(standin):
    standin.set_scb_limits(max_calls=3, window=5)
    with HttpFetcher(timeout=2, retries=0) as fetcher:
        for _ in range(3):
            fetcher.get(standin.scb_url + TABLE)
        with pytest.raises(RateLimitedError) as err:
            fetcher.get(standin.scb_url + TABLE)
    assert 0 < err.value.retry_after <= 5


def test_fetch_result_sha256_and_cached_json(standin, fetcher):
    result = fetcher.get(standin.scb_url + "/config")
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.json() is result.json()
    assert "_decoded" not in dataclasses.asdict(result)


def test_503_retry_after_above_cap_fails_and_500_ignores_it(standin, fetcher, sleeps):
    standin.fault(TABLE, 503, retry_after="900")
    with pytest.raises(ServerError, match="exceeds the cap"):
        fetcher.get(standin.scb_url + TABLE)
    standin.fault(TABLE, 500, retry_after="900")
    assert fetcher.get(standin.scb_url + TABLE).status == 200
    assert sleeps == [0.01]


# --- hostile upstreams --------------------------------------------------------------------------


def test_odd_retry_after_values_are_ignored():
    for odd in ("nan", "NaN", "inf", "-inf", "1e999", "Mon, 99 Foo 2026 25:61:61 GMT"):
        assert parse_retry_after(odd) is None, odd


def test_429_with_retry_after_nan_falls_back_to_backoff(standin, fetcher, sleeps):
    standin.fault(TABLE, "429", times=1, retry_after="nan")
    assert fetcher.get(standin.scb_url + TABLE).status == 200
    assert sleeps == [0.01]  # the backoff, not NaN


def test_deeply_nested_json_is_one_line_naming_the_url(standin, fetcher):
    standin.fault(TABLE, "raw", times=None, body=b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(MalformedResponse) as err:
        fetcher.get(standin.scb_url + TABLE)
    text = str(err.value)
    assert "nested too deeply" in text and standin.scb_url + TABLE in text and "\n" not in text


def test_redirect_off_the_host_is_refused(standin, fetcher, standin_server):
    from etl.sources.http import OffsiteRedirect

    target = "http://localhost:9/elsewhere"  # another host: never contacted
    standin.fault(TABLE, "redirect", times=None, status=302, location=target)
    with pytest.raises(OffsiteRedirect, match="redirect to http://localhost:9/elsewhere refused"):
        fetcher.get(standin.scb_url + TABLE)
    assert len(standin.requests(path=TABLE)) == 1  # not retried either


def test_redirect_on_the_host_is_followed(standin, fetcher):
    standin.fault(
        TABLE + "$", "redirect", times=1, status=301, location=standin.scb_url + TABLE + "?x=1"
    )
    result = fetcher.get(standin.scb_url + TABLE)
    assert result.status == 200 and result.url.endswith("?x=1")


def test_body_over_the_cap_stops_reading(standin, sleeps):
    from etl.sources.http import ResponseTooLarge

    standin.fault(TABLE, "huge", times=None, size=64 * 1024 * 1024)
    capped = HttpFetcher(timeout=30, retries=0, sleep=sleeps, max_response_bytes=256 * 1024)
    with capped as f, pytest.raises(ResponseTooLarge, match="larger than the cap of 0.25 MB"):
        f.get(standin.scb_url + TABLE)


def test_trickled_headers_hit_the_request_deadline(standin, sleeps):
    """One byte of status line and headers every 0.2 s: the 1 s deadline covers them."""
    standin.fault(TABLE, "trickle_headers", times=None, delay=0.2, give_up=60)
    fetcher = HttpFetcher(timeout=1, retries=0, sleep=sleeps)
    with fetcher as f, pytest.raises(SourceTimeout, match="connect, headers and body"):
        f.get(standin.scb_url + TABLE)
