"""The ordered steps of a refresh (fetch changed tables into the archive, then build) and a rebuild.

The shared run context lives in etl/run_context.py, the fetch of each unit in etl/unit_fetch.py;
their public names are importable from here as well.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import UTC, date, datetime

from etl import (
    concurrent_fetch,
    errors,
    housekeeping,
    kolada_changes,
    runlog,
    seeds,
)
from etl.archive import Archive, new_run_id
from etl.build import BUILD_STEPS, BuildInfo, build
from etl.prestage import Prestager
from etl.run_context import (
    SOURCES,
    Progress,
    RefreshPlan,
    RunContext,
    SilentProgress,
    TableChange,
    _message,
    _unit_failed,
    carries_synthetic_marker,
    run_unit,
)
from etl.settings import Settings
from etl.sources import deadline
from etl.sources.geodata import GeodataClient
from etl.sources.kolada import KoladaClient
from etl.sources.pxweb import PxWebClient
from etl.unit_fetch import (
    _catalogue,
    _retired,
    _since,
    fetch_boundaries,
    fetch_groups,
    fetch_kpi,
    fetch_scb_table,
    kpi_unchanged,
)
from etl.units import Unit, UnitStore
from etl.warehouse import check as check_warehouse
from etl.warehouse import refresh_lock

__all__ = [
    "SOURCES",
    "Progress",
    "RefreshFailed",
    "RefreshPlan",
    "RunContext",
    "SilentProgress",
    "TableChange",
    "carries_synthetic_marker",
    "fetch_boundaries",
    "fetch_groups",
    "fetch_kpi",
    "fetch_scb_table",
    "kpi_unchanged",
    "rebuild",
    "refresh",
    "refresh_boundaries",
    "refresh_kolada",
    "refresh_scb",
    "run_unit",
]
log = logging.getLogger(__name__)


class RefreshFailed(RuntimeError):
    """A refresh stopped; the previous warehouse is untouched and the message says why."""


def refresh_scb(settings: Settings, ctx: RunContext) -> None:
    """Every SCB table in seeds, each on its own (a failing table never stops the others)."""
    tables = seeds.scb_tables()
    units = [Unit("scb", row.table_key, "scb_table") for row in tables.itertuples()]
    ctx.progress.start("scb", len(units))
    with PxWebClient.from_settings(settings) as client:
        try:
            client.config()
        except Exception as exc:  # noqa: BLE001 - every SCB table fails with the same reason
            for unit in units:
                _unit_failed(ctx, unit, f"SCB /config: {_message(exc)}")
            return
        for unit, row in zip(units, tables.itertuples(), strict=True):
            run_unit(ctx, unit, lambda u=unit, r=row: fetch_scb_table(ctx, client, u, r))
            ctx.progress.advance("scb", f"{unit.key} {ctx.plan.changes[-1].action}")


def refresh_boundaries(settings: Settings, ctx: RunContext) -> None:
    """The boundary layers named in seeds/boundaries.csv from SCB's WFS, each on its own."""
    rows = [r for r in seeds.load("boundaries").itertuples() if r.wfs_type_name]
    with GeodataClient.from_settings(settings) as client:
        for row in rows:
            unit = Unit("scb", f"boundaries_{row.level}", "boundaries")
            run_unit(ctx, unit, lambda u=unit, r=row: fetch_boundaries(ctx, client, u, r))
            ctx.progress.note("scb", f"{unit.key} {ctx.plan.changes[-1].action}")


