"""County view: map focus, ranked municipalities, county/country reference lines."""

from __future__ import annotations

import pytest

from tests.dashboard_fixture import gap, sql

MAP = ("employment_rate", "20-64", "municipality", "1280", "gap", "fw_sw", "women.foreign")


def stockholm() -> set[str]:
    return {
        r[0]
        for r in sql(
            "SELECT area_code FROM mart.area WHERE level = 'municipality' AND county_code = '01'"
        )
    }


def test_focus_is_a_url_parameter_validated_against_counties_and_la_regions(cat):
    from dashboard.views.map.state import parse_map

    state, problems = parse_map({"focus": "01"}, cat)
    assert state.focus == "01" and not problems and state.to_query()["focus"] == "01"
    state, problems = parse_map({"focus": "LA2401"}, cat)
    assert state.focus == "LA2401" and not problems
    state, problems = parse_map({"focus": "1280"}, cat)  # a municipality is no focus
    assert state.focus is None and problems[0].param == "focus"


def test_focused_map_ranked_bars_and_references_come_from_the_warehouse(dash_env):
    out = dash_env.map.render_map(*MAP, 2024, "0127", "01", "sv")
    fig, rank, summary = out[0], out[-2], out[-1]
    drawn = {c for t in fig.data if t.type == "choropleth" for c in t.locations}
    assert drawn == stockholm()
    names = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "text")
    assert "Botkyrka" in names.text and set(names.customdata) <= stockholm()
    assert len(names.text) >= len(stockholm()) / 2  # names that would overlap are left to the hover
    bars = rank.data[0]
    assert set(bars.customdata) == stockholm()
    assert list(bars.x) == sorted(bars.x)  # the largest gap (most negative) on top
    assert bars.x[list(bars.customdata).index("0127")] == pytest.approx(gap("0127", 2024), abs=0.01)
    assert bars.marker.color[list(bars.customdata).index("0127")] != bars.marker.color[0] or (
        bars.customdata[0] == "0127"
    )  # the selected municipality stands out
    lines = {round(s.x0, 2) for s in rank.layout.shapes}
    assert round(gap("01", 2024), 2) in lines and round(gap("00", 2024), 2) in lines
    assert "Stockholms län" in summary and "Riket" in summary


def test_bar_click_selects_the_municipality(dash_env):
    from dashboard.ui import ids, sync

    values = [*MAP, 2024, None, "01"]
    search, controls, _, shared = sync.sync(
        dash_env.map.SPEC, ids.MAP_RANK_GRAPH, "", values, "sv", {"area": "0127"}
    )
    assert "area=0127" in search and "focus=01" in search
    assert shared["shared"]["area"] == "0127"
    point = {"points": [{"customdata": "0127", "y": "Botkyrka"}]}
    assert dash_env.map.clicked_area(point) == "0127"


def test_trends_and_peers_draw_county_and_country_reference_lines(dash_env):
    trends = dash_env.trends.render_trends(
        ["0127"], "employment_rate", "20-64", "fw_sw", "main", "split", "sv"
    )
    gap_fig = trends[2]
    refs = {t.name: t for t in gap_fig.data if t.legendgroup and t.legendgroup.startswith("ref-")}
    assert set(refs) == {"Stockholms län", "Riket"}
    country = refs["Riket"]
    y2024 = [y for x, y in zip(country.x, country.y, strict=True) if x == 2024][0]
    assert y2024 == pytest.approx(gap("00", 2024), abs=0.01)
    peers = dash_env.peers.render_peers(
        "0127", "similar", [], "employment_rate", "20-64", "fw_sw", 2024, 2020, "sv"
    )
    slope = next(f for f in peers if hasattr(f, "data") and any(t.name == "Riket" for t in f.data))
    county = next(t for t in slope.data if t.name == "Stockholms län")
    assert list(county.x) == ["2020", "2024"]
    assert county.y[1] == pytest.approx(gap("01", 2024), abs=0.01)
