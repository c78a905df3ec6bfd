"""The area profile's reads: parametrised SQL against the mart (mart.observation with ci_low/ci_high)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.core import db, queries
from dashboard.core.mappings import BIRTH_ORDER, SEX_ORDER
from etl.row_provenance import combine

log = logging.getLogger(__name__)

HEADLINE_INDICATOR = "employment_rate"
HEADLINE_AGE = "20-64"
PLANNER_AGE = "20-65"  # the one age band the districts (RegSO) share with every other level
GROUP_1, GROUP_2 = ("women", "foreign"), ("women", "sweden")  # the headline gap: fw - sw
PEER_KINDS = ("skr", "similar", "county", "la")
COMPARATORS = ("all", "peers", "county")
BENCHMARKS = ("country", "county")
COUNTRY = "00"


@dataclass(frozen=True)
class Area:
    """One row of mart.area."""

    code: str
    level: str
    name_sv: str
    name_en: str
    county_code: str | None
    municipality_code: str | None
    la_code: str | None

    def name(self, lang: str) -> str:
        """The area's name in the language."""
        return self.name_en if lang == "en" else self.name_sv


def area(code: str) -> Area | None:
    """The area's row, or None for an unknown code."""
    rows = db.query_rows(
        "SELECT area_code, level, name_sv, name_en, county_code, municipality_code, la_code "
        "FROM mart.area WHERE area_code = $c",
        {"c": code},
    )
    return Area(*rows[0]) if rows else None


def search_options(lang: str) -> list[dict]:
    """Every area a profile can show, for the 'find your area' search (name and level)."""
    frame = db.query(
        "SELECT area_code, level, name_sv, name_en FROM mart.area "
        "ORDER BY CASE level WHEN 'country' THEN -1 WHEN 'county' THEN 0 WHEN 'municipality' THEN 1 WHEN 'la_region' "
        "THEN 2 WHEN 'area_set' THEN 3 WHEN 'regso_set' THEN 4 ELSE 5 END, name_sv"
    )
    name = frame.name_en if lang == "en" else frame.name_sv
    return [{"value": c, "label": n} for c, n in zip(frame.area_code, name, strict=True)]


def headline_age(level: str) -> str:
    """The headline's age band at a level (RegSO and district figures exist at 20-65 only)."""
    if level in ("regso", "regso_set"):
        return PLANNER_AGE
    return queries.catalogue().age_for_level(HEADLINE_INDICATOR, HEADLINE_AGE, level)


GAP_SQL = """
SELECT o.area_code, o.year,
       max(o.value) FILTER (WHERE o.sex = $s1 AND o.birth_region = $b1) AS value_1,
       max(o.numerator) FILTER (WHERE o.sex = $s1 AND o.birth_region = $b1) AS numerator_1,
       max(o.denominator) FILTER (WHERE o.sex = $s1 AND o.birth_region = $b1) AS denominator_1,
       max(o.value) FILTER (WHERE o.sex = $s2 AND o.birth_region = $b2) AS value_2,
       max(o.numerator) FILTER (WHERE o.sex = $s2 AND o.birth_region = $b2) AS numerator_2,
       max(o.denominator) FILTER (WHERE o.sex = $s2 AND o.birth_region = $b2) AS denominator_2,
       max(o.provenance) FILTER (WHERE o.sex = $s1 AND o.birth_region = $b1) AS provenance_1,
       max(o.provenance) FILTER (WHERE o.sex = $s2 AND o.birth_region = $b2) AS provenance_2,
       bool_or(o.series_break) AS series_break, max(o.series) AS series,
       bool_or(o.synthetic) AS synthetic, max(o.status) FILTER (WHERE o.status = 'derived') AS derived
FROM mart.observation o
WHERE o.indicator = $i AND o.age = $a AND o.area_code IN (SELECT unnest($codes))
  AND ((o.sex = $s1 AND o.birth_region = $b1) OR (o.sex = $s2 AND o.birth_region = $b2))
GROUP BY o.area_code, o.year
ORDER BY o.area_code, o.year
"""