def refresh_kolada(settings: Settings, ctx: RunContext) -> None:
    """The municipality groups and every KPI in seeds, each on its own; retired KPIs are kept."""
    kpis = seeds.kolada_kpis()
    units = {kpi: Unit("kolada", kpi, "kolada_kpi") for kpi in kpis}
    groups = Unit("kolada", "municipality_groups", "kolada_groups")
    ctx.progress.start("kolada", len(kpis) + 1)
    with KoladaClient.from_settings(settings) as client:
        run_unit(ctx, groups, lambda: fetch_groups(ctx, client, groups))
        ctx.progress.advance("kolada", "municipality groups")
        try:
            areas = sorted({item["id"] for r in client.municipalities()
                            for item in r.json().get("values", [])})  # fmt: skip
            catalogue = _catalogue(client, kpis)
        except Exception as exc:  # noqa: BLE001 - without areas or catalogue no KPI can be fetched
            for unit in units.values():
                _unit_failed(ctx, unit, f"Kolada metadata: {_message(exc)}")
            return
        years = list(range(seeds.first_year("kolada"), date.today().year + 1))
        since = {k: d for k, u in units.items() if k in catalogue and (d := _since(ctx, u))}
        changed = kolada_changes.changed_kpis(client, since, years) if since else None
        for kpi, unit in units.items():
            if kpi not in catalogue:
                _retired(ctx, unit)
            elif changed is not None and kpi in since and kpi not in changed:
                item = catalogue[kpi]
                run_unit(ctx, unit, lambda u=unit, i=item: kpi_unchanged(ctx, u, i))
            else:
                item = catalogue[kpi]
                run_unit(
                    ctx, unit, lambda u=unit, i=item: fetch_kpi(ctx, client, u, i, areas, years)
                )
            ctx.progress.advance("kolada", f"{kpi} {ctx.plan.changes[-1].action}")


def _refresh_scb_all(settings: Settings, ctx: RunContext) -> None:
    """SCB's tables, then its boundary layers."""
    refresh_scb(settings, ctx)
    refresh_boundaries(settings, ctx)


def _run_status(changes: list[TableChange]) -> str:
    failed = [c for c in changes if c.action == "failed"]
    if not failed:
        return "ok"
    return "failed" if len(failed) == len(changes) else "partial"


def refresh(settings: Settings, sources: Iterable[str] = SOURCES, full: bool = False,
            progress: Progress | None = None) -> dict:  # fmt: skip
    """Fetch what changed, unit by unit, then build and swap in a new warehouse.

    The report's `status` is `ok`, or `partial` when some units failed (they keep their last
    complete archive; the new warehouse is in). RefreshFailed (nothing new) leaves the old file.
    """
    progress = progress or SilentProgress()
    plan = RefreshPlan(tuple(sources), full)
    archive = Archive(settings.raw_dir)
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    with refresh_lock(settings.lock_path), deadline.run_deadline(settings.refresh_deadline):
        housekeeping.clean_stale(settings)
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "running",
                                         "started_at": started.isoformat(), "sources": list(plan.sources),
                                         "pid": os.getpid()})  # fmt: skip
        store = UnitStore(settings.units_path)
        prestager = Prestager(settings.db_path) if settings.stage_during_fetch else None
        ctx = RunContext(archive, run_id, plan, progress, store, {}, prestager)
        try:
            ctx.previous = _intact_versions(archive)
            if "scb" in plan.sources and "kolada" in plan.sources and settings.parallel_fetch:
                concurrent_fetch.run_beside(ctx, lambda c: _refresh_scb_all(settings, c),
                                            lambda c: refresh_kolada(settings, c))  # fmt: skip
            else:
                if "scb" in plan.sources:
                    _refresh_scb_all(settings, ctx)
                if "kolada" in plan.sources:
                    refresh_kolada(settings, ctx)
            store.save()
            status = _run_status(plan.changes)
            if status == "failed":
                raise RefreshFailed(f"every unit failed ({_failures(plan.changes)})")
            changed = [c for c in plan.changes if c.action in ("fetched", "retired")]
            if not changed and _warehouse_intact(settings):
                _cancel(prestager)  # a quiet night: the warehouse file is left as it is
                report = {"run_id": run_id, "kind": "refresh", "rows": {},
                          "note": "no unit produced a new archive; the warehouse is unchanged"}  # fmt: skip
            else:
                deadline.check_run("before the build")
                progress.start("build", len(BUILD_STEPS))
                info = BuildInfo(run_id, "refresh", started, settings.scb_url, settings.kolada_url,
                                 crosscheck_pp=settings.crosscheck_pp, units=store.rows(),
                                 on_step=lambda step: progress.advance("build", step))  # fmt: skip
                prestaged = prestager.finish() if prestager is not None else None
                report = build(archive, settings.db_path, info, prestaged)
        except Exception as exc:  # noqa: BLE001 - every failure is logged and reported the same way
            _cancel(prestager)
            kept = (
                "The previous warehouse is unchanged."
                if settings.db_path.exists()
                else "No warehouse was written."
            )
            housekeeping.clean_run(settings, run_id)
            housekeeping.clean_spool(settings)
            cause = errors.describe(exc, str(settings.data_dir)).removeprefix("refresh failed: ")
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": cause, "changes": [c.__dict__ for c in plan.changes]})  # fmt: skip
            raise RefreshFailed(f"refresh failed: {cause}. {kept}") from exc
        housekeeping.clean_spool(settings)  # bodies fetched but not archived (unchanged units)
        report["changes"] = [c.__dict__ for c in plan.changes]
        report["archive_problems"] = list(archive.problems.values())
        if report.get("failed_sets") and status == "ok":
            status = "partial"  # a RegSO set failed like a unit; the rest of the build is in
        report["unmapped"] = {
            f"{c.source}:{c.table_key}": store.get(Unit(c.source, c.table_key, "")).unmapped
            for c in plan.changes
            if c.action == "fetched" and store.get(Unit(c.source, c.table_key, "")).unmapped
        }
        report["status"] = status
        report["failed_units"] = [f"{c.source}:{c.table_key}: {c.detail}" for c in plan.changes
                                  if c.action == "failed"] + report.get("failed_sets", [])  # fmt: skip
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": status,
                                         "started_at": started.isoformat(),
                                         "finished_at": datetime.now(UTC).isoformat(),
                                         "changes": report["changes"],
                                         "failed_units": report["failed_units"],
                                         "crosscheck_over": (report.get("crosscheck") or {}).get("over_threshold")})  # fmt: skip
        return report


