"""Explain the gap: Kitagawa decomposition and age standardisation of employment gaps.

For every gap preset in seeds/gap_presets.csv whose two groups have five-year age-band counts
(seeds/age_bands.csv), and for every municipality, county, LA region, municipal area set and the
country, the crude gap in employment rate (group 1 minus group 2, pp) is split into

    composition = 100 * sum_a (c1_a - c2_a) * (r1_a + r2_a) / 2      (different age structure)
    rate_effect = 100 * sum_a (r1_a - r2_a) * (c1_a + c2_a) / 2      (different rates at the same ages)

(Kitagawa 1955), with r_a = employed_a / population_a and c_a = population_a / sum population.
Also the directly age-standardised gap (weights: the country's whole 20-64 population that year)
and, by indirect standardisation, the rate group 1 would have at the country's age-specific rates.
Combined areas use summed municipality counts, never averaged rates. Method: README "Explain the gap".
"""

from __future__ import annotations

import logging

import duckdb
import numpy as np
import pandas as pd

from etl import seeds
from etl.settings import Settings

log = logging.getLogger(__name__)

INDICATOR = "employment_rate"
COUNTRY = "00"
KEYS = ["area_code", "year", "gap"]
COLUMNS = [*KEYS, "actual_1", "actual_2", "crude_gap", "composition", "rate_effect",
           "standardised_gap", "expected_1", "local_difference", "min_band_population", "flags",
           "synthetic"]  # fmt: skip

# Band counts of every municipality, summed into its county, the country, its LA regions and the
# municipal area sets (per year of membership). n_members is how many members the parent has
# that year; a parent whose members do not all have both counts is marked incomplete.
COUNTS_SQL = """
CREATE OR REPLACE TEMP TABLE decomposition_counts AS
WITH muni AS (
    SELECT area_code, county_code FROM mart.area WHERE level = 'municipality'
), years AS (
    SELECT DISTINCT year FROM mart.observation
    WHERE indicator = $indicator AND age IN (SELECT age FROM decomposition_bands)
), links AS (
    SELECT m.area_code AS parent, m.area_code AS member, y.year FROM muni m, years y
    UNION ALL
    SELECT m.county_code, m.area_code, y.year FROM muni m, years y WHERE m.county_code IS NOT NULL
    UNION ALL
    SELECT $country, m.area_code, y.year FROM muni m, years y
    UNION ALL
    SELECT am.parent_code, am.member_code, y.year
    FROM mart.area_membership am JOIN years y ON y.year BETWEEN am.first_year AND am.last_year
), sizes AS (
    SELECT parent, year, count(DISTINCT member) AS n_members FROM links GROUP BY ALL
), obs AS (
    SELECT o.area_code, o.year, o.sex, o.birth_region, o.age, o.numerator, o.denominator,
           o.synthetic
    FROM mart.observation o SEMI JOIN muni USING (area_code)
    WHERE o.indicator = $indicator AND o.aggregation = 'published'
      AND o.age IN (SELECT age FROM decomposition_bands)
)
SELECT l.parent AS area_code, l.year, o.sex, o.birth_region, o.age,
       sum(o.numerator) AS emp, sum(o.denominator) AS pop,
       count(*) FILTER (WHERE o.numerator IS NOT NULL AND o.denominator IS NOT NULL)
         = max(s.n_members) AS complete,
       bool_or(o.synthetic) AS synthetic
FROM links l
JOIN obs o ON o.area_code = l.member AND o.year = l.year
JOIN sizes s ON s.parent = l.parent AND s.year = l.year
SEMI JOIN mart.area a ON a.area_code = l.parent
GROUP BY ALL
"""


def bands() -> list[str]:
    """The warehouse's age-band codes (20-24 ... 60-64), youngest first."""
    return list(seeds.load("age_bands").age)


