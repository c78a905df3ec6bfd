"""LUA page: comparison lines, ranked districts vs municipality, derived flag in hover and CSV, URL."""

from __future__ import annotations

import csv
import io

import pytest
from dashboard_fixture import sql


@pytest.fixture
def page(dash_env):
    from dashboard.views.lua import page as lua

    return lua


def test_comparison_shows_the_four_lines_from_the_warehouse(dash_env, page) -> None:
    comp, summary, rank, rank_summary, notes, rows, defs = page.render_lua(
        "employment_rate", "women", "total", 2024, "en"
    )
    names = [t.name for t in comp.data]
    assert len(names) == 4 and names[0] == "The 17 LUA districts of Stockholm county"
    expected = {
        y: v
        for y, v in sql(
            "SELECT year, value FROM mart.observation WHERE area_code = 'lua_stockholm_rest' AND "
            "indicator = 'employment_rate' AND sex = 'women' AND birth_region = 'total' AND "
            "age = '20-64'"  # SCB's district tables to 2018, then the RegSO era
        )
    }
    rest = comp.data[2]
    assert dict(zip(rest.x, rest.y, strict=True)) == expected
    assert "2024" in summary and "LUA" in summary
    assert "synthetic" in rest.hovertext[0]


def test_ranked_districts_with_their_municipality(dash_env, page) -> None:
    _comp, _s, rank, rank_summary, *_ = page.render_lua(
        "unemployment_rate", "total", "total", 2022, "sv"
    )
    bars, munis = rank.data
    assert len(bars.y) == 17
    assert list(bars.x) == sorted(bars.x)  # ranked
    got = dict(zip(bars.y, bars.x, strict=True))
    want = dict(
        sql(
            "SELECT a.name_sv, o.value FROM mart.observation o JOIN mart.area a USING (area_code) "
            "WHERE a.level = 'regso_set' AND o.indicator = 'unemployment_rate' AND o.year = 2022 "
            "AND o.sex = 'total' AND o.birth_region = 'total' AND o.age = '20-64'"
        )
    )
    assert got == want
    hovsjo = list(bars.y).index("Hovsjö (LUA)")
    sodertalje = sql(
        "SELECT value FROM mart.observation WHERE area_code = '0181' AND year = 2022 AND "
        "indicator = 'unemployment_rate' AND sex = 'total' AND birth_region = 'total' AND age = '20-64'"
    )[0][0]
    assert munis.x[hovsjo] == sodertalje
    assert "2022" in rank_summary


def test_derived_flag_reaches_hover_and_csv(dash_env, page) -> None:
    comp, _s, rank, *_ = page.render_lua("longterm_unemployed_share", "women", "total", 2024, "en")
    assert any("derived: share × population" in h for h in comp.data[0].hovertext)
    hover = dict(zip(rank.data[0].y, rank.data[0].hovertext, strict=True))
    assert "derived" in hover["Alby (LUA)"]  # several RegSO areas: rebuilt from shares
    assert "derived" not in hover["Rinkeby (LUA)"]  # one RegSO area: SCB's own figure
    download = page.download_csv(1, "longterm_unemployed_share", "women", "total", 2024, "en")
    rows = list(csv.DictReader(io.StringIO(download["content"].lstrip("\ufeff"))))
    alby = [r for r in rows if r["Code"] == "lua_alby" and r["Year"] == "2024"]
    assert alby and alby[0]["Derived"] == "yes"
    assert alby[0]["Method"].startswith("derived")
    assert alby[0]["Source"] == "Source: SCB"  # in the page language
    direct = page.download_csv(1, "employment_rate", "total", "total", 2024, "en")
    rows = list(csv.DictReader(io.StringIO(direct["content"].lstrip("\ufeff"))))
    in_2024 = {r["Derived"] for r in rows if r["Code"].startswith("lua_") and r["Year"] == "2024"}
    assert in_2024 == {"no"}  # TAB6680's counts, summed: no share x population in 2024


