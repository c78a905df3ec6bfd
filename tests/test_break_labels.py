"""Break labels at a chart's foot never sit on each other (Trends' gap chart at 390 px showed
'Seriebrott 1996/97' over 'Seriebrott 2003/04 (Riket)')."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.core.references import LABEL_STEP_PX, mark_reference_breaks


def _foot_labels(fig: go.Figure) -> dict[float, int]:
    return {float(a.x): int(a.yshift or 0) for a in fig.layout.annotations if a.y == 0}


def test_a_reference_break_near_another_label_goes_a_line_up_and_a_far_one_stays():
    fig = go.Figure()
    fig.add_annotation(x=1996.5, y=0, xref="x", yref="paper", text="Seriebrott 1996/97")
    mark_reference_breaks(fig, "Riket", [2004, 2025], "sv")
    labels = _foot_labels(fig)
    assert labels[2003.5] == LABEL_STEP_PX  # 7 years from 1996/97: stacked above it
    assert labels[2024.5] == 0  # far from both: on the foot
    mark_reference_breaks(fig, "Skåne län", [2002], "sv")
    assert _foot_labels(fig)[2001.5] == 2 * LABEL_STEP_PX  # a third one goes higher still
    texts = [a.text for a in fig.layout.annotations]
    assert "Seriebrott 2003/04 (Riket)" in texts and "Seriebrott 2001/02 (Skåne län)" in texts
