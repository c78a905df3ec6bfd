"""A control change never yields a URL-error message: the nearest valid choice is picked."""

from __future__ import annotations


def test_every_indicator_chosen_on_the_map_gives_no_message_and_a_view_with_data(dash_env, cat):
    from dashboard.ui import ids, sync
    from dashboard.urlstate import parse_search
    from dashboard.views.map.state import map_years, parse_map

    for indicator in [i for i in cat.indicators.index if cat.years_for(i)]:
        values = [indicator, "20-64", "municipality", "1280", "gap", "fw_sw", "women.foreign",
                  1997, None, None]  # fmt: skip
        search, _, msg, _ = sync.sync(dash_env.map.SPEC, ids.MAP_INDICATOR, "", values, "sv")
        assert msg == [], (indicator, msg)
        state, problems = parse_map(parse_search(search), cat)
        assert problems == [] and state.indicator == indicator
        assert state.year in map_years(cat, state), indicator  # a year with data
        out = dash_env.map.render_map(*[
            state.indicator, state.age, state.level, state.municipality, state.colour,
            state.gap, state.group, state.year, None, None, "sv",
        ])  # fmt: skip
        assert "Inget att visa" not in out[1], (indicator, out[1])


def test_gap_options_are_only_the_indicators_gaps(cat):
    from dashboard.ui import choices

    ids_ = [o["value"] for o in choices.gap_options(cat, "newly_arrived_work", "all", "en")]
    assert ids_ == ["fw_fm"]
    from dashboard.core.gaps import GAPS

    every = [o["value"] for o in choices.gap_options(cat, "employment_rate", "20-64", "en")]
    assert every == list(GAPS) and "nw_sw" in every  # the finer groups' presets too


def test_nearest_year_and_seventh_area_message(dash_env, cat):
    from dashboard.ui import choices, ids, sync

    assert choices.nearest(2019, [2020, 2021, 2024]) == 2020
    assert choices.nearest(2023, [2022, 2024]) == 2024
    areas = ["1280", "1281", "0180", "1480", "0380", "0580", "0880"]
    values = [areas, "employment_rate", "20-64", "fw_sw", "main", "split"]
    search, controls, msg, _ = sync.sync(dash_env.trends.SPEC, ids.TRENDS_AREAS, "", values, "en")
    assert "at most 6 areas" in str(msg) and "0880" not in search
    assert controls[0] == areas[:6]


def test_over_long_address_gets_the_friendly_page(dash_env):
    client = dash_env.app.server.test_client()
    areas = ",".join(["1280"] * 1200)
    resp = client.get(f"/trends?areas={areas}&lang=en")
    assert resp.status_code == 414
    body = resp.get_data(as_text=True)
    assert "The address is too long" in body and 'href="/?lang=en"' in body
    assert "URI Too Long" not in body
    assert client.get("/trends?areas=1280").status_code == 200
