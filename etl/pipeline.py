"""The ordered steps of a refresh (fetch changed tables into the archive, then build) and a rebuild."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from etl import (
    concurrent_fetch,
    discovery,
    errors,
    housekeeping,
    kolada_changes,
    runlog,
    seeds,
    shrink,
    unitcheck,
)
from etl.archive import Archive, ArchivedTable, Provenance, TableWriter, new_run_id
from etl.build import BUILD_STEPS, BuildInfo, build
from etl.parse.kolada import KoladaShapeError, parse_groups
from etl.prestage import Prestager
from etl.settings import Settings
from etl.sources import deadline
from etl.sources.geodata import GeodataClient
from etl.sources.http import ClientRequestError, FetchResult, SourceError
from etl.sources.kolada import KoladaClient
from etl.sources.pxweb import (
    PxWebClient,
    SelectionError,
    metadata_drift,
    resolve_selection,
    split_selection,
)
from etl.units import Unit, UnitFailed, UnitStore
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
    action: str  # fetched | unchanged | failed | retired
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


@dataclass
class RunContext:
    """What every unit of one refresh shares."""

    archive: Archive
    run_id: str
    plan: RefreshPlan
    progress: Progress
    store: UnitStore
    previous: dict[tuple[str, str], ArchivedTable]
    prestager: Prestager | None = None  # stages finished tables while the fetch goes on

    def fetched(self, unit: Unit, writer: TableWriter, updated: str | None, *, previous: str | None,
                detail: str = "", **extra: object) -> None:  # fmt: skip
        """Record a committed unit."""
        self.store.succeeded(unit, self.run_id, updated, **extra)
        self.plan.changes.append(TableChange(unit.source, unit.key, "fetched", updated, previous,
                                             len(writer.files), detail))  # fmt: skip
        if self.prestager is not None:
            table = self.archive.version(self.run_id, unit.source, unit.key)
            self.prestager.offer(table, changed=True)

    def unchanged(self, unit: Unit, updated: str | None, previous: str | None) -> None:
        """Record a unit whose archived version is still current."""
        self.store.unchanged(unit, updated)
        self.plan.changes.append(TableChange(unit.source, unit.key, "unchanged", updated, previous))
        if self.prestager is not None and (table := self.previous.get((unit.source, unit.key))):
            self.prestager.offer(table, changed=False)


def run_unit(ctx: RunContext, unit: Unit, work: Callable[[], None]) -> None:
    """Run one unit's fetch; any failure is recorded for that unit alone and the run goes on."""
    try:
        work()
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise  # the disk is full: no later unit can be written either
        _unit_failed(ctx, unit, f"{type(exc).__name__}: {exc}")
    except deadline.RunDeadlineExceeded:
        raise  # past the refresh's deadline: the whole run stops
    except Exception as exc:  # noqa: BLE001 - isolation: the message is kept, the run goes on
        _unit_failed(ctx, unit, _message(exc))


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, UnitFailed | SourceError | SelectionError):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _unit_failed(ctx: RunContext, unit: Unit, message: str) -> None:
    log.warning("%s failed: %s", unit.name, message)
    state = ctx.store.failed(unit, message)
    ctx.plan.changes.append(
        TableChange(unit.source, unit.key, "failed", state.updated, state.updated, 0, message)
    )


def _writer(ctx: RunContext, unit: Unit) -> TableWriter:
    return ctx.archive.table_writer(ctx.run_id, unit.source, unit.key)


def _previous_metadata(ctx: RunContext, key: str) -> dict | None:
    table = ctx.previous.get(("scb", key))
    for resp in table.responses if table else []:
        if resp.provenance.kind == "metadata" and (resp.provenance.lang or "sv") == "sv":
            return resp.read_json()  # type: ignore[return-value]
    return None


def _find_table(ctx: RunContext, client: PxWebClient, unit: Unit, row) -> tuple[str, dict]:
    """The table id: pinned in seeds, found in an earlier run and still there, or searched for."""
    if row.table_id:
        return row.table_id, {}
    known = ctx.store.get(unit).resolved.get("table_id")
    if known and not ctx.plan.full:
        try:
            client.table(known)
            return known, {"table_id": known, "found_by": "an earlier run"}
        except ClientRequestError:
            log.warning("%s: %s is gone; searching again", unit.name, known)
    found = discovery.find_table(client, row)
    return found["id"], {"table_id": found["id"], "found_by": found.get("found_by", "")}


