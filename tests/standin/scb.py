"""SCB PxWebApi 2.0 routes of the stand-in: recorded responses first, synthetic otherwise."""

from __future__ import annotations

import copy
import json
import math
import re
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from . import data, scale
from .faults import problem
from .jsonstat import codes, eliminable, slice_dataset

if TYPE_CHECKING:
    from .server import StandInState

LANGS = ("sv", "en")
DEFAULT_UPDATED = "2025-01-01T07:00:00Z"


class ApiProblem(Exception):
    """Raised inside a handler to answer with a Problem."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.response = problem(status, title, detail)


def _json(body: Any) -> Response:
    return Response(data.dumps(body), 200, mimetype="application/json")


@lru_cache(maxsize=64)
def _synthetic_metadata(
    table_key: str, lang: str, years: tuple[int, int] | None = None
) -> dict[str, Any]:
    from etl.demo import synthetic  # imported late so the stand-in starts without it

    return synthetic.scb_metadata(table_key, lang, years=years)


def clear_metadata_cache() -> None:
    """Forget generated metadata (after the years or the area multiplier changed)."""
    _synthetic_metadata.cache_clear()


def make_blueprint(state: StandInState) -> Blueprint:
    """The SCB blueprint bound to one stand-in's state."""
    bp = Blueprint("scb", __name__)
    tables = data.scb_tables(state.shared_dir)

    def lang_arg() -> str:
        lang = request.args.get("lang") or "sv"
        if lang not in LANGS:
            raise ApiProblem(400, "Bad Request", f"Language {lang} is not supported")
        return lang

    def entry(table_id: str) -> data.TableEntry:
        found = tables.get(table_id) or tables.get(table_id.upper())
        if found is None:
            raise ApiProblem(
                404, "Non-existent table", f"Table with id {table_id} can not be found"
            )
        status = state.withdrawn.get(found.table_id)
        if status:
            raise ApiProblem(status, "Bad Request" if status == 400 else "Non-existent table",
                             f"Table {found.table_id} has been withdrawn")  # fmt: skip
        return found

    def recorded_metadata(table: data.TableEntry, lang: str) -> dict[str, Any] | None:
        """The recording in this language, else in another one (same codes, other labels)."""
        found = data.scb_recorded_metadata(state.shared_dir)
        others = [m for (t, _), m in sorted(found.items()) if t == table.table_id]
        return found.get((table.table_id, lang)) or (others[0] if others else None)

    def metadata(table: data.TableEntry, lang: str, copies: bool = True) -> dict[str, Any]:
        recorded = recorded_metadata(table, lang)
        if table.decoy is not None:
            meta = table.decoy
        else:
            meta = (
                recorded
                if recorded is not None
                else _synthetic_metadata(table.key, lang, state.years)
            )
        drift = state.drift.get(table.table_id)
        if drift:
            meta = apply_drift(meta, drift)
        if copies:
            meta, _added = scale.metadata(meta, state.area_multiplier)
        return with_updated(table.table_id, meta)

    def with_updated(table_id: str, body: dict[str, Any]) -> dict[str, Any]:
        stamp = state.updated.get(table_id)
        body = {**body, "updated": stamp} if stamp else body
        ext = body.get("extension") or {}
        px = ext.get("px") or {}
        if px.get("tableid") not in (None, table_id):  # SCB names its own table id, never our key
            body = {**body, "extension": {**ext, "px": {**px, "tableid": table_id}}}
        return body

    def check_format() -> None:
        fmt = request.args.get("outputFormat", "json-stat2")
        if fmt != "json-stat2":
            raise ApiProblem(
                400, "Bad Request", f"outputFormat {fmt} is not served by the stand-in"
            )

    def table_info(table: data.TableEntry, lang: str) -> dict[str, Any]:
        info: dict[str, Any] = {"id": table.table_id, "label": table.title_sv, "description": ""}
        try:
            meta = metadata(table, lang)
        except Exception:  # noqa: BLE001 - synthetic generator missing or failing: list it anyway
            meta = None
        times = codes(meta, "Tid") if meta and "Tid" in meta["dimension"] else []
        info.update(
            label=meta["label"] if meta else table.title_sv,
            updated=state.updated.get(table.table_id)
            or (meta or {}).get("updated")
            or DEFAULT_UPDATED,
            firstPeriod=times[0] if times else None,
            lastPeriod=times[-1] if times else None,
            category="public",
            variableNames=[meta["dimension"][v]["label"] for v in meta["id"]] if meta else [],
            discontinued=True if table.table_id in state.discontinued else None,
            source="SCB",
            subjectCode="AM",
            timeUnit="Annual",
            paths=[],
            links=[{"rel": "self", "href": f"{api_root()}/tables/{table.table_id}"}],
        )
        return info

    def api_root() -> str:
        return request.base_url.split("/tables")[0]

    @bp.errorhandler(ApiProblem)
    def _problem(exc: ApiProblem) -> Response:
        return exc.response

    @bp.before_request
    def _rate_limit() -> Response | None:
        limit, window = state.scb_config["maxCallsPerTimeWindow"], state.scb_config["timeWindow"]
        now = time.monotonic()
        with state.lock:
            while state.scb_calls and state.scb_calls[0] <= now - window:
                state.scb_calls.popleft()
            if len(state.scb_calls) >= limit:
                wait = state.scb_calls[0] + window - now
                ra = str(max(1, math.ceil(wait))) if float(window).is_integer() else f"{wait:.3f}"
                return problem(
                    429,
                    "Too many requests",
                    f"You have reached the threshold of {limit} requests per {window} seconds",
                    {"Retry-After": ra},
                )
            state.scb_calls.append(now)
        return None

    @bp.get("/config")
    def config() -> Response:
        return _json(state.scb_config)

    def search_text(table: data.TableEntry) -> str:
        """What PxWebApi's index holds of a table: id, title, variable names, value texts, codes."""
        try:
            meta = metadata(table, "sv")
        except Exception:  # noqa: BLE001 - a table without metadata is found by id and title only
            return f"{table.table_id} {table.title_sv}".lower()
        words = [table.table_id, meta.get("label", table.title_sv)]
        for var, dim in meta["dimension"].items():
            words += [var, dim.get("label", ""), *dim["category"].get("label", {}).values()]
            words += list(dim["category"].get("label", {}))
        return " ".join(str(w) for w in words).lower()

    @bp.get("/tables")
    def list_tables() -> Response:
        lang = lang_arg()
        terms = (request.args.get("query") or "").lower().split()
        with_discontinued = (request.args.get("includeDiscontinued") or "").lower() == "true"
        hits = [
            t
            for t in tables.values()
            if t.table_id not in state.withdrawn and t.table_id not in state.unlisted
            and (with_discontinued or t.table_id not in state.discontinued)
            and all(term in search_text(t) for term in terms)
        ]  # fmt: skip
        try:
            size = int(request.args.get("pageSize") or state.scb_tables_page_size)
            number = int(request.args.get("pageNumber") or 1)
        except ValueError as exc:
            raise ApiProblem(400, "Parameter error", f"paging parameter: {exc}") from exc
        size = size if size > 0 else state.scb_tables_page_size  # PxWebApi falls back, never fails
        number = number if number > 0 else 1
        pages = math.ceil(len(hits) / size)
        if pages and number > pages:
            raise ApiProblem(404, "Non-existent page", "Non-existent page")
        chunk = hits[(number - 1) * size : number * size]
        page = {
            "pageNumber": number,
            "pageSize": size,
            "totalElements": len(hits),
            "totalPages": max(1, pages),
            "links": [],
        }
        body = {"language": lang, "tables": [table_info(t, lang) for t in chunk], "page": page}
        return _json(body)

    @bp.get("/tables/<table_id>")
    def get_table(table_id: str) -> Response:
        lang = lang_arg()
        return _json({**table_info(entry(table_id), lang), "language": lang})

    @bp.get("/tables/<table_id>/metadata")
    def get_metadata(table_id: str) -> Response:
        lang, table = lang_arg(), entry(table_id)
        check_format()
        recorded = data.scb_recorded_metadata(state.shared_dir).get((table.table_id, lang))
        untouched = table.table_id not in state.updated and table.table_id not in state.drift
        untouched = untouched and state.area_multiplier <= 1
        if recorded is not None and untouched:
            return Response(data.dumps(recorded), 200, mimetype="application/json")
        return _json(metadata(table, lang))

    @bp.route("/tables/<table_id>/data", methods=["GET", "POST"])
    def get_data(table_id: str) -> Response:
        lang, table = lang_arg(), entry(table_id)
        check_format()
        requested = _selection_from_request()
        meta = metadata(table, lang)
        selection = _resolve(meta, requested, table.table_id)
        cells = math.prod(len(c) for c in selection.values())
        limit = state.scb_config["maxDataCells"]
        if cells > limit:  # PxWebApi 2.0 answers 400 "Too many cells selected" (PxTools/PxWebApi)
            raise ApiProblem(
                400,
                "Too many cells selected",
                f"The query resulted in {cells} cells, which exceeds the allowed {limit}",
            )
        if state.area_multiplier > 1:  # copies: the municipalities' cells, expanded (scale.py)
            base, of = scale.metadata(metadata(table, lang, copies=False), state.area_multiplier)
            if of:
                labels = base["dimension"]["Region"]["category"]["label"]
                own = scale.base_selection(selection, of)
                body = json.loads(_dataset(table, lang, meta, own).get_data())
                return _json(scale.expand(body, selection, of, labels))
        return _dataset(table, lang, meta, selection)

    def _dataset(table: data.TableEntry, lang: str, meta: dict, selection: dict) -> Response:
        wanted = {v: set(c) for v, c in selection.items()}
        recordings = sorted(data.scb_recorded_data(state.shared_dir), key=lambda r: r.lang != lang)
        for rec in recordings:  # values do not depend on the language; prefer its own labels
            if rec.table != table.table_id or set(rec.selection) != set(wanted):
                continue
            exact = rec.lang == lang and all(wanted[v] == rec.selection[v] for v in wanted)
            if exact and table.table_id not in state.updated:
                return Response(rec.content, 200, mimetype="application/json")
            if all(wanted[v] <= rec.selection[v] for v in wanted):
                return _json(with_updated(table.table_id, slice_dataset(rec.response, selection)))
        from etl.demo import synthetic

        own = {**meta, "extension": {**meta.get("extension", {}),
                                     "px": {**meta.get("extension", {}).get("px", {}), "tableid": table.key}}}  # fmt: skip
        return _json(with_updated(table.table_id, synthetic.scb_dataset(own, selection)))

    return bp


