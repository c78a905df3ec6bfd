"""Read-only DuckDB access to the warehouse, reconnecting when a refresh replaces the file."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.settings import Settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_configured_path: Path | None = None
_state: _Handle | None = None
_local = threading.local()


class WarehouseMissing(RuntimeError):
    """The warehouse file does not exist (yet)."""


@dataclass(frozen=True)
class _Handle:
    key: tuple[str, int, int, int]
    con: duckdb.DuckDBPyConnection


def configure(db_path: Path | str | None) -> None:
    """Set the warehouse path for this process (None: Settings().db_path)."""
    global _configured_path, _state
    with _lock:
        _configured_path = Path(db_path) if db_path is not None else None
        _state = None


def db_path() -> Path:
    """The warehouse path in use."""
    return _configured_path or Settings().db_path


def _file_key(path: Path) -> tuple[str, int, int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise WarehouseMissing(str(path)) from exc
    return (str(path.resolve()), st.st_ino, st.st_mtime_ns, st.st_size)


def _open(path: Path, key: tuple[str, int, int, int]) -> _Handle:
    # An in-memory instance with the file ATTACHed read-only: duckdb.connect(path) would
    # return a cached instance of the old file after an atomic replace (duckdb#15912).
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
    # defence in depth: no file or network access beyond the attached warehouse, and no way back
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    log.info("opened warehouse %s (inode %s)", path, key[1])
    return _Handle(key, con)


def handle() -> _Handle:
    """The per-process connection for the current warehouse file, reopened if it changed."""
    global _state
    path = db_path()
    key = _file_key(path)
    state = _state
    if state is not None and state.key == key:
        return state
    with _lock:
        if _state is None or _state.key != key:
            _state = _open(path, key)
        return _state


def generation() -> tuple[str, int, int, int]:
    """Identity of the warehouse file in use: changes when a refresh replaces it.

    Read from the file's metadata without opening it, so a file DuckDB cannot open fails in the
    callback that queries it (which says so), not in the cache lookup before it.
    """
    return _file_key(db_path())


def _cursor() -> duckdb.DuckDBPyConnection:
    h = handle()
    cached = getattr(_local, "cursor", None)
    if cached is not None and cached[0] == h.key:
        return cached[1]
    cur = h.con.cursor()
    cur.execute("USE wh")
    _local.cursor = (h.key, cur)
    return cur


def unreadable(exc: BaseException) -> bool:
    """True when `exc` says the warehouse file cannot be opened or read (corrupt, zero bytes)."""
    return isinstance(exc, duckdb.Error) and not isinstance(exc, duckdb.CatalogException)


def query(sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
    """Run a parametrised read-only query and return a DataFrame."""
    return _cursor().execute(sql, params or {}).df()


def query_rows(sql: str, params: dict[str, Any] | list[Any] | None = None) -> list[tuple]:
    """Run a parametrised read-only query and return tuples."""
    return _cursor().execute(sql, params or {}).fetchall()


def release() -> None:
    """Close this process's connection and this thread's cursor (reopened on the next query).

    gunicorn's master calls it after the warm-up and before forking workers: a DuckDB instance
    (its threads and locks) must not be shared across a fork."""
    global _state
    with _lock:
        state, _state = _state, None
    cached = getattr(_local, "cursor", None)
    _local.cursor = None
    if cached is not None:
        cached[1].close()
    if state is not None:
        state.con.close()
