"""LUA page: comparison lines, ranked districts vs municipality, derived flag in hover and CSV, URL."""

from __future__ import annotations

import csv
import io

import dash
import pandas as pd
import pytest
from dashboard_fixture import sql


@pytest.fixture
def page(dash_env):
    from dashboard.views.lua import page as lua

    return lua


def _picked(area: str, indicator: str, sex: str, birth: str) -> dict[int, float]:
    """The mart's values of one line, each year in 20-64 where it has one, else 20-65."""
    rows = sql(
        "SELECT year, value FROM mart.observation WHERE area_code = $a AND indicator = $i AND "
        "sex = $s AND birth_region = $b AND age IN ('20-64', '20-65') AND value IS NOT NULL "
        "AND year >= 1997 QUALIFY row_number() OVER (PARTITION BY year ORDER BY age) = 1",
        {"a": area, "i": indicator, "s": sex, "b": birth},
    )
    return dict(rows)


def _drawn(fig, name: str) -> dict[int, float]:
    """The points of every trace (segment) of one legend entry."""
    out: dict[int, float] = {}
    for trace in fig.data:
        if trace.legendgroup == name:
            out.update({int(x): y for x, y in zip(trace.x, trace.y, strict=True)})
    return out


def test_unemployment_chart_draws_the_four_lines_from_the_warehouse(dash_env, page) -> None:
    fig, summary, notes, rows, _defs = page.render_lua(
        "unemployment", "open_unemployed_share", "total", "total", "lua_alby", 2018, "en"
    )
    names = [t.legendgroup for t in fig.data if t.showlegend]
    assert names == ["The 17 LUA districts of Stockholm county", "Stockholms län",
                     "Stockholm county without the LUA districts", "Sweden"]  # fmt: skip
    for code, name in zip(("lua_stockholm", "01", "lua_stockholm_rest", "00"), names, strict=True):
        want = _picked(code, "open_unemployed_share", "total", "total")
        assert want and _drawn(fig, name) == want, code
    drawn = _drawn(fig, names[0])
    assert min(drawn) == 1997 and all(y in drawn for y in range(1997, 2009))  # the report's years
    assert "ages 20–64" in fig.layout.title.text.replace("<br>", " ")
    assert "synthetic" in fig.data[0].hovertext[0] and "20-64" in fig.data[0].hovertext[0]
    assert summary.startswith("2018: ") and "without the LUA districts" in summary
    assert {r["age"] for r in rows} == {"20–64"}


def test_birth_region_chart_is_the_county_and_the_districts_by_group(dash_env, page) -> None:
    fig, _summary, notes, _rows, _defs = page.render_lua(
        "birth", "employment_rate", "women", "foreign", "lua_alby", 2024, "en"
    )
    for code, area in (("lua_stockholm", "The 17 LUA districts of Stockholm county"),
                       ("01", "Stockholms län")):  # fmt: skip
        for birth, group in (("foreign", "Foreign-born"), ("sweden", "Born in Sweden")):
            want = _picked(code, "employment_rate", "women", birth)
            assert want and _drawn(fig, f"{area} – {group}") == want, (code, birth)
    title = fig.layout.title.text.replace("<br>", " ")
    # the chart mixes the age bands: say so (every RegSO-era year is rebuilt, 2020-2024)
    assert "20–64 (1997–2018), 20–65 (2020–2024)" in title
    assert "published for ages 20–65" in str(notes)
    assert "Foreign-born: values only for" not in str(notes)  # 1997-2018 and 2020-2024 all drawn


def test_district_line_breaks_at_2018_2020_and_is_never_joined(dash_env, page) -> None:
    fig, summary, notes, rows, _defs = page.render_lua(
        "district", "employment_rate", "total", "foreign", "lua_alby", 2024, "en"
    )
    name = "Alby (LUA) – Foreign-born"
    parts = [t for t in fig.data if t.legendgroup == name]
    assert _drawn(fig, name) == _picked("lua_alby", "employment_rate", "total", "foreign")
    assert len(parts) >= 2
    for trace in parts:  # each segment is one run of consecutive years, one side of the break
        years = [int(x) for x in trace.x]
        assert years == list(range(years[0], years[-1] + 1))
        assert max(years) <= 2018 or min(years) >= 2020
    assert {min(map(int, t.x)) for t in parts} >= {1997}
    breaks = [s.x0 for s in fig.layout.shapes if s.type == "line"]
    assert any(2018 < x < 2020 for x in breaks)
    assert any("Series break" in (a.text or "") for a in fig.layout.annotations)
    legends = {t.legendgroup for t in fig.data}
    assert {"Botkyrka – Foreign-born", "Stockholms län – Born in Sweden"} <= legends
    late = [h for t in parts for x, h in zip(t.x, t.hovertext, strict=True) if int(x) >= 2020]
    assert late and all("derived" in h and "20-65" in h for h in late)  # rebuilt: Alby is 7 areas