def apply_drift(meta: dict[str, Any], drift: dict[str, Any]) -> dict[str, Any]:
    """A table's metadata after SCB changed it: renamed variables, removed or renamed codes."""
    out = copy.deepcopy(meta)
    for var, codes_gone in drift.get("drop_codes", {}).items():
        cat = out["dimension"][var]["category"]
        kept = [c for c in codes(out, var) if c not in set(codes_gone)]
        cat["index"] = {c: i for i, c in enumerate(kept)}
        cat["label"] = {c: cat["label"][c] for c in kept}
    for var, renames in drift.get("rename_codes", {}).items():
        cat = out["dimension"][var]["category"]
        order = [renames.get(c, c) for c in codes(out, var)]
        labels = {renames.get(c, c): lab for c, lab in cat["label"].items()}
        cat["index"], cat["label"] = {c: i for i, c in enumerate(order)}, labels
    for var, added in drift.get("add_codes", {}).items():
        cat = out["dimension"][var]["category"]
        order = codes(out, var) + [c for c in added if c not in cat["label"]]
        cat["index"] = {c: i for i, c in enumerate(order)}
        cat["label"] = {**cat["label"], **added}
    for old, new in drift.get("rename_variables", {}).items():
        out["id"] = [new if v == old else v for v in out["id"]]
        out["dimension"][new] = out["dimension"].pop(old)
    out["size"] = [len(out["dimension"][v]["category"]["index"]) for v in out["id"]]
    return out