def test_no_value_for_birth_regions_says_why(dash_env, page) -> None:
    comp, _s, rank, _rs, notes, rows, _defs = page.render_lua(
        "employment_rate", "total", "rest_of_world", 2024, "en"
    )
    # a district of several RegSO areas has no population for the finer birth regions
    alby = [r for r in rows if r["area_code"] == "lua_alby" and r["year"] == 2024]
    assert all(r["value"] is None for r in alby)
    assert not any(t.name and "Alby" in t.name for t in comp.data)


def test_url_state_is_validated(dash_env, page) -> None:
    from dashboard.core import queries
    from dashboard.views.lua.view import parse_lua

    cat = queries.catalogue()
    state, problems = parse_lua({"ind": "nope", "sex": "x", "year": "1800"}, cat)
    assert state.indicator == "employment_rate" and state.sex == "total"
    assert {p.param for p in problems} == {"ind", "sex", "year"}
    state, problems = parse_lua({"ind": "unemployment_rate", "sex": "men", "year": "2021"}, cat)
    assert not problems and state.to_query() == {
        "ind": "unemployment_rate",
        "sex": "men",
        "birth": "total",
        "year": 2021,
    }
    layout = page.layout(ind="unemployment_rate", lang="en")
    assert "The LUA districts" in str(layout)


def test_map_level_of_districts(dash_env) -> None:
    from dashboard.core import queries
    from dashboard.views.map.state import parse_map

    cat = queries.catalogue()
    state, problems = parse_map(
        {"level": "regso_set", "colour": "value", "group": "total.total"}, cat
    )
    assert not problems and state.level == "regso_set"
    fig = dash_env.map.render_map(
        "employment_rate",
        "20-64",
        "regso_set",
        "0180",
        "value",
        "fw_sw",
        "total.total",
        2024,
        None,
        None,  # no county focus
        "en",
    )
    out = fig[0]
    locations = set()
    for trace in out.data:
        found = getattr(trace, "locations", None)
        locations |= set(found) if found is not None else set()
    assert {"lua_alby", "lua_tensta"} <= locations
    shapes = sql("SELECT count(*) FROM mart.area_geometry WHERE level = 'regso_set'")[0][0]
    assert shapes == 17


def test_trends_draw_lua_areas_by_sex(dash_env) -> None:
    from dashboard.core import queries
    from dashboard.urlstate import parse_trends
    from dashboard.views.trends import render as trends_render

    cat = queries.catalogue()
    state, problems = parse_trends({"areas": "lua_alby,lua_stockholm,01", "birth": "all"}, cat)
    assert not problems and state.areas == ("lua_alby", "lua_stockholm", "01")
    out = trends_render.render_trends(state, cat, "en")
    want = dict(
        sql(
            "SELECT year, value FROM mart.observation WHERE area_code = 'lua_alby' AND "
            "indicator = 'employment_rate' AND sex = 'women' AND birth_region = 'total' "
            "AND age = '20-64'"
        )
    )
    drawn = {}  # one trace per series either side of the 2018/2020 break
    for trace in out.figures["lines"].data:
        if trace.name == "Women" and trace.xaxis in (None, "x"):  # Alby's panel, the first
            drawn.update({int(x): y for x, y in zip(trace.x, trace.y, strict=True)})
    assert drawn == want
    # on 20-64 the district's birth-region groups end with SCB's district table (2018); the
    # RegSO era's rebuilt groups are 20-65
    summary = out.summaries["lines"]
    assert summary.startswith("2018: ") and "Alby (LUA)" in summary


def test_data_view_lists_districts_with_the_derived_flag(dash_env) -> None:
    from dashboard import render
    from dashboard.core import queries
    from dashboard.urlstate import parse_data

    cat = queries.catalogue()
    query = {"view": "map", "level": "regso_set", "colour": "value", "group": "women.total",
             "ind": "longterm_unemployed_share"}  # fmt: skip
    state, problems = parse_data(query, cat)
    assert not problems
    out = render.render_data(state, cat, "en")
    assert len(out.table) == 17
    # single-RegSO districts carry SCB's own figure, the others are rebuilt (derived)
    assert set(out.table.status) == {"Derived (share × population)", "ok"}
