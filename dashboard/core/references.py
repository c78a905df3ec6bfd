"""The county and country as reference lines: their gap over the years and the lines drawn on a
year chart, each series (RAMS, BAS) its own trace (Trends and Peers; the Map's ranked bars too)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.core import break_labels, queries, theme
from dashboard.core.frames import gap_frame, small_threshold
from dashboard.core.gaps import Gap
from dashboard.core.queries import Catalogue
from dashboard.core.text import t

COUNTRY = "00"
REF_COLOURS = {"county": "#009E73", "country": "#000000"}
REF_DASH = {"county": "dash", "country": "dot"}


def county_of(cat: Catalogue, code: str) -> str | None:
    """The county an area lies in (itself for a county, None for the country or unknown)."""
    if not cat.has_area(code):
        return None
    level = cat.area_level(code)
    if level == "county":
        return code
    value = cat.areas.at[code, "county_code"]
    if isinstance(value, str) and value:
        return value
    if level in ("municipality", "regso", "la_region"):
        return code[:2] if code[:2].isdigit() and cat.has_area(code[:2], "county") else None
    return None


def reference_series(
    cat: Catalogue, indicator: str, age: str, gap: Gap, county: str | None, lang: str,
    years: list[int] | None = None,
) -> list[dict]:  # fmt: skip
    """[{kind, code, name, years, values}]: the gap over years for the county and the country."""
    codes = [c for c in (county, COUNTRY) if c and cat.has_area(c)]
    if not codes:
        return []
    obs = queries.pivot(indicator, age, [gap.a, gap.b], area_codes=codes, years=years)
    if obs.empty:
        return []
    frame = gap_frame(obs, gap, small_threshold(), pivoted=True)
    frame = frame[frame["gap"].notna()].sort_values("year")
    out = []
    for code in codes:
        part = frame[frame["area_code"] == code]
        if part.empty:
            continue
        out.append(
            {
                "kind": "country" if code == COUNTRY else "county",
                "code": code,
                "name": cat.area_name(code, lang),
                "years": [int(y) for y in part["year"]],
                "values": [float(v) for v in part["gap"]],
                "series": list(part["series"]),
            }
        )
    return out


def add_reference_lines(
    fig: go.Figure | None, refs: list[dict], lang: str, x_values: dict[int, Any] | None = None
) -> None:
    """County and country gap lines (dashed/dotted, named in the legend) on a year chart.

    x_values maps a year to its x position (the slope chart's category axis uses strings); each
    series (RAMS, BAS) is its own trace, so the two are never joined.
    """
    if fig is None:
        return
    for r in refs:
        runs: list[list[tuple[Any, float]]] = []
        last: Any = object()
        for year, value, series in zip(r["years"], r["values"], r["series"], strict=True):
            if x_values is not None and year not in x_values:
                continue
            if series != last or not runs:
                runs.append([])
            runs[-1].append((x_values[year] if x_values is not None else year, round(value, 2)))
            last = series
        name = r["name"]
        for i, run in enumerate(runs):
            fig.add_trace(
                go.Scatter(
                    x=[x for x, _ in run],
                    y=[y for _, y in run],
                    # a lone point of a series (the slope chart's two years across a break)
                    # is drawn as a marker: a legend entry always has something drawn
                    mode="lines" if len(run) > 1 else "markers",
                    marker={"color": REF_COLOURS[r["kind"]], "size": 9, "symbol": "diamond"},
                    name=name,
                    line={
                        "color": REF_COLOURS[r["kind"]],
                        "dash": REF_DASH[r["kind"]],
                        "width": 1.8,
                    },
                    hovertemplate=f"{name} %{{x}}: %{{y:.1f}}<extra></extra>",
                    showlegend=i == 0,
                    legendgroup=f"ref-{r['kind']}",
                )
            )
    if x_values is None:
        label_series_ends(fig, [(r["name"], _runs(r)[-1]) for r in refs if r["years"]], lang)
        for r in refs:
            mark_reference_breaks(fig, r["name"], [run[0][0] for run in _runs(r)[1:]], lang)


def mark_reference_breaks(fig: go.Figure, name: str, starts: list[int], lang: str) -> None:
    """A labelled dotted line at each break of a reference line the chart does not mark yet; the
    chart's break labels then placed together (dashboard/core/break_labels.py)."""
    marked = {round(float(s.x0), 1) for s in fig.layout.shapes or () if s.type == "line"}
    added = False
    for year in starts:
        if round(year - 0.5, 1) in marked:
            continue
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=year - 0.5, x1=year - 0.5, y0=0, y1=1,
            line={"dash": "dot", "color": theme.GREY, "width": 1},
        )  # fmt: skip
        fig.add_annotation(
            x=year - 0.5, y=0, xref="x", yref="paper", showarrow=False, xanchor="right",
            yanchor="bottom", font={"size": 11, "color": "#555"},
            text=f"{t('series_break_other', lang)} {year - 1}/{str(year)[-2:]} ({name})",
        )  # fmt: skip
        marked.add(round(year - 0.5, 1))
        added = True
    if added:
        restack(fig)


def restack(fig: go.Figure) -> None:
    """Place every break label of `fig` again, together, so that none overlaps another."""
    notes = [a.to_plotly_json() for a in fig.layout.annotations or ()]
    edge = [n for n in notes if break_labels.is_edge_label(n)]
    years = [x for tr in fig.data for x in (tr.x or ()) if isinstance(x, int | float)]
    if not edge or not years:
        return
    others = [n for n in notes if not break_labels.is_edge_label(n)]
    fig.layout.annotations = others + break_labels.stack(edge, min(years), max(years))


def _runs(ref: dict) -> list[list[tuple[int, float]]]:
    """A reference series' (year, value) runs, one per series."""
    runs: list[list[tuple[int, float]]] = []
    last: Any = object()
    for year, value, series in zip(ref["years"], ref["values"], ref["series"], strict=True):
        if series != last or not runs:
            runs.append([])
        runs[-1].append((year, value))
        last = series
    return runs


def label_series_ends(fig: go.Figure, runs: list[tuple[str, list]], lang: str) -> None:
    """'Riket: ends 2003' at the last point of every line that stops before the chart's last year
    (an end at a break is named by the break's own label)."""
    years = [x for tr in fig.data for x in (tr.x or ()) if isinstance(x, int | float)]
    if not years:
        return
    latest = max(years)
    for name, run in runs:
        if not run or run[-1][0] >= latest:
            continue
        end_year, end_value = run[-1]
        fig.add_annotation(
            x=end_year, y=round(float(end_value), 2), xref="x", yref="y",
            text=f"{name}: {t('series_ends', lang, year=int(end_year))}", showarrow=True,
            arrowhead=0, ax=18, ay=-18, font={"size": 11, "color": "#555"},
        )  # fmt: skip