def fetch_scb_table(ctx: RunContext, client: PxWebClient, unit: Unit, row) -> None:
    """One SCB table: find it, compare `updated`, check drift, fetch, check, commit."""
    key = unit.key
    table_id, resolved = _find_table(ctx, client, unit, row)
    info = client.table(table_id)
    body = info.json()
    updated = body.get("updated")
    if body.get("discontinued"):
        log.warning("%s: SCB marks %s discontinued", unit.name, table_id)
    previous = ctx.previous.get(("scb", key))
    if not ctx.plan.full and previous is not None and previous.updated == updated:
        ctx.unchanged(unit, updated, previous.updated)
        return
    writer = _writer(ctx, unit)
    try:
        writer.add(info.content, _prov(info, "scb", key, "table_info", "json", updated=updated))
        meta = {}
        for lang in ("sv", "en"):
            result = client.metadata(table_id, lang)
            meta[lang] = result.json()
            writer.add(result.content, _prov(result, "scb", key, "metadata", "jsonstat2",
                                             updated=updated, lang=lang))  # fmt: skip
        spec = seeds.selection_spec(key)
        problems, new_codes = metadata_drift(_previous_metadata(ctx, key), meta["sv"], spec)
        if problems:
            raise UnitFailed(f"{unit.name} ({table_id}): {'; '.join(problems)}")
        selection = resolve_selection(meta["sv"], spec)
        unitcheck.resolve_contents(unit.name, key, meta["sv"])  # before spending calls on data
        chunks = split_selection(selection, client.max_data_cells)
        docs = []
        for i, chunk in enumerate(chunks, 1):
            result = client.data(table_id, chunk, "sv")
            docs.append(result.json())
            writer.add(result.content, _prov(result, "scb", key, "data", "jsonstat2",
                                             updated=updated, lang="sv"))  # fmt: skip
            ctx.progress.note("scb", f"{key} part {i}/{len(chunks)}")
        check = unitcheck.check_scb(unit.name, key, meta["sv"], docs)
        shrink.guard(unit.name, previous, "data", docs)  # never shrink the archive to nothing
        resolved = {**resolved, **check.resolved}
        writer.commit(updated, resolved=resolved)
    except BaseException:
        writer.discard()
        raise
    detail = "; ".join(f"new {v} codes: {', '.join(c[:5])}" + ("…" if len(c) > 5 else "")
                       for v, c in new_codes.items())  # fmt: skip
    ctx.fetched(unit, writer, updated, previous=previous.updated if previous else None,
                detail=detail, resolved=resolved, unmapped=check.unmapped,
                new_codes=new_codes)  # fmt: skip


def _archive_by_digest(ctx: RunContext, unit: Unit, digest: str, pages: list[FetchResult],
                       prov: Callable[[FetchResult], Provenance], detail: str = "",
                       kind: str = "") -> None:  # fmt: skip
    """Archive a unit's pages unless their digest equals the archived version's."""
    previous = ctx.previous.get((unit.source, unit.key))
    if not ctx.plan.full and previous is not None and previous.updated == digest:
        ctx.unchanged(unit, digest, previous.updated)
        return
    if kind:
        shrink.guard(unit.name, previous, kind, [page.json() for page in pages])
    writer = _writer(ctx, unit)
    try:
        for page in pages:
            writer.add(page.content, prov(page))
        writer.commit(digest)
    except BaseException:
        writer.discard()
        raise
    ctx.fetched(unit, writer, digest, previous=previous.updated if previous else None,
                detail=detail)  # fmt: skip


def fetch_boundaries(ctx: RunContext, client: GeodataClient, unit: Unit, row) -> None:
    """One WFS boundary layer, page by page; unchanged when its features hash the same."""
    pages = client.feature_pages(row.wfs_type_name, row.id_property)
    digest = "sha256:" + hashlib.sha256(b"".join(p.content for p in pages)).hexdigest()
    features = sum(len(p.json()["features"]) for p in pages)
    _archive_by_digest(ctx, unit, digest, pages, lambda page: _prov(
        page, "scb", unit.key, "boundaries", "geojson",
        synthetic=carries_synthetic_marker(page.json())), f"{features} features",
        "boundaries")  # fmt: skip


def fetch_groups(ctx: RunContext, client: KoladaClient, unit: Unit) -> None:
    """Kolada's municipality groups (peer sets); unchanged when their content is the same."""
    groups = client.municipality_groups()
    rows = []
    for r in groups:
        try:
            rows += parse_groups(r.json()).itertuples(index=False, name=None)
        except KoladaShapeError as exc:
            raise UnitFailed(f"{unit.name}: {exc} ({r.url})") from exc
    # the content, not the bytes: paging differently must not look like a change
    digest = "sha256:" + hashlib.sha256(repr(sorted(rows)).encode("utf-8")).hexdigest()
    _archive_by_digest(ctx, unit, digest, groups,
                       lambda r: _prov(r, "kolada", unit.key, "groups", "kolada_groups"),
                       kind="groups")  # fmt: skip