def test_alby_born_outside_eu_efta_against_swedish_born(dash_env, page) -> None:
    fig, summary, *_ = page.render_lua(
        "district", "open_unemployed_share", "total", "rest_of_world", "lua_alby", 2008, "en"
    )
    outside = _drawn(fig, "Alby (LUA) – Born outside the EU/EFTA")
    sweden = _drawn(fig, "Alby (LUA) – Born in Sweden")
    assert (
        outside[2008]
        == _picked("lua_alby", "open_unemployed_share", "total", "rest_of_world")[2008]
    )
    assert sweden[2008] == _picked("lua_alby", "open_unemployed_share", "total", "sweden")[2008]
    assert "Born outside the EU/EFTA" in summary


def test_ranked_districts_with_their_municipality(dash_env, page) -> None:
    rank, rank_summary, *_ = page.render_lua(
        "rank", "unemployment_rate", "total", "total", "lua_alby", 2022, "sv"
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
    assert "2022" in rank_summary and "20–64 år" in rank.layout.title.text


def test_derived_flag_reaches_hover_and_csv(dash_env, page) -> None:
    rank, *_ = page.render_lua("rank", "longterm_unemployed_share", "women", "total", "lua_alby",
                               2024, "en")  # fmt: skip
    hover = dict(zip(rank.data[0].y, rank.data[0].hovertext, strict=True))
    assert "derived" in hover["Alby (LUA)"]  # several RegSO areas: rebuilt from shares
    assert "derived" not in hover["Rinkeby (LUA)"]  # one RegSO area: SCB's own figure
    download = page.download_csv(1, "rank", "longterm_unemployed_share", "women", "total",
                                 "lua_alby", 2024, "en")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(download["content"].lstrip("\ufeff"))))
    alby = [r for r in rows if r["Code"] == "lua_alby" and r["Year"] == "2024"]
    assert alby and alby[0]["Derived"] == "yes"
    assert alby[0]["Method"].startswith("derived")
    assert alby[0]["Source"] == "Source: SCB"  # in the page language
    direct = page.download_csv(
        1, "rank", "employment_rate", "total", "total", "lua_alby", 2024, "en"
    )
    rows = list(csv.DictReader(io.StringIO(direct["content"].lstrip("\ufeff"))))
    in_2024 = {r["Derived"] for r in rows if r["Code"].startswith("lua_") and r["Year"] == "2024"}
    assert in_2024 == {"no"}  # TAB6680's counts, summed: no share x population in 2024


def test_district_export_carries_age_flags_stamp_and_synthetic_mark(dash_env, page) -> None:
    from dashboard.core import queries
    from dashboard.core.frames import small_threshold
    from dashboard.core.text import column
    from dashboard.ui import exports
    from dashboard.views.lua.render import render_lua
    from dashboard.views.lua.state import parse_lua

    cat = queries.catalogue()
    state, problems = parse_lua({"chart": "district", "district": "lua_alby"}, cat)
    assert not problems
    out = render_lua(state, cat, "en")
    exported = exports.for_export(out.figures["chart"])
    stamp = " | ".join(a.text or "" for a in exported.layout.annotations)
    assert "Source: " in stamp and "SCB," in stamp and "LUA-område" in stamp
    assert "LUA_LABOUR" not in stamp and "REGSO_" not in stamp  # names, never seeds keys
    assert "SYNTHETIC VALUES" in stamp
    link = stamp.replace("<br>", "")
    assert "/lua?chart=district&ind=employment_rate" in link and "district=lua_alby" in link
    frame = pd.read_csv(
        io.StringIO(
            exports.view_download("csv", "lua", state, cat, "en")["content"].lstrip("\ufeff")
        )
    )
    alby = frame[frame["Code"] == "lua_alby"]
    assert set(alby["Age"]) == {"20–64", "20–65"}
    late = alby[alby["Year"] >= 2020]
    assert len(late) and set(late["Derived"]) == {"yes"} and set(late["Age"]) == {"20–65"}
    assert set(alby["Synthetic"]) == {"yes"}  # the demo's districts; recorded rows say "no"
    flagged = frame[column("small", "en")] == "yes"
    den = frame[column("denominator", "en")]
    assert (flagged == (den.notna() & (den < small_threshold()))).all()


