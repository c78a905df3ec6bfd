"""SCB PxWebApi 2.0 client (HTTP only) and pure selection builders."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from typing import Any

from etl.parse.jsonstat import codes_in_order
from etl.sources.http import ApiClient, FetchResult, MalformedResponse

log = logging.getLogger(__name__)

Selection = dict[str, list[str]]
PREFERRED_SPLIT = "Region"
AVOID_SPLIT = "ContentsCode"
TABLES_PAGE_SIZE = 100


class SelectionError(ValueError):
    """A selection spec does not fit the table's metadata."""


# --- pure builders --------------------------------------------------------------------------


def _explicit(rule: str, codes: list[str], table: str, var: str) -> list[str]:
    """`a;b|c;d?`: every item must exist; `b|c` takes the first the table has; `d?` is optional.

    Optional codes mark facts the evidence does not confirm; an absent one is logged, not fatal.
    """
    present = set(codes)
    wanted: list[str] = []
    for item in (i.strip() for i in rule.split(";")):
        if not item:
            continue
        optional = item.endswith("?")
        options = [o.strip() for o in item.rstrip("?").split("|") if o.strip()]
        hit = next((o for o in options if o in present), None)
        if hit is None and optional:
            log.info("%s: optional code %s of %s is not in the table", table, item, var)
            continue
        if hit is None:
            raise SelectionError(
                f"{table}: code {' or '.join(options)} of variable {var} is not in the table "
                f"(it has {len(codes)} codes, e.g. {', '.join(codes[:6])})"
            )
        wanted.append(hit)
    return [c for c in codes if c in set(wanted)]


def resolve_selection(metadata: Mapping[str, Any], spec: Mapping[str, str]) -> Selection:
    """Turn a spec (`*`, `label:<regex>`, `code:<regex>` or `a;b|c`) into codes, in table order.

    A variable or an explicitly selected code that the table no longer has raises SelectionError
    naming the table, variable and code: drift fails the unit, it is never absorbed.
    """
    dims = metadata.get("dimension", {})
    table = metadata.get("extension", {}).get("px", {}).get("tableid") or metadata.get("label")
    unknown = [v for v in spec if v not in dims]
    if unknown:
        raise SelectionError(
            f"{table}: variable {', '.join(unknown)} is not in the table; it has "
            f"{', '.join(metadata['id'])}"
        )
    out: Selection = {}
    for var in [v for v in metadata["id"] if v in spec]:
        rule = spec[var].strip()
        codes = codes_in_order(metadata, var)
        if rule == "*":
            chosen = codes
        elif rule.startswith("label:"):
            pattern = re.compile(rule[len("label:") :], re.IGNORECASE)
            labels = dims[var]["category"].get("label", {})
            chosen = [c for c in codes if pattern.search(str(labels.get(c, "")))]
        elif rule.startswith("code:"):
            pattern = re.compile(rule[len("code:") :])
            chosen = [c for c in codes if pattern.search(c)]
        else:
            chosen = _explicit(rule, codes, str(table), var)
        if not chosen:
            raise SelectionError(f"{table}: selection {rule!r} for {var} matches no codes")
        out[var] = chosen
    return out


def metadata_drift(previous: Mapping[str, Any] | None, current: Mapping[str, Any],
                   spec: Mapping[str, str]) -> tuple[list[str], dict[str, list[str]]]:  # fmt: skip
    """(problems, new codes per variable) between two metadata versions of one table.

    Problems: variables added or removed (a rename is both), and codes removed from a variable
    selected with `*`. New codes under `*` are listed (they are fetched and reported).
    """
    if not previous:
        return [], {}
    before, after = list(previous.get("id", [])), list(current.get("id", []))
    problems = []
    gone = [v for v in before if v not in after]
    added = [v for v in after if v not in before]
    if gone or added:
        problems.append(
            "variables changed: " + ", ".join([*(f"-{v}" for v in gone), *(f"+{v}" for v in added)])
        )
    new_codes: dict[str, list[str]] = {}
    for var in after:
        if var not in before or spec.get(var, "").strip() != "*":
            continue
        old, now = codes_in_order(previous, var), codes_in_order(current, var)
        fresh = [c for c in now if c not in set(old)]
        if fresh:
            new_codes[var] = fresh
        lost = [c for c in old if c not in set(now)]
        if lost:  # e.g. an area no longer published: keep the last complete data, say so
            shown = ", ".join(lost[:6]) + (f" and {len(lost) - 6} more" if len(lost) > 6 else "")
            problems.append(f"codes removed from {var}: {shown}")
    return problems, new_codes


def cell_count(selection: Mapping[str, list[str]]) -> int:
    """Number of data cells a selection asks for."""
    return math.prod(len(codes) for codes in selection.values())


def _split_variable(selection: Mapping[str, list[str]]) -> str | None:
    candidates = [v for v, c in selection.items() if len(c) > 1 and v != AVOID_SPLIT]
    if PREFERRED_SPLIT in candidates:
        return PREFERRED_SPLIT
    if candidates:
        return max(candidates, key=lambda v: len(selection[v]))
    if len(selection.get(AVOID_SPLIT, [])) > 1:
        return AVOID_SPLIT
    return None


