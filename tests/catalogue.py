"""Small catalogues for refresh tests: a subset of the seeds' SCB tables and Kolada KPIs."""

from __future__ import annotations

import pytest

from etl import pipeline, seeds


def use_catalogue(
    mp: pytest.MonkeyPatch, scb_tables: tuple[str, ...], kpis: tuple[str, ...]
) -> None:
    """Make the refresh fetch only `scb_tables` (seeds keys) and `kpis`."""
    tables = seeds.scb_tables()
    mp.setattr(pipeline.seeds, "scb_tables", lambda: tables[tables.table_key.isin(scb_tables)])
    mp.setattr(pipeline.seeds, "kolada_kpis", lambda: list(kpis))
