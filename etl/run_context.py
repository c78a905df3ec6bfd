"""What the units of one refresh share: the run context, the change list, and per-unit isolation."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from etl.archive import Archive, ArchivedTable, Provenance, TableWriter
from etl.prestage import Prestager
from etl.sources import deadline
from etl.sources.http import FetchResult, SourceError
from etl.sources.pxweb import SelectionError
from etl.units import Unit, UnitFailed, UnitStore

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
