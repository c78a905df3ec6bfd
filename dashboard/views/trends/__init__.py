"""The Trends view: each group's line over the years with the gap shaded, and the gap per area."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.trends.render import render_trends, scopes
from dashboard.views.trends.state import TrendsState, parse_trends

VIEW = ViewSpec(
    name="trends", path="/trends", nav=2, parse=parse_trends, render=render_trends,
    state_type=TrendsState, shared=("area", "ind", "age", "gap"), data_view=True, scopes=scopes,
)  # fmt: skip
