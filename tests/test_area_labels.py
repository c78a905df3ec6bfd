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


def test_lua_notes_and_table_name_the_missing_members(cat):
    from dashboard.core import db
    from dashboard.views.lua import data
    from dashboard.views.lua import render as lua_render
    from dashboard.views.lua.state import LuaState

    rows = db.query_rows(
        "SELECT g.indicator, g.sex, g.birth_region, g.year, g.area_code, g.missing_members "
        "FROM mart.aggregate_gap g JOIN mart.observation o USING (indicator, area_code, year, sex, "
        "birth_region, age) WHERE o.status = 'incomplete' AND g.area_code LIKE 'lua_%' "
        "AND g.area_code NOT IN ('lua_stockholm', 'lua_stockholm_rest') ORDER BY g.year DESC, 1, 2, 3"
    )
    checked = 0
    for indicator, sex, birth, year, area, missing in rows:
        state = LuaState("district", indicator, sex, birth, area, year)
        lua = data.lua_data("district", indicator, sex, birth, area)
        shown = lua.frame[(lua.frame.area_code == area) & (lua.frame.year == year)
                          & (lua.frame.status == "incomplete")]  # fmt: skip
        if shown.empty:  # another age band drawn for that year
            continue
        for lang in ("sv", "en"):
            notes = " ".join(lua_render.notes(lua, state, cat, lang))
            assert cat.area_name(area, lang) in notes
            for member in missing.split(","):
                assert cat.area_name(member, lang) in notes
            assert not CODE.search(notes), notes
            table, _headers = lua_render.table(lua, state, cat, lang)
            method = " ".join(table.method.astype(str))
            assert cat.area_name(missing.split(",")[0], lang) in method
            assert not CODE.search(method)
        checked += 1
        break
    assert checked, "the demo has an incomplete district aggregate on the LUA page"


def test_lua_birth_menu_in_natural_order(cat):
    from dashboard.views.lua import page

    state, _ = page.parse_lua({}, cat)
    births = page.birth_options(cat, state, "sv")
    values = [b["value"] for b in births]
    assert values == in_birth_order(values) and values[0] == "total"
