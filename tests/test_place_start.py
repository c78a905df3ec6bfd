"""Issue 22, keep the user's place: a page opened without an area starts from the country (never
an arbitrary municipality), shows the national picture there, keeps a carried area, answers an
area of the wrong level with a one-line message, and keeps the country start in its URL."""

from __future__ import annotations

import pytest

from dashboard.core import viewspec
from dashboard.core.text import t
from dashboard.ui import components as c
from dashboard.urlstate import COUNTRY, parse_search, to_search

BAND = "20–64 år"
AREA_FIELD = {"peers": "municipality", "explore": "municipality", "explain": "area"}


def _parse(page: str, query: dict, cat):
    return viewspec.view(page).parse(query, cat)


def _area(page: str, state) -> str:
    return getattr(state, AREA_FIELD[page])


@pytest.mark.parametrize("page", list(AREA_FIELD))
def test_a_page_opened_without_an_area_starts_from_the_country(cat, page):
    state, problems = _parse(page, {}, cat)
    assert problems == []
    assert _area(page, state) == COUNTRY, f"/{page} opened on {_area(page, state)}"


@pytest.mark.parametrize("page", list(AREA_FIELD))
def test_the_country_start_is_a_real_url_state(cat, page):
    """The start's address names the country, and reopening it gives the same state (permalink,
    back and forward)."""
    state, _ = _parse(page, {}, cat)
    query = parse_search(to_search(state.to_query()))
    assert query["area"] == COUNTRY
    again, problems = _parse(page, query, cat)
    assert problems == [] and again == state


@pytest.mark.parametrize("page", list(AREA_FIELD))
def test_a_carried_area_still_wins(cat, page):
    state, problems = _parse(page, {"area": "0127"}, cat)
    assert problems == [] and _area(page, state) == "0127"


@pytest.mark.parametrize("page", ["peers", "explore"])
def test_an_area_of_the_wrong_level_gets_a_one_line_message_and_the_country(cat, page):
    state, problems = _parse(page, {"area": "01"}, cat)  # Stockholms län on a municipality page
    assert _area(page, state) == COUNTRY
    assert [(p.param, p.kind) for p in problems] == [("area", "level")]
    item = t(f"msg.{problems[0].kind}", "sv", value=problems[0].value, param="area")
    assert "Stockholms län" in item and "01" not in item and "\n" not in item
    rendered = c.message(problems, "sv")
    assert "Stockholms län" in str(rendered) and "Traceback" not in str(rendered)


def test_peers_at_the_country_ranks_the_counties_against_it_and_asks_for_a_municipality(cat):
    state, _ = _parse("peers", {}, cat)
    out = viewspec.view("peers").render(state, cat, "sv")
    counties = {cat.area_name(code, "sv") for code in cat.codes("county")}
    rows = {str(y).replace("<b>", "").replace("</b>", "") for tr in out.figures["dumbbell"].data
            for y in (tr.y or []) if y is not None}  # fmt: skip
    assert counties <= rows and cat.area_name(COUNTRY, "sv") in rows
    assert "Malmö" not in rows
    assert out.extra["stats"]["rank"] is None  # the country is not ranked among its counties
    assert t("peers.pick", "sv") in out.summaries["dumbbell"]
    title = out.figures["dumbbell"].layout.title.text.replace("<br>", " ")
    assert t("peers.national", "sv") in title and BAND in title


def test_the_peers_funnel_at_the_country_shows_the_counties(cat):
    from dashboard.views.peers import funnel

    state, _ = _parse("peers", {}, cat)
    fig, summary = funnel.funnel(state, "sv")
    shown = {str(x) for tr in fig.data for x in (tr.text or []) if x}
    assert {cat.area_name(code, "sv") for code in cat.codes("county")} <= shown
    assert "Malmö" not in shown and "länen och riket" in fig.layout.title.text.replace("<br>", " ")
    assert f"av {len(cat.codes('county')) + 1} " in summary  # the counties and the country


