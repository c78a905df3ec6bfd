"""Every view's figures pass Plotly's validation (the app builds them without it, theme.figure)."""

from __future__ import annotations

import importlib

import plotly.graph_objects as go
import pytest

MAP = ("employment_rate", "20-64")


def outputs(env) -> dict[str, tuple]:
    """The outputs of each page callback for one view state (figures and texts)."""
    explain = importlib.import_module("dashboard.views.explain.page")
    lua = importlib.import_module("dashboard.views.lua.page")
    return {
        "map gap": env.map.render_map(*MAP, "municipality", "0180", "gap", "fw_sw",
                                      "women.foreign", 2024, "0180", None, "sv"),
        "map value, county focus": env.map.render_map(*MAP, "municipality", "0127", "value",
                                                      "fw_sw", "women.foreign", 2024, "0127",
                                                      "01", "en"),
        "map regso": env.map.render_map(*MAP, "regso", "0180", "gap", "fw_sw", "women.foreign",
                                        2024, None, None, "sv"),
        "trends": env.trends.render_trends(["0127", "01", "00"], *MAP, "fw_sw", "main", "split",
                                           "sv"),
        "peers": env.peers.render_peers("0127", "similar", [], *MAP, "fw_sw", 2024, 2020, "sv"),
        "explore": env.explore.render_explore(*MAP, "fw_sw", "foreign_born_share", 2024, "0127",
                                              "similar", "en"),
        "explain": explain.render_explain("0127", "fw_sw", 2024, "similar", "standardised", "en"),
        "lua": lua.render_lua("unemployment", "open_unemployed_share", "women", "total", "lua_alby", 2018, "en"),
        "lua district": lua.render_lua("district", "employment_rate", "women", "foreign", "lua_alby", 2024, "sv"),
        "lua rank": lua.render_lua("rank", "employment_rate", "women", "total", "lua_alby", 2024, "en"),
    }  # fmt: skip


def test_every_view_figure_is_valid_plotly(dash_env):
    seen = 0
    for view, out in outputs(dash_env).items():
        for fig in (o for o in out if isinstance(o, go.Figure)):
            spec = fig.to_dict()
            try:
                checked = go.Figure(spec)  # validates every property; raises on a bad one
            except ValueError as err:  # pragma: no cover - the message names the property
                pytest.fail(f"{view}: {str(err).splitlines()[0]}")
            assert len(checked.data) == len(fig.data), view
            seen += 1
    assert seen >= 10  # every view drew its charts


def test_trace_arrays_are_plain_lists_that_orjson_encodes(dash_env):
    import orjson

    out = dash_env.trends.render_trends(["0127"], *MAP, "fw_sw", "main", "split", "sv")
    spec = out[0].to_plotly_json()
    drawn = [t for t in spec["data"] if t.get("mode") == "lines+markers"]
    assert drawn and all(isinstance(t["y"], list) and isinstance(t["text"], list) for t in drawn)
    body = orjson.loads(orjson.dumps(spec))  # a TypeError if a numpy object array were left
    assert body["data"][-1]["y"] == drawn[-1]["y"] and body["data"][-1]["text"] == drawn[-1]["text"]
