"""The Peers view: the dumbbell of the peer set and the slope chart of the gap's change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import text
from dashboard.core.gaps import Gap
from dashboard.core.hover import counts_text, flag_lines, isnan, provenance_tag, status_text
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, fmt_pp, t
from dashboard.core.theme import (
    GREY,
    OKABE_ITO,
    TITLE_WIDTH,
    empty_figure,
    figure,
    group_colour,
    layout,
    wrap,
)
from etl import uncertainty as u


def dumbbell_height(n: int) -> int:
    """Height of the dumbbell for n municipalities (title, rows, axis and legend)."""
    return 210 + 28 * n


def spread(values: list[float], gap: float) -> list[float]:
    """Positions near `values`, in the same order, at least `gap` apart (labels that do not overlap).

    Overlapping neighbours are merged into runs spaced `gap` apart and centred where their values
    are on average (least total displacement for a run), until no two runs overlap.
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    runs: list[list[int]] = []  # indices into order
    starts: list[float] = []
    for k, i in enumerate(order):
        runs.append([k])
        starts.append(values[i])
        while len(runs) > 1 and starts[-2] + gap * len(runs[-2]) > starts[-1] + 1e-12:
            merged = runs[-2] + runs[-1]
            runs[-2:] = [merged]
            first = merged[0]
            start = sum(values[order[j]] - gap * (j - first) for j in merged) / len(merged)
            starts[-2:] = [start]
    out = [0.0] * len(values)
    for run, start in zip(runs, starts, strict=True):
        for j in run:
            out[order[j]] = start + gap * (j - run[0])
    return out


SLOPE_LABEL_PX = 15  # vertical room one slope-chart label needs (12 px font)


def dumbbell_figure(
    frame: pd.DataFrame,
    *,
    selected: str,
    gap: Gap,
    stats: dict,
    fmt: NumberFormat,
    title: str = "",
    band: str = "",
) -> go.Figure:
    """Ranked dumbbell: group b and group a per municipality, selected highlighted, median/mean lines."""
    lang, threshold = fmt.lang, fmt.threshold
    recs = records(frame.reset_index(drop=True))
    labels = [f"<b>{r['area']}</b>" if r["area_code"] == selected else r["area"] for r in recs]
    xs: list = []
    ys: list = []
    for lab, r in zip(labels, recs, strict=True):
        if r.get("value_0") is not None and r.get("value_1") is not None:
            xs += [r["value_1"], r["value_0"], None]
            ys += [lab, lab, None]
    data: list[dict] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "hoverinfo": "skip",
            "showlegend": False,
            "line": {"color": "#bbbbbb", "width": 3},
        }
    ]
    for i, group, symbol in ((1, gap.b, "circle"), (0, gap.a, "diamond")):
        has = [k for k, r in enumerate(recs) if r.get(f"value_{i}") is not None]
        hover = []
        for k in has:
            r = recs[k]
            h = [
                f"<b>{r['area']}</b> · {int(r['year'])}" + (f" · {band}" if band else ""),
                f"{text.group_label(group, lang)}: {fmt.value(r[f'value_{i}'])}"
                + provenance_tag(r.get(f"provenance_{i}"), lang),
            ]
            counts = counts_text(r.get(f"numerator_{i}"), r.get(f"denominator_{i}"), lang)
            if counts:
                h.append(counts)
            if r.get("gap") is not None:
                h.append(f"{t('gap', lang)}: {fmt_pp(r['gap'], lang)}")
            if r.get("rank") is not None:
                h.append(t("rank", lang, rank=int(r["rank"]), n=stats.get("n", len(recs))))
            hover.append("<br>".join(h + flag_lines(r, lang, threshold)))
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": text.group_label(group, lang),
                "x": [round(recs[k][f"value_{i}"], 2) for k in has],
                "y": [labels[k] for k in has],
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "color": group_colour(group),
                    "size": [14 if recs[k]["area_code"] == selected else 10 for k in has],
                    "symbol": [symbol + ("-open" if recs[k].get("small") else "") for k in has],
                    "line": {
                        "width": [2 if recs[k]["area_code"] == selected else 0 for k in has],
                        "color": "#000",
                    },
                },
            }
        )
    missing = [k for k, r in enumerate(recs) if r.get("value_0") is None]
    if missing:
        known = [v for r in recs for v in (r.get("value_0"), r.get("value_1")) if v is not None]
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [min(known) if known else 0] * len(missing),
                "y": [labels[k] for k in missing],
                "textposition": "middle left",
                "hoverinfo": "skip",
                "text": [f".. {status_text(recs[k]['status'], lang).lower()}" for k in missing],
                "showlegend": False,
            }
        )
    colour = group_colour(gap.a)
    for key, dash, label in (
        ("median_a", "dot", t("peer_median", lang)),
        ("wmean_a", "dash", t("peer_mean", lang)),
    ):
        value = stats.get(key)
        if value is not None and labels:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [value, value],
                    "y": [labels[0], labels[-1]],
                    "name": f"{label}: {fmt.value(value)}",
                    "hoverinfo": "name",
                    "line": {"dash": dash, "color": colour, "width": 1.5},
                }
            )
    lay = layout(lang, title, height=dumbbell_height(len(recs)))
    lay["yaxis"] = {
        "autorange": "reversed",
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
    }
    # a " %" tick suffix, not an axis title: the title sat on top of the legend below the axis
    lay["xaxis"] = {"ticksuffix": "\u00a0%" if fmt.unit == "percent" else ""}
    lay["legend"] = {**lay["legend"], "y": -0.06, "yanchor": "top"}
    if selected in [r["area_code"] for r in recs]:
        lab = labels[[r["area_code"] for r in recs].index(selected)]
        lay["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": lab,
                "y1": lab,
                "line": {"width": 16, "color": "rgba(255, 221, 87, 0.35)"},
                "layer": "below",
            }
        ]
    return figure(data, lay)


