"""Stage tables into the next warehouse while the fetch goes on: SCB's rate limit leaves the CPU idle.

A refresh offers each table as its unit finishes: fetched tables at once, unchanged ones only after
something was fetched (a run that changes nothing builds nothing). One thread parses and inserts
them into the new warehouse file; the build then stages only what is left. Any failure here drops
the early work and the build stages everything itself, so it reports the same error it always did.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.archive import ArchivedTable
from etl.staging import Stager
from etl.warehouse import building_path, create, discard

log = logging.getLogger(__name__)
_DONE = object()


@dataclass
class Prestaged:
    """A new warehouse file with some tables staged, handed to the build."""

    path: Path
    con: duckdb.DuckDBPyConnection
    stager: Stager

    def discard(self) -> None:
        """Close and remove the file."""
        with contextlib.suppress(duckdb.Error):
            self.con.close()
        discard(self.path)


class Prestager:
    """Stages offered tables in a background thread into `building_path(db_path)`."""

    def __init__(self, db_path: Path) -> None:
        self.path = building_path(db_path)
        self._queue: queue.Queue = queue.Queue()
        self._waiting: list[ArchivedTable] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._done: Prestaged | None = None

    def offer(self, table: ArchivedTable, *, changed: bool) -> None:
        """A table whose unit has finished: fetched (`changed`) or still current."""
        with self._lock:
            if self._thread is None and not changed:
                self._waiting.append(table)
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="prestage", daemon=True)
                self._thread.start()
                for waiting in self._waiting:
                    self._queue.put(waiting)
                self._waiting.clear()
        self._queue.put(table)

    def _run(self) -> None:
        con = None
        try:
            con = create(self.path)
            stager = Stager(con)
            while (table := self._queue.get()) is not _DONE:
                if not self._stop.is_set():
                    stager.add(table)
            self._done = Prestaged(self.path, con, stager)
        except BaseException as exc:  # noqa: BLE001 - the build redoes the work and reports it
            log.info("staging during the fetch stopped (%s); the build stages every table", exc)
            if con is not None:
                with contextlib.suppress(duckdb.Error):
                    con.close()
            discard(self.path)
            while self._queue.get() is not _DONE:
                pass

    def finish(self) -> Prestaged | None:
        """Wait for the thread; the staged file, or None when nothing (or a failure) was staged."""
        if self._thread is None:
            return None
        self._queue.put(_DONE)
        self._thread.join()
        done, self._done = self._done, None  # handed over: the build owns the file now
        return done

    def cancel(self) -> None:
        """Stop staging and remove the file (the run failed or builds nothing)."""
        self._stop.set()
        done = self.finish()
        if done is not None:
            done.discard()
