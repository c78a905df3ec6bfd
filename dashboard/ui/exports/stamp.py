"""Charts a user takes away, stamped: the source line, the view's permalink and (for synthetic
values) the synthetic mark.

On screen the chart's space is the chart's: `stamp` keeps the figure's size and puts the stamp in
`layout.meta` (key META), which the browser shows as a line of text under the chart
(assets/labourdash.js). Every export carries the full stamp: `for_export` (server-side prints) and
the browser's PNG/SVG (the tool bar's and the card's buttons, through the same meta) add it as an
annotation above the plot, with the height it needs. The synthetic watermark stays in the plot."""

from __future__ import annotations

import copy
import logging
from typing import Any

import plotly.graph_objects as go

from dashboard import provenance
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.ui.permalink import permalink

log = logging.getLogger(__name__)

META = "labourdash_stamp"  # the layout.meta key the browser and `for_export` read
STAMP_NAME = "labourdash-stamp"
STAMP_FONT = 11
STAMP_LINE_PX = 15
TITLE_TOP_PX = 8
TITLE_FONT = 15  # dashboard/core/theme.py's title size
STAMP_WIDTH = 54  # characters per exported stamp line: fits a 390 px phone's chart at 11 px
SYNTHETIC_COLOUR = "#b00020"
STAMP_COLOUR = "#4d4d4d"


def _wrap(text: str, width: int = STAMP_WIDTH, seps: str = " ") -> list[str]:
    """Split text into lines of at most ~width characters at the given separators."""
    lines: list[str] = []
    line = ""
    token = ""
    for ch in text + "\0":
        if ch in seps or ch == "\0":
            piece = token + ("" if ch == "\0" else ch)
            if line and len(line) + len(piece) > width:
                lines.append(line.rstrip())
                line = ""
            line += piece
            token = ""
        else:
            token += ch
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def synthetic_mark(lang: str) -> str:
    """'SYNTETISKA VÄRDEN – inte officiell statistik' in the chart's language."""
    return t("prov.synthetic_mark", lang)


def _lines(source: str, link: str, synthetic: bool, lang: str, width: int) -> list[str]:
    """The exported stamp's lines: synthetic mark, source line and permalink, wrapped."""
    lines: list[str] = []
    if synthetic:
        lines.append(
            f"<b><span style='color:{SYNTHETIC_COLOUR}'>⚠ {synthetic_mark(lang)}</span></b>"
        )
    lines += _wrap(source, width)
    link_lines = _wrap(link, width, seps="&?")
    lines += [
        f"<a href='{link}' style='color:{STAMP_COLOUR}'>{part}</a>" if link.startswith("http")
        else part
        for part in link_lines
    ]  # fmt: skip
    return lines


def _title_at_top(title: Any, height: int | None) -> dict:
    """The title's position: its first line's baseline TITLE_TOP_PX plus its font size below the
    figure's top, further lines below it (plotly.js lays a title's lines out from the first line's
    baseline whatever its anchor, so a title the browser wraps again grows downward)."""
    if not (title and title.text and height):
        return {}
    baseline = TITLE_TOP_PX + ((title.font.size if title.font else None) or TITLE_FONT)
    return {"y": 1 - baseline / height, "yref": "container", "yanchor": "bottom"}


def stamp(
    fig: go.Figure | None, *, source: str, link: str, synthetic: bool, lang: str
) -> go.Figure | None:
    """Attach the source line, permalink and synthetic mark to a figure without taking its space:
    the stamp rides in layout.meta (shown under the chart, added to every export); synthetic
    values also get the watermark inside the plot."""
    if fig is None:
        return None
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    width = int(meta.get("stamp_width", STAMP_WIDTH))
    lines = _lines(source, link, synthetic, lang, width)
    annotation = {
        "text": "<br>".join(lines),
        "x": 0,
        "y": 1,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 4,
        "xshift": int(meta.get("stamp_xshift", 0)),
        "align": "left",
        "showarrow": False,
        "font": {"size": STAMP_FONT, "color": STAMP_COLOUR},
        "name": STAMP_NAME,
    }
    meta[META] = {
        "annotation": annotation,
        "extra": STAMP_LINE_PX * len(lines) + 8,  # the height the exported stamp adds
        "title_top": TITLE_TOP_PX,  # the export's title, as _title_at_top places it
        "title_font": TITLE_FONT,
        "mark": synthetic_mark(lang) if synthetic else "",
        "source": source,
        "link": link,
        "link_label": t("prov.permalink", lang),
    }
    fig.update_layout(meta=meta)
    fig.update_layout(title=_title_at_top(fig.layout.title, fig.layout.height))
    if synthetic:
        fig.add_annotation(
            text=synthetic_mark(lang).split(" – ")[0],
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            textangle=-18,
            opacity=0.13,
            font={"size": 30, "color": SYNTHETIC_COLOUR},
            name="labourdash-watermark",
        )
    return fig


def stamp_of(fig: go.Figure | dict | None) -> dict | None:
    """The stamp a figure carries in its meta (None for an unstamped figure)."""
    if fig is None:
        return None
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
    meta = layout.get("meta")
    return meta.get(META) if isinstance(meta, dict) else None


def for_export(fig: go.Figure | None) -> go.Figure | None:
    """A copy of a stamped figure as it is taken away: the stamp's annotation above the plot, the
    figure taller by the stamp's lines (the plot keeps its size), the title above the stamp.
    What the browser's PNG/SVG export does too (labourdash.js, `stampedFigure`)."""
    if fig is None:
        return None
    out = go.Figure(fig)
    found = stamp_of(out)
    if not found:
        return out
    extra = int(found["extra"])
    margin = out.layout.margin
    top = (margin.t if margin and margin.t is not None else 30) + extra
    height = out.layout.height
    new_height = height + extra if height else None  # the plot keeps its size
    layout: dict[str, Any] = {"margin": {"t": top}, "height": new_height}
    out.update_layout(**layout, title=_title_at_top(out.layout.title, new_height))  # stamp below
    out.add_annotation(**copy.deepcopy(found["annotation"]))
    return out


def stamp_rendered(out: Any, page: str, state: Any, cat: Catalogue, lang: str) -> Any:
    """Stamp every figure of a render.Rendered with the view's source line and permalink."""
    figs = {k: f for k, f in out.figures.items() if f is not None}
    if not figs:
        return out
    sources = provenance.view_sources(state, cat)
    line = provenance.source_line(sources, lang)
    link = permalink(page, state, lang)
    synthetic = bool((sources["synthetic_rows"] > 0).any()) if len(sources) else cat.synthetic
    for key, fig in figs.items():
        out.figures[key] = stamp(fig, source=line, link=link, synthetic=synthetic, lang=lang)
    out.extra.setdefault("source_line", line)
    out.extra.setdefault("permalink", link)
    return out