def broken_codes(now: pd.DataFrame, then: pd.DataFrame) -> set[str]:
    """Areas whose two years come from different series (a break lies between): not joined."""
    if "series" not in now or "series" not in then:
        return set()
    before = dict(zip(then["area_code"], then["series"], strict=True))
    return {
        code
        for code, series in zip(now["area_code"], now["series"], strict=True)
        if isinstance(series, str) and isinstance(before.get(code), str) and before[code] != series
    }


def slope_figure(
    now: pd.DataFrame,
    then: pd.DataFrame,
    *,
    selected: str,
    year0: int,
    year: int,
    lang: str,
    series_differ: bool,
    title: str = "",
    threshold: int = 100,
    band: str = "",
) -> go.Figure:
    """Gap in year0 and year per peer (one trace for all peers); the selected one highlighted."""
    g0 = dict(zip(then["area_code"], then["gap"], strict=True))
    names = dict(zip(now["area_code"], now["area"], strict=True))
    flags = {
        c: now["area_code"][now[c].fillna(False).astype(bool)].tolist()
        for c in ("small", "synthetic")
        if c in now
    }
    flags = {
        c: set(v) | set(then["area_code"][then[c].fillna(False).astype(bool)])
        for c, v in flags.items()
        if c in then
    }
    tags = {  # each year's gap says whether it is real (both groups real) or synthetic
        y: {
            c: provenance_tag(p, lang) for c, p in zip(f["area_code"], f["provenance"], strict=True)
        }
        for y, f in ((year0, then), (year, now))
        if "provenance" in f
    }
    pairs = [
        (code, g0.get(code), g1)
        for code, g1 in zip(now["area_code"], now["gap"], strict=True)
        if not isnan(g0.get(code)) and not isnan(g1)
    ]
    pairs.sort(key=lambda p: p[2])
    broken = broken_codes(now, then)
    x0, x1 = str(year0), str(year)
    data = []
    for key in ("others", "selected"):
        part = [p for p in pairs if (p[0] == selected) == (key == "selected")]
        xs, ys, hovers = [], [], []
        for code, a, b in part:
            flag = {
                "small": code in flags.get("small", set()),
                "synthetic": code in flags.get("synthetic", set()),
            }
            hover = (
                f"<b>{names[code]}</b>"
                + (f" · {band}" if band else "")
                + f"<br>{year0}: {fmt_pp(a, lang)}{tags.get(year0, {}).get(code, '')}"
                + f"<br>{year}: {fmt_pp(b, lang)}{tags.get(year, {}).get(code, '')}"
                + "".join(f"<br>{f}" for f in flag_lines(flag, lang, threshold))
            )
            if code in broken:  # two series: both ends shown, never joined by a line
                xs += [x0, None, x1, None]
                ys += [round(a, 2), None, round(b, 2), None]
                hovers += [hover, "", hover, ""]
            else:
                xs += [x0, x1, None]
                ys += [round(a, 2), round(b, 2), None]
                hovers += [hover, hover, ""]
        if not part:
            continue
        sel = key == "selected"
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines+markers",
                "hovertext": hovers,
                "hoverinfo": "text",
                "showlegend": False,
                "name": names[part[0][0]] if sel else t("peers_trace", lang),
                "cliponaxis": False,
                "line": {"color": OKABE_ITO[1] if sel else "#9a9a9a", "width": 4 if sel else 1.5},
                "marker": {"size": 9 if sel else 6},
            }
        )
    # Every line is named at its end; names that would overlap are nudged apart (SLOPE_LABEL_PX),
    # on a fixed y range so that the nudge in data units is known. Many peers → a taller chart.
    height = max(460, 160 + SLOPE_LABEL_PX * len(pairs))
    top = (
        40 + 20 * (wrap(title, TITLE_WIDTH).count("<br>") + 1) if title else 60
    )  # room for the title
    plot_px = height - top - 40  # minus the x tick labels and bottom margin
    values = [v for p in pairs for v in p[1:]]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    span = max(hi - lo, 1.0)
    shown = span * 1.1  # the y range drawn (data plus padding and any nudged label)
    for _ in range(3):  # the range grows when labels are pushed past the data: settle it
        unit_gap = SLOPE_LABEL_PX * shown / plot_px
        ends = spread([p[2] for p in pairs], unit_gap)
        y_lo = min([lo, *ends]) - 0.05 * span
        y_hi = max([hi, *ends]) + 0.05 * span
        shown = y_hi - y_lo
    labels = []
    for (code, _, end), y in zip(pairs, ends, strict=True):
        sel = code == selected
        label = {
            # a category axis places annotations by category index ("2024" would be read
            # as position 2024): the end year is the second category
            "x": 1 if x1 != x0 else 0,
            "y": round(y, 3),
            "xref": "x",
            "yref": "y",
            "text": f"<b>{names[code]}</b>" if sel else names[code],
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "middle",
            "xshift": 8,
            "font": {"size": 12, "color": OKABE_ITO[1] if sel else "#555"},
        }
        if abs(y - end) > 1e-3:  # nudged off its line: a leader line to the line's end
            label |= {
                "y": round(end, 3),
                "ax": label["x"] + 0.07,
                "ay": round(y, 3),
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 0.8,
                "arrowcolor": "#9a9a9a",
                "standoff": 3,
                "xshift": 0,
            }
        labels.append(label)
    lay = layout(lang, title, height=height, margin={"l": 10, "r": 120, "t": top, "b": 10})
    lay["yaxis"] = {
        "title": {"text": t("gap_axis", lang)},
        "zeroline": True,
        "zerolinecolor": "#444",
        "range": [round(y_lo, 3), round(y_hi, 3)],
    }
    lay["annotations"] = labels
    lay["xaxis"] = {"type": "category", "range": [-0.15, 1.15]}
    if series_differ or broken:
        lay["annotations"] += [
            {
                "x": 0.5,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "yanchor": "bottom",
                "text": f"⚠ {t('series_break', lang)}: {t('slope.not_joined', lang)}",
                "font": {"size": 11, "color": "#8a3b00"},
            }
        ]
    return figure(data, lay)


