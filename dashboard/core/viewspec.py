"""What a view is, and the registry of views: `ViewSpec` (declared by each view folder), `Rendered`.

Each folder under `dashboard/views/` declares one `VIEW = ViewSpec(...)`; `dashboard/views/__init__.py`
registers them here, in navigation order (as `dash.register_page` fills `dash.page_registry`).
The generic modules (URL state, rendering, provenance, exports, the shell's navigation) look a view
up here by name or by its state's type, so none of them imports a view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query

Parser = Callable[[Query, Catalogue], tuple[Any, list[Problem]]]
Renderer = Callable[..., "Rendered"]  # (state, cat, lang, *, figures=True) -> Rendered


@dataclass
class Rendered:
    """Outputs of one view."""

    figures: dict[str, go.Figure]
    summaries: dict[str, str]
    table: pd.DataFrame
    headers: dict[str, str]
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    filename: str = "labourdash"


@dataclass(frozen=True)
class ViewSpec:
    """One view: its path, names, URL state, renderer and place in the navigation."""

    name: str  # the registry key; the names are the texts "nav.<name>" (sv/en)
    path: str  # "/" + name, except the home view's "/"
    nav: int | None = None  # place in the navigation (None: not in it)
    parse: Parser | None = None  # query → (state, problems)
    render: Renderer | None = None  # state → Rendered (figures=False: the table only)
    state_type: type | None = None  # the type parse returns
    shared: tuple[str, ...] = ()  # parameters the view takes from another view's selection
    data_view: bool = False  # the Data page can show its table
    municipality_view: bool = False  # its "area" must be a municipality (or a RegSO area)
    exports: bool = True  # its table has one download per export format
    scopes: Callable[[Any, Catalogue], list] | None = None  # state → provenance.Scope list

    @property
    def name_key(self) -> str:
        """The text key of the view's name (Swedish and English in core/text)."""
        return f"nav.{self.name}"


REGISTRY: dict[str, ViewSpec] = {}


def register(spec: ViewSpec) -> ViewSpec:
    """Add a view to the registry (a second view on its name or path is refused)."""
    clash = [s.name for s in REGISTRY.values() if s.path == spec.path and s.name != spec.name]
    if clash:
        raise ValueError(f"view {spec.name!r}: path {spec.path} already belongs to {clash[0]!r}")
    REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a view (a test-only view, after its test)."""
    REGISTRY.pop(name, None)


def view(name: str) -> ViewSpec:
    """The registered view of a name."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise LookupError(f"no view named {name!r} (import dashboard.views first)") from None


def views() -> list[ViewSpec]:
    """Every registered view, in navigation order (views outside the navigation last)."""
    return sorted(REGISTRY.values(), key=lambda s: (s.nav is None, s.nav or 0, s.name))


def nav_views() -> list[ViewSpec]:
    """The views of the navigation, in order."""
    return [s for s in views() if s.nav is not None]


def data_views() -> list[str]:
    """The views whose tables the Data page shows."""
    return [s.name for s in views() if s.data_view]


def view_of_state(state: Any) -> ViewSpec | None:
    """The view whose parser makes states of this type."""
    return next(
        (s for s in REGISTRY.values() if s.state_type and isinstance(state, s.state_type)), None
    )
