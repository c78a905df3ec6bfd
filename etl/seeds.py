"""Loaders for the hand-kept reference tables in seeds/."""

from __future__ import annotations

from functools import cache

import pandas as pd

from etl.settings import SEEDS_DIR


@cache
def load(name: str) -> pd.DataFrame:
    """Read seeds/<name>.csv with every column as string (empty cells become '')."""
    return pd.read_csv(SEEDS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def scb_tables() -> pd.DataFrame:
    """Known SCB tables, their seeds key and how to rediscover them."""
    return load("scb_tables")


def scb_variables(table_key: str) -> dict[str, tuple[str, str]]:
    """Variable -> (role, selection spec) for one SCB table key."""
    df = load("scb_variables")
    rows = df[df.table_key == table_key]
    return {r.variable: (r.role, r.selection) for r in rows.itertuples()}


def selection_spec(table_key: str) -> dict[str, str]:
    """Variable -> selection spec ('*', 'label:<regex>' or 'a;b;c') for one SCB table."""
    return {var: spec for var, (_role, spec) in scb_variables(table_key).items()}


def indicator_sources(source: str | None = None) -> pd.DataFrame:
    """Rows of seeds/indicator_sources.csv, optionally for one source."""
    df = load("indicator_sources")
    return df if source is None else df[df.source == source].reset_index(drop=True)


def kolada_kpis() -> list[str]:
    """Every Kolada KPI id the product loads."""
    return sorted(indicator_sources("kolada").table_key.unique())


def code_map(source: str, dimension: str) -> dict[str, str]:
    """Source code -> canonical value for one dimension (sex, birth_region, age)."""
    df = load("code_map")
    rows = df[(df.source == source) & (df.dimension == dimension)]
    return dict(zip(rows.code, rows.value, strict=True))


def sources() -> pd.DataFrame:
    """seeds/sources.csv indexed by source: names, attribution, licence, first year, noise year."""
    return load("sources").set_index("source")


def first_year(source: str) -> int:
    """The earliest year the refresh asks a source for (seeds/sources.csv)."""
    return int(sources().first_year[source])


def noise_from_year(source: str = "scb") -> int | None:
    """The reference year from which a source adds disclosure noise (SCB's CKM), if it does."""
    value = sources().noise_from_year.get(source, "")
    return int(value) if value else None
