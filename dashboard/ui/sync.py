"""Keeps a page's controls and its query string in step (both directions, one validation path)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dash import no_update

from dashboard.core import queries
from dashboard.core.queries import Catalogue
from dashboard.ui import choices, components
from dashboard.urlstate import (
    Problem,
    controls_to_query,
    parse_search,
    shared_params,
    to_search,
    with_lang,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    """How a page's controls map to query parameters and back."""

    page: str
    params: Sequence[tuple[str, str]]  # (control id, query parameter), in callback order
    parse: Callable[[dict, Catalogue], tuple[Any, list[Problem]]]
    to_controls: Callable[[Any], list[Any]]  # state → control values, in params order
    props: tuple[tuple[str, str], ...] = ()  # control id → property when it is not "value"
    # page-specific repair of a control-made query (after choices.repair), e.g. the map's years
    fix: Callable[[dict, Catalogue], dict] | None = None

    @property
    def control_ids(self) -> list[str]:
        """Control ids in callback order."""
        return [c for c, _ in self.params]

    def prop(self, control_id: str) -> str:
        """The property of a control that holds its value."""
        return dict(self.props).get(control_id, "value")


def state_from_controls(
    spec: PageSpec, values: Sequence[Any], cat: Catalogue
) -> tuple[Any, list[Problem]]:
    """Validated state from control values (same rules as for a URL)."""
    return spec.parse(controls_to_query(spec.params, values), cat)


def shared_data(spec: PageSpec, state: Any, lang: str) -> dict[str, Any]:
    """What the navigation needs: shared parameters, the page and its full query."""
    return {
        "page": spec.page,
        "lang": lang,
        "shared": shared_params(state),
        "query": state.to_query(),
    }


def sync(
    spec: PageSpec,
    triggered: str | None,
    search: str | None,
    values: Sequence[Any],
    lang: str,
    override: dict[str, Any] | None = None,
) -> tuple[Any, list[Any], Any, Any]:
    """(search, control values, message, shared) after a URL change or a control change.

    A URL change (page load, back/forward) sets the controls; a control change (or an override such
    as a map click) writes the URL. Unchanged outputs are no_update, so nothing loops.
    """
    cat = queries.catalogue()
    n = len(spec.params)
    if triggered in spec.control_ids or override:
        query = controls_to_query(spec.params, values)
        query.update(override or {})
        # a control change picks the nearest valid choice silently (never a URL-error message)
        query = choices.repair(query, cat, spec.page)
        if spec.fix is not None:
            query = spec.fix(query, cat)
        state, problems = spec.parse(query, cat)
        problems = [p for p in problems if p.kind in choices.KEEP_KINDS]
        new_search = to_search(with_lang(state.to_query(), lang))
        fixed = spec.to_controls(state)
        controls = [v if v != cur else no_update for v, cur in zip(fixed, values, strict=True)]
        msg = components.message(problems, lang) if problems else []
        out_search = new_search if new_search != (search or "") else no_update
        return out_search, controls, msg, shared_data(spec, state, lang)
    state, problems = spec.parse(parse_search(search), cat)
    fixed = spec.to_controls(state)
    controls = [v if v != cur else no_update for v, cur in zip(fixed, values, strict=True)]
    return (
        no_update,
        controls if n else [],
        components.message(problems, lang),
        shared_data(spec, state, lang),
    )
