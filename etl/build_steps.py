"""The build's steps, declared once in order: each step reads and fills the shared BuildContext.

`etl.build.build` runs STEPS in this order (timing each one and reporting progress by its name);
a new step is one function here and one entry in STEPS. Work tables that cross steps are declared
in schema.sql (`work.candidates`: filled by the observations step, read by the cross-check,
dropped by the last step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb

from etl import areas, decompose, geo, lua_history, lua_rebuild, mart, regso_sets, staging
from etl.sources.geodata import merge_pages
from etl.wide import build as build_read_paths


@dataclass
class BuildContext:
    """What the steps share: the new warehouse's connection, the archive's tables and the results."""

    con: duckdb.DuckDBPyConnection
    tables: list
    crosscheck_pp: float
    staged: staging.StagingResult = field(default_factory=staging.StagingResult)
    years: range = range(0)
    counts: dict = field(default_factory=dict)
    peers: int = 0
    geometries: int = 0
    crosscheck: dict = field(default_factory=dict)
    stager: staging.Stager | None = None  # tables staged during the fetch (etl/prestage.py)

    def __post_init__(self) -> None:
        if self.stager is None:
            self.stager = staging.Stager(self.con)

    @property
    def pending(self) -> list:
        """The archive's tables not yet staged (all of them unless the fetch staged some)."""
        return [t for t in self.tables if not self.stager.has(t)]


def _boundary_docs(tables: list) -> dict[str, tuple[dict, bool, str]]:
    """Level -> (FeatureCollection, synthetic, url) for every archived boundary layer (pages merged)."""
    docs = {}
    for table in tables:
        if table.table_key.startswith("boundaries_") and table.responses:
            pages = [r.read_json() for r in table.responses]
            synthetic = any(r.provenance.synthetic for r in table.responses) or any(
                bool(p.get("synthetic")) for p in pages
            )
            merged = merge_pages(pages)
            if any(p.get("synthetic") for p in pages):
                merged["synthetic"] = True
            docs[table.table_key.removeprefix("boundaries_")] = (
                merged,
                synthetic,
                table.responses[0].provenance.url,
            )
    return docs


def raw(ctx: BuildContext) -> None:
    """raw.response: the provenance of every archived response."""
    staging.load_raw(ctx.con, ctx.pending)


def load_staging(ctx: BuildContext) -> None:
    """staging.*: the archived responses parsed into tidy tables."""
    for table in ctx.pending:
        ctx.stager.add_staging(table)
    ctx.staged = ctx.stager.finish()


def build_areas(ctx: BuildContext) -> None:
    """Seed tables into mart, then areas, memberships and peer groups over the years staged."""
    mart.load_seed_tables(ctx.con)
    first, last = ctx.con.execute(
        "SELECT min(y), max(y) FROM (SELECT year AS y FROM staging.scb_observation "
        "UNION ALL SELECT year FROM staging.kolada_observation)"
    ).fetchone()
    ctx.years = range(first or 2000, (last or 2024) + 1)
    areas.build_areas(ctx.con, ctx.years)
    ctx.peers = areas.build_peer_groups(ctx.con)


def observations(ctx: BuildContext) -> None:
    """mart.observation from staging (one source per key), and RegSO rates from count tables."""
    ctx.counts = mart.build_observations(ctx.con)
    ctx.counts["from_counts"] = regso_sets.rates_from_counts(ctx.con)


def aggregates(ctx: BuildContext) -> None:
    """Rates of LA regions and area sets from their members' summed counts."""
    ctx.counts["aggregated"] = areas.aggregate_from_counts(ctx.con)


def decomposition(ctx: BuildContext) -> None:
    """mart.gap_decomposition (Explain the gap)."""
    decompose.build_gap_decomposition(ctx.con)


def build_regso_sets(ctx: BuildContext) -> None:
    """RegSO sets (the LUA districts and user-defined sets)."""
    ctx.counts.update(regso_sets.build_regso_sets(ctx.con, ctx.years))
    ctx.counts.update(lua_rebuild.build(ctx.con))  # single-area districts direct, others rebuilt
    ctx.counts.update(lua_history.build(ctx.con))  # SCB's district tables, 1997-2018


def series_breaks(ctx: BuildContext) -> None:
    """Series breaks over whole lines, the zone-map sort order, and mart.series."""
    mart.rewrite_with_breaks(ctx.con)
    mart.build_series(ctx.con, ctx.staged.notes, ctx.staged.titles)


def read_paths(ctx: BuildContext) -> None:
    """The dashboard's read paths: mart.gap_wide (gap views) and mart.coverage (the catalogue)."""
    build_read_paths(ctx.con)


def geometry(ctx: BuildContext) -> None:
    """mart.area_geometry: boundaries of every level (and the RegSO sets dissolved)."""
    docs = _boundary_docs(ctx.tables)
    ctx.geometries = geo.build_geometry(ctx.con, docs)
    ctx.geometries += regso_sets.build_geometry(ctx.con, docs.get("regso"))


def crosscheck(ctx: BuildContext) -> None:
    """mart.crosscheck: SCB against Kolada where both publish a figure."""
    ctx.crosscheck = mart.build_crosscheck(ctx.con, ctx.crosscheck_pp)


def drop_work(ctx: BuildContext) -> None:
    """Drop the work tables (schema.sql's `work` schema): they are never part of the warehouse."""
    ctx.con.execute("DROP SCHEMA work CASCADE")


class Step(NamedTuple):
    """One build step: its name in progress and timings, and what it runs."""

    name: str
    run: Callable[[BuildContext], None]


STEPS: tuple[Step, ...] = (
    Step("raw", raw),
    Step("staging", load_staging),
    Step("areas", build_areas),
    Step("observations", observations),
    Step("aggregates", aggregates),
    Step("decomposition", decomposition),
    Step("regso_sets", build_regso_sets),
    Step("series_breaks", series_breaks),
    Step("read_paths", read_paths),
    Step("geometry", geometry),
    Step("crosscheck", crosscheck),
    Step("drop_work", drop_work),
)