def test_url_state_round_trips_and_is_validated(dash_env, page) -> None:
    from dashboard.core import queries
    from dashboard.views.lua.state import parse_lua

    cat = queries.catalogue()
    state, problems = parse_lua({"chart": "x", "ind": "nope", "sex": "x", "year": "1800",
                                 "district": "lua_nowhere"}, cat)  # fmt: skip
    assert state.chart == "unemployment" and state.indicator == "open_unemployed_share"
    assert {p.param for p in problems} == {"chart", "ind", "sex", "year", "district"}
    for query in ({"chart": "unemployment", "ind": "registered_unemployed_share", "sex": "men"},
                  {"chart": "birth", "birth": "rest_of_world", "sex": "women"},
                  {"chart": "district", "district": "lua_rinkeby", "birth": "sweden"},
                  {"chart": "rank", "ind": "unemployment_rate", "year": "2021"}):  # fmt: skip
        state, problems = parse_lua(query, cat)
        assert not problems, query
        assert {k: str(v) for k, v in state.to_query().items() if k in query} == query
        again, problems = parse_lua({k: str(v) for k, v in state.to_query().items()}, cat)
        assert again == state and not problems
    layout = page.layout(chart="district", district="lua_alby", lang="en")
    assert "The LUA districts" in str(layout) and "Alby (LUA)" in str(layout)


def test_changing_the_indicator_keeps_the_birth_region(dash_env, page) -> None:
    from dashboard.core import queries
    from dashboard.ui.sync import sync
    from dashboard.views.lua.state import parse_lua

    cat = queries.catalogue()
    first, _ = parse_lua({"chart": "district", "ind": "open_unemployed_share",
                         "birth": "rest_of_world", "sex": "women"}, cat)  # fmt: skip
    values = ["district", "employment_rate", "women", "rest_of_world", "lua_alby", first.year]
    search, controls, _msg, _shared = sync(page.SPEC, page.INDICATOR, "", values, "en")
    assert controls[3] is dash.no_update  # the birth region control keeps its value
    out = [search]
    assert "birth=rest_of_world" in out[0] and "ind=employment_rate" in out[0]


def test_every_offered_birth_region_has_data(dash_env, page) -> None:
    from dashboard.core import queries
    from dashboard.views.lua.state import parse_lua

    cat = queries.catalogue()
    for chart in ("unemployment", "birth", "district", "rank"):
        state, _ = parse_lua({"chart": chart, "ind": "employment_rate"}, cat)
        offered = page.birth_options(cat, state, "en")
        assert offered
        for option in offered:
            shown, _ = parse_lua({**state.to_query(), "birth": option["value"]}, cat)
            fig, *_ = page.render_lua(*list(page.to_controls(shown)), "en")
            assert any(t.x is not None and len(t.x) for t in fig.data), (chart, option)
    state, _ = parse_lua({"chart": "birth", "ind": "employment_rate", "sex": "women"}, cat)
    labels = [o["label"] for o in page.birth_options(cat, state, "en")]
    assert "Foreign-born" in labels  # 1997-2018 and the whole RegSO era: no years named
    # a group with only some years says which
    assert "Born in the Nordic countries (not Sweden) (1997–2018)" in labels
    assert "All" in labels  # every year: no years named


def test_notes_and_titles_show_names_never_codes(dash_env, page) -> None:
    for args in (("unemployment", "open_unemployed_share", "total", "total", "lua_alby", 2018),
                 ("district", "employment_rate", "women", "foreign", "lua_fisksatra", 2024),
                 ("rank", "employment_rate", "total", "foreign", "lua_alby", 2024)):  # fmt: skip
        fig, summary, notes, *_ = page.render_lua(*args, "en")
        shown = " ".join([fig.layout.title.text or "", summary, str(notes)])
        assert "lua_" not in shown and "RegSO2025" not in shown, args


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
    from dashboard.views.trends import render as trends_render
    from dashboard.views.trends.state import parse_trends

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


def test_breaks_are_marked_only_where_the_series_changes() -> None:
    """An age band switching 20-64 → 20-65 → 20-64 (2020) is said in the hover, not marked."""
    from dashboard.views.lua import figures

    rows = [{"year": y, "series": s, "age": a} for y, s, a in (
        (2017, "RAMS", "20-64"), (2018, "RAMS", "20-64"), (2019, "BAS", "20-64"),
        (2020, "BAS", "20-65"), (2021, "BAS", "20-64"), (2023, "BAS", "20-64"))]  # fmt: skip
    parts = figures.segments(rows)
    assert [[r["year"] for r in p] for p in parts] == [[2017, 2018], [2019, 2020, 2021], [2023]]
    shapes, notes = figures.break_shapes([parts], "en")
    assert [s["x0"] for s in shapes] == [2018.5]  # the series change; not the age bands or 2022
    assert figures.age_changes(rows) == {2020: "20-64", 2021: "20-65"}
