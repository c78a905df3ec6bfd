"""SCB's open geodata (GeoServer WFS): area boundaries as GeoJSON, HTTP only."""

from __future__ import annotations

import logging

from etl.sources.http import ApiClient, FetchResult, MalformedResponse

log = logging.getLogger(__name__)


class GeodataClient(ApiClient):
    """GetFeature requests against a WFS endpoint (WGS84 GeoJSON out)."""

    url_setting = "geodata_url"

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