def _intact_versions(archive: Archive) -> dict:
    """The archived version of each unit a refresh compares against: its latest, checked.

    A unit whose latest version is corrupt is left out, so it is fetched again in full; the build
    falls back to its previous intact version if that fetch fails.
    """
    return {k: t for k, t in archive.current_by_key().items() if k not in archive.refetch}


def _warehouse_intact(settings: Settings) -> bool:
    """Whether the live warehouse can stay as it is (present, and every mart table reads back)."""
    if not settings.db_path.exists():
        return False
    problems = check_warehouse(settings.db_path)
    for problem in problems:
        log.warning("%s; building a new warehouse", problem)
    return not problems


def _failures(changes: list[TableChange]) -> str:
    failed = [c for c in changes if c.action == "failed"]
    first = failed[0] if failed else None
    more = f"; {len(failed) - 1} more" if len(failed) > 1 else ""
    return f"{first.source}:{first.table_key}: {first.detail}{more}" if first else "no units"


def _cancel(prestager: Prestager | None) -> None:
    if prestager is not None:
        prestager.cancel()


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
                         units=UnitStore(settings.units_path).rows(),
                         on_step=lambda step: progress.advance("build", step))  # fmt: skip
        archive = Archive(settings.raw_dir)
        try:
            report = build(archive, settings.db_path, info)
        except Exception as exc:
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": errors.describe(exc, str(settings.data_dir))})  # fmt: skip
            raise
        report["archive_problems"] = list(archive.problems.values())  # built from earlier versions
        partial = report.get("failed_sets") or report["archive_problems"]
        report["status"] = "partial" if partial else "ok"
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": report["status"],
                                         "failed_units": report.get("failed_sets", []) + report["archive_problems"],
                                         "started_at": started.isoformat(),
                                         "finished_at": datetime.now(UTC).isoformat()})  # fmt: skip
        return report
