"""All SQL the dashboard runs: read-only, parametrised queries against the warehouse's mart schema."""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.core import db, readpaths
from dashboard.core.gaps import Group
from dashboard.core.mappings import PEER_SETS
from dashboard.core.sqlwhere import Rows, group_condition, groups_clause
from dashboard.core.sqlwhere import in_list as _in
from etl.units import current_states

log = logging.getLogger(__name__)

OBS_COLUMNS = (
    "o.area_code, o.year, o.sex, o.birth_region, o.value, o.numerator, o.denominator, "
    "o.status, o.source, o.source_table, o.series, o.series_break, o.aggregation, o.synthetic"
)


@dataclass(frozen=True)
class Catalogue:
    """The small dimension tables and the data coverage, cached per warehouse file."""

    generation: tuple
    areas: pd.DataFrame  # index area_code
    indicators: pd.DataFrame  # index indicator
    labels: pd.DataFrame  # dimension, value, sort, kind, name_sv, name_en
    coverage: (
        pd.DataFrame
    )  # indicator, age, level, sex, birth_region, first_year, last_year, n, n_value
    years: dict[tuple[str, str], list[int]]  # (indicator, age) -> years with any value
    info: dict[str, str] = field(default_factory=dict)

    def has_area(self, code: str | None, level: str | None = None) -> bool:
        """Whether code is a known area (of the given level)."""
        if not code or code not in self.areas.index:
            return False
        return level is None or self.areas.at[code, "level"] == level

    def names(self, lang: str = "sv") -> dict[str, str]:
        """area_code → display name (cached per language)."""
        key = f"_names_{lang}"
        cached = self.__dict__.get(key)
        if cached is None:
            cached = dict(zip(self.areas.index, self.areas[f"name_{lang}"], strict=True))
            object.__setattr__(self, key, cached)
        return cached

    def area_name(self, code: str, lang: str = "sv") -> str:
        """Display name of an area (the code itself if unknown)."""
        return str(self.names(lang).get(code, code))

    def area_level(self, code: str) -> str | None:
        """Level of an area, or None."""
        return str(self.areas.at[code, "level"]) if code in self.areas.index else None

    def codes(self, level: str) -> list[str]:
        """Area codes of one level, sorted by Swedish name."""
        sub = self.areas[self.areas["level"] == level]
        return sub.sort_values("name_sv").index.tolist()

    def has_indicator(self, indicator: str | None) -> bool:
        """Whether the indicator exists in mart.indicator."""
        return bool(indicator) and indicator in self.indicators.index

    def indicator_name(self, indicator: str, lang: str = "sv") -> str:
        """Display name of an indicator."""
        if indicator in self.indicators.index:
            return str(self.indicators.at[indicator, f"name_{lang}"])
        return indicator

    def decimals(self, indicator: str) -> int:
        """Number of decimals to show for an indicator."""
        if indicator in self.indicators.index:
            return int(self.indicators.at[indicator, "decimals"])
        return 1

    def higher_is_better(self, indicator: str) -> bool | None:
        """True/False, or None when the indicator has no direction."""
        if indicator not in self.indicators.index:
            return None
        value = self.indicators.at[indicator, "higher_is_better"]
        return None if pd.isna(value) else bool(value)

    def label(self, dimension: str, value: str, lang: str = "sv") -> str:
        """Display label of a dimension value (the value itself when it has none)."""
        key = f"_labels_{lang}"
        cached = self.__dict__.get(key)
        if cached is None:
            first = self.labels.drop_duplicates(["dimension", "value"])
            named = first[first[f"name_{lang}"].notna()]
            keys = zip(named["dimension"], named["value"], strict=True)
            cached = dict(zip(keys, named[f"name_{lang}"].astype(str), strict=True))
            object.__setattr__(self, key, cached)
        return cached.get((dimension, value), value)

    def ages(self, indicator: str) -> list[str]:
        """Age groups with data for an indicator, headline first."""
        ages = sorted({a for (ind, a) in self.years if ind == indicator})
        return sorted(ages, key=lambda a: (a != "20-64", a))

    def default_age(self, indicator: str) -> str:
        """'20-64' where the indicator has it, else its first age group."""
        ages = self.ages(indicator)
        return ages[0] if ages else "20-64"

    def age_for_level(self, indicator: str, age: str, level: str) -> str:
        """`age` where the level has values for it, else the level's best age with values.

        Ages with foreign-born values at the level come first (the views are about the gaps):
        e.g. RegSO areas have their birth-region shares at 20-65 only.
        """
        cov = self.coverage
        sub = cov[(cov["indicator"] == indicator) & (cov["level"] == level) & (cov["n_value"] > 0)]
        ages = set(sub["age"])
        with_groups = set(sub["age"][sub["birth_region"] != "total"])
        good = with_groups or ages
        if not good or age in good:
            return age
        return next(a for a in self.ages(indicator) if a in good)

    def years_for(self, indicator: str, age: str | None = None) -> list[int]:
        """Years with at least one value for the indicator (and age)."""
        if age is not None:
            return self.years.get((indicator, age), [])
        out: set[int] = set()
        for (ind, _), ys in self.years.items():
            if ind == indicator:
                out.update(ys)
        return sorted(out)

    def has_group(self, indicator: str, age: str, group: Group, level: str | None = None) -> bool:
        """Whether the indicator has values for a sex × birth-region group."""
        cov = self.coverage
        mask = (
            (cov["indicator"] == indicator)
            & (cov["age"] == age)
            & (cov["sex"] == group.sex)
            & (cov["birth_region"] == group.birth_region)
            & (cov["n_value"] > 0)
        )
        if level is not None:
            mask &= cov["level"] == level
        return bool(mask.any())

    def groups_for(self, indicator: str, age: str) -> list[Group]:
        """Sex × birth-region groups with values for an indicator and age, in label order."""
        cov = self.coverage
        sub = cov[(cov["indicator"] == indicator) & (cov["age"] == age) & (cov["n_value"] > 0)]
        pairs = {(s, b) for s, b in zip(sub["sex"], sub["birth_region"], strict=True)}
        order = self._sort_key()
        return [Group(s, b) for s, b in sorted(pairs, key=order)]

    def _sort_key(self):
        sort = {
            (d, v): s
            for d, v, s in zip(
                self.labels["dimension"], self.labels["value"], self.labels["sort"], strict=True
            )
        }
        return lambda p: (sort.get(("birth_region", p[1]), 99), sort.get(("sex", p[0]), 99))

    @property
    def synthetic(self) -> bool:
        """Whether the warehouse says it holds synthetic demo data."""
        return self.info.get("synthetic", "").lower() == "true"


