"""Fault injection for the stand-in: for a path pattern, the next N responses go wrong."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Response

KINDS = (
    "429",  # Too Many Requests with Retry-After (`retry_after`, seconds or an HTTP-date)
    "500",
    "503",  # Service Unavailable (with Retry-After when `retry_after` is given)
    "timeout",  # stall `delay` seconds before answering, or until the fault is cleared (set it
    # far above the client's timeout: the client gives up at its deadline, whatever the load)
    "truncated",  # Content-Length says more than is sent, then the connection closes
    "cut_json",  # the real body cut in half, with a matching Content-Length
    "malformed_json",  # a body that is not JSON at all
    "wrong_shape",  # valid JSON of the wrong shape
    "status",  # any `status` with a Problem body (`detail`)
    "drip",  # the real body sent `chunk` bytes at a time, `delay` seconds apart (a slow drip)
    "reset",  # half the real body, then the connection is dropped (a reset mid-body)
    "next_loop",  # Kolada: the page's next_url points back at the page itself
    "next_endless",  # Kolada: every page names a next page, for ever
    "empty_values",  # Kolada: the real page with its `values` emptied
    "rewrite",  # the real JSON body passed through `transform` (drift: renamed or changed codes)
    "redirect",  # `status` (302) to `location`, e.g. another host
    "trickle_headers",  # the status line and headers sent one byte every `delay` seconds
    "huge",  # a 200 JSON body of `size` bytes, chunked (no Content-Length), sent `chunk` at a time
    "raw",  # a 200 answer with the bytes `body` (e.g. JSON nested too deeply to parse)
)
# these mangle the real response after it is built
BODY_KINDS = ("truncated", "cut_json", "drip", "reset", "next_loop", "next_endless", "empty_values",
              "rewrite")  # fmt: skip


@dataclass
class Fault:
    """One programmed fault; `times=None` means every matching request, for ever."""

    pattern: str
    kind: str
    times: int | None = 1
    method: str | None = None
    retry_after: str | float | None = None
    delay: float = 1.0
    status: int | None = None
    detail: str = "injected fault"
    chunk: int = 20
    transform: Any = None  # for "rewrite": dict -> dict
    location: str = ""  # for "redirect"
    size: int = 0  # for "huge"
    body: bytes = b""  # for "raw"
    give_up: float = 60.0  # "trickle_headers" stops after this many seconds at the latest
    hits: int = 0
    released: threading.Event = field(default_factory=threading.Event, repr=False)
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.kind = str(self.kind)
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {KINDS}")
        self._regex = re.compile(self.pattern)

    def matches(self, method: str, target: str) -> bool:
        """Whether this fault applies to a request (method + path?query)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return bool(self._regex.search(target))


class FaultPlan:
    """The faults programmed for one test, consumed in order under a lock."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        """Program a fault."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            for fault in self._faults:
                fault.released.set()  # a stalled answer ends now
            self._faults.clear()

    def take(self, method: str, target: str) -> Fault | None:
        """The first matching fault with hits left (counting this hit), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, target):
                    fault.hits += 1
                    return fault
        return None


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """An RFC 7807 Problem response, as PxWebApi sends them."""
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
    return Response(body, status, headers=headers, mimetype="application/problem+json")


def early_response(fault: Fault) -> Response | None:
    """The response for faults that replace the real one (None for timeout/body faults)."""
    if fault.kind == "timeout":
        fault.released.wait(fault.delay)
        return None
    if fault.kind in BODY_KINDS:
        return None
    if fault.kind == "429":
        ra = fault.retry_after if fault.retry_after is not None else 1
        return problem(429, "Too many requests", fault.detail, {"Retry-After": str(ra)})
    if fault.kind in ("500", "503"):
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        title = "Internal Server Error" if fault.kind == "500" else "Service Unavailable"
        return problem(int(fault.kind), title, fault.detail, headers)
    if fault.kind == "malformed_json":
        return Response(b"<html><body>Bad gateway</body></html>", 200, mimetype="application/json")
    if fault.kind == "redirect":
        return Response(b"", fault.status or 302, headers={"Location": fault.location})
    if fault.kind == "trickle_headers":
        return _trickle_headers(fault)
    if fault.kind == "huge":
        return Response(_huge(fault), 200, mimetype="application/json", direct_passthrough=True)
    if fault.kind == "raw":
        return Response(fault.body, 200, mimetype="application/json")
    if fault.kind == "wrong_shape":
        return Response(b'{"unexpected": [1, 2, 3]}', 200, mimetype="application/json")
    return problem(fault.status or 400, "Injected", fault.detail)


def _huge(fault: Fault):
    step = max(fault.chunk, 64 * 1024)
    yield b'{"pad": "'
    for sent in range(0, fault.size, step):
        yield b"x" * min(step, fault.size - sent)
    yield b'"}'


def _trickle_headers(fault: Fault) -> Response:
    """Write a status line and headers straight to the socket, a byte at a time, until the
    client hangs up (or `give_up` seconds pass); the answer is never completed."""
    from flask import request

    sock = request.environ["werkzeug.socket"]
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Pad: " + b"x" * 4096
    end = time.monotonic() + fault.give_up
    try:
        for i in range(len(head)):
            if time.monotonic() > end:
                break
            sock.sendall(head[i : i + 1])
            time.sleep(fault.delay)
    except OSError:
        pass  # the client gave up: what the fault is for
    return Response(b"trickled headers: abandoned", 504)  # written to a closed socket: dropped


def _stream(fault: Fault, data: bytes):
    step = max(fault.chunk, 1)
    stop = len(data) // 2 if fault.kind == "reset" else len(data)
    for i in range(0, stop, step):
        yield data[i : min(i + step, stop)]
        if fault.kind == "drip":
            time.sleep(fault.delay)
    if fault.kind == "reset":
        raise ConnectionResetError("injected reset mid-body")


def _kolada_body(fault: Fault, response: Response) -> Response:
    from urllib.parse import parse_qsl, urlencode

    from flask import request

    body = json.loads(response.get_data())
    if fault.kind == "empty_values":
        body["values"], body["count"] = [], 0
    elif fault.kind == "next_loop":
        body["next_url"] = request.url
    else:
        args = dict(parse_qsl(request.query_string.decode()))
        args["page"] = str(int(args.get("page", "1")) + 1)
        body["next_url"] = f"{request.base_url}?{urlencode(args)}"
    response.set_data(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return response


def mangle_body(fault: Fault, response: Response) -> Response:
    """Apply a body fault to a finished response."""
    if fault.kind in ("next_loop", "next_endless", "empty_values"):
        return _kolada_body(fault, response)
    if fault.kind == "rewrite":
        body = fault.transform(json.loads(response.get_data()))
        response.set_data(json.dumps(body, ensure_ascii=False).encode("utf-8"))
        return response
    data = response.get_data()
    if fault.kind in ("drip", "reset"):
        response.response = _stream(fault, data)
        response.direct_passthrough = True
        response.headers["Content-Length"] = str(len(data))
        return response
    half = data[: max(len(data) // 2, 1)]
    response.set_data(half)
    if fault.kind == "truncated":
        response.headers["Content-Length"] = str(len(data))  # promise more than is sent
    return response
