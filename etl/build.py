"""Build a complete warehouse from the raw archive into a new file, check it, swap it in."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import regso_sets, seeds
from etl.archive import Archive, CorruptArchive
from etl.build_steps import STEPS, BuildContext
from etl.prestage import Prestaged
from etl.warehouse import building_path, create, discard, swap_in

log = logging.getLogger(__name__)


BUILD_STEPS = tuple(step.name for step in STEPS)  # the progress bar's steps, in order


class NothingToBuild(RuntimeError):
    """The raw archive holds no committed table."""


class BuildCheckFailed(RuntimeError):
    """The new warehouse failed a consistency check; the live one was left untouched."""


@dataclass
class BuildInfo:
    """Who asked for the build and what to record in mart.etl_run."""

    run_id: str
    kind: str  # refresh | rebuild | demo
    started_at: datetime
    scb_url: str = ""
    kolada_url: str = ""
    crosscheck_pp: float = 0.5
    extra_report: dict = field(default_factory=dict)
    units: list = field(default_factory=list)  # UnitState rows, copied into mart.unit_status
    on_step: Callable[[str], None] = lambda step: None  # progress: called before each build step


def _unit_status(con: duckdb.DuckDBPyConnection, units: list) -> int:
    """mart.unit_status: one row per refresh unit, with its rows in mart.observation."""
    if not units:
        return 0
    src = seeds.indicator_sources()
    feeds = src.groupby("table_key").indicator.agg(lambda s: ",".join(sorted(set(s)))).to_dict()
    rows = [
        (u.source, u.key, u.kind, u.state, u.last_success, u.last_attempt, u.error, u.updated,
         json.dumps(u.resolved, ensure_ascii=False), json.dumps(u.unmapped, ensure_ascii=False),
         u.retired_at, feeds.get(u.key))
        for u in units
    ]  # fmt: skip
    con.executemany(
        "INSERT INTO mart.unit_status (source, unit_key, kind, state, last_success, last_attempt, "
        "error, source_updated, resolved, unmapped, retired_at, indicators) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    con.execute(
        "UPDATE mart.unit_status u SET observations = o.n FROM (SELECT source, source_table, "
        "count(*) AS n FROM mart.observation GROUP BY ALL) o WHERE o.source = u.source AND "
        "(o.source_table = u.unit_key OR o.source_table = json_extract_string(u.resolved, '$.table_id'))"
    )
    return len(rows)


def _provenance_split(tables: list) -> tuple[list[str], list[str], list[str]]:
    """Table keys whose data responses are all synthetic, partly synthetic, or all real."""
    out: tuple[list[str], list[str], list[str]] = ([], [], [])
    for table in tables:
        flags = [
            r.provenance.synthetic
            for r in table.responses
            if r.provenance.kind not in ("metadata", "table_info")
        ]
        if flags:
            out[0 if all(flags) else (1 if any(flags) else 2)].append(table.table_key)
    return tuple(sorted(x) for x in out)  # type: ignore[return-value]


def _checks(con: duckdb.DuckDBPyConnection) -> dict:
    out_of_range = con.execute(
        "SELECT count(*) FROM mart.observation o JOIN mart.indicator i USING (indicator) "
        "WHERE i.unit = 'percent' AND (o.value < 0 OR o.value > 100)"
    ).fetchone()[0]
    zero_for_missing = con.execute(
        "SELECT count(*) FROM mart.observation WHERE status NOT IN ('ok', 'derived') "
        "AND value IS NOT NULL"
    ).fetchone()[0]
    dup = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM mart.observation "
        "GROUP BY indicator, area_code, year, sex, birth_region, age HAVING count(*) > 1)"
    ).fetchone()[0]
    problems = []
    if out_of_range:
        problems.append(f"{out_of_range} percentage values outside 0-100")
    if zero_for_missing:
        problems.append(f"{zero_for_missing} suppressed/missing cells carry a value")
    if dup:
        problems.append(f"{dup} duplicate observation keys")
    if problems:
        raise BuildCheckFailed("new warehouse rejected: " + "; ".join(problems))
    return {"rates_out_of_range": 0, "duplicate_keys": 0}


def _row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = con.execute(
        "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
        "WHERE NOT temporary ORDER BY 1"
    ).fetchall()
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name, _ in tables}


@contextmanager
def _timed(timings: dict[str, float], step: str, on_step: Callable[[str], None] = lambda s: None):
    on_step(step)
    start = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - start, 3)
    log.info("build step %s took %.2f s", step, timings[step])


def build(
    archive: Archive, db_path: Path, info: BuildInfo, prestaged: Prestaged | None = None
) -> dict:
    """Build raw -> staging -> mart from `archive` into a new file and swap it in; return the report.

    `prestaged`: a new file the refresh already staged some tables into (etl/prestage.py).
    """
    tables = archive.current()
    if (not tables or archive.lost) and prestaged is not None:
        prestaged.discard()
    if archive.lost:  # built without it, the unit's series would vanish from the warehouse
        raise CorruptArchive(
            f"{archive.lost[0]}; `labourdash refresh` fetches it again"
            + (f" ({len(archive.lost) - 1} more corrupt units)" if len(archive.lost) > 1 else "")
        )
    if not tables:
        raise NothingToBuild(
            f"the raw archive {archive.root} holds no committed table; run a refresh first"
        )
    current = {(t.source, t.table_key) for t in tables}
    if prestaged is not None and not (
        set(prestaged.stager.staged) <= current
        and all(prestaged.stager.has(t) for t in tables if (t.source, t.table_key) in prestaged.stager.staged)
    ):  # fmt: skip
        log.warning("the tables staged during the fetch are not the archive's; staging them again")
        prestaged.discard()
        prestaged = None
    for stale in db_path.parent.glob(f".{db_path.name}.building-*"):
        if prestaged is not None and stale.name in (ours := prestaged.path.name, f"{ours}.wal"):
            continue  # the file staged during this run's fetch, or its WAL
        log.warning("removing %s left by a build that was killed", stale)
        discard(stale)  # safe: builds run under the refresh lock, so no other build is running
    tmp = prestaged.path if prestaged is not None else building_path(db_path)
    con = prestaged.con if prestaged is not None else create(tmp)
    try:
        t: dict[str, float] = {}
        ctx = BuildContext(con, tables, info.crosscheck_pp,
                           stager=prestaged.stager if prestaged is not None else None)  # fmt: skip
        staged_early = len(ctx.stager.staged)
        for step in STEPS:
            with _timed(t, step.name, info.on_step):
                step.run(ctx)
        checks = _checks(con)
        _unit_status(con, info.units)
        versions = {f"{t.source}:{t.table_key}": t.updated for t in tables}
        synthetic, partly, real = _provenance_split(tables)
        any_real = con.execute("SELECT bool_or(NOT synthetic) FROM mart.observation").fetchone()[0]
        any_synth = con.execute("SELECT bool_or(synthetic) FROM mart.observation").fetchone()[0]
        synthetic_state = (
            "partial" if (any_real and any_synth) else ("true" if any_synth else "false")
        )
        rows = _row_counts(con)
        report = {
            "run_id": info.run_id,
            "kind": info.kind,
            "rows": rows,
            "observations": ctx.counts,
            "peer_group_rows": ctx.peers,
            "geometries": ctx.geometries,
            "crosscheck": ctx.crosscheck,
            "checks": checks,
            "timings_s": t,
            "staged_during_fetch": staged_early,
            "synthetic_tables": synthetic,
            "partly_synthetic_tables": partly,
            "real_tables": real,
            **info.extra_report,
        }
        finished = datetime.now(UTC)
        stale = [u for u in info.units if u.state in ("failed", "missing")]
        report["stale_units"] = [f"{u.source}:{u.key}" for u in stale]
        report["failed_sets"] = regso_sets.failed_sets(con)  # built without them: a partial run
        stale += report["failed_sets"]
        con.execute(
            "INSERT INTO mart.etl_run VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [info.run_id, info.kind, info.started_at, finished, "partial" if stale else "ok",
             json.dumps(rows),
             json.dumps(versions), info.scb_url, info.kolada_url, synthetic_state != "false",
             json.dumps(report, default=str)],
        )  # fmt: skip
        info_rows = {
            "synthetic": synthetic_state,
            "synthetic_tables": ",".join(synthetic),
            "partly_synthetic_tables": ",".join(partly),
            "real_tables": ",".join(real),
            "built_at": finished.isoformat(),
            "run_id": info.run_id,
            "kind": info.kind,
        }
        con.executemany("INSERT INTO mart.warehouse_info VALUES (?, ?)", list(info_rows.items()))
        report["rows"] = _row_counts(con)
        con.execute("CHECKPOINT")
        con.close()
        swap_in(tmp, db_path)
        report["finished_at"] = finished.isoformat()
        report["synthetic"] = synthetic_state
        return report
    except BaseException:
        con.close()
        discard(tmp)
        raise
