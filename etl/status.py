"""`labourdash status`: last run, freshness per source, row counts, synthetic or real."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

import duckdb

from etl import freshness, runlog
from etl.settings import Settings
from etl.stale import stale_holder
from etl.units import UnitStore
from etl.warehouse import WarehouseMissing, checksum_read, connect_read_only, lock_held, one_line

REBUILD = "rebuild it with `labourdash rebuild`"


@dataclass
class Status:
    """What `status` reports; `healthy` decides the exit code."""

    warehouse: str
    exists: bool
    healthy: bool
    problems: list[str] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    last_run: dict | None = None
    last_build: dict | None = None
    freshness: list[dict] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    units: list[dict] = field(default_factory=list)
    stale_units: list[str] = field(default_factory=list)  # failed or missing: `status` exits 4
    age_days: float | None = None
    max_age_days: float | None = None
    rebuild_check: dict[str, dict] = field(default_factory=dict)  # LUA district -> largest diff


def _lock_free(settings: Settings) -> bool:
    """True when no refresh holds the lock; read without taking it, so a refresh is never blocked."""
    held = lock_held(settings.lock_path)
    if held is None:  # no kernel lock table here: trust the running entry's process id
        entries = runlog.entries(settings.run_log)
        pid = entries[-1].get("pid") if entries else None
        if not isinstance(pid, int):
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return not held


def collect(settings: Settings) -> Status:
    """Read the warehouse (read-only, every mart table checksum-read) and the run log; never raises."""
    try:
        return _collect(settings)
    except Exception as exc:  # noqa: BLE001 - status must answer, whatever is broken
        status = Status(str(settings.db_path), settings.db_path.exists(), False)
        status.problems.append(f"status could not read everything: {one_line(exc)}")
        return status


def _collect(settings: Settings) -> Status:
    status = Status(str(settings.db_path), settings.db_path.exists(), True)
    store = UnitStore(settings.units_path)
    status.units = [asdict(u) for u in store.rows()]
    for u in store.problems():
        status.stale_units.append(u.name)
        what = (
            "has never been loaded"
            if u.state == "missing"
            else f"is stale (last success {u.last_success})"
        )
        status.problems.append(f"unit {u.name} {what}: {u.error}")
    entries = runlog.entries(settings.run_log)
    if entries and entries[-1].get("status") == "running" and _lock_free(settings):
        # A refresh writes its last entry before it lets go of the lock: read again, so one that
        # finished between the two looks is not taken for an interrupted one.
        entries = runlog.entries(settings.run_log)
    if entries:
        status.last_run = entries[-1]
        if entries[-1].get("status") == "failed":
            status.healthy = False
            status.problems.append(
                f"the last {entries[-1].get('kind')} failed: {entries[-1].get('error')}"
            )
        elif entries[-1].get("status") == "running" and _lock_free(settings):
            status.healthy = False
            status.problems.append(
                f"the last {entries[-1].get('kind') or 'refresh'} was interrupted before it finished"
            )
        elif entries[-1].get("status") == "running" and (why := stale_holder(settings)):
            status.healthy = False
            status.problems.append(f"stale refresh lock: {why}")
    try:
        con = connect_read_only(settings.db_path)
    except WarehouseMissing as exc:
        status.healthy = False
        status.problems.append(str(exc))
        return status
    except duckdb.Error as exc:  # a zero-byte or garbage file
        status.healthy = False
        status.problems.append(f"cannot open the warehouse ({one_line(exc)}); {REBUILD}")
        return status
    try:
        _read(con, status)
        for problem in checksum_read(con):
            status.healthy = False
            status.problems.append(f"the warehouse is corrupt: {problem}; {REBUILD}")
    except duckdb.Error as exc:
        status.healthy = False
        status.problems.append(f"cannot read the warehouse ({one_line(exc)}); {REBUILD}")
    finally:
        con.close()
    return status


def _read(con: duckdb.DuckDBPyConnection, status: Status) -> None:
    """Fill `status` from the warehouse tables."""
    status.info = dict(con.execute("SELECT key, value FROM mart.warehouse_info").fetchall())
    build = con.execute(
        "SELECT run_id, kind, started_at, finished_at, status, synthetic FROM mart.etl_run "
        "ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    if build:
        status.last_build = dict(zip(["run_id", "kind", "started_at", "finished_at", "status", "synthetic"],
                                     [str(v) for v in build], strict=True))  # fmt: skip
    status.freshness = [
        {"source": src, "source_table": table, "indicator": ind, "last_year": str(last),
         "source_updated": str(updated or "-"), "fetched_at": str(fetched),
         "values": "synthetic" if n_synth == n else ("partly synthetic" if n_synth else "official")}
        for src, table, ind, last, updated, fetched, n, n_synth in con.execute(
            "SELECT source, source_table, indicator, last_year, source_updated, "
            "CAST(fetched_at AS VARCHAR), rows, synthetic_rows FROM mart.series "
            "ORDER BY source, source_table, indicator"
        ).fetchall()
    ]  # fmt: skip
    if con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rebuild_check'"
    ).fetchone()[0]:
        from etl.lua_rebuild import largest_differences

        status.rebuild_check = largest_differences(
            con.execute("SELECT * FROM mart.rebuild_check").df()
        )
    for (name,) in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE schema_name IN ('raw', 'staging', 'mart') ORDER BY 1"
    ).fetchall():
        status.rows[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


def to_json(status: Status) -> str:
    """The status as JSON (for scripts and monitoring)."""
    return json.dumps(status.__dict__, ensure_ascii=False, indent=1, default=str)


def check_max_age(status: Status, settings: Settings, max_age_days: float) -> None:
    """Mark the status unhealthy when the data is older than `max_age_days` (for monitoring)."""
    fresh = freshness.read(settings.run_log, status.info.get("built_at"))
    status.age_days = None if fresh.age_days is None else round(fresh.age_days, 2)
    status.max_age_days = max_age_days
    if fresh.age_days is None:
        status.healthy = False
        status.problems.append(
            "no successful refresh is recorded, so the age of the data is unknown"
        )
    elif fresh.age_days > max_age_days:
        status.healthy = False
        status.problems.append(
            f"the data is {fresh.age_days:.1f} days old, more than --max-age {max_age_days:g} "
            f"(last successful refresh {fresh.last_ok_at:%Y-%m-%d %H:%M} UTC)"
        )