def _selection_from_request() -> dict[str, list[str]]:
    """Variable -> requested codes, from a POST body or GET valuecodes[VAR]=a,b."""
    if request.method == "GET":
        out = {}
        for key, value in request.args.items():
            m = re.fullmatch(r"valuecodes\[(.+)\]", key, flags=re.IGNORECASE)
            if m:
                out[m.group(1)] = [c for c in value.split(",") if c]
        if not out:
            raise ApiProblem(400, "Bad Request", "the stand-in needs valuecodes[VAR]=... in GET")
        return out
    try:
        body = json.loads(request.get_data() or b"null")
    except json.JSONDecodeError as exc:
        raise ApiProblem(400, "Bad Request", f"request body is not JSON: {exc}") from exc
    items = body.get("selection") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ApiProblem(
            400, "Bad Request", "body must be {'selection': [{variableCode, valueCodes}]}"
        )
    out = {}
    for item in items:
        ok = isinstance(item, dict) and isinstance(item.get("variableCode"), str)
        values = item.get("valueCodes") if ok else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ApiProblem(400, "Bad Request", f"invalid selection item: {item!r}")
        out[item["variableCode"]] = values
    return out


def _resolve(meta: dict, requested: dict[str, list[str]], table_id: str) -> dict[str, list[str]]:
    """Check a selection against the metadata; codes in table order, variables in table order."""
    for var in requested:
        if var not in meta["dimension"]:
            raise ApiProblem(
                400, "Bad Request", f"Variable {var} is not a valid variable for {table_id}"
            )
    selection = {}
    for var in meta["id"]:
        if var not in requested:
            if not eliminable(meta, var):
                raise ApiProblem(
                    400, "Bad Request", f"Variable {var} is mandatory and must be selected"
                )
            continue
        order = codes(meta, var)
        asked = requested[var]
        if asked == ["*"]:
            asked = order
        unknown = [c for c in asked if c not in set(order)]
        if unknown:
            raise ApiProblem(
                400,
                "Bad Request",
                f"Value, {unknown[0]} is not a valid value code for variable {var}",
            )
        if not asked:
            raise ApiProblem(400, "Bad Request", f"No values selected for variable {var}")
        selection[var] = [c for c in order if c in set(asked)]
    return selection
