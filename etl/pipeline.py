"""The ordered steps of a refresh (fetch changed tables into the archive, then build) and a rebuild."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from etl import errors, housekeeping, runlog, seeds
from etl.archive import Archive, Provenance, new_run_id
from etl.build import BUILD_STEPS, BuildInfo, build
from etl.settings import Settings
from etl.sources.geodata import GeodataClient
from etl.sources.http import FetchResult
from etl.sources.kolada import KoladaClient
from etl.sources.pxweb import PxWebClient, resolve_selection, split_selection
from etl.warehouse import refresh_lock

log = logging.getLogger(__name__)
SOURCES = ("scb", "kolada")


class Progress(Protocol):
    """Progress sink for long work (the CLI shows bars; tests pass a silent one)."""

    def start(self, source: str, total: int) -> None: ...
    def note(self, source: str, description: str) -> None: ...
    def advance(self, source: str, description: str) -> None: ...


class SilentProgress:
    """A Progress that shows nothing."""

    def start(self, source: str, total: int) -> None:
        """Ignore."""

    def note(self, source: str, description: str) -> None:
        """Ignore."""

    def advance(self, source: str, description: str) -> None:
        """Ignore."""


class RefreshFailed(RuntimeError):
    """A refresh stopped; the previous warehouse is untouched and the message says why."""


@dataclass
class TableChange:
    """What happened to one table or KPI in a refresh."""

    source: str
    table_key: str
    action: str  # fetched | unchanged | failed
    updated: str | None = None
    previous: str | None = None
    responses: int = 0
    detail: str = ""


@dataclass
class RefreshPlan:
    """Options of one refresh."""

    sources: tuple[str, ...] = SOURCES
    full: bool = False
    changes: list[TableChange] = field(default_factory=list)


def carries_synthetic_marker(doc: object) -> bool:
    """True when a response says it holds made-up values (the demo/test generator marks them)."""
    if not isinstance(doc, dict):
        return False
    if doc.get("synthetic") or (doc.get("extension") or {}).get("synthetic"):
        return True
    values = doc.get("values")
    return isinstance(values, list) and any(
        isinstance(v, dict) and v.get("synthetic") for v in values
    )


def _prov(
    result: FetchResult, source: str, key: str, kind: str, content_type: str, **kw
) -> Provenance:
    if content_type in ("jsonstat2", "kolada_values"):
        kw.setdefault("synthetic", carries_synthetic_marker(result.json()))
    return Provenance(
        source=source, table_key=key, kind=kind, content_type=content_type, url=result.url,
        fetched_at=result.fetched_at.isoformat(), method=result.method,
        query=result.request_json if result.request_json is not None else (result.params or None), **kw,
    )  # fmt: skip


def refresh_scb(
    client: PxWebClient, archive: Archive, run_id: str, plan: RefreshPlan, progress: Progress
) -> None:
    """Fetch every SCB table in seeds whose `updated` stamp changed (all of them with --full)."""
    tables = seeds.scb_tables()
    progress.start("scb", len(tables))
    client.config()
    for row in tables.itertuples():
        key = row.table_key
        table_id = row.table_id or client.discover(row.discover_query, row.discover_title)["id"]
        info = client.table(table_id)
        updated = info.json().get("updated")
        previous = archive.latest_updated("scb", key)
        if not plan.full and previous is not None and previous == updated:
            plan.changes.append(TableChange("scb", key, "unchanged", updated, previous))
            progress.advance("scb", f"{key} unchanged")
            continue
        writer = archive.table_writer(run_id, "scb", key)
        writer.add(info.content, _prov(info, "scb", key, "table_info", "json", updated=updated))
        meta = {}
        for lang in ("sv", "en"):
            result = client.metadata(table_id, lang)
            meta[lang] = result.json()
            writer.add(
                result.content,
                _prov(result, "scb", key, "metadata", "jsonstat2", updated=updated, lang=lang),
            )
        selection = resolve_selection(meta["sv"], seeds.selection_spec(key))
        chunks = split_selection(selection, client.max_data_cells)
        for i, chunk in enumerate(chunks, 1):
            result = client.data(table_id, chunk, "sv")
            writer.add(
                result.content,
                _prov(result, "scb", key, "data", "jsonstat2", updated=updated, lang="sv"),
            )
            progress.note("scb", f"{key} part {i}/{len(chunks)}")
        writer.commit(updated)
        plan.changes.append(
            TableChange("scb", key, "fetched", updated, previous, len(writer.files))
        )
        progress.advance("scb", f"{key} fetched")


def refresh_boundaries(client: GeodataClient, archive: Archive, run_id: str, plan: RefreshPlan,
                       progress: Progress) -> None:  # fmt: skip
    """Fetch the boundary layers named in seeds/boundaries.csv from SCB's WFS (when they changed)."""
    for row in seeds.load("boundaries").itertuples():
        if not row.wfs_type_name:
            continue
        key = f"boundaries_{row.level}"
        result = client.features(row.wfs_type_name)
        digest = f"sha256:{result.sha256}"
        previous = archive.latest_updated("scb", key)
        if not plan.full and previous == digest:
            plan.changes.append(TableChange("scb", key, "unchanged", digest, previous))
            continue
        writer = archive.table_writer(run_id, "scb", key)
        writer.add(result.content, _prov(result, "scb", key, "boundaries", "geojson",
                                         synthetic=carries_synthetic_marker(result.json())))  # fmt: skip
        writer.commit(digest)
        plan.changes.append(TableChange("scb", key, "fetched", digest, previous, 1))
        progress.note("scb", f"{key} fetched")