def gaps(codes: Sequence[str], age: str, indicator: str = HEADLINE_INDICATOR) -> pd.DataFrame:
    """The headline gap (group 1 minus group 2, pp) with both groups' counts and provenance (each
    group's, and the gap's own: `combine`), per area and year."""
    frame = db.query(
        GAP_SQL,
        {"i": indicator, "a": age, "codes": list(codes), "s1": GROUP_1[0], "b1": GROUP_1[1],
         "s2": GROUP_2[0], "b2": GROUP_2[1]},
    )  # fmt: skip
    frame["gap"] = frame.value_1 - frame.value_2
    frame["provenance"] = [
        combine(p) for p in zip(frame.provenance_1, frame.provenance_2, strict=True)
    ]
    return frame


def level_codes(level: str, county: str | None = None) -> list[str]:
    """Areas of a level, optionally within one county."""
    sql = "SELECT area_code FROM mart.area WHERE level = $l"
    params: dict = {"l": level}
    if county:
        sql += " AND county_code = $c"
        params["c"] = county
    return [r[0] for r in db.query_rows(sql + " ORDER BY area_code", params)]


def peers(kind: str, a: Area) -> list[str]:
    """The municipality's peer set of a kind (itself included); empty for other levels."""
    if a.level != "municipality":
        return []
    try:
        return queries.peer_codes(kind, a.code)
    except ValueError:
        return []


def comparators(a: Area, which: str) -> list[str]:
    """The areas the spine chart's bar spans: all of the level, the peer set, or the county's."""
    if which == "peers" and a.level == "municipality":
        return peers("skr", a)
    if which == "county" and a.county_code and a.level in ("municipality", "regso"):
        return level_codes(a.level, a.county_code)
    if a.level == "country":  # the country's spread is its counties'
        return level_codes("county")
    return level_codes(a.level)


def benchmark_code(a: Area, which: str) -> str:
    """The spine chart's centre line: the county (where the area lies in one) or the country."""
    if which == "county" and a.county_code and a.level != "county":
        return a.county_code
    return COUNTRY


SPINE_SQL = """
WITH cand AS (
    SELECT o.indicator, o.year, o.sex, o.birth_region, o.age, o.value, o.numerator, o.denominator,
           o.ci_low, o.ci_high, o.status, o.source_table, o.synthetic, o.provenance
    FROM mart.observation o
    WHERE o.area_code = $c AND o.age IN ('20-64', '20-65')
      AND o.birth_region IN ('sweden', 'foreign', 'total')
), pick AS (  -- 20-64 where the area has it, else 20-65 (RegSO), then the latest year with a value
    SELECT indicator, min(age) AS age FROM cand WHERE value IS NOT NULL GROUP BY indicator
), latest AS (
    SELECT c.indicator, c.age, max(c.year) AS year FROM cand c JOIN pick p USING (indicator, age)
    WHERE c.value IS NOT NULL GROUP BY ALL
), rows AS (
    SELECT c.* FROM cand c JOIN latest USING (indicator, age, year)
)
SELECT r.*, b.value AS benchmark,
       quantile_cont(c.value, 0.0) AS q0, quantile_cont(c.value, 0.25) AS q25,
       quantile_cont(c.value, 0.75) AS q75, quantile_cont(c.value, 1.0) AS q100,
       count(c.value) AS n_comparators
FROM rows r
LEFT JOIN mart.observation b ON b.area_code = $bench AND b.indicator = r.indicator
  AND b.year = r.year AND b.sex = r.sex AND b.birth_region = r.birth_region AND b.age = r.age
LEFT JOIN mart.observation c ON c.area_code IN (SELECT unnest($comp)) AND c.indicator = r.indicator
  AND c.year = r.year AND c.sex = r.sex AND c.birth_region = r.birth_region AND c.age = r.age
GROUP BY ALL
ORDER BY r.indicator, r.birth_region, r.sex
"""