_CACHE_SIZE = 512
_cache_lock = threading.Lock()
_results: OrderedDict[tuple, Any] = OrderedDict()


def cached(func: Callable[..., Any]) -> Callable[..., Any]:
    """Per-process LRU cache of small query results, keyed by warehouse file and arguments."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = (func.__name__, db.generation(), _freeze(args), _freeze(kwargs))
        with _cache_lock:
            hit = _results.get(key)
            if hit is not None:
                _results.move_to_end(key)
                return hit.copy()
        result = func(*args, **kwargs)
        with _cache_lock:
            _results[key] = result
            while len(_results) > _CACHE_SIZE:
                _results.popitem(last=False)
        return result.copy()

    return wrapper


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set):
        return tuple(_freeze(v) for v in value)
    return value


_cat_lock = threading.Lock()
_catalogue: Catalogue | None = None


def catalogue() -> Catalogue:
    """The catalogue of the current warehouse file (rebuilt after a refresh)."""
    global _catalogue
    gen = db.generation()
    cat = _catalogue
    if cat is not None and cat.generation == gen:
        return cat
    with _cat_lock:
        if _catalogue is None or _catalogue.generation != gen:
            _catalogue = _load_catalogue(gen)
        return _catalogue


def _load_catalogue(gen: tuple) -> Catalogue:
    areas = db.query(
        "SELECT area_code, level, name_sv, name_en, county_code, municipality_code, la_code, "
        "skr_group FROM mart.area ORDER BY area_code"
    ).set_index("area_code")
    indicators = db.query("SELECT * FROM mart.indicator ORDER BY indicator").set_index("indicator")
    labels = db.query("SELECT * FROM mart.label ORDER BY dimension, sort")
    counted = readpaths.coverage_and_years()  # mart.coverage, counted by the build
    coverage, years_df = counted if counted is not None else _count_coverage()
    years = {
        (ind, age): [int(y) for y in ys]
        for ind, age, ys in zip(
            years_df["indicator"], years_df["age"], years_df["years"], strict=True
        )
    }
    info = dict(db.query_rows("SELECT key, value FROM mart.warehouse_info"))
    log.info("catalogue loaded: %d areas, %d indicators", len(areas), len(indicators))
    return Catalogue(gen, areas, indicators, labels, coverage, years, info)


def _count_coverage() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage and years counted over mart.observation (a warehouse without mart.coverage)."""
    coverage = db.query(
        "SELECT o.indicator, o.age, a.level, o.sex, o.birth_region, min(o.year) AS first_year, "
        "max(o.year) AS last_year, count(*) AS n, count(o.value) AS n_value "
        "FROM mart.observation o JOIN mart.area a USING (area_code) GROUP BY ALL"
    )
    years_df = db.query(
        "SELECT indicator, age, list(DISTINCT year ORDER BY year) AS years FROM mart.observation "
        "WHERE value IS NOT NULL GROUP BY indicator, age"
    )
    return coverage, years_df


