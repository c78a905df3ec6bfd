"""Query string ↔ state: validation, defaults, friendly problems, round trips."""

from __future__ import annotations

from dashboard import urlstate as u
from dashboard.views.map.state import parse_map
from dashboard.views.peers.state import parse_peers
from dashboard.views.trends.state import parse_trends


def test_defaults_without_query(cat):
    state, problems = parse_peers({}, cat)
    assert problems == []
    assert state.municipality == "00"  # no area chosen: the country
    assert state.indicator == "employment_rate" and state.age == "20-64"
    assert state.year == 2024 and state.year0 == 2020
    assert state.gap == "fw_sw" and state.kind == "similar"


def test_unknown_codes_and_malformed_values_fall_back_with_problems(cat):
    query = {"area": "9999", "year": "20x4", "ind": "nope", "gap": "<script>", "peers": "friends"}
    state, problems = parse_peers(query, cat)
    assert state.municipality == "00" and state.year == 2024  # no area: the country, not Malmö
    assert state.indicator == "employment_rate" and state.gap == "fw_sw" and state.kind == "similar"
    kinds = {(p.param, p.kind) for p in problems}
    assert ("area", "unknown") in kinds and ("year", "malformed") in kinds
    assert {"ind", "gap", "peers"} <= {p.param for p in problems}


def test_year_outside_data_is_unknown(cat):
    state, problems = parse_map({"year": "1990"}, cat)
    assert state.year == 2024
    assert problems == [u.Problem("year", "1990", "unknown")]


def test_round_trip_through_the_query_string(cat):
    state, _ = parse_trends(
        {"areas": "1280,0180,SET_LUA_STHLM", "gap": "fw_fm", "birth": "detail", "sexes": "total"},
        cat,
    )
    search = u.to_search(state.to_query())
    again, problems = parse_trends(u.parse_search(search), cat)
    assert problems == [] and again == state
    assert again.areas == ("1280", "0180", "SET_LUA_STHLM")


def test_emptied_area_selection_is_kept_empty(cat):
    state, problems = parse_trends(u.parse_search("?areas="), cat)
    assert state.areas == () and problems == []


def test_shared_area_is_used_when_areas_missing(cat):
    state, _ = parse_trends({"area": "0880"}, cat)
    assert state.areas == ("0880",)


def test_regso_area_selects_its_municipality_for_peers(cat):
    state, problems = parse_peers({"area": "0880R002_RegSO2025"}, cat)
    assert state.municipality == "0880" and problems == []


def test_list_values_and_language(cat):
    assert u.lang_of({"lang": "en"}) == "en"
    assert u.lang_of({"lang": "xx"}) == "sv"
    state, _ = parse_map({"year": ["2020", "2021"]}, cat)  # repeated key: the last wins
    assert state.year == 2021


def test_data_view_keeps_inner_parameters(cat):
    state, problems = u.parse_data({"view": "trends", "areas": "0180"}, cat)
    assert state.view == "trends" and state.inner.areas == ("0180",) and problems == []
    state, problems = u.parse_data({"view": "pie"}, cat)
    assert state.view == "peers" and problems[0].param == "view"
