"""Map page callbacks: gap colouring, suppressed/missing apart, small numbers, click selection, size."""
# ruff: noqa: F811  (pytest fixtures imported from dashboard_fixture)

from __future__ import annotations

import json

from dashboard_fixture import dash_env, employment_rate  # noqa: F401

from dashboard import ids, sync


def render(
    env,
    level="municipality",
    muni="1280",
    colour="gap",
    gap="fw_sw",
    group="women.foreign",
    year=2024,
    area=None,
    lang="en",
):
    return env.map.render_map(
        "employment_rate", "20-64", level, muni, colour, gap, group, year, area, lang
    )


def traces(fig):
    return {t.name: t for t in fig.data}


def test_gap_map_is_diverging_centred_on_zero_with_values_from_the_warehouse(dash_env):
    fig, summary, notes, rows, defs, links, *_ = render(dash_env)
    main = fig.data[0]
    assert main.type == "choropleth" and main.zmid == 0 and main.zmin == -main.zmax
    z = dict(zip(main.locations, main.z, strict=True))
    expected = employment_rate("1280", 2024, "women", "foreign") - employment_rate(
        "1280", 2024, "women", "sweden"
    )
    assert abs(z["1280"] - expected) < 1e-6
    assert isinstance(main.geojson, str) and main.geojson.startswith("/geo/municipality.json")
    assert summary.startswith(
        "2024, employment rate, foreign-born women − swedish-born women: from"
    )
    assert "synthetic demo values" in summary


def test_missing_and_suppressed_are_separate_grey_traces_never_zero(dash_env):
    fig = render(dash_env, gap="roww_sw")[0]
    t = traces(fig)
    assert "0881" in list(t["Suppressed (..)"].locations)  # suppressed cell, not a value
    assert "1287" in list(t["No data"].locations)  # no rows at all for 2024
    assert "0881" not in list(fig.data[0].locations) and "1287" not in list(fig.data[0].locations)
    hover = dict(zip(t["Suppressed (..)"].locations, t["Suppressed (..)"].text, strict=True))[
        "0881"
    ]
    assert "Suppressed (..)" in hover


def test_small_numbers_marker_and_hover(dash_env):
    fig = render(dash_env)[0]
    small = traces(fig)["Small numbers (< 100)"]
    assert list(small.customdata) == ["0881"]
    assert "Small numbers" in small.text[0] and "synthetic demo value" in small.text[0]
    main = fig.data[0]
    malmo = dict(zip(main.locations, main.text, strict=True))["1280"]
    value = employment_rate("1280", 2024, "women", "foreign")
    counts = (
        f"({round(3000 * value / 100):,} of 3,000)"  # employed of population, from the warehouse
    )
    assert f"Foreign-born women: {value:.1f}\xa0% {counts}" in malmo and "2024" in malmo


def test_value_colouring_and_table(dash_env):
    fig, summary, notes, rows, defs, *_ = render(dash_env, colour="value", group="men.sweden")
    assert fig.data[0].colorscale[0][1] != fig.data[0].colorscale[-1][1]
    assert getattr(fig.data[0], "zmid", None) is None
    headers = {d["field"]: d["headerName"] for d in defs}
    assert headers["value_0"] == "Swedish-born men"
    malmo = next(r for r in rows if r["area_code"] == "1280")
    assert malmo["value_0"] == employment_rate("1280", 2024, "men", "sweden")
    assert malmo["synthetic"] == "yes"


def test_levels(dash_env):
    county = render(dash_env, level="county")[0]
    assert set(county.data[0].locations) <= {"01", "08", "12"} and county.data[
        0
    ].geojson.startswith("/geo/county")
    la = render(dash_env, level="la_region")[0]
    assert set(la.data[0].locations) == {"LA2401", "LA2409", "LA2416"}
    regso = render(dash_env, level="regso", muni="0880")[0]
    assert "muni=0880" in regso.data[0].geojson
    assert any("Schematic shapes" in a.text for a in regso.layout.annotations)


def test_geo_route_serves_simplified_shapes_and_dissolves_la_regions(dash_env):
    client = dash_env.app.server.test_client()
    resp = client.get("/geo/la_region.json")
    assert resp.status_code == 200 and resp.headers["Cache-Control"].startswith("public")
    doc = json.loads(resp.data)
    assert {f["id"] for f in doc["features"]} == {"LA2401", "LA2409", "LA2416"}
    assert client.get("/geo/regso.json?muni=0880").status_code == 200
    assert client.get("/geo/regso.json?muni=9999").status_code == 404
    assert client.get("/geo/planet.json").status_code == 404


def test_click_selects_area_and_links_other_views(dash_env):
    out = sync.sync(
        dash_env.map.SPEC,
        ids.MAP_GRAPH,
        "",
        [
            "employment_rate",
            "20-64",
            "municipality",
            "1280",
            "gap",
            "fw_sw",
            "women.foreign",
            2024,
            None,
        ],
        "en",
        {"area": "1281"},
    )
    search, controls, msg, shared = out
    assert "area=1281" in search and "lang=en" in search
    assert controls[-1] == "1281" and shared["shared"]["area"] == "1281"
    links = render(dash_env, area="1281")[5]
    hrefs = [c.href for c in links if hasattr(c, "href")]
    trends = next(h for h in hrefs if h.startswith("/trends?"))
    assert {"areas=1281", "ind=employment_rate", "gap=fw_sw", "lang=en"} <= set(
        trends[8:].split("&")
    )
    assert any(h.startswith("/peers?") and "area=1281" in h for h in hrefs)
    fig = render(dash_env, area="1281")[0]
    widths = dict(zip(fig.data[0].locations, fig.data[0].marker.line.width, strict=True))
    assert widths["1281"] > widths["1280"]


def test_clicked_area_from_click_data(dash_env):
    assert dash_env.map.clicked_area({"points": [{"location": "1280"}]}) == "1280"
    assert dash_env.map.clicked_area({"points": [{"customdata": "0881"}]}) == "0881"
    assert dash_env.map.clicked_area(None) is None


def test_play_advances_and_wraps(dash_env):
    assert dash_env.map.next_year(1, 2020, "employment_rate", "20-64", "en")[0] == 2021
    assert dash_env.map.next_year(1, 2024, "employment_rate", "20-64", "en")[0] == 2017
    disabled, label, pressed = dash_env.map.toggle_play(1, True, "en")
    assert disabled is False and label == "Pause" and pressed == "true"


def test_figure_json_is_small(dash_env):
    fig = render(dash_env)[0]
    assert len(fig.to_json()) < 1_000_000


def test_csv_download(dash_env):
    out = dash_env.map.download_csv(
        1,
        "employment_rate",
        "20-64",
        "municipality",
        "1280",
        "gap",
        "fw_sw",
        "women.foreign",
        2024,
        None,
        "sv",
    )
    lines = out["content"].lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Kod,Område,År,Gap (p.e.)")
    assert len(lines) == 1 + 8
