"""Map page callbacks: gap colouring, suppressed/missing apart, small numbers, click selection, size."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from dashboard_fixture import gap, obs, sql

from dashboard.core.gaps import Group
from dashboard.core.text import NumberFormat
from dashboard.core.theme import MODEBAR_PX
from dashboard.ui import ids, sync
from dashboard.views.map import figures as map_fig


def render(
    env,
    level="municipality",
    muni="1280",
    colour="gap",
    gap_id="fw_sw",
    group="women.foreign",
    year=2024,
    area=None,
    lang="en",
):
    return env.map.render_map(
        "employment_rate", "20-64", level, muni, colour, gap_id, group, year, area, None, lang
    )


# the map page's control values in callback order: Malmö's municipality map of the fw_sw gap, 2024
CONTROLS = ("employment_rate", "20-64", "municipality", "1280", "gap", "fw_sw", "women.foreign",
            2024, None, None)  # fmt: skip


def traces(fig):
    return {t.name: t for t in fig.data}


# every municipal gap of the Map's default view (employment 20-64, foreign- minus Swedish-born
# women), all years: the colour range spans them all, so Play compares
GAP_ROWS = (
    "FROM mart.observation w JOIN mart.observation s "
    "ON s.area_code = w.area_code AND s.year = w.year AND s.indicator = w.indicator AND s.age = w.age "
    "JOIN mart.area a ON a.area_code = w.area_code AND a.level = 'municipality' "
    "WHERE w.indicator = 'employment_rate' AND w.age = '20-64' AND w.sex = 'women' "
    "AND w.birth_region = 'foreign' AND s.sex = 'women' AND s.birth_region = 'sweden' "
    "AND w.value IS NOT NULL AND s.value IS NOT NULL"
)
GAPS_SQL = f"SELECT w.value - s.value {GAP_ROWS}"


def test_gap_map_is_diverging_centred_on_zero_with_values_from_the_warehouse(dash_env):
    fig, summary, notes, rows, defs, links, *_ = render(dash_env)
    main = fig.data[0]
    # the scale spans the view's gaps over every year; the demo has a few above zero (the scale
    # then diverges, cut to the values); the colour bar says "below zero" only when all are
    most = max(g for (g,) in sql(GAPS_SQL))
    assert main.type == "choropleth" and main.zmid is None
    assert (main.zmax > 0) == (most > 0)
    assert ("every value below zero" in main.colorbar.title.text) == (most <= 0)
    z = dict(zip(main.locations, main.z, strict=True))
    assert len(z) == 290
    assert abs(z["1280"] - round(gap("1280", 2024), 2)) < 1e-9
    assert isinstance(main.geojson, str) and main.geojson.startswith("/geo/municipality.json")
    assert summary.startswith(
        "2024, employment rate, foreign-born women − Swedish-born women: from"
    )
    assert "(290 municipalities)" in summary and "synthetic demo values" in summary


def test_suppressed_areas_are_a_separate_grey_trace_never_zero(dash_env):
    code, year = sql(
        "SELECT o.area_code, o.year FROM mart.observation o JOIN mart.area a USING (area_code) "
        "WHERE a.level = 'municipality' AND o.indicator = 'employment_rate' AND o.age = '20-64' "
        "AND o.status = 'suppressed' AND o.sex = 'women' AND o.birth_region = 'nordic' LIMIT 1"
    )[0]
    fig, summary, notes, rows, *_ = render(
        dash_env, colour="value", group="women.nordic", year=year
    )
    sup = traces(fig)["Suppressed (..)"]
    assert code in list(sup.locations) and code not in list(fig.data[0].locations)
    assert set(sup.z) == {0} and sup.showscale is False  # drawn grey, not on the colour scale
    hover = dict(zip(sup.locations, sup.text, strict=True))[code]
    assert "Suppressed (..)" in hover
    assert next(r for r in rows if r["area_code"] == code)["value_0"] is None
    assert "suppressed or missing" in summary
    assert any("not zero" in p.children for p in notes)


def test_missing_areas_are_drawn_and_explained():
    frame = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "area": ["Aby", "Bby"],
            "year": [2024, 2024],
            "status": ["ok", "missing"],
            "value_0": [60.0, None],
            "numerator_0": [60.0, None],
            "denominator_0": [100.0, None],
            "status_0": ["ok", "missing"],
            "small": [False, False],
            "synthetic": [True, False],
        }
    )
    fig = map_fig.map_figure(
        frame,
        geojson="/geo/x.json",
        points={"A": (15.0, 60.0), "B": (16.0, 61.0)},
        schematic=False,
        colour="value",
        groups=[Group("women", "foreign")],
        indicator_label="Employment rate",
        fmt=NumberFormat(1, "percent", "en", 100),
    )
    t = traces(fig)
    assert list(t["No data"].locations) == ["B"] and list(fig.data[0].locations) == ["A"]
    assert "No data" in t["No data"].text[0]


def test_small_numbers_marker_and_hover(dash_env, monkeypatch):
    o = obs("1280", 2024, "women", "foreign")
    monkeypatch.setenv("LABOURDASH_SMALL_POPULATION", str(int(o["denominator"]) + 1))
    fig = render(dash_env)[0]
    small = traces(fig)[f"Small numbers (< {int(o['denominator']) + 1})"]
    assert "1280" in list(small.customdata)
    main = fig.data[0]
    malmo = dict(zip(main.locations, main.text, strict=True))["1280"]
    counts = f"({o['numerator']:,.0f} of {o['denominator']:,.0f})"  # employed of population
    assert f"Foreign-born women: {o['value']:.1f}\xa0% {counts}" in malmo and "2024" in malmo
    assert "Small numbers" in malmo and "synthetic demo value" in malmo


def test_value_colouring_and_table(dash_env):
    fig, summary, notes, rows, defs, *_ = render(dash_env, colour="value", group="men.sweden")
    assert getattr(fig.data[0], "zmid", None) is None
    headers = {d["field"]: d["headerName"] for d in defs}
    assert headers["value_0"] == "Swedish-born men, ages 20–64"
    malmo = next(r for r in rows if r["area_code"] == "1280")
    assert malmo["value_0"] == round(obs("1280", 2024, "men", "sweden")["value"], 1)
    assert malmo["synthetic"] == "yes"


def test_levels(dash_env):
    county = render(dash_env, level="county")[0]
    assert len(county.data[0].locations) == 21 and county.data[0].geojson.startswith("/geo/county")
    la = render(dash_env, level="la_region")[0]
    assert len(la.data[0].locations) == 66
    regso = render(dash_env, level="regso", muni="0880")[0]
    assert "muni=0880" in regso.data[0].geojson
    assert any("Schematic shapes" in a.text for a in regso.layout.annotations)


def test_geo_route_serves_simplified_shapes(dash_env):
    client = dash_env.app.server.test_client()
    resp = client.get("/geo/municipality.json")
    assert resp.status_code == 200 and resp.headers["Cache-Control"].startswith("public")
    doc = json.loads(resp.data)
    assert len(doc["features"]) == 290 and len(resp.data) < 1_000_000
    assert client.get("/geo/regso.json?muni=0880").status_code == 200
    assert client.get("/geo/regso.json?muni=9999").status_code == 404
    assert client.get("/geo/planet.json").status_code == 404


def test_la_regions_can_be_dissolved_from_municipalities(dash_env):
    from dashboard.core import geo

    shapes, _ = geo._dissolve_la()
    assert len(shapes) == 66 and all(not s.is_empty for s in shapes.values())


def test_click_selects_area_and_links_other_views(dash_env):
    search, controls, msg, shared = sync.sync(
        dash_env.map.SPEC, ids.MAP_GRAPH, "", list(CONTROLS), "en", {"area": "1281"}
    )
    assert "area=1281" in search and "lang=en" in search
    assert controls[-2] == "1281" and shared["shared"]["area"] == "1281"
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
    first = sql(
        "SELECT min(year) FROM mart.observation WHERE indicator = 'employment_rate' AND age = '20-64' AND value IS NOT NULL"
    )[0][0]
    assert dash_env.map.next_year(1, 2020, "employment_rate", "20-64", "en")[0] == 2021
    assert dash_env.map.next_year(1, 2024, "employment_rate", "20-64", "en")[0] == first
    disabled, label, pressed = dash_env.map.toggle_play(1, True, "en")
    assert disabled is False and label == "Pause" and pressed == "true"


def test_figure_json_is_small(dash_env):
    for level in ("municipality", "regso"):
        fig = render(dash_env, level=level, muni="0180")[0]
        assert len(fig.to_json()) < 1_000_000


def test_csv_download(dash_env):
    out = dash_env.map.download_csv(1, *CONTROLS, "sv")
    lines = [x for x in out["content"].lstrip("\ufeff").splitlines() if x and x[0] != "#"]
    assert lines[0].startswith("Kod;Område;År;Gap (p.e.)")  # Swedish Excel: semicolons
    assert len(lines) == 1 + 290


def test_colour_range_is_the_same_for_every_year_so_play_compares(dash_env):
    early = render(dash_env, year=2021)[0].data[0]
    late = render(dash_env, year=2024)[0].data[0]
    assert (early.zmin, early.zmax) == (late.zmin, late.zmax)
    gaps = [g for (g,) in sql(GAPS_SQL)]
    q01, q99 = (float(pd.Series(gaps).quantile(q)) for q in (0.01, 0.99))
    assert q99 < 0  # nearly every demo gap below zero: the 1st-99th percentile range ...
    top = max(gaps)  # ... but the range keeps the sign of every value (one above zero counts)
    want_hi = top if top > 0 else q99
    assert late.zmid is None
    assert late.zmax == pytest.approx(want_hi)
    assert late.zmin == pytest.approx(q01 if top > 0 else min(q01, q99 - 1.0))
    assert late.zmin > min(gaps)  # outliers do not set the scale


def test_map_frame_is_shaped_like_the_shapes_and_fills_the_card(dash_env):
    from dashboard.core import geo

    fig = render(dash_env)[0]
    g = fig.layout.geo
    assert g.fitbounds == "locations"
    lon0, lat0, lon1, lat1 = geo.shapes("municipality").bounds
    assert 10 < lon0 < 12 and 23 < lon1 < 25 and 54.5 < lat0 < 56 and 68.5 < lat1 < 70  # Sweden
    assert g.lonaxis.range[0] < lon0 and g.lonaxis.range[1] > lon1  # a little padding
    assert g.lataxis.range[0] < lat0 and g.lataxis.range[1] > lat1
    assert fig.layout.height >= 700
    # the right margin is the tool bar's, so it covers neither the map nor the permalink above it
    assert fig.layout.margin.l == 0 and fig.layout.margin.r >= MODEBAR_PX
    assert fig.layout.margin.b <= 10
    bar = fig.data[0].colorbar
    assert bar.orientation == "h" and bar.yanchor == "bottom" and bar.y == 0
    assert g.domain.y[0] >= 0.08 and g.domain.x == (0, 1)  # the colour bar's strip is under the map


def test_regso_map_frame_is_one_municipality(dash_env):
    fig = render(dash_env, level="regso", muni="0880")[0]
    lon = fig.layout.geo.lonaxis.range
    lat = fig.layout.geo.lataxis.range
    assert lon[1] - lon[0] < 3 and lat[1] - lat[0] < 3  # Kalmar, not all of Sweden
