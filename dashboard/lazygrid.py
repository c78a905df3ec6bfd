"""The data grid's script loads when a grid is about to be seen, not with every page.

dash_ag_grid's main script (1.3 MB) is one of the page's scripts by default, although the grids sit
in closed "Table" sections on every view but Data. Here it is marked `dynamic` (Dash serves it but
leaves it out of the page) and its fingerprinted URL goes into a `<meta>` tag; the asset
`grid-on-demand.js` stands in for `dash_ag_grid.AgGrid` and adds the script when a grid nears the
screen. The first chart never waits for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash_ag_grid
from dash import Dash
from dash.fingerprint import build_fingerprint

log = logging.getLogger(__name__)

MAIN_SCRIPT = "dash_ag_grid.min.js"
META_NAME = "labourdash-grid-src"


def _main_entry() -> dict:
    entries = [e for e in dash_ag_grid._js_dist if e.get("relative_package_path") == MAIN_SCRIPT]  # noqa: SLF001
    if len(entries) != 1:
        raise RuntimeError(f"dash_ag_grid no longer lists {MAIN_SCRIPT} once among its scripts")
    return entries[0]


def script_url(app: Dash) -> str:
    """The fingerprinted URL Dash serves the grid's main script at (cacheable for a year)."""
    path = Path(dash_ag_grid.__file__).with_name(MAIN_SCRIPT)
    fingerprint = build_fingerprint(
        MAIN_SCRIPT, dash_ag_grid.__version__, int(path.stat().st_mtime)
    )
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/dash_ag_grid/{fingerprint}"


def install(app: Dash) -> None:
    """Take the grid's script out of the page and tell grid-on-demand.js where it is."""
    entry = _main_entry()
    entry["dynamic"] = True  # still registered and served, no longer a <script> of the page
    app.config.meta_tags.append({"name": META_NAME, "content": script_url(app)})
    log.debug("grid script on demand: %s", script_url(app))
