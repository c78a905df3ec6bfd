"""The Trends view: lines per group and area, the gap lines, series-break and CKM marks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import break_labels, text
from dashboard.core.gaps import Gap, Group
from dashboard.core.hover import arr, flag_lines, point_hover, rounded
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, fmt_pp, t
from dashboard.core.theme import (
    GREY,
    OKABE_ITO,
    SEX_SYMBOL,
    SHADE,
    figure,
    group_colour,
    group_dash,
    layout,
    wrap,
    year_axis,
)
from etl import seeds


def segments(recs: list[dict]) -> list[list[dict]]:
    """Split records (sorted by year) into runs of one series, so no line crosses a series break."""
    runs: list[list[dict]] = []
    for r in recs:
        if runs and r.get("series") == runs[-1][-1].get("series") and not r.get("series_break"):
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def by_keys(recs: list[dict], *keys: str) -> dict[tuple, list[dict]]:
    """Records sorted by year, grouped by the values of `keys`."""
    out: dict[tuple, list[dict]] = {}
    for r in sorted(recs, key=lambda r: r["year"]):
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def break_marks(frame: pd.DataFrame, lang: str) -> tuple[list, list]:
    """Dashed lines at series breaks ('RAMS → BAS' where that is the change) and the CKM band."""
    shapes: list[dict] = []
    notes: list[dict] = []
    if frame.empty:
        return shapes, notes
    flagged = frame[frame["series_break"].fillna(False).astype(bool)]
    rams_years = (
        frame.loc[frame["series"].fillna("").str.startswith("RAMS"), "year"]
        if "series" in frame
        else pd.Series(dtype=int)
    )
    labelled: list[dict] = []  # every break line is labelled, with the two years it lies between
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    for year in sorted({int(y) for y in flagged["year"]}):
        new = (
            set(flagged.loc[flagged["year"] == year, "series"].dropna())
            if "series" in flagged
            else set()
        )
        rams_to_bas = "BAS" in new and bool((rams_years < year).any())
        label = t("series_break", lang) if rams_to_bas else t("series_break_other", lang)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": year - 0.5,
                "x1": year - 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dash" if rams_to_bas else "dot", "color": GREY, "width": 1},
            }
        )
        labelled.append({
            "x": year - 0.5,
            "y": 1.0 if rams_to_bas else 0.0,
            "xref": "x",
            "yref": "paper",
            "text": f"{label} {year - 1}/{str(year)[-2:]}",
            "showarrow": False,
            # toward the middle of the chart, so a break near an edge keeps its label inside
            "xanchor": "left" if year - 0.5 - lo < (hi - lo) / 2 else "right",
            "yanchor": "bottom",
            "font": {"size": 11, "color": "#555"},
        })  # fmt: skip
    notes.extend(break_labels.stack(labelled, lo, hi))
    years = frame["year"]
    noise_from = seeds.noise_from_year()  # seeds/sources.csv
    if noise_from and len(years) and years.max() >= noise_from:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": noise_from - 0.5,
                "x1": float(years.max()) + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#f2f2f2",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "x": noise_from - 0.5,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "text": t("ckm", lang, year=noise_from),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#555"},
            }
        )
    return shapes, notes


def axis_names(row: int) -> tuple[str, str]:
    """The x and y axis names of panel `row` ('x', 'x2', …)."""
    return ("x" if row == 1 else f"x{row}"), ("y" if row == 1 else f"y{row}")


def panel_note(message: str, y: float) -> dict:
    """A boxed note in the middle of a panel (paper coordinates) saying why it is empty."""
    return {
        "text": wrap(message, 60), "x": 0.5, "y": y, "xref": "paper", "yref": "paper",
        "showarrow": False, "align": "center", "bgcolor": "rgba(255, 255, 255, 0.9)",
        "bordercolor": "#bbbbbb", "borderpad": 6, "font": {"size": 13},
    }  # fmt: skip


def trends_figure(
    obs: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    areas: list[str],
    names: dict[str, str],
    groups: list[Group],
    gap: Gap,
    fmt: NumberFormat,
    indicator_label: str,
    title: str = "",
    band: str = "",
    empty: dict[str, str] | None = None,
) -> go.Figure:
    """Lines over years per group (split by series), one panel per area, the gap shaded and labelled.

    A panel with no line says why and what the area has instead (`empty`: area → that text).
    """
    lang = fmt.lang
    rows = max(len(areas), 1)
    gapv = 0.09 if rows > 1 else 0.0
    span = (1 - gapv * (rows - 1)) / rows
    data: list[dict] = []
    annotations: list[dict] = []
    lay = layout(lang, title, height=max(420, 290 * rows + 130))
    seen: set[str] = set()
    gap_recs = by_keys(records(gaps), "area_code") if len(gaps) else {}
    obs_recs = by_keys(records(obs), "area_code", "group") if len(obs) else {}
    all_years = sorted({int(y) for y in obs["year"]}) if len(obs) else []
    for i, area in enumerate(areas, start=1):
        xa, ya = axis_names(i)
        top = 1 - (i - 1) * (span + gapv)
        lay["xaxis" if i == 1 else f"xaxis{i}"] = {
            "anchor": ya,
            **year_axis(all_years),
            **({"matches": "x"} if i > 1 else {}),
        }
        lay["yaxis" if i == 1 else f"yaxis{i}"] = {
            "domain": [max(top - span, 0), top],
            "anchor": xa,
            "title": {"text": indicator_label + fmt.axis_suffix},
        }
        if rows > 1:
            annotations.append(
                {
                    "text": f"<b>{names.get(area, area)}</b>",
                    "x": 0,
                    "y": top,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                }
            )
        if (empty or {}).get(area):
            annotations.append(panel_note(empty[area], top - span / 2))
        both = [
            r
            for r in gap_recs.get((area,), [])
            if r["value_0"] is not None and r["value_1"] is not None
        ]
        for seg in segments(both):
            common = {
                "type": "scatter",
                "x": arr([r["year"] for r in seg]),
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "xaxis": xa,
                "yaxis": ya,
            }
            data.append({**common, "y": arr(rounded([r["value_1"] for r in seg]))})
            data.append(
                {
                    **common,
                    "y": arr(rounded([r["value_0"] for r in seg])),
                    "fill": "tonexty",
                    "fillcolor": SHADE,
                }
            )
        if both:
            last = both[-1]
            annotations.append(
                {
                    "x": int(last["year"]),
                    "y": (last["value_0"] + last["value_1"]) / 2,
                    "xref": xa,
                    "yref": ya,
                    "text": f"<b>{fmt_pp(last['gap'], lang)}</b>",
                    "showarrow": False,
                    # inside the plot, left of the last year, on a light box over the shading:
                    # needs no axis range or margin (on a phone the margin sat under the tool bar)
                    "xanchor": "right",
                    "xshift": -8,
                    "bgcolor": "rgba(255, 255, 255, 0.8)",
                    "font": {"size": 12, "color": "#8a3b00"},
                }
            )
        for group in groups:
            colour = group_colour(group)
            for recs in segments(obs_recs.get((area, group.key), [])):
                data.append(
                    {
                        "type": "scatter",
                        "x": arr([r["year"] for r in recs]),
                        "y": arr(rounded([r["value"] for r in recs])),
                        "mode": "lines+markers",
                        "name": text.group_label(group, lang),
                        "legendgroup": group.key,
                        "showlegend": group.key not in seen,
                        "xaxis": xa,
                        "yaxis": ya,
                        "connectgaps": False,
                        "line": {"color": colour, "dash": group_dash(group), "width": 2.2},
                        "marker": {
                            "size": 7,
                            "color": colour,
                            "symbol": arr(
                                [
                                    SEX_SYMBOL[group.sex] + ("-open" if r.get("small") else "")
                                    for r in recs
                                ]
                            ),
                        },
                        "text": arr(
                            [point_hover(names.get(area, area), group, r, fmt, band) for r in recs]
                        ),
                        "hovertemplate": "%{text}<extra></extra>",
                    }
                )
                seen.add(group.key)
    shapes, notes = break_marks(obs, lang)
    lay["shapes"] = shapes
    lay["annotations"] = annotations + notes
    lay["legend"] = {
        "orientation": "h",
        "yanchor": "top",
        "y": -0.08 if rows > 1 else -0.15,
        "x": 0,
    }
    return figure(data, lay)


def gap_lines_figure(
    gaps: pd.DataFrame,
    *,
    areas: list[str],
    names: dict[str, str],
    lang: str,
    threshold: int,
    title: str = "",
    band: str = "",
    missing: dict[str, str] | None = None,
) -> go.Figure:
    """The gap in pp over years, one line per area (split by series), with a zero line.

    Areas with no gap are named in a note saying why (`missing`: area → that text).
    """
    data = []
    by_area = by_keys(records(gaps), "area_code") if len(gaps) else {}
    for i, area in enumerate(areas):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        known = [r for r in by_area.get((area,), []) if r["gap"] is not None]
        for j, recs in enumerate(segments(known)):
            data.append(
                {
                    "type": "scatter",
                    "x": arr([r["year"] for r in recs]),
                    "y": arr(rounded([r["gap"] for r in recs])),
                    "mode": "lines+markers",
                    "name": names.get(area, area),
                    "legendgroup": area,
                    "showlegend": j == 0,
                    "line": {"color": colour, "width": 2.5},
                    "marker": {
                        "size": 7,
                        "symbol": arr(
                            ["circle-open" if r.get("small") else "circle" for r in recs]
                        ),
                    },
                    "text": arr(
                        [
                            f"<b>{names.get(area, area)}</b> · {int(r['year'])}"
                            + (f" · {band}" if band else "")
                            + f"<br>{t('gap', lang)}: {fmt_pp(r['gap'], lang)}"
                            + "".join(f"<br>{f}" for f in flag_lines(r, lang, threshold))
                            for r in recs
                        ]
                    ),
                    "hovertemplate": "%{text}<extra></extra>",
                }
            )
    lay = layout(lang, title, height=380)
    lay["xaxis"] = year_axis(sorted({int(y) for y in gaps["year"]}) if len(gaps) else [])
    lay["yaxis"] = {
        "title": {"text": t("gap_axis", lang)},
        "zeroline": True,
        "zerolinecolor": "#444",
    }
    shapes, notes = break_marks(gaps, lang)
    lay["shapes"] = shapes
    lay["annotations"] = notes + end_labels(by_area, areas, names, lang)
    if missing:
        lay["annotations"].append(
            {**panel_note("<br>".join(missing.values()), 1.0), "yanchor": "top", "y": 0.98}
        )
    return figure(data, lay)


def end_labels(
    by_area: dict[tuple, list[dict]], areas: list[str], names: dict[str, str], lang: str
) -> list[dict]:
    """'Botkyrka: ends 2018' at the last point of every gap line that stops before the last year."""
    known = {a: [r for r in by_area.get((a,), []) if r["gap"] is not None] for a in areas}
    years = [int(r["year"]) for recs in known.values() for r in recs]
    if not years:
        return []
    latest = max(years)
    out = []
    for area, recs in known.items():
        if recs:  # the line's last end (an end at a break is named by the break's label)
            end = segments(recs)[-1][-1]
            if int(end["year"]) >= latest:
                continue
            out.append({
                "x": int(end["year"]), "y": round(end["gap"], 2), "xref": "x", "yref": "y",
                "text": f"{names.get(area, area)}: {t('series_ends', lang, year=int(end['year']))}",
                "showarrow": True, "arrowhead": 0, "ax": -24, "ay": 26,
                "font": {"size": 11, "color": "#555"},
            })  # fmt: skip
    return out
