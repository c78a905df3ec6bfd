"""Kolada API v3 client (HTTP only): metadata, values with <=25 ids per segment, next_url paging."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from etl.sources.http import ApiClient, FetchResult, MalformedResponse
from etl.sources.paging import MAX_PAGES, PageGuard

log = logging.getLogger(__name__)

MAX_IDS = 25  # Kolada refuses more ids than this in one path segment
PER_PAGE = 5000
VALUE_KEYS = ("kpi", "municipality", "period", "values")


def chunked(items: Sequence[Any], size: int = MAX_IDS) -> list[list[Any]]:
    """Split a list into chunks of at most `size`, keeping order and dropping duplicates."""
    unique = list(dict.fromkeys(items))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


def page_items(results: Iterable[FetchResult]) -> list[dict[str, Any]]:
    """All `values` items of a list of pages."""
    return [item for result in results for item in result.json()["values"]]


def _check_page(result: FetchResult, item_keys: Sequence[str] = ()) -> dict[str, Any]:
    body = result.json()
    problem = None
    if not isinstance(body, dict) or not isinstance(body.get("values"), list):
        problem = "expected an object with a 'values' list"
    elif body.get("next_url") is not None and not isinstance(body["next_url"], str):
        problem = "'next_url' is not a string"
    else:
        for item in body["values"]:
            if not isinstance(item, dict) or any(k not in item for k in item_keys):
                problem = f"'values' item without {list(item_keys)}: {str(item)[:80]}"
                break
    if problem:
        raise MalformedResponse(
            result.url, f"unexpected JSON shape: {problem}", method=result.method
        )
    return body


class KoladaClient(ApiClient):
    """Kolada v3: /kpi, /municipality, /municipality_groups and /data/kpi/…/municipality/…/year/…."""

    url_setting = "kolada_url"

    def __init__(
        self, base_url: str, *, per_page: int = PER_PAGE, max_pages: int = MAX_PAGES, **kw: Any
    ) -> None:
        super().__init__(base_url, **kw)
        self.per_page = per_page
        self.max_pages = max_pages

    def pages(self, path: str, item_keys: Sequence[str] = (),
              extra: dict[str, Any] | None = None) -> list[FetchResult]:  # fmt: skip
        """GET a path and every page after it by following `next_url`, within `paging` bounds."""
        url: str | None = f"{self.base_url}/{path.lstrip('/')}"
        params: dict[str, Any] | None = {"per_page": self.per_page, **(extra or {})}
        guard = PageGuard(self.max_pages, self.base_url)
        results: list[FetchResult] = []
        while url:
            result = self.http.get(url, params)
            body = _check_page(result, item_keys)
            results.append(result)
            url = guard.next(result, body)
            params = None  # next_url carries its own query string
        log.debug("kolada %s: %d page(s)", path, len(results))
        return results

    def kpis(self, ids: Sequence[str] | None = None) -> list[FetchResult]:
        """KPI metadata: all KPIs, or the given ids (<=25 per request)."""
        if not ids:
            return self.pages("kpi", ("id", "title"))
        return [r for chunk in chunked(ids) for r in self.pages(f"kpi/{','.join(chunk)}", ("id",))]

    def municipalities(self) -> list[FetchResult]:
        """All municipalities and regions (id, title, type K/L)."""
        return self.pages("municipality", ("id", "title"))

    def municipality_groups(self) -> list[FetchResult]:
        """All municipality groups with their members."""
        return self.pages("municipality_groups", ("id", "title"))

    def changed_since(self, kpi_ids: Sequence[str], years: Sequence[int | str],
                      from_date: str) -> list[FetchResult]:  # fmt: skip
        """Values of any municipality changed since `from_date`, <=25 KPIs and years per call.

        Kolada's `/data/kpi/{ids}/year/{years}` answers for every municipality (no municipality
        segment), so one call covers up to 25 KPIs where `values` needs one per 25 areas.
        """
        results: list[FetchResult] = []
        for kpis in chunked(kpi_ids):
            for period in chunked([str(y) for y in years]):
                path = f"data/kpi/{','.join(kpis)}/year/{','.join(period)}"
                results.extend(self.pages(path, VALUE_KEYS, {"from_date": from_date}))
        return results

    def values(
        self, kpi_ids: Sequence[str], area_ids: Sequence[str], years: Sequence[int | str],
        from_date: str | None = None,
    ) -> list[FetchResult]:  # fmt: skip
        """KPI values for areas and years: one FetchResult per page, <=25 ids per segment.

        With `from_date` (YYYY-MM-DD) Kolada sends only the values changed since that date.
        """
        results: list[FetchResult] = []
        for kpis in chunked(kpi_ids):
            for areas in chunked(area_ids):
                for period in chunked([str(y) for y in years]):
                    path = (
                        f"data/kpi/{','.join(kpis)}/municipality/{','.join(areas)}"
                        f"/year/{','.join(period)}"
                    )
                    extra = {"from_date": from_date} if from_date else {}
                    results.extend(self.pages(path, VALUE_KEYS, extra))
        log.info(
            "kolada: %d KPI(s) x %d area(s) x %d year(s) in %d page(s)",
            len(set(kpi_ids)),
            len(set(area_ids)),
            len(set(years)),
            len(results),
        )
        return results
