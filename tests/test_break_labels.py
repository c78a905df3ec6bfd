"""Break labels never sit on each other (Trends' gap chart at 390 px showed 'Seriebrott 1996/97'
over 'Seriebrott 2003/04 (Riket)'; the area profile's 'serieskifte' labels overlapped at 390 px).
One placer, dashboard/core/break_labels.py, places them on every chart."""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import break_labels
from dashboard.core.break_labels import STEP_PX
from dashboard.core.references import mark_reference_breaks


def _foot_labels(fig: go.Figure) -> dict[float, int]:
    return {float(a.x): int(a.yshift or 0) for a in fig.layout.annotations if a.y == 0}


def _no_overlap(notes: list[dict], lo: float, hi: float) -> None:
    """No two labels on the same edge and line cover the same years at a phone's width."""
    span = hi - lo
    for a, b in itertools.combinations(notes, 2):
        if a["y"] != b["y"] or (a.get("yshift") or 0) != (b.get("yshift") or 0):
            continue
        (a0, a1), (b0, b1) = break_labels._extent(a, span), break_labels._extent(b, span)
        assert a1 <= b0 or b1 <= a0, (a["text"], b["text"])


def test_a_reference_break_near_another_label_goes_a_line_up_and_a_far_one_stays():
    fig = go.Figure(go.Scatter(x=list(range(1997, 2026)), y=[0] * 29))
    fig.add_annotation(x=1996.5, y=0, xref="x", yref="paper", text="Seriebrott 1996/97",
                       showarrow=False, xanchor="left")  # fmt: skip
    mark_reference_breaks(fig, "Riket", [2004, 2025], "sv")
    labels = _foot_labels(fig)
    assert labels[1996.5] == 0 and labels[2003.5] == STEP_PX  # overlapping: a line up
    assert labels[2024.5] == 0  # far from both: on the foot
    mark_reference_breaks(fig, "Skåne län", [2002], "sv")
    assert sorted(_foot_labels(fig).values()) == [0, 0, STEP_PX, 2 * STEP_PX]  # a third goes higher
    texts = [a.text for a in fig.layout.annotations]
    assert "Seriebrott 2003/04 (Riket)" in texts and "Seriebrott 2001/02 (Skåne län)" in texts
    _no_overlap([a.to_plotly_json() for a in fig.layout.annotations], 1997, 2025)


def test_top_labels_stack_downward_and_far_ones_stay():
    notes = [
        {"x": x, "y": 1, "text": "serieskifte", "xanchor": "left"} for x in (2003.5, 2006.5, 2019.5)
    ]
    placed = {n["x"]: n["yshift"] for n in break_labels.stack(notes, 1997, 2024)}
    assert placed == {2003.5: 0, 2006.5: -STEP_PX, 2019.5: 0}


def test_area_trend_break_labels_do_not_overlap() -> None:
    from dashboard.views.area import figures

    frame = pd.DataFrame({"year": range(1997, 2025), "gap": 1.0, "series_break": False})
    frame.loc[frame.year.isin([2004, 2007, 2020]), "series_break"] = True
    fig = figures.trend_figure({"Botkyrka": frame}, pd.DataFrame(), "t", "sv")
    notes = [a.to_plotly_json() for a in fig.layout.annotations]
    assert len(notes) == 3 and {n["yshift"] for n in notes} == {0, -STEP_PX}
    _no_overlap(notes, 1997, 2024)


def test_trends_break_labels_do_not_overlap() -> None:
    from dashboard.views.trends.figures import break_marks

    frame = pd.DataFrame({"year": range(1993, 2025), "series": "BAS", "series_break": False})
    frame.loc[frame.year < 2004, "series"] = "RAMS"
    frame.loc[frame.year.isin([1997, 2004, 2008]), "series_break"] = True
    _, notes = break_marks(frame, "sv")
    labels = [n for n in notes if break_labels.is_edge_label(n)]
    assert len(labels) == 3 and any(n["yshift"] for n in labels)  # 1996/97 and 2003/04 stacked
    _no_overlap(labels, 1993, 2024)
