"""SCB's open geodata (GeoServer WFS): area boundaries as GeoJSON, HTTP only, paged."""

from __future__ import annotations

import logging
from typing import Any

from etl.sources.http import ApiClient, FetchResult, MalformedResponse

log = logging.getLogger(__name__)

PAGE_SIZE = 500  # features per GetFeature call (WFS 2.0 `count`); each page is retried on its own
MAX_PAGES = 200


def feature_params(type_name: str, start: int, count: int, sort_by: str = "") -> dict[str, Any]:
    """The query of one WFS 2.0 GetFeature page in WGS84 GeoJSON (sorted, for stable pages)."""
    params = {
        "service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": type_name,
        "outputFormat": "application/json", "srsName": "EPSG:4326",
        "count": count, "startIndex": start,
    }  # fmt: skip
    if sort_by:
        params["sortBy"] = sort_by
    return params


class GeodataClient(ApiClient):
    """GetFeature requests against a WFS endpoint, `count`/`startIndex` pages (WGS84 GeoJSON)."""

    url_setting = "geodata_url"
    page_size = PAGE_SIZE

    def _page(self, type_name: str, start: int, sort_by: str) -> tuple[FetchResult, dict]:
        params = feature_params(type_name, start, self.page_size, sort_by)
        result = self.http.get(self.base_url, params)
        body = result.json()
        if not isinstance(body, dict) or not isinstance(body.get("features"), list):
            raise MalformedResponse(
                result.url, f"WFS answer for {type_name} is not a FeatureCollection"
            )
        return result, body

    def feature_pages(self, type_name: str, sort_by: str = "") -> list[FetchResult]:
        """Every page of a layer, until a short page or `numberMatched` features are in."""
        pages: list[FetchResult] = []
        start = 0
        for _ in range(MAX_PAGES):
            result, body = self._page(type_name, start, sort_by)
            pages.append(result)
            n = len(body["features"])
            start += n
            matched = body.get("numberMatched")
            total = matched if isinstance(matched, int) else None
            if n < self.page_size or n == 0 or (total is not None and start >= total):
                log.info("geodata %s: %d features in %d page(s)", type_name, start, len(pages))
                return pages
        raise MalformedResponse(
            pages[-1].url, f"WFS layer {type_name} did not end within {MAX_PAGES} pages"
        )


def merge_pages(pages: list[dict]) -> dict:
    """One FeatureCollection from the pages of a layer (features in page order)."""
    features = [f for page in pages for f in page.get("features", [])]
    return {"type": "FeatureCollection", "features": features, "numberMatched": len(features)}
