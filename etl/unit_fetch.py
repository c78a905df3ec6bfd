"""Fetch one unit into the archive: an SCB table, a boundary layer, Kolada's groups or one KPI."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from etl import discovery, seeds, shrink, unitcheck
from etl.archive import Provenance
from etl.parse.kolada import KoladaShapeError, parse_groups
from etl.run_context import (
    RunContext,
    TableChange,
    _prov,
    _writer,
    carries_synthetic_marker,
)
from etl.sources.geodata import GeodataClient
from etl.sources.http import ClientRequestError, FetchResult
from etl.sources.kolada import KoladaClient
from etl.sources.pxweb import (
    PxWebClient,
    metadata_drift,
    resolve_selection,
    split_selection,
)
from etl.units import Unit, UnitFailed

log = logging.getLogger(__name__)


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
        writer.add(info.body, _prov(info, "scb", key, "table_info", "json", updated=updated))
        meta = {}
        for lang in ("sv", "en"):
            result = client.metadata(table_id, lang)
            meta[lang] = result.json()
            writer.add(result.body, _prov(result, "scb", key, "metadata", "jsonstat2",
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
            writer.add(result.body, _prov(result, "scb", key, "data", "jsonstat2",
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
            writer.add(page.body, prov(page))
        writer.commit(digest)
    except BaseException:
        writer.discard()
        raise
    ctx.fetched(unit, writer, digest, previous=previous.updated if previous else None,
                detail=detail)  # fmt: skip


def fetch_boundaries(ctx: RunContext, client: GeodataClient, unit: Unit, row) -> None:
    """One WFS boundary layer, page by page; unchanged when its features hash the same."""
    pages = client.feature_pages(row.wfs_type_name, row.id_property)
    joined = hashlib.sha256()  # the pages' bytes one after the other, read from their files
    for page in pages:
        for chunk in page.body.chunks():
            joined.update(chunk)
    digest = "sha256:" + joined.hexdigest()
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
            writer.add(r.body, _prov(r, "kolada", kpi, "values", "kolada_values",
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
