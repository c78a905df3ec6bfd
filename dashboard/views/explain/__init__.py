"""The Explain view: the gap decomposed into composition and rates, and the difference from
expected (its state says its own provenance scopes)."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.explain.view import ExplainState, parse_explain, render_explain

VIEW = ViewSpec(
    name="explain", path="/explain", nav=5, parse=parse_explain, render=render_explain,
    state_type=ExplainState, shared=("area", "year", "gap"), data_view=True,
)  # fmt: skip
