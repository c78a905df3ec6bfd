"""The Explore view: the gap against another indicator for every municipality."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.explore.render import render_explore, scopes
from dashboard.views.explore.state import ExploreState, parse_explore

VIEW = ViewSpec(
    name="explore", path="/explore", nav=4, parse=parse_explore, render=render_explore,
    state_type=ExploreState, shared=("area", "ind", "age", "year", "gap"), data_view=True,
    municipality_view=True, scopes=scopes,
)  # fmt: skip
