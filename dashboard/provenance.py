"""Where a view's numbers come from: source tables/KPIs with their `updated` stamps, per view and row.

Read from the mart's own provenance (mart.observation.source_table/source_updated/fetched_at and
mart.series.attribution), so a chart, a CSV or an xlsx always names the tables its values came from.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.core import db, queries, viewspec
from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.ui import cache
from dashboard.urlstate import DataState
from etl import seeds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """The observations one part of a view reads: indicator, age, groups, areas, years."""

    indicator: str
    age: str
    groups: tuple[Group, ...]
    area_codes: tuple[str, ...] | None = None
    level: str | None = None
    municipality: str | None = None
    years: tuple[int, ...] | None = None


def scopes(state: Any, cat: Catalogue) -> list[Scope]:
    """The scopes of a view state, from its view's spec (Explore has two: the gap and the x
    indicator)."""
    own = getattr(state, "provenance_scopes", None)  # views whose state says it (explain, lua)
    if callable(own):
        return list(own(cat))
    if isinstance(state, DataState):
        return scopes(state.inner, cat)
    spec = viewspec.view_of_state(state)
    return list(spec.scopes(state, cat)) if spec and spec.scopes else []


def _where(scope: Scope, params: dict[str, Any]) -> str:
    params.update({"indicator": scope.indicator, "age": scope.age})
    where = ["o.indicator = $indicator", "o.age = $age", "o.value IS NOT NULL"]
    pairs = []
    for i, g in enumerate(scope.groups):
        params[f"sex_{i}"], params[f"br_{i}"] = g.sex, g.birth_region
        pairs.append(f"(o.sex = $sex_{i} AND o.birth_region = $br_{i})")
    where.append("(" + (" OR ".join(pairs) or "FALSE") + ")")
    if scope.area_codes is not None:
        names = []
        for i, code in enumerate(scope.area_codes):
            params[f"area_{i}"] = code
            names.append(f"$area_{i}")
        where.append(f"o.area_code IN ({', '.join(names) or 'NULL'})")
    if scope.level is not None or scope.municipality is not None:
        sub = ["TRUE"]
        if scope.level is not None:
            params["level"] = scope.level
            sub.append("level = $level")
        if scope.municipality is not None:
            params["municipality"] = scope.municipality
            sub.append("municipality_code = $municipality")
        where.append(f"o.area_code IN (SELECT area_code FROM mart.area WHERE {' AND '.join(sub)})")
    if scope.years is not None:
        names = []
        for i, y in enumerate(scope.years):
            params[f"year_{i}"] = int(y)
            names.append(f"$year_{i}")
        where.append(f"o.year IN ({', '.join(names) or 'NULL'})")
    return " AND ".join(where)


SOURCE_COLUMNS = ["source_table", "source_updated", "fetched_at", "rows", "synthetic_rows",
                  "first_year", "last_year"]  # fmt: skip


Entry = tuple[int, str, Any, Any, int, int]  # year, source_table, updated, fetched, rows, synthetic


@cache.per_file
def _level_summary(indicator: str, age: str) -> dict[tuple, list[Entry]]:
    """(sex, birth region, level, RegSO municipality) → the sources of an indicator's values per
    year, counted once per warehouse file and (indicator, age) (its size does not grow with the
    number of areas)."""
    frame = db.query(
        "SELECT o.sex, o.birth_region, a.level, "
        "CASE WHEN a.level = 'regso' THEN a.municipality_code END AS municipality, o.year, "
        "o.source_table, max(o.source_updated) AS source_updated, max(o.fetched_at) AS fetched_at, "
        "count(*) AS rows, count(*) FILTER (WHERE o.synthetic) AS synthetic_rows "
        "FROM mart.observation o JOIN mart.area a USING (area_code) "
        "WHERE o.indicator = $indicator AND o.age = $age AND o.value IS NOT NULL "
        "GROUP BY ALL ORDER BY ALL",
        {"indicator": indicator, "age": age},
    )
    out: dict[tuple, list[Entry]] = {}
    shared: dict[Any, Any] = {}  # one object per distinct stamp, not one per entry
    cols = [frame[c].tolist() for c in frame.columns]
    for sex, br, level, muni, year, table, updated, fetched, n, syn in zip(*cols, strict=True):
        muni = None if pd.isna(muni) else muni
        updated = None if pd.isna(updated) else updated
        fetched = None if pd.isna(fetched) else fetched
        updated, fetched = shared.setdefault(updated, updated), shared.setdefault(fetched, fetched)
        entry = (int(year), table, updated, fetched, int(n), int(syn))
        out.setdefault((sex, br, level, muni), []).append(entry)
        if muni is not None:  # a RegSO map of the whole country reads every municipality's areas
            out.setdefault((sex, br, level, None), []).append(entry)
    return out


def _later(a: Any, b: Any) -> Any:
    """max() that skips None (as SQL's max skips NULL)."""
    return b if a is None else a if b is None else max(a, b)


def _from_summary(scope: Scope) -> pd.DataFrame:
    """_sources of a level scope (map, explore) from the per-file summary: the same rows."""
    summary = _level_summary(scope.indicator, scope.age)
    years = None if scope.years is None else {int(y) for y in scope.years}
    acc: dict[str, list] = {}
    for g in dict.fromkeys(scope.groups):
        key = (g.sex, g.birth_region, scope.level, scope.municipality)
        for year, table, updated, fetched, n, syn in summary.get(key, ()):
            if years is not None and year not in years:
                continue
            _add(acc, [table, updated, fetched, n, syn, year, year])
    return pd.DataFrame([acc[k] for k in sorted(acc)], columns=SOURCE_COLUMNS)


def _add(acc: dict[str, list], row: list) -> None:
    """Fold one SOURCE_COLUMNS row into acc[source_table] (max stamps, summed rows, year span)."""
    a = acc.get(row[0])
    if a is None:
        acc[row[0]] = row
        return
    a[1], a[2] = _later(a[1], row[1]), _later(a[2], row[2])
    a[3], a[4] = a[3] + row[3], a[4] + row[4]
    a[5], a[6] = min(a[5], row[5]), max(a[6], row[6])


def _sources(scope: Scope) -> pd.DataFrame:
    """Per source table of a scope: stamps, row counts and years (a level scope from the summary)."""
    if (
        scope.area_codes is None
        and scope.level is not None
        and (scope.municipality is None or scope.level == "regso")
    ):
        return _from_summary(scope)
    return _scope_sources(scope)


@queries.cached
def _scope_sources(scope: Scope) -> pd.DataFrame:
    params: dict[str, Any] = {}
    sql = (
        "SELECT o.source_table, max(o.source_updated) AS source_updated, "
        "max(o.fetched_at) AS fetched_at, count(*) AS rows, "
        "count(*) FILTER (WHERE o.synthetic) AS synthetic_rows, min(o.year) AS first_year, "
        "max(o.year) AS last_year FROM mart.observation o WHERE "
        + _where(scope, params)
        + " GROUP BY o.source_table ORDER BY o.source_table"
    )
    return db.query(sql, params)


@queries.cached
def _row_sources(scope: Scope) -> pd.DataFrame:
    params: dict[str, Any] = {}
    sql = (
        "SELECT o.area_code, o.year, o.source_table, max(o.source_updated) AS source_updated, "
        "max(o.fetched_at) AS fetched_at FROM mart.observation o WHERE "
        + _where(scope, params)
        + " GROUP BY ALL ORDER BY o.area_code, o.year, o.source_table"
    )
    return db.query(sql, params)


@cache.per_file
def _providers() -> dict[str, tuple[str, str]]:
    """source_table → (provider name, attribution) from mart.series ('Källa: SCB' → 'SCB')."""
    series = queries.series_info()
    out: dict[str, tuple[str, str]] = {}
    for r in series.itertuples():
        attribution = str(r.attribution)
        provider = attribution.split(":", 1)[-1].strip() or str(r.source).upper()
        out.setdefault(str(r.source_table), (provider, attribution))
    return out


def _provider_of(source_table: str, providers: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Provider of a table, or of the first known part of a combined one ('REGSO_LABOURxTAB6680')."""
    if source_table in providers:
        return providers[source_table]
    parts = re.split(r"[x+-](?=[A-Z])", str(source_table))  # table ids and keys are upper case
    return next((providers[p] for p in parts if p in providers), ("", ""))


@functools.cache
def _table_names() -> dict[str, str]:
    """Seeds table key → what users see: SCB's table id, else the table's title in quotes."""
    out = {}
    for r in seeds.scb_tables().itertuples():
        table_id = r.table_id.strip() if isinstance(r.table_id, str) else ""
        title = f"“{r.title_sv}”" if isinstance(r.title_sv, str) and r.title_sv else r.table_key
        out[str(r.table_key)] = table_id or title
    return out


def tables_text(source_table: Any) -> str:
    """A source table named, never a seeds key: 'REGSO_LABOURxTAB6572' → '“Arbetsmarknadsstatus
    efter RegSO, …” × TAB6572', 'TAB389-LUA_LABOUR' → 'TAB389 − “…”' (ids and KPIs as they are)."""
    names = _table_names()
    parts = re.split(r"([x+-])(?=[A-Z])", str(source_table))  # product x, sum +, difference -
    return "".join(
        {"x": " × ", "+": " + ", "-": " − "}[p] if i % 2 else names.get(p, p)
        for i, p in enumerate(parts)
    )


def _stamp(updated: Any, fetched: Any, lang: str) -> str:
    """'uppdaterad 2025-11-28', else 'hämtad 2026-12-01' (Kolada has no updated stamp)."""
    if isinstance(updated, str) and updated.strip():
        return t("prov.updated", lang, date=updated[:10])
    if fetched is not None and not pd.isna(fetched):
        return t("prov.fetched", lang, date=str(fetched)[:10])
    return ""


def view_sources(state: Any, cat: Catalogue) -> pd.DataFrame:
    """One row per source table/KPI a view's values come from, with provider and stamps."""
    parts = [_sources(s) for s in scopes(state, cat)]
    parts = [p for p in parts if len(p)]
    cols = [
        "provider",
        "attribution",
        "source_table",
        "source_updated",
        "fetched_at",
        "rows",
        "synthetic_rows",
        "first_year",
        "last_year",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    # one scope is already one row per source table, in source_table order
    frame = parts[0].reset_index(drop=True) if len(parts) == 1 else _merged(parts)
    providers = _providers()
    frame["provider"] = [_provider_of(s, providers)[0] for s in frame["source_table"]]
    frame["attribution"] = [_provider_of(s, providers)[1] for s in frame["source_table"]]
    return frame.sort_values(["provider", "source_table"]).reset_index(drop=True)[cols]


def _merged(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The sources of several scopes, one row per source table (in plain Python: a few rows)."""
    acc: dict[str, list] = {}
    for part in parts:
        for table, updated, fetched, n, syn, first, last in zip(
            *(part[c].tolist() for c in SOURCE_COLUMNS), strict=True
        ):
            updated = None if pd.isna(updated) else updated
            fetched = None if pd.isna(fetched) else fetched
            _add(acc, [table, updated, fetched, n, syn, first, last])
    return pd.DataFrame([acc[k] for k in sorted(acc)], columns=SOURCE_COLUMNS)


def source_line(sources: pd.DataFrame, lang: str) -> str:
    """'Källa: SCB, TAB3200 (uppdaterad 2025-11-28); Kolada, N02268 (hämtad 2026-12-01)'."""
    if sources.empty:
        return t("prov.none", lang)
    parts = []
    for provider, part in sources.groupby("provider", sort=True):
        tables = []
        for r in part.itertuples():
            stamp = _stamp(r.source_updated, r.fetched_at, lang)
            name = tables_text(r.source_table)
            tables.append(f"{name} ({stamp})" if stamp else name)
        tables = list(dict.fromkeys(tables))  # two selections of one table: named once
        parts.append(f"{provider}, {', '.join(tables)}" if provider else ", ".join(tables))
    return f"{t('prov.source', lang)}: " + "; ".join(parts)


def row_sources(state: Any, cat: Catalogue, lang: str) -> pd.DataFrame:
    """Per (area_code, year): the source text of that row's values ('SCB TAB3200 (uppdaterad …)')."""
    parts = [_row_sources(s) for s in scopes(state, cat)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["area_code", "year", "source"])
    frame = pd.concat(parts, ignore_index=True).drop_duplicates(
        ["area_code", "year", "source_table"]
    )
    providers = _providers()
    frame["text"] = [
        " ".join(
            x
            for x in (
                _provider_of(s, providers)[0],
                tables_text(s),
                f"({_stamp(u, f, lang)})" if _stamp(u, f, lang) else "",
            )
            if x
        )
        for s, u, f in zip(
            frame["source_table"], frame["source_updated"], frame["fetched_at"], strict=True
        )
    ]
    out = frame.groupby(["area_code", "year"], as_index=False)["text"].agg(
        lambda s: "; ".join(dict.fromkeys(s))
    )
    out["year"] = out["year"].astype(int)
    return out.rename(columns={"text": "source"})


def synthetic_share(sources: pd.DataFrame) -> float:
    """Share of the view's rows that are synthetic (0 for official data)."""
    if sources.empty or float(sources["rows"].sum()) == 0:
        return 0.0
    return float(sources["synthetic_rows"].sum()) / float(sources["rows"].sum())
