"""Bounds on Kolada's `next_url` paging: the reported `count`, a hard page cap, repeated pages."""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from etl.sources.http import FetchResult, MalformedResponse, OffsiteRedirect, origin

log = logging.getLogger(__name__)

MAX_PAGES = 1000  # 5,000 values a page: far more than any one request of this product returns


def normalise(url: str) -> str:
    """A URL with its query parameters sorted, so the same page is recognised however it is spelt."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))


class PageGuard:
    """Decides whether to follow a page's `next_url`; raises MalformedResponse when paging runs away.

    - a URL (or an identical body) seen before means the pages loop;
    - a page with no values ends the chain even if it names a next page;
    - `count` above the values on the first page is a total: it bounds the number of pages;
    - never more than `max_pages` pages;
    - a next_url off the API's scheme and host (`base_url`) is refused (OffsiteRedirect).
    """

    def __init__(self, max_pages: int = MAX_PAGES, base_url: str | None = None) -> None:
        self.max_pages = max_pages
        self.origin = origin(base_url) if base_url else None
        self.seen_urls: set[str] = set()
        self.seen_bodies: dict[str, int] = {}
        self.pages = 0
        self.items = 0
        self.total: int | None = None
        self.limit = max_pages

    def _fail(self, result: FetchResult, cause: str) -> MalformedResponse:
        return MalformedResponse(
            result.url, f"Kolada paging stopped: {cause}", method=result.method
        )

    def next(self, result: FetchResult, body: dict[str, Any]) -> str | None:
        """The absolute URL of the next page to fetch, or None when the chain is complete."""
        self.pages += 1
        values = body.get("values") or []
        self.items += len(values)
        self.seen_urls.add(normalise(result.url))
        earlier = self.seen_bodies.get(result.sha256)
        if earlier is not None and values:
            raise self._fail(result, f"page {self.pages} repeats page {earlier} (next_url loops)")
        self.seen_bodies.setdefault(result.sha256, self.pages)
        count = body.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            if count < len(values):
                raise self._fail(
                    result, f"the page reports count {count} but holds {len(values)} values"
                )
            if self.pages == 1 and count > len(values) and values:
                self.total = count
                self.limit = min(self.max_pages, math.ceil(count / len(values)) + 1)
        next_url = body.get("next_url")
        if not next_url:
            return None
        if not values:
            log.warning("kolada: %s has no values but names a next page; stopping", result.url)
            return None
        if self.total is not None and self.items >= self.total:
            log.warning(
                "kolada: all %d values reported by count are in; ignoring next_url", self.total
            )
            return None
        absolute = urljoin(result.url, next_url)
        if self.origin is not None and origin(absolute) != self.origin:
            raise OffsiteRedirect(
                result.url,
                f"Kolada paging stopped: next_url {absolute} leaves the configured API's host",
                method=result.method,
            )
        if normalise(absolute) in self.seen_urls:
            raise self._fail(result, f"next_url loops back to {absolute}")
        limit = self.limit
        if self.pages >= limit:
            raise self._fail(
                result,
                f"more than {limit} pages (count {self.total if self.total is not None else 'n/a'}, "
                f"{self.items} values so far) and next_url keeps going",
            )
        return absolute
