"""Charts a user takes away, stamped: the source line, the view's permalink and (for synthetic
values) the synthetic mark as figure annotations, so the toolbar's PNG/SVG and `Plotly.toImage`
carry them."""

from __future__ import annotations

import logging
from typing import Any

import plotly.graph_objects as go

from dashboard import provenance
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.ui.permalink import permalink

log = logging.getLogger(__name__)

STAMP_FONT = 11
STAMP_LINE_PX = 15
TITLE_TOP_PX = 8
TITLE_LINE_PX = 20
STAMP_WIDTH = 54  # characters per stamp line: fits a 390 px phone card at 11 px beside the tool bar
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


def stamp(
    fig: go.Figure | None, *, source: str, link: str, synthetic: bool, lang: str
) -> go.Figure | None:
    """Add source line, permalink and synthetic mark to a figure (annotations above the plot)."""
    if fig is None:
        return None
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    width = int(meta.get("stamp_width", STAMP_WIDTH))
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
    extra = STAMP_LINE_PX * len(lines) + 8
    margin = fig.layout.margin
    top = (margin.t if margin and margin.t is not None else 30) + extra
    height = fig.layout.height
    new_height = height + extra if height else None  # the plot keeps its size
    title = fig.layout.title.text if fig.layout.title else None
    layout: dict[str, Any] = {"margin": {"t": top}, "height": new_height}
    if title and new_height:
        # the title's middle at a fixed distance from the top; the stamp goes below it
        n = str(title).count("<br>") + 1
        middle = TITLE_TOP_PX + TITLE_LINE_PX * n / 2
        layout["title"] = {"y": 1 - middle / new_height, "yref": "container", "yanchor": "middle"}
    fig.update_layout(**layout)
    fig.add_annotation(
        text="<br>".join(lines),
        x=0,
        y=1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        yshift=4,
        xshift=int(meta.get("stamp_xshift", 0)),
        align="left",
        showarrow=False,
        font={"size": STAMP_FONT, "color": STAMP_COLOUR},
        name="labourdash-stamp",
    )
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
