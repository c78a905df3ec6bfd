"""Kolada v3 routes of the stand-in: reference metadata, recorded values, next_url paging."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from . import data, scale

if TYPE_CHECKING:
    from .server import StandInState

MAX_IDS = 25
SYNTHETIC_YEARS = list(range(2010, 2025))
GENDER_ORDER = {"K": 0, "M": 1, "T": 2}
BASE_DATE = "2024-08-01"  # when every value was last changed (the recordings are from August 2024)


class KoladaError(Exception):
    """Raised inside a handler to answer with a JSON error."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.response = Response(
            json.dumps({"detail": detail}), status, mimetype="application/json"
        )


def _ids(segment: str | None) -> list[str] | None:
    if segment is None:
        return None
    ids = [i for i in segment.split(",") if i]
    if len(ids) > MAX_IDS:
        raise KoladaError(400, f"At most {MAX_IDS} ids per path segment, got {len(ids)}")
    if not ids:
        raise KoladaError(400, "empty id list in path")
    return ids


def _items_for_values(
    state: StandInState, kpis: list[str], areas: list[str] | None, years: list[str] | None
) -> list[dict[str, Any]]:
    catalogue = {k["id"] for k in data.kolada_kpi_catalogue(state.shared_dir)}
    items: list[dict[str, Any]] = []
    for kpi in kpis:
        recorded = data.kolada_recorded(kpi, state.shared_dir)
        if recorded:
            keys = sorted(
                key
                for key in recorded
                if (areas is None or key[0] in areas) and (years is None or str(key[1]) in years)
            )
            for area, year in keys:
                genders = sorted(recorded[(area, year)].items(), key=lambda g: GENDER_ORDER[g[0]])
                values = [{"gender": g, "count": 1, "status": None, "value": v} for g, v in genders]
                items.append({"kpi": kpi, "municipality": area, "period": year, "values": values})
        elif kpi in catalogue:
            from etl.demo import synthetic  # written alongside; imported late

            area_ids = areas or [
                m["id"] for m in data.kolada_reference("municipalities", state.shared_dir)
            ]
            year_list = [int(y) for y in years] if years else SYNTHETIC_YEARS
            items.extend(synthetic.kolada_values(kpi, area_ids, year_list, span=state.years))
    return items


