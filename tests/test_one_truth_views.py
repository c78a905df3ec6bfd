"""Issue 22 on the Map and the area profile: a selected area is zoomed to (with a way back), and a
page that mixes age bands says so, its headline on 20–64 where 20–64 exists."""

from __future__ import annotations

from dashboard import urlstate
from dashboard.core import db, geo, queries, viewspec
from dashboard.views.map import selected
from dashboard.views.map.render import render_map
from dashboard.views.map.state import parse_map

AGE_BAND = {"20-64": "20–64 år", "20-65": "20–65 år"}


def _cat(dash_env):
    db.configure(dash_env.path)
    return queries.catalogue()


def _ranges(fig) -> tuple[list[float], list[float]]:
    geo_ = fig.layout.geo
    return list(geo_.lonaxis.range), list(geo_.lataxis.range)


def _box(code: str) -> tuple[float, float, float, float]:
    shapes = geo.shapes("municipality", None)
    return selected._boxes(shapes, {code})[code]


def test_selecting_botkyrka_zooms_the_map_to_it_and_its_neighbours(dash_env):
    cat = _cat(dash_env)
    query = {"year": "2022", "gap": "fw_sw"}
    whole_state, _ = parse_map(query, cat)
    chosen_state, _ = parse_map({**query, "area": "0127"}, cat)
    whole = render_map(whole_state, cat, "sv").figures["map"]
    chosen = render_map(chosen_state, cat, "sv").figures["map"]
    (lon, lat), (lon_all, lat_all) = _ranges(chosen), _ranges(whole)
    x0, y0, x1, y1 = _box("0127")
    assert lon[0] <= x0 and x1 <= lon[1] and lat[0] <= y0 and y1 <= lat[1], (lon, lat)
    assert lon[1] - lon[0] < (lon_all[1] - lon_all[0]) / 4, (lon, lon_all)
    assert lat[1] - lat[0] < (lat_all[1] - lat_all[0]) / 4, (lat, lat_all)
    assert chosen.layout.geo.fitbounds is False  # the ranges rule, not every location drawn
    assert whole.layout.geo.fitbounds == "locations"
    near = selected.zoom_codes(geo.shapes("municipality", None), "0127", ["0127", "0126", "0180"])
    assert {"0127", "0126"} <= set(near)  # Huddinge borders Botkyrka


def test_the_whole_map_link_keeps_the_state_without_the_area(dash_env):
    cat = _cat(dash_env)
    state, _ = parse_map({"year": "2022", "gap": "fw_sw", "area": "0127"}, cat)
    out = render_map(state, cat, "sv")
    links = dash_env.map.map_extras(out, state, cat, "sv")[0]
    whole = [x for x in links if getattr(x, "id", None) == "map-whole"]
    assert len(whole) == 1 and whole[0].children == "Visa hela kartan"
    href = whole[0].href
    assert (
        href.startswith(viewspec.view("map").path + "?")
        and "area=" not in href
        and "year=2022" in href
    ), href
    back, _ = parse_map(urlstate.parse_search(href.partition("?")[2]), cat)
    assert back.area is None and back.year == 2022
    assert render_map(back, cat, "sv").figures["map"].layout.geo.fitbounds == "locations"


def _profile(dash_env, code: str):
    _cat(dash_env)
    from dashboard.views.area import render as area_render
    from dashboard.views.area import state as area_state

    return area_render.profile(area_state.AreaState(area=code), "sv")


def test_the_area_headline_is_on_20_64_and_names_it(dash_env):
    for code in ("0127", "01"):
        prof = _profile(dash_env, code)
        assert AGE_BAND["20-64"] in prof.headline[0], prof.headline
        assert AGE_BAND["20-64"] in prof.trend.layout.title.text.replace("<br>", " ")


def test_a_page_mixing_age_bands_says_so_and_each_other_row_names_its_band(dash_env):
    prof = _profile(dash_env, "01")  # the county: headline 20–64, planner's table 20–65
    note = [line for line in prof.headline if line.startswith("Sidan blandar åldersgrupper")]
    assert len(note) == 1, prof.headline
    assert "planeringstabellen gäller 20–65 år" in note[0], note
    assert "gäller 20–64 år" in note[0], note
    ages = prof.spine_table.attrs["ages"]
    labels = list(prof.spine_table.iloc[:, 0])
    for age, label in zip(ages, labels, strict=True):
        assert label.endswith(f"({AGE_BAND[age]})") == (age != "20-64"), (age, label)
    other = sum(a != "20-64" for a in ages)
    assert (f"{other} rader i indikatoröversikten" in note[0]) == (other > 0), note


def test_a_municipality_names_its_districts_band_when_it_shows_them(dash_env):
    prof = _profile(dash_env, "0127")  # headline 20–64; its districts (RegSO) exist on 20–65 only
    note = [line for line in prof.headline if line.startswith("Sidan blandar åldersgrupper")]
    if len(prof.members):
        assert len(note) == 1 and "områden inom Botkyrka" in note[0], prof.headline
        assert "gäller 20–65 år" in note[0], note
    else:
        other = [a for a in prof.spine_table.attrs["ages"] if a != "20-64"]
        assert bool(note) == bool(other), (prof.headline, other)
