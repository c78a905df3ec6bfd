"""SCB geodata WFS route of the stand-in: GetFeature as GeoJSON, schematic RegSO cells (synthetic)."""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, Response, request

from .faults import problem


@cache
def _layer(type_name: str) -> bytes | None:
    if type_name != "stat:RegSO_2025":
        return None
    from etl import synthetic

    return json.dumps(synthetic.regso_boundaries(), separators=(",", ":")).encode("utf-8")


def make_blueprint() -> Blueprint:
    """GET ?service=WFS&request=GetFeature&typeNames=…&outputFormat=application/json."""
    bp = Blueprint("geodata", __name__)

    @bp.get("/wfs")
    def wfs() -> Response:
        args = {k.lower(): v for k, v in request.args.items()}
        if args.get("service", "").upper() != "WFS" or args.get("request") != "GetFeature":
            return problem(400, "Bad Request", "only service=WFS&request=GetFeature is served")
        if args.get("outputformat") != "application/json":
            return problem(400, "Bad Request", "outputFormat must be application/json")
        body = _layer(args.get("typenames") or args.get("typename") or "")
        if body is None:
            return problem(400, "Bad Request", "Feature type unknown")
        return Response(body, 200, mimetype="application/json")

    return bp
