"""Wilson intervals in the build and the significance tests (etl/uncertainty.py)."""

from __future__ import annotations

import math

import pytest

from etl import uncertainty as u


def _wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """Wilson (1927) written out from its quadratic: p solving (p̂ - p)² = z² p(1-p)/n."""
    z = 1.959963984540054
    ph = k / n
    # n(ph - p)^2 = z^2 p (1 - p)  ->  (n + z^2) p^2 - (2 n ph + z^2) p + n ph^2 = 0
    a, b, c = n + z * z, -(2 * n * ph + z * z), n * ph * ph
    disc = math.sqrt(b * b - 4 * a * c)
    return (-b - disc) / (2 * a), (-b + disc) / (2 * a)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (7, 20), (612, 1000), (1, 3)])
def test_wilson_matches_the_quadratic(k: int, n: int) -> None:
    low, high = u.wilson(k, n)
    exp_low, exp_high = _wilson_by_hand(k, n)
    assert low == pytest.approx(max(0.0, exp_low), abs=1e-12)
    assert high == pytest.approx(min(1.0, exp_high), abs=1e-12)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_wilson_at_zero_and_n_of_n_is_not_degenerate() -> None:
    low0, high0 = u.wilson(0, 50)
    assert low0 == 0.0 and high0 == pytest.approx(3.8415 / (50 + 3.8415), rel=1e-4)
    lown, highn = u.wilson(50, 50)
    assert highn == 1.0 and lown == pytest.approx(1 - high0, abs=1e-12)


def test_wilson_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        u.wilson(11, 10)
    with pytest.raises(ValueError):
        u.wilson(0, 0)


def test_build_intervals_equal_the_quadratic(demo_con) -> None:
    """Rows with counts carry the interval (per cent); rows without counts or derived carry none."""
    rows = demo_con.execute(
        "SELECT numerator, denominator, ci_low, ci_high FROM mart.observation "
        "WHERE numerator IS NOT NULL AND denominator > 0 AND value IS NOT NULL "
        "AND status = 'ok' AND indicator = 'employment_rate' ORDER BY area_code, year LIMIT 40"
    ).fetchall()
    assert len(rows) == 40
    for k, n, low, high in rows:
        exp_low, exp_high = _wilson_by_hand(k, n)
        assert low == pytest.approx(100 * max(0.0, exp_low), abs=1e-9)
        assert high == pytest.approx(100 * min(1.0, exp_high), abs=1e-9)
    with_interval_without_counts = demo_con.execute(
        "SELECT count(*) FROM mart.observation WHERE (ci_low IS NOT NULL OR ci_high IS NOT NULL) "
        "AND (numerator IS NULL OR denominator IS NULL OR value IS NULL OR status = 'derived')"
    ).fetchone()[0]
    assert with_interval_without_counts == 0
    without = demo_con.execute(
        "SELECT count(*) FROM mart.observation WHERE numerator IS NULL AND ci_low IS NULL"
    ).fetchone()[0]
    assert without > 0


def test_build_interval_edges_zero_and_all(demo_con) -> None:
    """Where the warehouse holds 0 of n or n of n, the interval is the Wilson one, not zero-width."""
    rows = demo_con.execute(
        "SELECT numerator, denominator, ci_low, ci_high FROM mart.observation "
        "WHERE ci_low IS NOT NULL AND (numerator = 0 OR numerator = denominator) LIMIT 5"
    ).fetchall()
    for k, n, low, high in rows:
        exp_low, exp_high = _wilson_by_hand(k, n)
        assert (low, high) == (
            pytest.approx(100 * max(0.0, exp_low), abs=1e-9),
            pytest.approx(100 * min(1.0, exp_high), abs=1e-9),
        )
        assert high > low


def _toy(rate: float, n: int) -> tuple[float, float, float]:
    k = round(rate / 100 * n)
    low, high = u.wilson(k, n)
    return 100 * k / n, 100 * low, 100 * high


def test_large_area_two_points_off_is_significant() -> None:
    value, low, high = _toy(72.0, 40_000)
    verdict = u.against_benchmark(value, low, high, 70.0, higher_is_better=True)
    assert verdict.verdict == u.BETTER
    value, low, high = _toy(68.0, 40_000)
    assert u.against_benchmark(value, low, high, 70.0, True).verdict == u.WORSE


def test_small_area_five_points_off_is_not_significant() -> None:
    value, low, high = _toy(65.0, 150)
    assert u.against_benchmark(value, low, high, 70.0, higher_is_better=True).verdict == u.SIMILAR


def test_not_compared_without_counts_and_direction_free_indicators() -> None:
    assert u.against_benchmark(60.0, None, None, 70.0, True).verdict == u.NOT_COMPARED
    assert u.against_benchmark(None, None, None, 70.0, True).verdict == u.NOT_COMPARED
    value, low, high = _toy(30.0, 40_000)
    assert u.against_benchmark(value, low, high, 20.0, None).verdict == u.HIGHER
    noisy = u.against_benchmark(value, low, high, 20.0, None, noisy=True)
    assert noisy.noisy and noisy.verdict == u.HIGHER  # flagged, not widened


def test_change_score_test() -> None:
    assert u.change_significant(28_800, 40_000, 28_000, 40_000) is True  # 72 % vs 70 %
    assert u.change_significant(98, 150, 105, 150) is False  # 65 % vs 70 %
    assert u.change_significant(None, 10, 1, 10) is None
    z = u.score_z(28_800, 40_000, 28_000, 40_000)
    p = 56_800 / 80_000
    assert z == pytest.approx(0.02 / math.sqrt(p * (1 - p) * (2 / 40_000)))


def test_funnel_limits_narrow_with_population() -> None:
    small = u.funnel_limits(70.0, 200, u.Z95)
    large = u.funnel_limits(70.0, 20_000, u.Z95)
    outer = u.funnel_limits(70.0, 200, u.Z998)
    assert small[0] < large[0] < 70.0 < large[1] < small[1]
    assert outer[0] < small[0] and outer[1] > small[1]
    assert small[1] - 70.0 == pytest.approx(100 * 1.959963984540054 * math.sqrt(0.21 / 200))


def test_gap_change() -> None:
    big = 40_000
    now = (0.62 * big, big, 0.84 * big, big)  # gap -22
    then = (0.58 * big, big, 0.84 * big, big)  # gap -26
    assert u.gap_change_significant(now, then) is True
    small = 150
    assert u.gap_change_significant((93, small, 126, small), (87, small, 126, small)) is False
    assert u.gap_change_significant((1, None, 1, 2), now) is None
