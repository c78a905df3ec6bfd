"""What every view's renderer shares: the stamp on its figures, figures skipped for tables, the
explained empty view; and the Data page's render of any registered view's table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import frames, tables, text, theme, viewspec
from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import t
from dashboard.core.viewspec import Rendered
from dashboard.ui import exports
from dashboard.urlstate import DataState

log = logging.getLogger(__name__)


def stamped(page: str) -> Callable:
    """Decorator: every figure of the view carries its source line, permalink and synthetic mark."""

    def wrap(render: Callable[..., Rendered]) -> Callable:
        def inner(state: Any, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
            out = render(state, cat, lang, figures=figures)
            out.headers = tables.with_age_band(out.headers, getattr(state, "age", None), lang)
            if not figures:
                return out
            return exports.stamp_rendered(out, page, state, cat, lang)

        inner.__doc__ = render.__doc__
        inner.__name__ = render.__name__
        inner.__wrapped__ = render  # type: ignore[attr-defined]
        return inner

    return wrap


def year_span(frame: pd.DataFrame | None) -> str:
    """', 1997–2024': the years a chart draws (empty when it draws none)."""
    if frame is None or frame.empty or "year" not in frame:
        return ""
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    return f", {lo}–{hi}" if lo != hi else f", {lo}"


def fig_or_none(
    figures: bool, build: Callable[..., go.Figure], *args: Any, **kwargs: Any
) -> go.Figure | None:
    """Build a figure unless only the table is wanted (the Data page, the downloads)."""
    return build(*args, **kwargs) if figures else None


def empty_reason(reason: str, lang: str, group: Group | None = None) -> str:
    """The explanation shown instead of a chart."""
    detail = t(f"empty.{reason}", lang, group=text.group_phrase(group, lang) if group else "")
    return t("empty", lang, reason=detail)


def missing_units_note(indicator: str | None, lang: str) -> str:
    """' Not loaded: …' naming the refresh units of an indicator that never succeeded (or '')."""
    missing = frames.missing_units(indicator)
    return " " + t("empty.units_missing", lang, units=", ".join(missing)) if missing else ""


def explained(
    reason: str,
    keys: tuple[str, ...],
    *,
    cat: Catalogue,
    state: Any,
    groups: list[Group],
    lang: str,
    table: pd.DataFrame,
    headers: dict[str, str],
    notes: list[str],
    filename: str,
    extra: dict[str, Any] | None = None,
) -> Rendered:
    """A view with no data: every chart replaced by a figure that says why (never a blank chart)."""
    msg = empty_reason(reason, lang, frames.missing_group(cat, state.indicator, state.age, groups))
    msg += missing_units_note(getattr(state, "indicator", None), lang)
    ind = cat.indicator_name(state.indicator, lang) if hasattr(state, "indicator") else ""
    title = f"{ind} {text.age_band(state.age, lang)}" if ind and hasattr(state, "age") else ind
    return Rendered(
        {k: theme.empty_figure(theme.wrap(msg), lang, title=title) for k in keys},
        dict.fromkeys(keys, msg), table, headers, notes,
        extra=extra or {}, filename=filename,
    )  # fmt: skip


def render_data(state: DataState, cat: Catalogue, lang: str) -> Rendered:
    """The table and summary of the chosen view, without its figures (the Data page)."""
    return viewspec.view(state.view).render(state.inner, cat, lang, figures=False)
