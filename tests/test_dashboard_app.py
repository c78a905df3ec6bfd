"""App shell, language, banner, navigation, bad input, missing warehouse, reconnect after a refresh."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest
from dashboard_fixture import sql

from dashboard import app as app_module
from dashboard.core import db, queries, text
from dashboard.ui import ids


def _texts(component) -> list[str]:
    """Every string in a component tree, depth first."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [s for c in component for s in _texts(c)]
    children = getattr(component, "children", None)
    return [] if children is None else _texts(children)


def _h1(component) -> list[str]:
    """The texts of the tree's H1 headings."""
    if isinstance(component, list | tuple):
        return [s for c in component for s in _h1(c)]
    if type(component).__name__ == "H1":
        return ["".join(_texts(component.children))]
    children = getattr(component, "children", None)
    return [] if children is None or isinstance(children, str) else _h1(children)


def _route(client, deps: list[dict], pathname: str, search: str = "") -> list[str]:
    """Ask the app's page-routing callback for a path, as the browser does; the H1s it returns."""
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    values = {"pathname": pathname, "search": search}
    body = {
        "output": dep["output"],
        "outputs": [dict(zip(("id", "property"), o.split("."), strict=True))
                    for o in dep["output"].strip(".").split("...")],
        "inputs": [{**i, "value": values.get(i["property"])} for i in dep["inputs"]],
        "state": [{**st, "value": None} for st in dep["state"]],
        "changedPropIds": ["_pages_location.pathname"],
    }  # fmt: skip
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.data[:200]
    content = json.loads(resp.data)["response"]["_pages_content"]["children"]
    return _h1_json(content)


def _h1_json(node) -> list[str]:
    """H1 texts of a layout serialised as JSON (what the callback sends to the browser)."""
    if isinstance(node, list):
        return [s for n in node for s in _h1_json(n)]
    if not isinstance(node, dict):
        return []
    props = node.get("props", {})
    if node.get("type") == "H1":
        kids = props.get("children")
        return [kids if isinstance(kids, str) else "".join(k for k in kids if isinstance(k, str))]
    return _h1_json(props.get("children"))


def test_http_pages_and_callback_graph(dash_env):
    client = dash_env.app.server.test_client()
    for path in ("/", "/trends", "/peers", "/explore", "/data"):
        assert client.get(path).status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    deps = json.loads(client.get("/_dash-dependencies").data)
    outputs = [d["output"] for d in deps]
    assert len(outputs) == len(set(outputs))  # no callback registered twice
    # an unknown path gets the app's own not-found page (views/not_found_404.py), in its language
    assert _route(client, deps, "/nowhere") == ["Sidan finns inte."]
    assert _route(client, deps, "/nowhere", "?lang=en") == ["This page does not exist."]
    from dashboard.core import viewspec
    from dashboard.views import not_found_404

    items = not_found_404.layout(lang="en").children[1].children
    links = {(str(li.children.children), li.children.href) for li in items}
    want = {(text.t(s.name_key, "en"), s.path + "?lang=en") for s in viewspec.nav_views()}
    assert links == want and len(want) == 8  # every page of the navigation, in its language
    assert _route(client, deps, "/trends", "?lang=en") == [text.t("nav.trends", "en")]


def test_shell_text_and_synthetic_banner(dash_env):
    children, style = app_module.banner("en")
    assert style == {} and "synthetic" in children[0].children
    assert "Partly real series" in str(children)
    # written for people: indicator, years, provider and the share of real rows, no table ids
    rows, made_up = sql(
        "SELECT rows, synthetic_rows FROM mart.series WHERE source_table = 'TAB3200' "
        "AND indicator = 'employment_rate'"
    )[0]
    share = max(1, round(100 * (rows - made_up) / rows))
    partly = children[1].children[1].children[-1].children  # the span listing partly real series
    assert f"employment rate 2020–2024 (SCB, {share}\xa0% real)" in partly
    assert "TAB3200" not in str(children)
    assert text.t("nav.peers", "sv") == "Jämförelse"


def test_nav_links_carry_selection_and_language(dash_env):
    shared = {
        "page": "peers",
        "shared": {"area": "1281", "ind": "employment_rate", "year": 2022, "gap": "fw_fm"},
        "query": {"area": "1281", "peers": "la", "year": 2022},
    }
    hrefs = dict(zip(app_module.NAV_PAGES, app_module.nav_hrefs(shared, "en"), strict=True))
    assert (
        hrefs["trends"].startswith("/trends?")
        and "area=1281" in hrefs["trends"]
        and "lang=en" in hrefs["trends"]
    )
    assert "year=2022" in hrefs["map"] and hrefs["map"].startswith("/?")
    assert hrefs["data"].startswith("/data?view=peers&area=1281&peers=la")
    county = {"shared": {"area": "12"}}
    hrefs = dict(zip(app_module.NAV_PAGES, app_module.nav_hrefs(county, "sv"), strict=True))
    assert (
        "area" not in hrefs["peers"] and "area=12" in hrefs["trends"]
    )  # peers need a municipality


