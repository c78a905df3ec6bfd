"""The stand-in server: SCB PxWebApi 2.0 and Kolada v3 on 127.0.0.1, in a background thread."""

from __future__ import annotations

import collections
import copy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from . import data, geodata, kolada, scb
from .faults import BODY_KINDS, Fault, FaultPlan, early_response, mangle_body

SCB_PREFIX = "/scb/api/v2"
KOLADA_PREFIX = "/kolada/v3"
KOLADA_V2_PREFIX = "/kolada/v2"
GEODATA_PREFIX = "/geodata/geoserver/stat"
DEFAULT_SCB_CONFIG: dict[str, Any] = {
    "apiVersion": "2.0.0",
    "appVersion": "stand-in",
    "languages": [{"id": "sv", "label": "Svenska"}, {"id": "en", "label": "English"}],
    "defaultLanguage": "sv",
    "maxDataCells": 150000,
    "maxCallsPerTimeWindow": 30,
    "timeWindow": 10,
    "license": "CC0",
    "sourceReferences": [{"language": "sv", "text": "Källa: SCB"}],
    "defaultDataFormat": "px",
    "dataFormats": ["px", "json-stat2"],
}


@dataclass
class LoggedRequest:
    """What a client sent, and what it got back."""

    service: str  # scb | kolada | kolada_v2 | other
    method: str
    path: str  # full path, e.g. /scb/api/v2/tables/TAB3200/data
    route: str  # path below the service prefix, e.g. /tables/TAB3200/data
    query: dict[str, str]
    body: Any  # decoded JSON body, or None
    raw_body: bytes
    at: float
    status: int | None = None
    fault: str | None = None