def presets() -> pd.DataFrame:
    """Gap presets: gap, sex_1, birth_region_1, sex_2, birth_region_2."""
    return seeds.load("gap_presets")


def kitagawa(frame: pd.DataFrame, keys: list[str], threshold: int) -> pd.DataFrame:
    """One result row per key from one row per key x age band.

    `frame` has pop_1, emp_1, pop_2, emp_2 (counts of the two groups), w (standard population)
    and ref_rate_1 (the reference age-specific rate of group 1, a share). Rates and gaps come
    back in per cent and percentage points; min_band_population is the smallest band count.
    """
    f = frame.copy()
    for col in ("pop_1", "emp_1", "pop_2", "emp_2", "w", "ref_rate_1"):
        f[col] = pd.to_numeric(f[col], errors="coerce").astype(float)
    g = f.groupby(keys, sort=False)
    total_1, total_2 = g["pop_1"].transform("sum"), g["pop_2"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_1 = f.emp_1 / f.pop_1.where(f.pop_1 > 0)
        raw_2 = f.emp_2 / f.pop_2.where(f.pop_2 > 0)
        # a band empty in one group adds nothing to the rate effect: borrow the other's rate
        r1 = raw_1.fillna(raw_2).where(f.pop_1.notna(), np.nan).fillna(0.0)
        r2 = raw_2.fillna(raw_1).where(f.pop_2.notna(), np.nan).fillna(0.0)
        c1, c2 = f.pop_1 / total_1, f.pop_2 / total_2
        w = f.w / g["w"].transform("sum")
    f = f.assign(
        comp=(c1 - c2) * (r1 + r2) / 2,
        rate=(r1 - r2) * (c1 + c2) / 2,
        std=w * (r1 - r2),
        exp1=c1 * f.ref_rate_1,
        smallest=np.fmin(f.pop_1, f.pop_2),
        missing=f[["pop_1", "emp_1", "pop_2", "emp_2"]].isna().any(axis=1),
        missing_ref=f[["w", "ref_rate_1"]].isna().any(axis=1),
        empty=(f.pop_1 == 0) | (f.pop_2 == 0),
    )
    out = f.groupby(keys, sort=False).agg(
        emp_1=("emp_1", "sum"), pop_1=("pop_1", "sum"), emp_2=("emp_2", "sum"),
        pop_2=("pop_2", "sum"), composition=("comp", "sum"), rate_effect=("rate", "sum"),
        standardised_gap=("std", "sum"), expected_1=("exp1", "sum"),
        min_band_population=("smallest", "min"), missing=("missing", "any"),
        missing_ref=("missing_ref", "any"), empty=("empty", "any"),
    ).reset_index()  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        out["actual_1"] = 100 * out.emp_1 / out.pop_1.where(out.pop_1 > 0)
        out["actual_2"] = 100 * out.emp_2 / out.pop_2.where(out.pop_2 > 0)
    out["crude_gap"] = out.actual_1 - out.actual_2
    for col in ("composition", "rate_effect", "standardised_gap", "expected_1"):
        out[col] = 100 * out[col]
    bad = out.missing | out.crude_gap.isna()
    out.loc[bad, ["actual_1", "actual_2", "crude_gap", "composition", "rate_effect",
                  "standardised_gap", "expected_1"]] = np.nan  # fmt: skip
    out.loc[out.missing_ref, ["standardised_gap", "expected_1"]] = np.nan
    out["local_difference"] = out.actual_1 - out.expected_1
    flags = pd.DataFrame(
        {
            "missing_band": out.missing,
            "empty_band": out.empty & ~out.missing,
            "small_numbers": out.min_band_population < threshold,
            "no_reference": out.missing_ref,
        }
    )
    out["flags"] = (
        flags.apply(lambda row: ";".join(row.index[row.to_numpy()]), axis=1)
        if len(out)
        else pd.Series(dtype=str)
    )
    return out.drop(columns=["emp_1", "pop_1", "emp_2", "pop_2", "missing", "missing_ref", "empty"])


def _add_flag(flags: pd.Series, mask: pd.Series, flag: str) -> pd.Series:
    """Append `flag` to the ';'-separated flags where `mask` holds."""
    joined = flags.where(flags == "", flags + ";") + flag
    return flags.where(~mask, joined)


def decomposition_inputs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per area x year x gap x band with both groups' counts and the national reference."""
    con.register("decomposition_bands", pd.DataFrame({"age": bands()}))
    con.execute(COUNTS_SQL, {"indicator": INDICATOR, "country": COUNTRY})
    counts = con.execute("SELECT * FROM decomposition_counts").df()
    if counts.empty:
        return pd.DataFrame()
    idx = ["area_code", "year", "age"]
    nation = counts[counts.area_code == COUNTRY]
    weights = nation[(nation.sex == "total") & (nation.birth_region == "total")]
    weights = weights[["year", "age", "pop"]].rename(columns={"pop": "w"})
    frames = []
    for p in presets().itertuples():
        one = counts[(counts.sex == p.sex_1) & (counts.birth_region == p.birth_region_1)]
        two = counts[(counts.sex == p.sex_2) & (counts.birth_region == p.birth_region_2)]
        if one.empty or two.empty:
            log.info("gap %s: no age-band counts for both groups; not decomposed", p.gap)
            continue
        ref = nation[(nation.sex == p.sex_1) & (nation.birth_region == p.birth_region_1)]
        ref = ref.assign(ref_rate_1=ref.emp / ref["pop"].where(ref["pop"] > 0))
        cols = [*idx, "pop", "emp", "complete", "synthetic"]
        both = one[cols].merge(two[cols], on=idx, how="outer", suffixes=("_1", "_2"))
        both = both.merge(weights, on=["year", "age"], how="left")
        both = both.merge(ref[["year", "age", "ref_rate_1"]], on=["year", "age"], how="left")
        frames.append(both.assign(gap=p.gap))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def build_gap_decomposition(con: duckdb.DuckDBPyConnection, threshold: int | None = None) -> int:
    """Fill mart.gap_decomposition from the band counts in mart.observation; returns its rows."""
    threshold = Settings().small_population if threshold is None else threshold
    con = con.cursor()  # its own result set: the build's connection may hold an unfetched one
    inputs = decomposition_inputs(con)
    if inputs.empty:
        log.info("no age-band counts in the warehouse: mart.gap_decomposition left empty")
        return 0
    inputs = inputs.assign(
        incomplete=~(inputs.complete_1.fillna(False).astype(bool)
                     & inputs.complete_2.fillna(False).astype(bool)),
        synthetic=inputs.synthetic_1.fillna(False).astype(bool)
        | inputs.synthetic_2.fillna(False).astype(bool),
    )  # fmt: skip
    out = kitagawa(inputs, KEYS, threshold)
    extra = inputs.groupby(KEYS, sort=False).agg(
        incomplete=("incomplete", "any"), synthetic=("synthetic", "any")
    )
    out = out.merge(extra.reset_index(), on=KEYS, how="left")
    values = ["actual_1", "actual_2", "crude_gap", "composition", "rate_effect",
              "standardised_gap", "expected_1", "local_difference"]  # fmt: skip
    out.loc[out.incomplete, values] = np.nan
    out["flags"] = _add_flag(out["flags"], out.incomplete, "incomplete_members")
    noise_from = (
        seeds.noise_from_year("scb") or 10_000
    )  # SCB's disclosure control (cell key method)
    out["flags"] = _add_flag(out["flags"], out.year >= noise_from, "disclosure_noise")
    out = out[COLUMNS].sort_values(KEYS, ignore_index=True)
    con.register("gap_decomposition_df", out)
    con.execute("INSERT INTO mart.gap_decomposition SELECT * FROM gap_decomposition_df")
    con.close()
    return len(out)