SELECTED_COLOUR = "#D55E00"  # the chosen municipality in the funnel plot (Okabe-Ito vermillion)


def funnel_figure(
    peers: pd.DataFrame,
    benchmark: float,
    highlight: str | None,
    title: str,
    lang: str,
    national: bool = False,
) -> go.Figure:
    """Funnel plot (Spiegelhalter 2005): each area's value against its population (the rate's
    denominator), with 95 % and 99.8 % limits around the benchmark. `peers`: name, code, value, n."""
    part = peers.dropna(subset=["value", "n"])
    part = part[part.n > 0]
    if part.empty or benchmark is None or np.isnan(benchmark):
        return empty_figure(t("funnel.no_counts", lang), lang)
    grid = np.geomspace(max(10.0, part.n.min() * 0.8), part.n.max() * 1.2, 80)
    data: list[dict] = []
    for z, name, dash in (
        (u.Z95, t("funnel.limit95", lang), "dash"),
        (u.Z998, t("funnel.limit998", lang), "dot"),
    ):
        limits = [u.funnel_limits(benchmark, n, z) for n in grid]
        for side, show in ((0, True), (1, False)):
            data.append(
                {"type": "scatter", "x": grid.tolist(), "y": [lim[side] for lim in limits],
                 "mode": "lines", "line": {"color": GREY, "dash": dash, "width": 1},
                 "name": name, "showlegend": show, "legendgroup": name, "hoverinfo": "skip"}
            )  # fmt: skip
    data.append(
        {"type": "scatter", "x": [grid[0], grid[-1]], "y": [benchmark, benchmark], "mode": "lines",
         "line": {"color": "#1d1d1d", "width": 1.5}, "name": t("funnel.benchmark", lang), "hoverinfo": "skip"}
    )  # fmt: skip
    mine = part.code == highlight
    for sel, colour, size, name in (
        (~mine, "#0072B2", 8, t("funnel.peers_national" if national else "funnel.peers", lang)),
        (mine, SELECTED_COLOUR, 13, None),
    ):
        sub = part[sel]
        if sub.empty:
            continue
        data.append(
            {"type": "scatter", "mode": "markers", "x": sub.n.tolist(), "y": sub.value.tolist(),
             "text": sub.name.tolist(), "name": name or str(sub.name.iloc[0]),
             "marker": {"color": colour, "size": size, "line": {"color": "white", "width": 1}},
             "hovertemplate": "%{text}: %{y:.1f} (n = %{x:,.0f})<extra></extra>"}
        )  # fmt: skip
    lay = layout(lang, title, height=460)
    lay["xaxis"] = {"type": "log", "title": {"text": t("funnel.population", lang)}}
    lay["legend"] = {**lay["legend"], "y": -0.3}  # below the x axis' title, not over it
    lay["yaxis"] = {"title": {"text": t("funnel.value_axis", lang)}}
    return figure(data, lay)