@dataclass
class StandInState:
    """Everything a test can program; reset between tests."""

    shared_dir: Path
    scb_config: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULT_SCB_CONFIG))
    scb_tables_page_size: int = 20
    kolada_page_size: int = 5000
    updated: dict[str, str] = field(default_factory=dict)
    kpi_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    withdrawn: dict[str, int] = field(default_factory=dict)  # table id -> HTTP status it answers
    unlisted: set[str] = field(default_factory=set)  # tables /tables?query= does not find
    discontinued: set[str] = field(default_factory=set)
    drift: dict[str, dict[str, Any]] = field(default_factory=dict)
    retired_kpis: set[str] = field(default_factory=set)
    listed_kpis: dict[str, dict[str, Any]] = field(default_factory=dict)  # before their retirement
    kpi_revisions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wfs_page_limit: int = 1_000_000  # most features a GetFeature answer holds without `count`
    area_multiplier: int = 1  # benchmarks: synthetic copies of every municipality (scale.py)
    years: tuple[int, int] | None = None  # benchmarks: generated tables cut to these years
    faults: FaultPlan = field(default_factory=FaultPlan)
    log: list[LoggedRequest] = field(default_factory=list)
    scb_calls: collections.deque[float] = field(default_factory=collections.deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    generation: int = 0  # bumped by reset(), so a request delayed past its test is dropped


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def _service(path: str) -> tuple[str, str]:
    for name, prefix in (
        ("scb", SCB_PREFIX),
        ("kolada", KOLADA_PREFIX),
        ("kolada_v2", KOLADA_V2_PREFIX),
        ("geodata", GEODATA_PREFIX),
    ):
        if path == prefix or path.startswith(prefix + "/"):
            return name, path[len(prefix) :] or "/"
    return "other", path


def create_app(state: StandInState) -> Flask:
    """The Flask app serving both APIs from one state."""
    app = Flask("labourdash-standin")
    app.register_blueprint(scb.make_blueprint(state), url_prefix=SCB_PREFIX)
    app.register_blueprint(kolada.make_blueprint(state), url_prefix=KOLADA_PREFIX)
    app.register_blueprint(kolada.make_v2_blueprint(), url_prefix=KOLADA_V2_PREFIX)
    app.register_blueprint(geodata.make_blueprint(state), url_prefix=GEODATA_PREFIX)

    @app.before_request
    def _log_and_fault() -> Response | None:
        raw = request.get_data(cache=True)
        try:
            body = json.loads(raw) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        service, route = _service(request.path)
        entry = LoggedRequest(
            service,
            request.method,
            request.path,
            route,
            request.args.to_dict(),
            body,
            raw,
            time.time(),
        )
        with state.lock:
            state.log.append(entry)
        g.entry = entry
        generation = state.generation
        target = request.full_path.rstrip("?")
        fault = state.faults.take(request.method, target)
        g.fault = fault
        if fault is None:
            return None
        entry.fault = fault.kind
        response = early_response(fault)
        if response is None and state.generation != generation:
            # slept past the end of its test: answer without touching the next test's state
            return Response(b"stale request", 504)
        return response

    @app.after_request
    def _finish(response: Response) -> Response:
        fault = g.get("fault")
        if fault is not None and fault.kind in BODY_KINDS and response.status_code == 200:
            response = mangle_body(fault, response)
        entry = g.get("entry")
        if entry is not None:
            entry.status = response.status_code
        return response

    return app


class StandIn:
    """A running stand-in; program it per test, read `requests()` to see what clients sent."""

    def __init__(self, shared_dir: Path = data.SHARED_DIR, host: str = "127.0.0.1") -> None:
        self.state = StandInState(shared_dir=shared_dir)
        self.host = host
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> StandIn:
        """Bind an ephemeral port and serve in a daemon thread."""
        app = create_app(self.state)
        self._server = make_server(self.host, 0, app, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses
    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        assert self._server is not None, "stand-in not started"
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def scb_url(self) -> str:
        """Base URL of the SCB PxWebApi 2.0 stand-in (for LABOURDASH_SCB_URL)."""
        return self.base_url + SCB_PREFIX

    @property
    def kolada_url(self) -> str:
        """Base URL of the Kolada v3 stand-in (for LABOURDASH_KOLADA_URL)."""
        return self.base_url + KOLADA_PREFIX

    @property
    def geodata_url(self) -> str:
        """Base URL of the SCB geodata WFS stand-in (for LABOURDASH_GEODATA_URL)."""
        return self.base_url + GEODATA_PREFIX + "/wfs"

    @property
    def kolada_v2_url(self) -> str:
        """A retired Kolada v2 base URL: every path answers 410."""
        return self.base_url + KOLADA_V2_PREFIX

    # programming
    def reset(self) -> None:
        """Back to defaults: today's SCB limits, no faults, empty log, recorded `updated` stamps."""
        fresh = StandInState(shared_dir=self.state.shared_dir)
        with self.state.lock:
            self.state.scb_config = fresh.scb_config
            self.state.scb_tables_page_size = fresh.scb_tables_page_size
            self.state.kolada_page_size = fresh.kolada_page_size
            self.state.updated.clear()
            self.state.kpi_fields.clear()
            self.state.withdrawn.clear()
            self.state.unlisted.clear()
            self.state.discontinued.clear()
            self.state.drift.clear()
            self.state.retired_kpis.clear()
            self.state.listed_kpis.clear()
            self.state.kpi_revisions.clear()
            self.state.wfs_page_limit = fresh.wfs_page_limit
            self.state.area_multiplier = 1
            self.state.faults.clear()
            self.state.log.clear()
            self.state.scb_calls.clear()
            self.state.generation += 1

    def set_scb_limits(
        self,
        max_cells: int | None = None,
        max_calls: int | None = None,
        window: float | None = None,
    ) -> None:
        """Change what /config reports and what the SCB stand-in enforces (403 cells, 429 calls)."""
        with self.state.lock:
            if max_cells is not None:
                self.state.scb_config["maxDataCells"] = max_cells
            if max_calls is not None:
                self.state.scb_config["maxCallsPerTimeWindow"] = max_calls
            if window is not None:
                self.state.scb_config["timeWindow"] = window
            self.state.scb_calls.clear()

    def set_area_multiplier(self, multiplier: int) -> None:
        """Serve `multiplier - 1` synthetic copies of every municipality (benchmarks; scale.py)."""
        from .scb import clear_metadata_cache

        self.state.area_multiplier = int(multiplier)
        clear_metadata_cache()

    def set_years(self, years: tuple[int, int] | None) -> None:
        """Cut the generated (synthetic) tables and KPIs to `years` (benchmarks; None: all)."""
        from .scb import clear_metadata_cache

        self.state.years = years
        clear_metadata_cache()

    def set_updated(self, table_id: str, stamp: str) -> None:
        """Make /tables/{id}, its metadata and data report a new `updated` stamp."""
        self.state.updated[table_id] = stamp

    def withdraw(self, table_id: str, status: int = 400) -> None:
        """SCB withdraws a table: every path of it answers `status`, and search no longer finds it."""
        self.state.withdrawn[table_id] = status

    def unlist(self, table_id: str) -> None:
        """Search no longer finds a table (its own paths still answer)."""
        self.state.unlisted.add(table_id)

    def discontinue(self, table_id: str) -> None:
        """Mark a table discontinued: hidden from search unless includeDiscontinued=true."""
        self.state.discontinued.add(table_id)

    def drift(self, table_id: str, *, rename_variables: dict[str, str] | None = None,
              drop_codes: dict[str, list[str]] | None = None,
              rename_codes: dict[str, dict[str, str]] | None = None,
              add_codes: dict[str, dict[str, str]] | None = None) -> None:  # fmt: skip
        """SCB changes a table's structure (its metadata; new `updated` stamp too)."""
        self.state.drift[table_id] = {"rename_variables": rename_variables or {},
                                      "drop_codes": drop_codes or {},
                                      "rename_codes": rename_codes or {},
                                      "add_codes": add_codes or {}}  # fmt: skip
        self.state.updated.setdefault(table_id, "2026-11-30T07:00:00Z")

    def list_kpi(self, kpi: str, title: str) -> None:
        """/kpi lists a KPI the 2026 catalogue has dropped: Kolada as it was before retiring it."""
        self.state.listed_kpis[kpi] = {"id": kpi, "title": title}

    def retire_kpi(self, kpi: str) -> None:
        """Kolada drops a KPI from /kpi (its values may still be archived by clients)."""
        self.state.retired_kpis.add(kpi)

    def revise_kpi(self, kpi: str, date: str, *, areas: list[str] | None = None,
                   shift: float = 0.0, value: float | None = None, deleted: bool = False,
                   gender_case: str | None = None) -> None:  # fmt: skip
        """Kolada revises values of a KPI on `date` (YYYY-MM-DD): shift or set them, delete them."""
        self.state.kpi_revisions.setdefault(kpi, []).append(
            {"date": date, "areas": set(areas) if areas else None, "shift": shift, "value": value,
             "deleted": deleted, "gender_case": gender_case}
        )  # fmt: skip

    def set_kpi_fields(self, kpi: str, **fields: Any) -> None:
        """Override fields of one KPI in /kpi, e.g. publication_date, to test incremental refresh."""
        self.state.kpi_fields.setdefault(kpi, {}).update(fields)

    def set_page_sizes(self, *, kolada: int | None = None, scb_tables: int | None = None) -> None:
        """Kolada: largest page served (per_page is capped to it); SCB: default /tables pageSize."""
        if kolada is not None:
            self.state.kolada_page_size = kolada
        if scb_tables is not None:
            self.state.scb_tables_page_size = scb_tables

    def fault(self, pattern: str, kind: str | int, times: int | None = 1, **params: Any) -> Fault:
        """For requests whose `path?query` matches the regex, the next `times` responses go wrong."""
        return self.state.faults.add(Fault(pattern, str(kind), times, **params))

    def clear_faults(self) -> None:
        """Remove every programmed fault."""
        self.state.faults.clear()

    # request log
    def requests(
        self, service: str | None = None, method: str | None = None, path: str | None = None
    ) -> list[LoggedRequest]:
        """Logged requests, optionally filtered by service, method and a regex on the path."""
        with self.state.lock:
            entries = list(self.state.log)
        return [
            e
            for e in entries
            if (service is None or e.service == service)
            and (method is None or e.method == method.upper())
            and (path is None or re.search(path, e.path))
        ]

    def clear_log(self) -> None:
        """Forget the logged requests."""
        with self.state.lock:
            self.state.log.clear()
