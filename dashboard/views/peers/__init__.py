"""The Peers view: a municipality's gap ranked among its peers, and how the gap moved since."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.peers.render import render_peers, scopes
from dashboard.views.peers.state import PeersState, parse_peers

VIEW = ViewSpec(
    name="peers", path="/peers", nav=3, parse=parse_peers, render=render_peers,
    state_type=PeersState, shared=("area", "ind", "age", "year", "gap"), data_view=True,
    municipality_view=True, scopes=scopes,
)  # fmt: skip
