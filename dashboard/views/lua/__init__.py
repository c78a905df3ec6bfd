"""The LUA view: Stockholm's local development districts against the county and the country
(its state says its own provenance scopes)."""

from dashboard.core.queries import Catalogue
from dashboard.core.viewspec import Rendered, ViewSpec
from dashboard.views.lua.render import render_lua
from dashboard.views.lua.state import LuaState, parse_lua


def render_view(state: LuaState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """The LUA view rendered (figures=False: its table and summaries only)."""
    return render_lua(state, cat, lang, figures_too=figures)


VIEW = ViewSpec(
    name="lua", path="/lua", nav=6, parse=parse_lua, render=render_view, state_type=LuaState,
    shared=("ind", "year"), data_view=True,
)  # fmt: skip