def _listed(item: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """A KPI listed by a test in the catalogue's item shape (other fields empty)."""
    return {**dict.fromkeys(shape), **item}


def _is_date(text: str) -> bool:
    parts = text.split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4


def _revised(state: StandInState, items: list[dict[str, Any]],
             from_date: str | None) -> list[dict[str, Any]]:  # fmt: skip
    """Apply programmed revisions; with `from_date`, keep only values changed since then.

    With `from_date` every value row carries `isdeleted` (as Kolada documented for v2's
    `is_deleted`; v3 spells it `isdeleted`), and a deleted value has no number.
    """
    out = []
    for item in items:
        changed = BASE_DATE
        values = [dict(v) for v in item["values"]]
        for rev in state.kpi_revisions.get(item["kpi"], []):
            if rev["areas"] is not None and item["municipality"] not in rev["areas"]:
                continue
            changed = max(changed, rev["date"])
            for v in values:
                if rev["value"] is not None:
                    v["value"] = rev["value"]
                elif v.get("value") is not None:
                    v["value"] = round(v["value"] + rev["shift"], 1)
                if rev["deleted"]:
                    v["value"], v["isdeleted"] = None, True
                if rev["gender_case"] == "lower":
                    v["gender"] = v["gender"].lower()
        if from_date is not None:
            if changed < from_date:
                continue
            for v in values:
                v.setdefault("isdeleted", False)
        out.append({**item, "values": values})
    return out


def make_blueprint(state: StandInState) -> Blueprint:
    """The Kolada v3 blueprint bound to one stand-in's state."""
    bp = Blueprint("kolada", __name__)

    @bp.errorhandler(KoladaError)
    def _error(exc: KoladaError) -> Response:
        return exc.response

    def paged(items: list[dict[str, Any]]) -> Response:
        try:
            page = int(request.args.get("page") or 1)
            per_page = int(request.args.get("per_page") or 5000)
        except ValueError as exc:
            raise KoladaError(400, f"invalid paging parameter: {exc}") from exc
        if page < 1 or per_page < 1:
            raise KoladaError(400, "page and per_page must be positive")
        size = min(per_page, state.kolada_page_size)
        chunk = items[(page - 1) * size : page * size]
        others = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

        def link(n: int) -> str:
            return f"{request.base_url}?{urlencode({**others, 'page': n, 'per_page': size})}"

        body = {
            "values": chunk,
            "count": len(chunk),
            "next_url": link(page + 1) if page * size < len(items) else None,
            "previous_url": link(page - 1) if page > 1 else None,
        }
        return Response(data.dumps(body), 200, mimetype="application/json")

    def listing(items: list[dict[str, Any]], ids: str | None) -> Response:
        wanted = _ids(ids)
        if wanted is not None:
            items = [i for i in items if i["id"] in set(wanted)]
        return paged(items)

    @bp.get("/kpi")
    @bp.get("/kpi/<ids>")
    def kpi(ids: str | None = None) -> Response:
        items = [i for i in data.kolada_kpi_catalogue(state.shared_dir)
                 if i["id"] not in state.retired_kpis]  # fmt: skip
        items += [_listed(i, items[0]) for i in state.listed_kpis.values() if items]
        if state.kpi_fields:
            items = [{**i, **state.kpi_fields.get(i["id"], {})} for i in items]
        return listing(items, ids)

    @bp.get("/municipality")
    @bp.get("/municipality/<ids>")
    def municipality(ids: str | None = None) -> Response:
        items = data.kolada_reference("municipalities", state.shared_dir)
        return listing(scale.kolada_municipalities(items, state.area_multiplier), ids)

    @bp.get("/municipality_groups")
    @bp.get("/municipality_groups/<ids>")
    def municipality_groups(ids: str | None = None) -> Response:
        return listing(data.kolada_reference("municipality_groups", state.shared_dir), ids)

    @bp.get("/data/<path:rest>")
    def values(rest: str) -> Response:
        parts = rest.strip("/").split("/")
        if len(parts) % 2:
            raise KoladaError(400, f"malformed data path /data/{rest}")
        segments: dict[str, str] = {}
        for dim, ids in zip(parts[::2], parts[1::2], strict=True):
            if dim not in ("kpi", "municipality", "year"):
                raise KoladaError(400, f"unknown dimension {dim!r} in /data/{rest}")
            segments[dim] = ids
        if "kpi" not in segments or len(segments) < 2:
            raise KoladaError(
                400, "the stand-in needs /data/kpi/{ids} plus municipality and/or year"
            )
        kpis = _ids(segments["kpi"]) or []
        areas = _ids(segments.get("municipality"))
        years = _ids(segments.get("year"))
        from_date = request.args.get("from_date")
        if from_date is not None and not _is_date(from_date):
            raise KoladaError(400, f"from_date must be YYYY-MM-DD, got {from_date!r}")
        looked_up = scale.kolada_areas(areas, state.area_multiplier)
        items = _items_for_values(state, kpis, looked_up, years)
        items = _revised(state, scale.kolada_items(items, areas, state.area_multiplier), from_date)
        return paged(items)

    return bp


def make_v2_blueprint() -> Blueprint:
    """Kolada v2 is retired: every path answers 410 Gone."""
    bp = Blueprint("kolada_v2", __name__)

    @bp.route("/", defaults={"rest": ""})
    @bp.route("/<path:rest>")
    def gone(rest: str) -> Response:
        detail = "Kolada API v2 has been shut down; use v3 (https://api.kolada.se/v3)"
        return Response(json.dumps({"detail": detail}), 410, mimetype="application/json")

    return bp
