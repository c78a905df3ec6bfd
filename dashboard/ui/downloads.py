"""The CSV and xlsx download callbacks of every view, registered by one helper per page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State

from dashboard.core import queries
from dashboard.ui import exports
from dashboard.ui.components import format_id
from dashboard.ui.sync import PageSpec, state_from_controls

log = logging.getLogger(__name__)

Build = Callable[..., dict]  # build(fmt, *state values) -> dcc.Download data


def register_downloads(
    csv_button: str, download: str, states: list[State], build: Build
) -> dict[str, Callable[..., dict]]:
    """One callback per export format: its button → `build(fmt, *states)`; returns them by format."""
    made = {}
    for fmt in exports.FORMATS:
        button = format_id(csv_button, fmt)
        target = format_id(download, fmt)

        def download_table(n_clicks: int, *values: Any, _fmt: str = fmt) -> dict:
            """The table shown, with source and synthetic columns and the view URL (CSV or xlsx)."""
            return build(_fmt, *values)

        download_table.__name__ = f"download_{fmt}_{csv_button.replace('-', '_')}"
        made[fmt] = (
            dash.callback(
                Output(target, "data"), Input(button, "n_clicks"), *states,
                prevent_initial_call=True,
            )(download_table)
        )  # fmt: skip
    return made


def register_view_downloads(
    page: str, spec: PageSpec, csv_button: str, download: str, lang_store: str
) -> dict[str, Callable[..., dict]]:
    """A view's downloads: its controls' values → its table, without figures (exports.view_download)."""

    def build(fmt: str, *args: Any) -> dict:
        *values, lang = args
        cat = queries.catalogue()
        state, _ = state_from_controls(spec, values, cat)
        return exports.view_download(fmt, page, state, cat, lang)

    states = [State(cid, spec.prop(cid)) for cid in spec.control_ids]
    return register_downloads(csv_button, download, [*states, State(lang_store, "data")], build)
