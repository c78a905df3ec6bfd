"""SCB's open geodata (GeoServer WFS): area boundaries as GeoJSON, HTTP only."""

from __future__ import annotations

import logging
from typing import Any

from etl.sources.http import FetchResult, HttpFetcher, MalformedResponse

log = logging.getLogger(__name__)


class GeodataClient:
    """GetFeature requests against a WFS endpoint (WGS84 GeoJSON out)."""

    def __init__(self, base_url: str, *, fetcher: HttpFetcher | None = None, **kw: Any) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = fetcher or HttpFetcher(**kw)

    @classmethod
    def from_settings(cls, settings: Any) -> GeodataClient:
        """A client for `settings.geodata_url` with the settings' timeout and retries."""
        return cls(
            settings.geodata_url, timeout=settings.http_timeout, retries=settings.http_retries,
            max_retry_after=settings.max_retry_after, backoff=settings.http_backoff,
        )  # fmt: skip

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    def __enter__(self) -> GeodataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def features(self, type_name: str) -> FetchResult:
        """All features of a layer as a GeoJSON FeatureCollection in EPSG:4326."""
        params = {
            "service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": type_name,
            "outputFormat": "application/json", "srsName": "EPSG:4326",
        }  # fmt: skip
        result = self.http.get(self.base_url, params)
        body = result.json()
        if not isinstance(body, dict) or not isinstance(body.get("features"), list):
            raise MalformedResponse(
                result.url, f"WFS answer for {type_name} is not a FeatureCollection"
            )
        log.info("geodata %s: %d features", type_name, len(body["features"]))
        return result
