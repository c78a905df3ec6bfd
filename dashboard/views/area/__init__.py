"""The area profile: one area's gaps, ranks, trend and comparators on one page, and its PDF."""

from dashboard.core.viewspec import ViewSpec
from dashboard.views.area.state import PATH

VIEW = ViewSpec(name="area", path=PATH, nav=1, shared=("area",), exports=False)
