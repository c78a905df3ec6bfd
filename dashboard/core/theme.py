"""Shared look of every chart: colours, template, common layout, empty figure, year axis."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.core.gaps import Group
from dashboard.core.mappings import BIRTH_REGIONS
from dashboard.core.text.numbers import plotly_separators

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SEX_SYMBOL = {"women": "circle", "men": "square", "total": "diamond"}
NO_COLOUR = "#333333"  # a birth region the seed does not know


def group_colour(group: Group) -> str:
    """A group's line colour: its birth region's (seeds/birth_regions.csv)."""
    region = BIRTH_REGIONS.get(group.birth_region)
    return region.colour if region else NO_COLOUR


def group_dash(group: Group) -> str:
    """A group's line dash: its birth region's pattern for the sex (seeds/birth_regions.csv)."""
    region = BIRTH_REGIONS.get(group.birth_region)
    return region.line_dash(group.sex) if region else ("dash" if group.sex == "men" else "solid")


def named_scale(name: str) -> list[list]:
    """A named Plotly colour scale as [[position, colour], …], expanded as Plotly's validator does
    (figures are not validated, and plotly.js knows only some of the names)."""
    return [list(stop) for stop in go.Choropleth(colorscale=name).colorscale]


GAP_SCALE = named_scale("PuOr")  # diverging, colour-blind safe (ColorBrewer); centred on 0
VALUE_SCALE = named_scale("Viridis")  # sequential, colour-blind safe
SUPPRESSED_FILL = "#9e9e9e"
MISSING_FILL = "#e6e6e6"
SHADE = "rgba(213, 94, 0, 0.15)"
GREY = "#8c8c8c"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
AXIS = {
    "gridcolor": "#e5e5e5",
    "zerolinecolor": "#bdbdbd",
    "linecolor": "#bdbdbd",
    "automargin": True,
}
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": OKABE_ITO,
        "font": {"family": FONT, "size": 13, "color": "#1d1d1d"},
        "xaxis": AXIS,
        "yaxis": AXIS,
        "hoverlabel": {"font": {"family": FONT}},
        "hovermode": "closest",
    }
)


TITLE_WIDTH = 38  # characters: a 390 px phone's plot beside the vertical tool bar (~40 at 15 px)


def year_axis(years: list[int], max_ticks: int = 7) -> dict:
    """A year x-axis: whole-year ticks, at most `max_ticks` (readable on a phone), range = data ±0.5."""
    if not years:
        return {"dtick": 1, "tickformat": "d"}
    first, last = min(years), max(years)
    step = max(1, -(-(last - first) // max_ticks))
    return {"dtick": step, "tick0": last, "tickformat": "d", "range": [first - 0.5, last + 0.5]}


MODEBAR_PX = 34  # width of the vertical chart tool bar (right margin of every chart)


def layout(lang: str, title: str = "", height: int = 480, **extra: Any) -> dict:
    """Common layout: small template, language separators, legend below, compact margins."""
    wrapped = wrap(title, TITLE_WIDTH)  # short lines: the title must fit a 390 px phone
    base = {
        "template": TEMPLATE,
        "title": {"text": wrapped, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "separators": plotly_separators(lang),
        "height": height,
        "margin": {
            "l": 10,
            "r": MODEBAR_PX,  # the vertical tool bar sits in this margin, not over points
            "t": 30 + 20 * (wrapped.count("<br>") + 1) if title else 20,
            "b": 10,
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        # vertical tool bar on the right: on a phone a horizontal one sits on top of the title
        "modebar": {"orientation": "v"},
    }
    base.update(extra)
    return base


def empty_figure(message: str, lang: str, height: int = 300, title: str = "") -> go.Figure:
    """A figure with no data that says why (never a blank chart), under the chart's title."""
    lay = layout(lang, title, height=height)
    lay["xaxis"] = {"visible": False}
    lay["yaxis"] = {"visible": False}
    lay["annotations"] = [
        {
            "text": message,
            "x": 0.5,
            "y": 0.5,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 14},
            "align": "center",
        }
    ]
    return figure([], lay)


def figure(data: list[dict], lay: dict) -> go.Figure:
    """A go.Figure from trace and layout dicts, without Plotly's per-property validation.

    The charts build plain dicts; validating them cost more than the rest of a callback
    (tests/test_figure_validity.py checks every view's figures with validation instead).
    """
    return go.Figure(data=data, layout=lay, _validate=False)


def wrap(message: str, width: int = 60) -> str:
    """Wrap a message for a figure annotation."""
    words, lines, line = message.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line])


MAP_HEIGHT = 760
MAP_PAD = 0.03  # share of the shapes' extent added on every side


def map_geo(bounds: tuple[float, float, float, float] | None) -> dict:
    """Geo layout: fit the shapes, with the frame shaped like them (not like the whole world).

    With fitbounds alone Plotly keeps a world-shaped frame and Sweden got ~200 px of a 1,200 px card;
    explicit longitude/latitude ranges make the frame as tall and thin as the country (or county,
    or one municipality's RegSO areas). The map keeps the left 88 % so the colour bar has room.
    """
    geo: dict[str, Any] = {
        "fitbounds": "locations",
        "visible": False,
        "projection": {"type": "mercator"},
        "domain": {"x": [0, 0.88], "y": [0, 1]},
    }
    if bounds:
        lon0, lat0, lon1, lat1 = bounds
        dx, dy = (lon1 - lon0) * MAP_PAD, (lat1 - lat0) * MAP_PAD
        geo["lonaxis"] = {"range": [round(lon0 - dx, 4), round(lon1 + dx, 4)]}
        geo["lataxis"] = {"range": [round(lat0 - dy, 4), round(lat1 + dy, 4)]}
    return geo