def _kpi_stamps(client: KoladaClient, kpis: list[str]) -> dict[str, str]:
    stamps = {}
    for result in client.kpis(kpis):
        for item in result.json().get("values", []):
            stamps[item["id"]] = f"{item.get('publ_period', '')}@{item.get('publication_date', '')}"
    return stamps


def refresh_kolada(
    client: KoladaClient, archive: Archive, run_id: str, plan: RefreshPlan, progress: Progress
) -> None:
    """Fetch the municipality groups and every KPI in seeds whose publication stamp changed."""
    kpis = seeds.kolada_kpis()
    progress.start("kolada", len(kpis) + 1)
    groups = client.municipality_groups()
    previous_groups = archive.latest_updated("kolada", "municipality_groups")
    digest = "sha256:" + "+".join(r.sha256[:16] for r in groups)
    if plan.full or digest != previous_groups:
        writer = archive.table_writer(run_id, "kolada", "municipality_groups")
        for r in groups:
            writer.add(
                r.content, _prov(r, "kolada", "municipality_groups", "groups", "kolada_groups")
            )
        writer.commit(digest)
    progress.advance("kolada", "municipality groups")
    areas = sorted(
        {item["id"] for r in client.municipalities() for item in r.json().get("values", [])}
    )
    stamps = _kpi_stamps(client, kpis)
    years = list(range(1997, date.today().year + 1))
    for kpi in kpis:
        updated = stamps.get(kpi)
        previous = archive.latest_updated("kolada", kpi)
        if not plan.full and previous is not None and previous == updated:
            plan.changes.append(TableChange("kolada", kpi, "unchanged", updated, previous))
            progress.advance("kolada", f"{kpi} unchanged")
            continue
        writer = archive.table_writer(run_id, "kolada", kpi)
        for r in client.values([kpi], areas, years):
            writer.add(
                r.content, _prov(r, "kolada", kpi, "values", "kolada_values", updated=updated)
            )
        writer.commit(updated)
        plan.changes.append(
            TableChange("kolada", kpi, "fetched", updated, previous, len(writer.files))
        )
        progress.advance("kolada", f"{kpi} fetched")


def refresh(settings: Settings, sources: Iterable[str] = SOURCES, full: bool = False,
            progress: Progress | None = None) -> dict:  # fmt: skip
    """Fetch what changed, then build and swap in a new warehouse; RefreshFailed leaves the old one."""
    progress = progress or SilentProgress()
    plan = RefreshPlan(tuple(sources), full)
    archive = Archive(settings.raw_dir)
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    with refresh_lock(settings.lock_path):
        housekeeping.clean_stale(settings)
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "running",
                                         "started_at": started.isoformat(), "sources": list(plan.sources),
                                         "pid": os.getpid()})  # fmt: skip
        try:
            if "scb" in plan.sources:
                with PxWebClient.from_settings(settings) as scb:
                    refresh_scb(scb, archive, run_id, plan, progress)
                with GeodataClient.from_settings(settings) as geodata:
                    refresh_boundaries(geodata, archive, run_id, plan, progress)
            if "kolada" in plan.sources:
                with KoladaClient.from_settings(settings) as kolada:
                    refresh_kolada(kolada, archive, run_id, plan, progress)
            changed = [c for c in plan.changes if c.action == "fetched"]
            if not changed and settings.db_path.exists():
                report = {
                    "run_id": run_id,
                    "kind": "refresh",
                    "rows": {},
                    "note": "no source has changed",
                }
            else:
                progress.start("build", len(BUILD_STEPS))
                info = BuildInfo(run_id, "refresh", started, settings.scb_url, settings.kolada_url,
                                 crosscheck_pp=settings.crosscheck_pp,
                                 on_step=lambda step: progress.advance("build", step))  # fmt: skip
                report = build(archive, settings.db_path, info)
        except Exception as exc:  # noqa: BLE001 - every failure is logged and reported the same way
            kept = (
                "The previous warehouse is unchanged."
                if settings.db_path.exists()
                else "No warehouse was written."
            )
            housekeeping.clean_run(settings, run_id)
            error = errors.describe(exc, str(settings.data_dir))
            message = f"refresh failed: {error}. {kept}"
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": error, "changes": [c.__dict__ for c in plan.changes]})  # fmt: skip
            raise RefreshFailed(message) from exc
        report["changes"] = [c.__dict__ for c in plan.changes]
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "ok",
                                         "started_at": started.isoformat(),
                                         "finished_at": datetime.now(UTC).isoformat(),
                                         "changes": report["changes"],
                                         "crosscheck_over": (report.get("crosscheck") or {}).get("over_threshold")})  # fmt: skip
        return report


def rebuild(settings: Settings, progress: Progress | None = None) -> dict:
    """Rebuild staging and mart from the raw archive alone (offline)."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    with refresh_lock(settings.lock_path):
        housekeeping.clean_stale(settings)
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": "running",
                                         "started_at": started.isoformat(), "pid": os.getpid()})  # fmt: skip
        progress = progress or SilentProgress()
        progress.start("build", len(BUILD_STEPS))
        info = BuildInfo(run_id, "rebuild", started, settings.scb_url, settings.kolada_url,
                         crosscheck_pp=settings.crosscheck_pp,
                         on_step=lambda step: progress.advance("build", step))  # fmt: skip
        try:
            report = build(Archive(settings.raw_dir), settings.db_path, info)
        except Exception as exc:
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": errors.describe(exc, str(settings.data_dir))})  # fmt: skip
            raise
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": "ok",
                                         "started_at": started.isoformat(),
                                         "finished_at": datetime.now(UTC).isoformat()})  # fmt: skip
        return report