@cached
def observations(
    indicator: str,
    age: str,
    *,
    area_codes: Sequence[str] | None = None,
    level: str | None = None,
    municipality: str | None = None,
    years: Sequence[int] | None = None,
    groups: Sequence[Group] | None = None,
) -> pd.DataFrame:
    """Observations of one indicator and age, filtered by areas/level, years and groups (long form)."""
    params: dict[str, Any] = {"indicator": indicator, "age": age}
    rows = Rows(area_codes, level, municipality, years)
    where = ["o.indicator = $indicator", "o.age = $age", *rows.where(params)]
    join = "JOIN mart.area a ON a.area_code = o.area_code" if rows.by_area else ""
    if groups is not None:
        where.append(groups_clause(groups, params))
    sql = (
        f"SELECT {_obs_columns(db.generation())} FROM mart.observation o {join} WHERE "
        + " AND ".join(where)
        + " ORDER BY o.area_code, o.year"
    )
    return db.query(sql, params)


@functools.lru_cache(maxsize=4)
def _obs_columns(generation: tuple) -> str:
    """OBS_COLUMNS and each row's provenance (NULL from a warehouse built before that column)."""
    has = db.query_rows(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'mart' "
        "AND table_name = 'observation' AND column_name = 'provenance'"
    )[0][0]
    return OBS_COLUMNS + (", o.provenance" if has else ", NULL AS provenance")


_AREA_COLUMNS = ("la_code", "county_code", "skr_group")  # the columns a peer set may fall back on


def _same_area_column(column: str, municipality: str) -> list[str]:
    """The municipalities whose mart.area `column` equals the municipality's."""
    if column not in _AREA_COLUMNS:
        raise ValueError(f"peer sets cannot use mart.area column {column!r}")
    sql = (
        f"SELECT area_code FROM mart.area WHERE level = 'municipality' AND {column} = "
        f"(SELECT {column} FROM mart.area WHERE area_code = $m)"
    )
    return [r[0] for r in db.query_rows(sql, {"m": municipality})]


@cached
def peer_codes(kind: str, municipality: str) -> list[str]:
    """Members of a peer set of a municipality (the municipality itself included)."""
    params = {"m": municipality}
    peer_set = PEER_SETS.get(kind)
    if peer_set is not None:  # a Kolada set of seeds/peer_groups.csv
        params["kind"] = peer_set.peer_kind
        if peer_set.members_by == "group":  # every member of the municipality's group
            sql = (
                "SELECT DISTINCT p.area_code FROM mart.peer_group p WHERE p.peer_kind = $kind "
                "AND p.group_id IN (SELECT group_id FROM mart.peer_group "
                "WHERE peer_kind = $kind AND area_code = $m)"
            )
        else:  # the set Kolada lists for the municipality
            sql = (
                "SELECT DISTINCT area_code FROM mart.peer_group "
                "WHERE peer_kind = $kind AND owner_code = $m"
            )
        codes = [r[0] for r in db.query_rows(sql, params)]
        if (
            not codes and peer_set.fallback_column
        ):  # fall back on a mart.area column, e.g. skr_group
            codes = _same_area_column(peer_set.fallback_column, municipality)
    elif kind in ("la", "county"):
        codes = _same_area_column("la_code" if kind == "la" else "county_code", municipality)
    else:
        raise ValueError(f"unknown peer kind {kind!r}")
    if codes and municipality not in codes:
        codes.append(municipality)
    return sorted(set(codes))


