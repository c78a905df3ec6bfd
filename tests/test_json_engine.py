"""orjson is installed and is the engine Plotly and Dash encode callback outputs with."""

from __future__ import annotations

import json

import orjson
import plotly.graph_objects as go
from dash._utils import to_json


def test_dash_encodes_figures_with_orjson(monkeypatch):
    calls = []
    real = orjson.dumps

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(orjson, "dumps", spy)
    fig = go.Figure(data=[{"type": "scatter", "x": [2020, 2021], "y": [70.5, None]}])
    body = to_json({"response": {"graph": {"figure": fig}}})
    assert calls, "Plotly's JSON engine did not call orjson"
    assert json.loads(body)["response"]["graph"]["figure"]["data"][0]["y"] == [70.5, None]
