"""Shared labels (issue 22): names that say their level once, names never codes, and birth regions
in their natural order (seeds/labels.csv, seeds/level_markers.csv)."""

from __future__ import annotations

import random
import re

import pytest

from dashboard.core.mappings import in_birth_order, names_its_level
from dashboard.core.text import area_label, code_names

CODE = re.compile(r"\d{4}R\d{3}|_RegSO\d{4}|\blua_[a-z_]+")


def test_birth_regions_in_natural_order_from_the_seed():
    natural = ["total", "sweden", "foreign", "nordic", "eu_efta", "rest_of_world",
               "foreign_0_1y", "foreign_2_3y", "foreign_4_9y", "foreign_10y_plus"]  # fmt: skip
    shuffled = natural[:]
    random.Random(7).shuffle(shuffled)
    assert in_birth_order(shuffled) == natural
    assert sorted(natural) != natural  # alphabetical order would put 10+ years before 2-3 years
    assert in_birth_order(["unknown", "foreign_10y_plus", "foreign_0_1y"]) == [
        "foreign_0_1y", "foreign_10y_plus", "unknown"]  # fmt: skip


@pytest.mark.parametrize(("name", "level", "word", "prefix", "shown"), [
    ("Stockholms län", "county", "län", False, "Stockholms län"),
    ("LA Arjeplog", "la_region", "LA:", True, "LA Arjeplog"),
    ("LMA Arjeplog", "la_region", "LA:", True, "LMA Arjeplog"),
    ("Alby (LUA)", "regso_set", "lua-område", False, "Alby (LUA)"),
    ("LUA-kommuner i Stockholms län", "area_set", "områdesgrupp", False,
     "LUA-kommuner i Stockholms län (områdesgrupp)"),
    ("Riket", "country", "riket", False, "Riket"),
    ("Botkyrka", "municipality", "", False, "Botkyrka"),
])  # fmt: skip
def test_a_name_says_its_level_once(name, level, word, prefix, shown):
    assert area_label(name, level, word, prefix=prefix) == shown
    assert names_its_level(name, level) == (shown == name and bool(word))


def test_code_names_are_names():
    names = {"0182R004_RegSO2025": "Fisksätra", "0182R005_RegSO2025": "Saltsjöbaden"}
    text = code_names("0182R004_RegSO2025,0182R005_RegSO2025", names.get, "sv")
    assert text == "Fisksätra och Saltsjöbaden"


def test_area_menus_on_the_demo_never_repeat_the_level(cat):
    from dashboard.views.explain.page import area_options as explain_options
    from dashboard.views.map.focus import focus_options
    from dashboard.views.trends.page import area_options as trends_options

    for lang in ("sv", "en"):
        focus = [o["label"] for o in focus_options(cat, lang)]
        assert "Stockholms län" in focus and not any(x.startswith("LA: LA") for x in focus)
        assert any(x.startswith(("LA ", "LMA ")) for x in focus)
        for options in (trends_options(cat, lang), explain_options(cat, lang)):
            labels = [o["label"] for o in options]
            assert "Stockholms län" in labels, lang
            assert not any(re.search(r"län \((län|counties|county)\)$", x) for x in labels)
            assert not any(re.search(r"^(LA|LMA) .*\((lokala arbetsmarknader|local labour markets)\)$", x)
                           for x in labels)  # fmt: skip


@pytest.fixture
def district_missing_a_member(cat, dash_env, tmp_path):
    """A copy of the demo warehouse where one member of Alby was not published in the latest year
    drawn on the LUA page: Alby's row there is `incomplete`, and mart.aggregate_gap names the member
    (built here, not left to the demo's draw)."""
    import shutil

    import duckdb

    from dashboard.core import db
    from dashboard.views.lua import data

    area, indicator, sex, birth = "lua_alby", "employment_rate", "total", "foreign"
    drawn = data.lua_data("district", indicator, sex, birth, area).frame
    year = int(drawn.year[(drawn.area_code == area) & drawn.value.notna()].max())
    ages = sorted(set(drawn.age[(drawn.area_code == area) & (drawn.year == year)
                                & (drawn.birth_region == birth)]))  # fmt: skip
    member = "0127R002" if year <= 2023 else "0127R002_RegSO2025"
    copy = tmp_path / "labour.duckdb"
    shutil.copy(dash_env.path, copy)
    with duckdb.connect(str(copy)) as con:
        for age in ages:  # every age band the page may draw that year
            key = [indicator, area, year, sex, birth, age]
            con.execute(
                "UPDATE mart.observation SET status = 'incomplete', value = NULL, numerator = NULL, "
                "denominator = NULL WHERE indicator = ? AND area_code = ? AND year = ? AND sex = ? "
                "AND birth_region = ? AND age = ?",
                key,
            )
            con.execute("INSERT INTO mart.aggregate_gap VALUES (?, ?, ?, ?, ?, ?, ?, "
                        "'suppressed_or_missing')", [*key, member])  # fmt: skip
    db.configure(copy)
    yield (indicator, sex, birth, year, area, member)
    db.configure(dash_env.path)


def test_lua_notes_and_table_name_the_missing_members(cat, district_missing_a_member):
    from dashboard.views.lua import data
    from dashboard.views.lua import render as lua_render
    from dashboard.views.lua.state import LuaState

    indicator, sex, birth, year, area, missing = district_missing_a_member
    state = LuaState("district", indicator, sex, birth, area, year)
    lua = data.lua_data("district", indicator, sex, birth, area)
    frame = lua.frame
    shown = frame[(frame.area_code == area) & (frame.year == year) & (frame.birth_region == birth)]
    assert len(shown) and (shown.status == "incomplete").all() and shown.value.isna().all()
    for lang in ("sv", "en"):
        notes = " ".join(lua_render.notes(lua, state, cat, lang))
        assert cat.area_name(area, lang) in notes
        assert cat.area_name(missing, lang) in notes, notes
        assert not CODE.search(notes), notes
        table, _headers = lua_render.table(lua, state, cat, lang)
        method = " ".join(table.method.astype(str))
        assert cat.area_name(missing, lang) in method, method
        assert not CODE.search(method)


def test_lua_birth_menu_in_natural_order(cat):
    from dashboard.views.lua import page

    state, _ = page.parse_lua({}, cat)
    births = page.birth_options(cat, state, "sv")
    values = [b["value"] for b in births]
    assert values == in_birth_order(values) and values[0] == "total"


def test_lua_summary_names_each_line_as_its_legend_does(cat):
    """'Alby (LUA) – Födda utanför EU/EFTA 70,0 %', never 'Alby (LUA) (Födda utanför EU/EFTA)'."""
    from dashboard.core.text import NumberFormat
    from dashboard.views.lua import data
    from dashboard.views.lua import render as lua_render
    from dashboard.views.lua.figures import line_figure
    from dashboard.views.lua.state import LuaState

    lua = data.lua_data("district", "employment_rate", "total", "rest_of_world", "lua_alby")
    assert len(lua.births) > 1  # the group and the Swedish-born
    state = LuaState("district", "employment_rate", "total", "rest_of_world", "lua_alby", 2024)
    for lang in ("sv", "en"):
        fmt = NumberFormat.for_indicator(cat, "employment_rate", lang)
        summary = lua_render.summary(lua, state, cat, fmt)
        legend = {tr.name for tr in line_figure(lua, "district", "", cat, fmt, "").data}
        named = [n for n in legend if n in summary]
        assert named and ") (" not in summary, summary
