"""Uncertainty from counts: 95 % Wilson score intervals (computed once in the build) and the tests
the dashboard uses to call a difference or a change significant.

Method (README, "Uncertainty"):

- **Interval**: the Wilson score interval (Wilson 1927) of numerator / denominator, in the value's
  unit (per cent for every rate of seeds/indicators.csv). It stays inside 0–100 and is honest at 0
  and at n of n, where the normal approximation collapses to a zero-width interval.
- **Against a benchmark** (spine chart, planner's table): the area's 95 % interval against the
  benchmark's *value*, as the Fingertips technical guide does for its spine charts: significantly
  different when the benchmark's value lies outside the area's interval. The benchmark (county or
  country) is treated as fixed: it is far larger than the area.
- **A change between two years** of one area: the two-proportion score test (pooled), |z| > 1.96.
- **Not compared**: rows without both counts, suppressed or missing values, and derived rows
  (counts estimated as share × population, status `derived`): their interval would claim a
  precision the data does not have.
- **Disclosure noise** (SCB's CKM, from seeds/sources.csv's `noise_from_year`): the interval is not
  widened; the row is flagged so the page says the interval leaves the noise out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95 %
Z998 = 3.090232306167813  # two-sided 99.8 % (funnel plots' outer limits)
BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not_compared"
HIGHER, LOWER = "higher", "lower"  # for indicators with no better direction
UNIT_SCALE = {"percent": 100.0}  # the value's unit -> the scale of a proportion

# The columns every build step writes (in schema.sql's order); ci_low and ci_high follow them and
# are filled once by mart.rewrite_with_breaks.
OBSERVATION_COLUMNS = (
    "indicator", "area_code", "year", "sex", "birth_region", "age", "value", "numerator",
    "denominator", "status", "source", "source_table", "series", "series_break", "aggregation",
    "fetched_at", "source_updated", "synthetic",
)  # fmt: skip
INSERT_OBSERVATION = f"INSERT INTO mart.observation ({', '.join(OBSERVATION_COLUMNS)})"


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the proportion k / n (0–1); ValueError unless 0 <= k <= n, n > 0."""
    if not (n > 0 and 0 <= k <= n):
        raise ValueError(f"wilson interval needs 0 <= k <= n and n > 0, got k={k}, n={n}")
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    low = 0.0 if k == 0 else max(0.0, (centre - half) / denom)  # exact edges: 0 of n, n of n
    high = 1.0 if k == n else min(1.0, (centre + half) / denom)
    return low, high


def _wilson_sql(sign: str, k: str, n: str, scale: str) -> str:
    z2 = f"{Z95 * Z95!r}"
    p = f"({k} / {n})"
    return (
        f"{scale} * greatest(0.0, least(1.0, ({p} + {z2} / (2 * {n}) {sign} {Z95!r} * "
        f"sqrt({p} * (1 - {p}) / {n} + {z2} / (4 * {n} * {n}))) / (1 + {z2} / {n})))"
    )


def interval_sql(row: str = "", scale: str = "scale") -> tuple[str, str]:
    """SQL expressions (ci_low, ci_high) of a mart.observation row (`row`: its alias and a dot).

    NULL unless the row has a value and both counts (0 <= numerator <= denominator), is not
    derived, and its indicator's unit has a scale.
    """
    k, n = f"{row}numerator", f"{row}denominator"
    usable = (
        f"{k} IS NOT NULL AND {n} > 0 AND {k} >= 0 AND {k} <= {n} AND {row}value IS NOT NULL "
        f"AND {row}status <> 'derived' AND {scale} IS NOT NULL"
    )
    return (
        f"CASE WHEN {usable} THEN {_wilson_sql('-', k, n, scale)} END",
        f"CASE WHEN {usable} THEN {_wilson_sql('+', k, n, scale)} END",
    )


@dataclass(frozen=True)
class Comparison:
    """An area's value against a benchmark: the verdict and why."""

    verdict: str  # better | similar | worse | higher | lower | not_compared
    noisy: bool = False  # a year with SCB's disclosure noise: the interval leaves it out


def against_benchmark(
    value: float | None,
    ci_low: float | None,
    ci_high: float | None,
    benchmark: float | None,
    higher_is_better: bool | None,
    noisy: bool = False,
) -> Comparison:
    """The area's 95 % interval against the benchmark's value (Fingertips' spine-chart method)."""
    if any(_missing(x) for x in (value, ci_low, ci_high, benchmark)):
        return Comparison(NOT_COMPARED, noisy)
    if ci_low <= benchmark <= ci_high:
        return Comparison(SIMILAR, noisy)
    above = ci_low > benchmark
    if higher_is_better is None:
        return Comparison(HIGHER if above else LOWER, noisy)
    return Comparison(BETTER if above == bool(higher_is_better) else WORSE, noisy)


def score_z(k1: float, n1: float, k2: float, n2: float) -> float | None:
    """Two-proportion score statistic (pooled variance) of k1/n1 - k2/n2; None without counts."""
    if any(_missing(x) for x in (k1, n1, k2, n2)) or n1 <= 0 or n2 <= 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    diff = k1 / n1 - k2 / n2
    if var <= 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / math.sqrt(var)


def change_significant(k1: float, n1: float, k2: float, n2: float) -> bool | None:
    """Whether a change between two years is beyond chance (|z| > 1.96); None: not compared."""
    z = score_z(k1, n1, k2, n2)
    return None if z is None else abs(z) > Z95


def funnel_limits(
    benchmark: float, n: float, z: float, scale: float = 100.0
) -> tuple[float, float]:
    """Funnel-plot control limits around a benchmark (in the value's unit) for a population n.

    Spiegelhalter (2005): p0 ± z·sqrt(p0(1-p0)/n), clipped to the unit's range.
    """
    p0 = benchmark / scale
    half = z * math.sqrt(max(p0 * (1 - p0), 0.0) / n) if n > 0 else math.inf
    return scale * max(0.0, p0 - half), scale * min(1.0, p0 + half)


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def gap_change_significant(
    now: tuple[float, float, float, float], then: tuple[float, float, float, float]
) -> bool | None:
    """Whether a gap (p1 - p2) changed beyond chance between two years; None: not compared.

    Each year is (k1, n1, k2, n2). The four groups are independent samples, so the change
    (p1 - p2)_now - (p1 - p2)_then has the variance sum of p(1-p)/n (a Wald test, |z| > 1.96).
    """
    groups = [*zip(now[::2], now[1::2], strict=True), *zip(then[::2], then[1::2], strict=True)]
    if any(_missing(k) or _missing(n) or n <= 0 for k, n in groups):
        return None
    p = [k / n for k, n in groups]
    var = sum(q * (1 - q) / n for q, (_k, n) in zip(p, groups, strict=True))
    change = (p[0] - p[1]) - (p[2] - p[3])
    if var <= 0:
        return change != 0
    return abs(change) / math.sqrt(var) > Z95