def geometries(level: str, municipality: str | None = None) -> pd.DataFrame:
    """GeoJSON features of one level (RegSO: of one municipality): area_code, geojson, synthetic."""
    params: dict[str, Any] = {"level": level}
    sql = "SELECT g.area_code, g.geojson, g.synthetic, g.source FROM mart.area_geometry g"
    if municipality is not None:
        params["municipality"] = municipality
        sql += " JOIN mart.area a ON a.area_code = g.area_code WHERE g.level = $level"
        sql += " AND a.municipality_code = $municipality"
    else:
        sql += " WHERE g.level = $level"
    return db.query(sql + " ORDER BY g.area_code", params)


@cached
def series_info(indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """mart.series rows (source table/KPI, updated stamp, fetch time, attribution, notes)."""
    params: dict[str, Any] = {}
    sql = "SELECT * FROM mart.series"
    if indicators is not None:
        sql += f" WHERE indicator IN {_in('ind', indicators, params)}"
    return db.query(sql + " ORDER BY indicator, source, source_table", params)


def series_sources(indicators: Sequence[str]) -> pd.DataFrame:
    """mart.series rows of the indicators (provider, table, stamps, synthetic rows) for source lines."""
    frame = series_info(list(indicators))
    if frame.empty:
        return frame
    frame = frame.copy()
    frame["provider"] = frame.attribution.astype(str).str.split(":", n=1).str[-1].str.strip()
    return frame


def unit_status() -> pd.DataFrame:
    """Every refresh unit: mart.unit_status (as built), its state columns updated from units.json.

    A night that fetches nothing new leaves the warehouse as it is but still updates units.json
    beside it (etl/units.py); empty for warehouses older than the units.
    """
    try:
        frame = db.query(
            "SELECT source, unit_key, kind, state, last_success, last_attempt, error, observations, "
            "coalesce(indicators, '') AS indicators "
            "FROM mart.unit_status ORDER BY state = 'ok', source, unit_key",
            {},
        )
        now = current_states(db.db_path().parent / "units.json")
        for i, key in enumerate(zip(frame.source, frame.unit_key, strict=True)):
            for column, value in now.get(key, {}).items():
                frame.at[i, column] = value
        return frame.sort_values(["state", "source", "unit_key"], key=_ok_last, ignore_index=True)
    except Exception:  # noqa: BLE001 - a warehouse built before units existed has no such table
        return pd.DataFrame(columns=["source", "unit_key", "kind", "state", "last_success",
                                     "last_attempt", "error", "observations", "indicators"])  # fmt: skip


def _ok_last(column: pd.Series) -> pd.Series:
    return column == "ok" if column.name == "state" else column


def last_runs(limit: int = 5) -> pd.DataFrame:
    """The latest ETL runs, newest first."""
    sql = (
        "SELECT run_id, kind, started_at, finished_at, status, synthetic FROM mart.etl_run "
        "ORDER BY started_at DESC LIMIT $limit"
    )
    return db.query(sql, {"limit": limit})


@cached
def pivot(
    indicator: str,
    age: str,
    groups: Sequence[Group],
    *,
    area_codes: Sequence[str] | None = None,
    level: str | None = None,
    municipality: str | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One row per (area, year) with value_i, numerator_i, denominator_i, status_i per group i."""
    rows = Rows(area_codes, level, municipality, years)
    wide = readpaths.pivot_wide(indicator, age, groups, rows)
    if wide is not None:
        return wide
    params: dict[str, Any] = {"indicator": indicator, "age": age}
    where = ["o.indicator = $indicator", "o.age = $age", groups_clause(groups, params)]
    where += rows.where(params, areas=None)
    provenance = "o.provenance" if "o.provenance" in _obs_columns(db.generation()) else "NULL"
    cols = [
        f"any_value({provenance if c == 'provenance' else 'o.' + c}) "
        f"FILTER (WHERE {group_condition(i)}) AS {c}_{i}"
        for i in range(len(groups))
        for c in ("value", "numerator", "denominator", "status", "provenance")
    ]
    sql = (
        "SELECT o.area_code, o.year, "
        + ", ".join(cols)
        + ", any_value(o.series) AS series, bool_or(o.series_break) AS series_break, "
        "bool_or(o.synthetic) AS synthetic FROM mart.observation o WHERE "
        + " AND ".join(where)
        + " GROUP BY o.area_code, o.year ORDER BY o.area_code, o.year"
    )
    return db.query(sql, params)
