"""The DuckDB warehouse file: build into a new file, check, then swap it in atomically."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from etl.settings import Settings

log = logging.getLogger(__name__)
SCHEMA_SQL = Path(__file__).with_name("schema.sql")


class RefreshLocked(RuntimeError):
    """Another refresh or rebuild holds the lock."""


class WarehouseMissing(FileNotFoundError):
    """No warehouse has been built yet."""


@contextlib.contextmanager
def refresh_lock(lock_path: Path, timeout: float = 0) -> Iterator[None]:
    """Hold the single-writer lock; raise RefreshLocked at once if someone else has it."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise RefreshLocked(
            f"another refresh is running (lock {lock_path}); try again when it has finished"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def lock_held(lock_path: Path) -> bool | None:
    """Whether some process holds the refresh lock, read without taking it (None: cannot tell).

    Reads the kernel's table of file locks (/proc/locks on Linux), so looking never blocks or
    fails a refresh that starts at the same moment.
    """
    try:
        st = os.stat(lock_path)
    except FileNotFoundError:
        return False
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:131074 0 EOF" (blocked waiters carry "->").
        # Matched on the inode only: overlay file systems report another device number here.
        if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
            continue
        if fields[5].rsplit(":", 1)[-1] == str(st.st_ino):
            return True
    return False


def building_path(db_path: Path) -> Path:
    """Where a new warehouse is built before the swap (same folder, so os.replace is atomic)."""
    return db_path.with_name(f".{db_path.name}.building-{os.getpid()}")


def create(path: Path) -> duckdb.DuckDBPyConnection:
    """Create an empty warehouse with the raw/staging/mart schemas at `path`."""
    if path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    limit_build_connection(con)
    con.execute(SCHEMA_SQL.read_text("utf-8"))
    return con


def limit_build_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Cap a build's DuckDB memory and threads (LABOURDASH_DUCKDB_MEMORY_LIMIT / _THREADS)."""
    settings = Settings()
    con.execute("SET memory_limit = ?", [settings.duckdb_memory_limit])
    con.execute(f"SET threads = {max(1, int(settings.duckdb_threads))}")
    con.execute("SET preserve_insertion_order = true")


def wal_path(db_path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return db_path.with_name(db_path.name + ".wal")


def swap_in(new_path: Path, db_path: Path) -> None:
    """Atomically replace the live warehouse with a finished new file.

    A WAL beside the live file never belongs to the new one (the product only ever reads the live
    file; builds checkpoint before the swap), so it is removed first: DuckDB must not replay a
    stale or garbage log over the new file. A WAL of the new file, if any, moves with it.
    """
    fd = os.open(new_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        wal_path(db_path).unlink()
        log.warning("removed %s: it did not belong to the new warehouse", wal_path(db_path))
    os.replace(new_path, db_path)
    if wal_path(new_path).exists():
        os.replace(wal_path(new_path), wal_path(db_path))
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    log.info("warehouse swapped in at %s", db_path)


def discard(new_path: Path) -> None:
    """Remove a half-built warehouse file (and DuckDB's WAL beside it)."""
    for p in (new_path, new_path.with_name(new_path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the live warehouse read-only; raise WarehouseMissing with a hint when absent."""
    if not db_path.exists():
        raise WarehouseMissing(
            f"no warehouse at {db_path}; build one with `labourdash demo` or `labourdash refresh`"
        )
    return duckdb.connect(str(db_path), read_only=True)


def checksum_read(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Read every column of every mart table, so DuckDB checks each block's checksum.

    Returns one line per table that cannot be read (empty when all are intact); `count(*)` alone
    would read only the row-group headers.
    """
    problems = []
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart' ORDER BY 1"
    ).fetchall()
    for (table,) in tables:
        try:
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM mart."{table}"').fetchall()
        except duckdb.Error as exc:
            problems.append(f"mart.{table}: {one_line(exc)}")
    return problems


def check(db_path: Path) -> list[str]:
    """Open the warehouse read-only and checksum-read each mart table; the problems, one line each."""
    try:
        con = connect_read_only(db_path)
    except WarehouseMissing as exc:
        return [str(exc)]
    except duckdb.Error as exc:
        return [f"cannot open the warehouse {db_path}: {one_line(exc)}"]
    try:
        return checksum_read(con)
    except duckdb.Error as exc:
        return [f"cannot read the warehouse {db_path}: {one_line(exc)}"]
    finally:
        con.close()


def one_line(exc: BaseException) -> str:
    """An exception's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__