def test_explore_at_the_country_highlights_none_and_draws_the_country(cat):
    state, _ = _parse("explore", {}, cat)
    out = viewspec.view("explore").render(state, cat, "sv")
    fig = out.figures["scatter"]
    names = {tr.name for tr in fig.data}
    assert t("selected", "sv") not in names and t("peers_trace", "sv") not in names
    references = [a.text for a in fig.layout.annotations if a.text == cat.area_name(COUNTRY, "sv")]
    assert len(references) == 2, "the country's gap and x value are drawn as reference lines"
    assert cat.area_name(COUNTRY, "sv") in out.summaries["scatter"]
    assert "Malmö" not in out.summaries["scatter"]


def test_explain_at_the_country_explains_the_country_among_its_counties(cat):
    state, _ = _parse("explain", {}, cat)
    out = viewspec.view("explain").render(state, cat, "sv")
    name = cat.area_name(COUNTRY, "sv")
    assert name in out.summaries["split"] and "Malmö" not in out.summaries["split"]
    bars = {str(y).replace("<b>", "").replace("</b>", "").rstrip(" ⚠")
            for tr in out.figures["split"].data for y in (tr.y or [])}  # fmt: skip
    assert {cat.area_name(code, "sv") for code in cat.codes("county")} <= bars
    assert name in bars
    scatter = out.summaries["scatter"]  # the country is its own yardstick: no "0,0 p.e." claim
    assert "måttstocken" in scatter and "från det förväntade" not in scatter, scatter
    muni = viewspec.view("explain").render(_parse("explain", {"area": "0127"}, cat)[0], cat, "sv")
    assert "från det förväntade" in muni.summaries["scatter"]


def _hovers(fig) -> list[str]:
    return [str(x) for tr in fig.data for x in list(tr.hovertext or []) + list(tr.text or []) if x]


def test_the_decomposed_maps_hovers_name_the_age_band(cat):
    for colour in ("standardised", "local"):
        state, _ = viewspec.view("map").parse({"colour": colour}, cat)
        assert state.colour == colour
        out = viewspec.view("map").render(state, cat, "sv")
        hovers = _hovers(out.figures["map"])
        assert hovers and all(BAND in h for h in hovers if "<br>" in h), colour
    state, _ = _parse("explain", {"area": "0127"}, cat)
    out = viewspec.view("explain").render(state, cat, "sv")
    for key in ("map", "split", "scatter", "years"):
        hovers = [h for h in _hovers(out.figures[key]) if "<br>" in h]
        assert hovers and all(BAND in h for h in hovers), key


def test_the_area_profile_opened_without_an_area_is_the_countrys(dash_env):
    from dashboard.views.area import data, page, render, state

    s, problems = state.parse({})
    assert s.area == COUNTRY and problems == []
    assert state.parse({"area": "0127"})[0].area == "0127"  # a carried area still wins
    prof = render.profile(s, "sv")
    assert prof.area.level == "country"
    assert prof.headline and "Riket" in prof.headline[0]
    assert prof.ranks == [] and prof.rank_lead  # not ranked, and it says so
    counties = set(data.names(data.level_codes("county"), "sv").values())
    assert counties and set(prof.members.iloc[:, 0]) == counties  # its counties, by name
    assert "länens spridning" in prof.spine_summary  # against its counties, not itself
    hovers = [str(h) for tr in prof.spine.data for h in (tr.hovertext or [])]
    assert hovers and not any("NaN" in h or "nan" in h for h in hovers), hovers[:3]
    assert not any("jämförelsevärde" in h for h in hovers)  # no benchmark: none is named
    muni = render.profile(state.parse({"area": "0127"})[0], "sv")
    assert any("jämförelsevärde" in str(h) for tr in muni.spine.data for h in (tr.hovertext or []))
    trend_names = [tr.name for tr in prof.trend.data if tr.name]
    assert trend_names.count("Riket") <= 1  # the country is drawn once
    body = str(page.layout())
    assert "Botkyrka: områdesprofil" not in body and "Riket: områdesprofil" in body
