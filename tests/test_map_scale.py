"""The gap map's colour scale follows the values shown: one-sided when they share a sign."""

from __future__ import annotations

import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from dashboard.core.gaps import Group
from dashboard.core.text import NumberFormat
from dashboard.core.theme import GAP_SCALE
from dashboard.views.map import figures as map_fig
from dashboard.views.map.scale import gap_scale


def _frame(gaps: list[float]) -> pd.DataFrame:
    codes = [f"A{i}" for i in range(len(gaps))]
    n = len(gaps)
    return pd.DataFrame(
        {
            "area_code": codes,
            "area": codes,
            "year": [2024] * n,
            "status": ["ok"] * n,
            "gap": gaps,
            **{f"value_{i}": [50.0] * n for i in (0, 1)},
            **{f"status_{i}": ["ok"] * n for i in (0, 1)},
            "small": [False] * n,
            "synthetic": [False] * n,
        }
    )


def _gap_map(gaps: list[float], zrange=None, lang: str = "en"):
    frame = _frame(gaps)
    points = {c: (15.0 + i, 60.0) for i, c in enumerate(frame["area_code"])}
    return map_fig.map_figure(
        frame,
        geojson="/geo/x.json",
        points=points,
        schematic=False,
        colour="gap",
        groups=[Group("women", "foreign"), Group("women", "sweden")],
        indicator_label="Employment rate",
        fmt=NumberFormat(1, "percent", lang, 0),
        zrange=zrange,
    )


def test_all_negative_gaps_get_the_orange_half_fitted_to_their_range():
    main = _gap_map([-31.5, -12.0, -4.25], zrange=(-30.0, -5.0)).data[0]
    assert main.zmid is None
    assert (main.zmin, main.zmax) == (-30.0, -5.0)  # not -40…+40
    colours = [c for _, c in main.colorscale]
    orange = {c for p, c in GAP_SCALE if p <= 0.4}
    assert set(colours) == orange  # no purple, no "zero" white
    assert main.colorscale[0][1] == GAP_SCALE[0][1]  # the largest gap is the darkest
    assert "every value below zero" in main.colorbar.title.text


def test_all_positive_gaps_get_the_purple_half():
    main = _gap_map([3.0, 8.0], zrange=None, lang="sv").data[0]
    assert main.zmid is None and (main.zmin, main.zmax) == (3.0, 8.0)
    purple = {c for p, c in GAP_SCALE if p >= 0.6}
    assert {c for _, c in main.colorscale} == purple
    assert main.colorscale[-1][1] == GAP_SCALE[-1][1]
    assert "alla värden över noll" in main.colorbar.title.text


def test_balanced_gaps_on_both_sides_get_the_whole_scale_centred_on_zero():
    main = _gap_map([-20.0, 15.0], zrange=(-20.0, 20.0)).data[0]
    assert main.zmid == 0 and (main.zmin, main.zmax) == (-20.0, 20.0)
    assert [list(s) for s in main.colorscale] == [list(s) for s in GAP_SCALE]
    assert "zero" not in main.colorbar.title.text


def _colour_at(scale, value: float, zmin: float, zmax: float) -> str:
    return sample_colorscale(scale, [(value - zmin) / (zmax - zmin)])[0]


def test_lopsided_gaps_keep_zero_at_the_middle_colour_and_a_small_plus_pale():
    """-20…+7.5: the range is the values', not -20…+20; 0 is the scale's middle, -20 its
    darkest orange, and +7.5 only as purple as +7.5 is on the whole scale."""
    main = _gap_map([-20.0, 5.0], zrange=(-20.0, 7.5)).data[0]
    assert main.zmid is None and (main.zmin, main.zmax) == (-20.0, 7.5)
    scale = [list(s) for s in main.colorscale]
    assert _colour_at(scale, 0.0, -20.0, 7.5) == sample_colorscale(GAP_SCALE, [0.5])[0]
    assert _colour_at(scale, -20.0, -20.0, 7.5) == sample_colorscale(GAP_SCALE, [0.0])[0]
    assert _colour_at(scale, 7.5, -20.0, 7.5) == sample_colorscale(GAP_SCALE, [27.5 / 40])[0]
    assert "zero" not in main.colorbar.title.text


@pytest.mark.parametrize(
    ("lo", "hi", "side"), [(-0.2, -0.1, "below"), (0.1, 0.2, "above"), (0.0, 0.0, "both")]
)
def test_a_narrow_range_still_spans_a_percentage_point(lo, hi, side):
    scale = gap_scale([lo, hi])
    assert scale.side == side and scale.zmax - scale.zmin >= 1.0
    assert scale.zmin <= lo and scale.zmax >= hi


def test_one_area_above_zero_makes_the_scale_diverge_though_the_percentiles_trim_it():
    """290 gaps below zero and Pajala's +0.2: the 1st-99th percentile range alone would say
    'every value below zero' while the summary names +0.2; the sign of every value counts."""
    from dashboard.views.map.data import _fitted

    values = pd.Series([-20.0 + i * 0.05 for i in range(290)] + [0.2])
    lo, hi = _fitted(values)
    assert hi == 0.2 and lo == pytest.approx(values.quantile(0.01))
    scale = gap_scale(values.tolist(), (lo, hi))
    assert scale.side == "both" and (scale.zmin, scale.zmax) == (lo, hi)  # +0.2: a pale purple
    trimmed = _fitted(pd.Series([-20.0 + i * 0.05 for i in range(290)] + [-40.0]))
    assert trimmed[0] > -40.0  # a far outlier on the same side is still trimmed
