"""SCB geodata WFS route of the stand-in: GetFeature as GeoJSON, schematic RegSO cells (synthetic)."""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, Response, request

from .faults import problem


@cache
def _layer(type_name: str) -> dict | None:
    if type_name != "stat:RegSO_2025":
        return None
    from etl.demo import synthetic

    return synthetic.regso_boundaries()


def _page(layer: dict, start: int, count: int | None, limit: int) -> bytes:
    """GeoServer's GeoJSON page: features[start:start+count] plus numberMatched/numberReturned."""
    features = layer["features"]
    size = min(count if count is not None else limit, limit)
    chunk = features[start : start + size]
    body = {**layer, "features": chunk, "totalFeatures": len(features),
            "numberMatched": len(features), "numberReturned": len(chunk)}  # fmt: skip
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def make_blueprint(state=None) -> Blueprint:
    """GET ?service=WFS&request=GetFeature&typeNames=…&outputFormat=application/json."""
    bp = Blueprint("geodata", __name__)

    @bp.get("/wfs")
    def wfs() -> Response:
        args = {k.lower(): v for k, v in request.args.items()}
        if args.get("service", "").upper() != "WFS" or args.get("request") != "GetFeature":
            return problem(400, "Bad Request", "only service=WFS&request=GetFeature is served")
        if args.get("outputformat") != "application/json":
            return problem(400, "Bad Request", "outputFormat must be application/json")
        layer = _layer(args.get("typenames") or args.get("typename") or "")
        if layer is None:
            return problem(400, "Bad Request", "Feature type unknown")
        try:
            start = int(args.get("startindex") or 0)
            count = args.get("count") or args.get("maxfeatures")
            count = int(count) if count is not None else None
        except ValueError:
            return problem(400, "Bad Request", "startIndex and count must be integers")
        limit = state.wfs_page_limit if state is not None else 1_000_000
        return Response(_page(layer, start, count, limit), 200, mimetype="application/json")

    return bp