def split_selection(selection: Mapping[str, list[str]], max_cells: int) -> list[Selection]:
    """Split a selection into chunks of at most `max_cells` cells that cover it exactly."""
    total = cell_count(selection)
    if total <= max_cells:
        return [{v: list(c) for v, c in selection.items()}]
    var = _split_variable(selection)
    if var is None or max_cells < 1:
        raise SelectionError(f"cannot split a {total}-cell selection under {max_cells} cells")
    codes = selection[var]
    rest = total // len(codes)
    per_chunk = max(1, max_cells // rest)
    n_chunks = math.ceil(len(codes) / per_chunk)
    size = math.ceil(len(codes) / n_chunks)  # balanced chunks
    chunks: list[Selection] = []
    for start in range(0, len(codes), size):
        part = {v: list(c) for v, c in selection.items()}
        part[var] = list(codes[start : start + size])
        chunks.extend(split_selection(part, max_cells))
    return chunks


def selection_body(selection: Mapping[str, list[str]]) -> dict[str, Any]:
    """The POST body of /tables/{id}/data for a selection."""
    return {
        "selection": [
            {"variableCode": var, "valueCodes": list(codes)} for var, codes in selection.items()
        ]
    }


# --- shape checks ---------------------------------------------------------------------------


def _require(result: FetchResult, ok: bool, what: str) -> None:
    if not ok:
        raise MalformedResponse(result.url, f"unexpected JSON shape: {what}", method=result.method)


def check_dataset(result: FetchResult, *, with_values: bool) -> dict[str, Any]:
    """Validate a json-stat2 dataset body and return it."""
    body = result.json()
    _require(result, isinstance(body, dict), "expected a json-stat2 object")
    for key in ("id", "size", "dimension"):
        _require(result, key in body, f"json-stat2 dataset without {key!r}")
    _require(
        result,
        isinstance(body["id"], list) and len(body["id"]) == len(body["size"]),
        "json-stat2 'id' and 'size' differ in length",
    )
    if with_values:
        values = body.get("value")
        _require(result, isinstance(values, list | dict), "json-stat2 dataset without 'value'")
        if isinstance(values, list):
            n = math.prod(body["size"])
            _require(result, len(values) == n, f"{len(values)} values for {n} cells")
    return body


# --- client ---------------------------------------------------------------------------------


class PxWebClient(ApiClient):
    """PxWebApi 2.0: /config limits, tables, metadata, data (split under maxDataCells)."""

    url_setting = "scb_url"

    def __init__(self, base_url: str, *, lang: str = "sv", **kw: Any) -> None:
        super().__init__(base_url, **kw)
        self.lang = lang
        self.limits: dict[str, Any] | None = None
        self.tables_page_size = TABLES_PAGE_SIZE

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def config(self) -> dict[str, Any]:
        """GET /config; configure the rate limiter from maxCallsPerTimeWindow/timeWindow."""
        result = self.http.get(self._url("config"))
        body = result.json()
        keys = ("maxDataCells", "maxCallsPerTimeWindow", "timeWindow")
        ok = isinstance(body, dict) and all(
            isinstance(body.get(k), int | float) and body[k] > 0 for k in keys
        )
        _require(result, ok, f"/config without positive {', '.join(keys)}")
        self.limits = body
        self.http.limiter.configure(int(body["maxCallsPerTimeWindow"]), float(body["timeWindow"]))
        log.info(
            "SCB limits: %s cells per call, %s calls per %s s",
            body["maxDataCells"],
            body["maxCallsPerTimeWindow"],
            body["timeWindow"],
        )
        return body

    @property
    def max_data_cells(self) -> int:
        """maxDataCells from /config (fetched on first use)."""
        if self.limits is None:
            self.config()
        assert self.limits is not None
        return int(self.limits["maxDataCells"])

    def table(self, table_id: str, lang: str | None = None) -> FetchResult:
        """GET /tables/{id}: table info including `updated`."""
        result = self.http.get(self._url(f"tables/{table_id}"), {"lang": lang or self.lang})
        body = result.json()
        _require(result, isinstance(body, dict) and "id" in body, "table without 'id'")
        _require(result, "updated" in body, "table without 'updated'")
        return result

    def search_tables(self, query: str, lang: str | None = None) -> list[dict[str, Any]]:
        """GET /tables?query=…, following pageNumber until page.totalPages."""
        tables: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {
                "lang": lang or self.lang,
                "query": query,
                "pageNumber": page,
                "pageSize": self.tables_page_size,
            }
            result = self.http.get(self._url("tables"), params)
            body = result.json()
            ok = isinstance(body, dict) and isinstance(body.get("tables"), list)
            _require(result, ok and isinstance(body.get("page"), dict), "tables page")
            tables.extend(body["tables"])
            total_pages = int(body["page"].get("totalPages") or 1)
            if page >= total_pages or not body["tables"]:
                return tables
            page += 1

    def metadata(self, table_id: str, lang: str | None = None) -> FetchResult:
        """GET /tables/{id}/metadata as json-stat2."""
        params = {"lang": lang or self.lang, "outputFormat": "json-stat2"}
        result = self.http.get(self._url(f"tables/{table_id}/metadata"), params)
        check_dataset(result, with_values=False)
        return result

    def data(
        self, table_id: str, selection: Mapping[str, list[str]], lang: str | None = None
    ) -> FetchResult:
        """POST /tables/{id}/data for one selection, as json-stat2."""
        params = {"lang": lang or self.lang, "outputFormat": "json-stat2"}
        body = selection_body(selection)
        result = self.http.post(self._url(f"tables/{table_id}/data"), body, params)
        check_dataset(result, with_values=True)
        return result

    def fetch_table(
        self, table_id: str, selection: Mapping[str, list[str]], lang: str | None = None
    ) -> list[FetchResult]:
        """Fetch a whole selection in as many calls as maxDataCells requires."""
        chunks = split_selection(selection, self.max_data_cells)
        log.info("%s: %d cells in %d request(s)", table_id, cell_count(selection), len(chunks))
        return [self.data(table_id, chunk, lang) for chunk in chunks]
