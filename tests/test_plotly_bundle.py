"""The partial Plotly.js bundle holds every trace type the dashboard draws, and is the one served."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from tests.test_figure_validity import outputs

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "dashboard" / "plotly_bundle.json"
BUNDLE = ROOT / "dashboard" / "assets" / "plotly-labourdash.min.js"
TRACES_LIST = ROOT / "scripts" / "plotly-bundle" / "traces.txt"
SOURCES = [*sorted((ROOT / "dashboard").rglob("*.py"))]


def bundle_traces() -> set[str]:
    """The trace types the built bundle registers (each trace module names itself once)."""
    text = BUNDLE.read_text("utf-8")
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', text))


def is_trace_type(name: str) -> bool:
    """True when Plotly knows `name` as a trace type (not a shape, axis or projection type)."""
    try:
        go.Figure({"data": [{"type": name}]})
    except ValueError:
        return False
    return True


def source_traces() -> dict[str, str]:
    """Trace types named in the dashboard's code: go.<Trace>( constructors and "type": "<trace>"."""
    found: dict[str, str] = {}
    for path in SOURCES:
        text = path.read_text("utf-8")
        names = {m.lower() for m in re.findall(r"\bgo\.([A-Z][a-z0-9]+)\(", text)}
        names |= set(re.findall(r'"type":\s*"([a-z0-9]+)"', text))
        names |= set(re.findall(r'\btype="([a-z0-9]+)"', text))
        for name in names:
            if name not in ("figure", "layout") and is_trace_type(name):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_the_bundle_is_the_one_its_manifest_describes():
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    data = BUNDLE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"], (
        "rebuild: scripts/build-plotly-bundle.sh"
    )
    assert len(data) == manifest["bytes"]
    listed = [ln.strip() for ln in TRACES_LIST.read_text("utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")]  # fmt: skip
    assert manifest["traces"] == listed
    assert bundle_traces() == set(listed)  # exactly the listed types, no more
    assert data.startswith(f"/* plotly.js v{manifest['plotly.js']}".encode())


def test_every_trace_type_in_the_code_is_in_the_bundle():
    found = source_traces()
    assert {"scatter", "bar", "choropleth", "scattergeo"} <= set(found)  # the scan finds them
    missing = {name: where for name, where in found.items() if name not in bundle_traces()}
    assert not missing, f"add to scripts/plotly-bundle/traces.txt and rebuild: {missing}"


def test_every_figure_the_views_draw_uses_only_bundled_traces(dash_env):
    bundled = bundle_traces()
    seen: set[str] = set()
    for view, out in outputs(dash_env).items():
        for fig in (o for o in out if isinstance(o, go.Figure)):
            types = {t.type or "scatter" for t in fig.data}
            missing = types - bundled
            assert not missing, f"{view} draws {sorted(missing)}, which the Plotly bundle lacks"
            seen |= types
    assert {"scatter", "choropleth"} <= seen  # the walk reached the charts and the map


def test_the_page_loads_the_bundle_and_not_the_full_plotly(dash_env):
    html = dash_env.app.server.test_client().get("/").get_data(as_text=True)
    assert "/assets/plotly-labourdash.min.js?m=" in html
    assert "plotly.min.js" not in html


@pytest.mark.parametrize("name", ["sankey", "scattermap", "heatmap"])
def test_a_trace_type_left_out_is_reported(name):
    assert is_trace_type(name) and name not in bundle_traces()