def spine_rows(a: Area, comparator: str, benchmark: str) -> pd.DataFrame:
    """One row per indicator × group of the area's latest year, with benchmark and quartiles
    (birth regions in their natural order within an indicator)."""
    rows = db.query(
        SPINE_SQL,
        {"c": a.code, "bench": benchmark_code(a, benchmark), "comp": comparators(a, comparator)},
    )
    rows = rows.assign(_b=rows.birth_region.map(BIRTH_ORDER), _s=rows.sex.map(SEX_ORDER))
    rows = rows.sort_values(["indicator", "_b", "_s"], kind="stable", na_position="last")
    return rows.drop(columns=["_b", "_s"]).reset_index(drop=True)


def decomposition(code: str) -> pd.DataFrame:
    """The headline gap's composition and rate effects (mart.gap_decomposition), latest year first."""
    return db.query(
        "SELECT year, crude_gap, composition, rate_effect, flags, synthetic "
        "FROM mart.gap_decomposition WHERE area_code = $c AND gap = 'fw_sw' ORDER BY year DESC",
        {"c": code},
    )


def members(a: Area) -> list[str]:
    """The areas inside: a municipality's LUA districts, a county's municipalities, a set's members."""
    if a.level == "municipality":
        sql = (
            "SELECT area_code FROM mart.area WHERE level = 'regso_set' AND area_code IN "
            "(SELECT parent_code FROM mart.area_membership WHERE member_code LIKE $m || 'R%')"
        )
        return [r[0] for r in db.query_rows(sql + " ORDER BY area_code", {"m": a.code})]
    if a.level == "county":
        return level_codes("municipality", a.code)
    if a.level == "country":
        return level_codes("county")
    sql = (
        "SELECT DISTINCT member_code FROM mart.area_membership WHERE parent_code = $c "
        "AND member_code IN (SELECT area_code FROM mart.area WHERE level <> 'regso') ORDER BY 1"
    )
    inside = [r[0] for r in db.query_rows(sql, {"c": a.code})]
    if inside or a.level != "regso_set":
        return inside
    return [r[0] for r in db.query_rows(  # a district: its RegSO areas
        "SELECT DISTINCT member_code FROM mart.area_membership WHERE parent_code = $c ORDER BY 1",
        {"c": a.code},
    )]  # fmt: skip


def districts_in(municipalities: Sequence[str]) -> list[str]:
    """The LUA districts (RegSO sets) inside the municipalities."""
    if not municipalities:
        return []
    sql = (
        "SELECT DISTINCT m.parent_code FROM mart.area_membership m JOIN mart.area a "
        "ON a.area_code = m.parent_code WHERE a.level = 'regso_set' "
        "AND substr(m.member_code, 1, 4) IN (SELECT unnest($m)) ORDER BY 1"
    )
    return [r[0] for r in db.query_rows(sql, {"m": list(municipalities)})]


def rest_of_county(county: str) -> list[str]:
    """The area sets that stand for the county without its LUA districts (codes ending in _rest)."""
    sql = (
        "SELECT area_code FROM mart.area WHERE level = 'area_set' AND county_code = $c "
        "AND suffix(area_code, '_rest') ORDER BY 1"
    )
    return [r[0] for r in db.query_rows(sql, {"c": county})]


def names(codes: Sequence[str], lang: str) -> dict[str, str]:
    """Area code → name in the language."""
    all_names = queries.catalogue().names(lang)
    return {c: all_names.get(c, c) for c in codes}


def source_tables(codes: Sequence[str], age: str, indicator: str = HEADLINE_INDICATOR) -> set[str]:
    """The source tables behind the headline gap's values of the areas (for source lines)."""
    rows = db.query_rows(
        "SELECT DISTINCT source_table FROM mart.observation WHERE indicator = $i AND age = $a "
        "AND area_code IN (SELECT unnest($codes)) AND value IS NOT NULL AND source_table IS NOT NULL "
        "AND ((sex = $s1 AND birth_region = $b1) OR (sex = $s2 AND birth_region = $b2))",
        {"i": indicator, "a": age, "codes": list(codes), "s1": GROUP_1[0], "b1": GROUP_1[1],
         "s2": GROUP_2[0], "b2": GROUP_2[1]},
    )  # fmt: skip
    return {r[0] for r in rows}
