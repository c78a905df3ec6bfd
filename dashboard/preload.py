"""Preload hints in the page's head: what the first chart needs starts with the HTML, not after.

Without them the browser asks for Dash's layout and callback list only once every script has run,
and for the map's shapes only once the figure has arrived: two round trips in a row on the way to
the first chart. `<link rel=preload as=fetch crossorigin>` matches the same-origin fetch Dash and
Plotly make later (mode cors, same-origin credentials), so each file still travels once.
"""

from __future__ import annotations

import logging
from html import escape

import flask
from dash import Dash

from dashboard.core import geo, queries, viewspec

log = logging.getLogger(__name__)

DASH_GETS = ("_dash-layout", "_dash-dependencies")
# dcc's lazily loaded parts: asked for only once a graph, dropdown or slider is first drawn
DCC_CHUNKS = ("async-graph.js", "async-dropdown.js", "async-slider.js")
WORLD = "topojson/world_110m.json"  # Plotly's geo maps fetch it before drawing (tiny, see assets)


def map_shapes(query: dict[str, str]) -> str | None:
    """The shapes URL the map page at this query will draw (None when it cannot be known)."""
    try:
        state, _ = viewspec.view("map").parse(query, queries.catalogue())
        municipality = state.municipality if state.level == "regso" else None
        return geo.url(state.level, municipality)
    except Exception:  # no warehouse, odd query: the page explains; no hint
        log.debug("no shapes hint for %s", query, exc_info=True)
        return None


def hints(prefix: str, path: str, query: dict[str, str]) -> list[str]:
    """The URLs to fetch early for a page: Dash's layout and callbacks, the map's shapes."""
    urls = [f"{prefix}{name}" for name in DASH_GETS]
    if path.removeprefix(prefix.rstrip("/")) in ("", viewspec.view("map").path):
        shapes = map_shapes(query)
        urls += [f"{prefix}assets/{WORLD}", *([shapes] if shapes else [])]
    return urls


def scripts(prefix: str) -> list[str]:
    """dcc's lazy script parts every page draws (a graph, and dropdowns or a slider)."""
    return [f"{prefix}_dash-component-suites/dash/dcc/{name}" for name in DCC_CHUNKS]


def tags(fetches: list[str], chunks: list[str]) -> str:
    """The `<link rel=preload>` tags: fetches as Dash and Plotly ask, chunks as scripts."""
    return "".join(
        [f'<link rel="preload" href="{escape(u)}" as="fetch" crossorigin="anonymous">' for u in fetches]
        + [f'<link rel="preload" href="{escape(u)}" as="script">' for u in chunks]
    )  # fmt: skip


def install(app: Dash) -> None:
    """Put the hints at the head of every page Dash serves."""
    plain = app.interpolate_index
    prefix = app.config.requests_pathname_prefix

    def interpolate_index(**kwargs: str) -> str:
        request = flask.request
        head = tags(hints(prefix, request.path, request.args.to_dict()), scripts(prefix))
        return plain(**{**kwargs, "metas": kwargs.get("metas", "") + head})

    app.interpolate_index = interpolate_index
