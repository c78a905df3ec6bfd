"""The Map view: a choropleth of the chosen level, year and gap or value, zoomable to a county."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.map.render import render_map, scopes
from dashboard.views.map.state import MapState, parse_map

VIEW = ViewSpec(
    name="map", path="/", nav=0, parse=parse_map, render=render_map, state_type=MapState,
    shared=("area", "focus", "ind", "age", "year", "gap"), data_view=True, scopes=scopes,
)  # fmt: skip