@pytest.mark.parametrize("page", ["map", "trends", "peers", "explore", "data"])
def test_bad_urls_give_a_message_and_a_default_view(dash_env, page):
    module = getattr(dash_env, page)
    layout = module.layout(
        area="DROP TABLE", year="abc", ind="x", gap="?", lang="en", areas="9999,1280"
    )
    rendered = str(layout)
    assert "The address had invalid choices" in rendered
    assert "Traceback" not in rendered


def test_pages_render_without_arguments(dash_env):
    for page in ("map", "trends", "peers", "explore", "data"):
        layout = getattr(dash_env, page).layout()
        assert _h1(layout) == [text.t(f"nav.{page}", "sv")], page  # the page's own heading
        rendered = " ".join(_texts(layout))
        assert text.t("msg.bad", "sv") not in rendered and "Traceback" not in rendered
        assert text.t("msg.bad", "sv") in " ".join(_texts(getattr(dash_env, page).layout(ind="x")))


def test_language_is_swedish_by_default_and_english_on_request(dash_env):
    sv = str(dash_env.peers.layout())
    en = str(dash_env.peers.layout(lang="en"))
    assert "Jämförelsegrupp" in sv and "Peer set" in en


def test_missing_warehouse_is_explained(dash_env, tmp_path):
    db.configure(tmp_path / "nothing.duckdb")
    try:
        page = dash_env.peers.layout(lang="en")
        assert "The warehouse was not found" in str(page)
        children, _ = app_module.banner("en")
        assert "warehouse was not found" in str(children)
        assert dash_env.app.server.test_client().get("/geo/county.json").status_code == 503
    finally:
        db.configure(dash_env.path)


def test_reconnects_when_a_refresh_replaces_the_file(dash_env, tmp_path):
    live = tmp_path / "labour.duckdb"
    shutil.copy(dash_env.path, live)
    db.configure(live)
    try:
        assert queries.catalogue().area_name("1280") == "Malmö"
        before = db.generation()
        staged = tmp_path / "new.duckdb"
        shutil.copy(dash_env.path, staged)
        con = duckdb.connect(str(staged))
        con.execute("UPDATE mart.area SET name_sv = 'Malmö stad' WHERE area_code = '1280'")
        con.close()
        os.replace(staged, live)  # what a refresh does
        assert db.generation() != before
        assert queries.catalogue().area_name("1280") == "Malmö stad"
    finally:
        db.configure(dash_env.path)


def test_read_only_connection(dash_env):
    with pytest.raises(duckdb.Error):
        db.query("DELETE FROM mart.area")


def test_ids_are_unique_strings():
    values = [v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)]
    assert len(values) == len(set(values))


def test_the_navigation_remembers_the_map_focus_across_pages():
    """Map (focus on Skåne) → Trends → the Map link still carries the focus; clearing it on the Map
    drops it; an area chosen on Trends travels back to the Map."""
    on_map = {"page": "map", "shared": {"area": "1280", "focus": "12", "ind": "employment_rate"}}
    remembered = app_module.remember(on_map, {})
    on_trends = {"page": "trends", "shared": {"area": "1281", "ind": "employment_rate"}}
    remembered = app_module.remember(on_trends, remembered)
    assert remembered["shared"] == {"area": "1281", "focus": "12", "ind": "employment_rate"}
    assert remembered["page"] == "trends"
    hrefs = dict(zip(app_module.NAV_PAGES, app_module.nav_hrefs(remembered, "sv"), strict=True))
    assert "focus=12" in hrefs["map"] and "area=1281" in hrefs["map"]
    assert "focus" not in hrefs["trends"]  # Trends does not know a focus: it only passes it on
    cleared = app_module.remember({"page": "map", "shared": {"area": "1281"}}, remembered)
    assert "focus" not in cleared["shared"]  # the Map owns the focus: cleared there, gone


def test_trends_without_an_area_starts_from_the_country(dash_env):
    from dashboard.core import queries
    from dashboard.views.trends.state import parse_trends

    cat = queries.catalogue()
    state, problems = parse_trends({}, cat)
    assert state.areas == ("00",) and problems == []
    state, _ = parse_trends({"area": "0127"}, cat)  # the last chosen area, carried in the URL
    assert state.areas == ("0127",)


def test_a_stale_update_from_a_page_already_left_is_ignored():
    """The Map's URL sync sees Trends' address as the browser leaves: its focus-less update must not
    erase the remembered focus."""
    remembered = {"page": "map", "shared": {"area": "1280", "focus": "12"}}
    stale = {"page": "map", "shared": {"area": "1280"}}
    assert app_module.remember(stale, remembered, "trends") is None
    assert app_module.remember(stale, remembered, "")["shared"] == {"area": "1280"}