def _catalogue(client: KoladaClient, kpis: list[str]) -> dict[str, dict]:
    """KPI id -> its /kpi item, for the KPIs the catalogue still lists."""
    return {item["id"]: item for r in client.kpis(kpis) for item in r.json().get("values", [])}


def _stamp(item: dict) -> str:
    return f"{item.get('publ_period', '')}@{item.get('publication_date', '')}"


def _since(ctx: RunContext, unit: Unit) -> str | None:
    """The day (YYYY-MM-DD) from which a KPI's changes are asked for; None = fetch it all."""
    state = ctx.store.get(unit)
    if ctx.plan.full or ("kolada", unit.key) not in ctx.previous or not state.last_success:
        return None
    return state.last_success[:10]


def kpi_unchanged(ctx: RunContext, unit: Unit, item: dict) -> None:
    """Record a KPI that the batched change check found without changes."""
    previous = ctx.previous.get(("kolada", unit.key))
    ctx.unchanged(unit, _stamp(item), previous.updated if previous else None)


def fetch_kpi(ctx: RunContext, client: KoladaClient, unit: Unit, item: dict,
              areas: list[str], years: list[int]) -> None:  # fmt: skip
    """One Kolada KPI: values changed since the last success (`from_date`), or all of them."""
    kpi = unit.key
    updated = _stamp(item)
    previous = ctx.previous.get(("kolada", kpi))
    since = _since(ctx, unit)
    pages = client.values([kpi], areas, years, from_date=since)
    docs = [p.json() for p in pages]
    changed = sum(len(d.get("values", [])) for d in docs)
    if since is not None and changed == 0:
        ctx.unchanged(unit, updated, previous.updated if previous else None)
        return
    check = unitcheck.check_kolada(unit.name, kpi, docs)
    if since is None:  # the answer replaces the archived values: it must not lose them
        shrink.guard(unit.name, previous, "values", docs)
    writer = _writer(ctx, unit)
    try:
        for r in pages:
            writer.add(r.content, _prov(r, "kolada", kpi, "values", "kolada_values",
                                        updated=updated))  # fmt: skip
        resolved = {"from_date": since} if since else {}
        writer.commit(updated, extends=previous.run_id if since and previous else None,
                      resolved=resolved)  # fmt: skip
    except BaseException:
        writer.discard()
        raise
    detail = f"{changed:,} values changed since {since}" if since else f"{changed:,} values"
    ctx.fetched(unit, writer, updated, previous=previous.updated if previous else None,
                detail=detail, unmapped=check.unmapped)  # fmt: skip


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


def _retired(ctx: RunContext, unit: Unit) -> None:
    """A KPI that Kolada's catalogue no longer lists: reported once, not fetched, values kept."""
    kept = ("kolada", unit.key) in ctx.previous
    reason = "no longer in Kolada's KPI catalogue (retired); " + (
        "its archived values are kept and shown as discontinued" if kept else "no values archived"
    )
    _state, newly = ctx.store.retired(unit, reason)
    if newly:
        log.warning("%s: %s", unit.name, reason)
    ctx.plan.changes.append(TableChange(unit.source, unit.key, "retired" if newly else "unchanged",
                                        detail=reason if newly else ""))  # fmt: skip


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
        ctx = RunContext(archive, run_id, plan, progress, store, archive.current_by_key(),
                         prestager)  # fmt: skip
        try:
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
            if not changed and status == "ok" and settings.db_path.exists():
                _cancel(prestager)
                report = {"run_id": run_id, "kind": "refresh", "rows": {},
                          "note": "no source has changed"}  # fmt: skip
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
            cause = errors.describe(exc, str(settings.data_dir)).removeprefix("refresh failed: ")
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "refresh", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": cause, "changes": [c.__dict__ for c in plan.changes]})  # fmt: skip
            raise RefreshFailed(f"refresh failed: {cause}. {kept}") from exc
        report["changes"] = [c.__dict__ for c in plan.changes]
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
        try:
            report = build(Archive(settings.raw_dir), settings.db_path, info)
        except Exception as exc:
            runlog.record(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": "failed",
                                             "started_at": started.isoformat(),
                                             "finished_at": datetime.now(UTC).isoformat(),
                                             "error": errors.describe(exc, str(settings.data_dir))})  # fmt: skip
            raise
        report["status"] = "partial" if report.get("failed_sets") else "ok"
        runlog.append(settings.run_log, {"run_id": run_id, "kind": "rebuild", "status": report["status"],
                                         "failed_units": report.get("failed_sets", []),
                                         "started_at": started.isoformat(),
                                         "finished_at": datetime.now(UTC).isoformat()})  # fmt: skip
        return report
