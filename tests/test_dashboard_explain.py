"""Explain-the-gap page: callbacks, figures against the warehouse, URL state, texts, CSV."""

from __future__ import annotations

import importlib

from dashboard_fixture import sql


def page():
    return importlib.import_module("dashboard.views.explain.page")


def row(area: str, year: int, gap: str = "fw_sw") -> dict:
    cols = ("crude_gap", "composition", "rate_effect", "expected_1", "actual_1",
            "standardised_gap", "local_difference")  # fmt: skip
    values = sql(
        f"SELECT {', '.join(cols)} FROM mart.gap_decomposition WHERE area_code=$a AND year=$y AND gap=$g",
        {"a": area, "y": year, "g": gap},
    )[0]
    return dict(zip(cols, values, strict=True))


def test_http_page_and_nav_link(dash_env):
    client = dash_env.app.server.test_client()
    assert client.get("/explain?area=0127&gap=fw_sw&year=2024&lang=en").status_code == 200
    from dashboard import app as app_module

    shared = {"page": "peers", "shared": {"area": "0127", "year": 2023, "gap": "fw_fm"}}
    hrefs = dict(zip(app_module.NAV_PAGES, app_module.nav_hrefs(shared, "en"), strict=True))
    assert hrefs["explain"] == "/explain?area=0127&year=2023&gap=fw_fm&lang=en"


def test_render_split_years_map_scatter_from_the_table(dash_env):
    out = page().render_explain("0127", "fw_sw", 2024, "similar", "standardised", "en")
    split, years, map_fig, scatter = out[:4]
    summary = out[len(page().GRAPHS)]  # the figures, then their summaries in the same order
    expected = row("0127", 2024)
    by_name = {t.name: t for t in split.data}
    labels = list(by_name["Gap"].y)
    i = next(k for k, label in enumerate(labels) if label.startswith("<b>Botkyrka</b>"))
    small = sql("SELECT min_band_population < 100 FROM mart.gap_decomposition WHERE area_code='0127' "
                "AND year=2024 AND gap='fw_sw'")[0][0]  # fmt: skip
    assert labels[i].endswith(" ⚠") == small
    assert abs(by_name["Age structure"].x[i] - round(expected["composition"], 2)) < 1e-9
    assert (
        abs(by_name["Employment at the same ages"].x[i] - round(expected["rate_effect"], 2)) < 1e-9
    )
    assert abs(by_name["Gap"].x[i] - round(expected["crude_gap"], 2)) < 1e-9
    similar = {r[0] for r in sql(
        "SELECT area_code FROM mart.peer_group WHERE peer_kind='similar_labour_2024' AND owner_code='0127'")}  # fmt: skip
    assert len(labels) == len(similar | {"0127"})  # beside its peers' splits
    assert list(years.data[0].x) == [2020, 2021, 2022, 2023, 2024]
    z = dict(zip(map_fig.data[0].locations, map_fig.data[0].z, strict=True))
    assert len(z) == 290 and abs(z["0127"] - round(expected["standardised_gap"], 2)) < 1e-9
    traces = {t.name: t for t in scatter.data}
    assert list(traces["Selected"].customdata) == ["0127"]
    assert set(traces["Peers"].customdata) == similar - {"0127"}
    assert list(traces["As expected"].x) == list(traces["As expected"].y)  # the diagonal
    n = sum(len(t.customdata) for t in scatter.data if t.customdata is not None)
    assert n == 290
    assert summary.startswith(
        "Botkyrka 2024: the gap between foreign-born women and Swedish-born women"
    )
    assert "from age structure" in summary and "synthetic demo values" in summary


def test_map_colours_by_difference_from_expected(dash_env):
    out = page().render_explain("01", "fw_sw", 2024, "similar", "local", "sv")
    map_fig = out[2]
    z = dict(zip(map_fig.data[0].locations, map_fig.data[0].z, strict=True))
    assert len(z) == 21  # a county: the counties' map
    assert abs(z["01"] - round(row("01", 2024)["local_difference"], 2)) < 1e-9
    assert "Stockholms län 2024: gapet mellan utrikes födda kvinnor" in out[len(page().GRAPHS)]


def test_swedish_numbers_and_table_rows(dash_env):
    out = page().render_explain("0127", "fw_sw", 2024, "county", "standardised", "sv")
    expected = row("0127", 2024)
    crude = f"{abs(expected['crude_gap']):.1f}".replace(".", ",")
    assert f"\u2212{crude}\u00a0p.e." in out[len(page().GRAPHS)]
    rows, defs = out[-2], out[-1]
    assert rows[0]["area_code"] == "0127" and rows[0]["synthetic"] == "ja"
    county = {
        r[0]
        for r in sql(
            "SELECT area_code FROM mart.area WHERE county_code='01' AND level='municipality'"
        )
    }
    assert {r["area_code"] for r in rows} == county
    assert {d["field"] for d in defs} >= {"composition", "rate_effect", "flags", "synthetic"}


def test_url_round_trip_and_bad_values(dash_env):
    from dashboard.core import queries
    from dashboard.urlstate import to_search
    from dashboard.views.explain.view import parse_explain

    cat = queries.catalogue()
    state, problems = parse_explain({"area": "LA2401", "gap": "fm_sm", "year": "2022",
                                     "peers": "la", "colour": "local"}, cat)  # fmt: skip
    assert problems == []
    again, _ = parse_explain(
        dict(p.split("=") for p in to_search(state.to_query())[1:].split("&")), cat
    )
    assert again == state
    bad, problems = parse_explain({"area": "DROP TABLE", "gap": "roww_sw", "year": "x"}, cat)
    assert {p.param for p in problems} == {"area", "gap", "year"}
    layout = str(page().layout(area="DROP TABLE", colour="?", lang="en"))
    assert "The address had invalid choices" in layout and "Traceback" not in layout


def test_csv_download_is_the_table(dash_env):
    data = page().download_csv(1, "0127", "fw_sw", 2024, "similar", "standardised", "en")
    lines = data["content"].lstrip("\ufeff").splitlines()
    assert data["filename"] == "explain_0127_fw_sw_2024.csv"
    assert lines[0].startswith("Code,Area,Year,Group 1 (%)") and "Synthetic" in lines[0]
    assert lines[1].startswith("0127,Botkyrka,2024,") and lines[1].endswith(",yes")


def _ids(node) -> list[str]:
    """Component ids of a layout in document order."""
    out = [node.id] if getattr(node, "id", None) else []
    children = getattr(node, "children", None)
    many = isinstance(children, list | tuple)
    for child in children if many else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            out += _ids(child)
    return out


def test_kolada_expected_model_beside_the_split(dash_env, shared_dir):
    from dashboard.ui import ids
    from etl.demo.kolada_v3 import read_ddf

    out = page().render_explain("0127", "fw_sw", 2020, "similar", "standardised", "en")
    keys = [k for k, *_ in page().GRAPHS]
    fig, summary = out[keys.index("kolada")], out[len(keys) + keys.index("kolada")]
    traces = {t.name: t for t in fig.data}
    expected = traces["Kolada's expected value, N00485 (%)"]
    recorded = read_ddf("N00485", shared_dir / "recorded" / "kolada-values")
    recorded = recorded[recorded.geo == "0127"].set_index("year").value
    assert len(recorded) and set(recorded.index) <= set(expected.x)
    got = dict(zip(expected.x, expected.y, strict=True))
    assert all(abs(got[y] - round(v, 2)) < 0.051 for y, v in recorded.items())
    hover = expected.hovertext[list(expected.x).index(int(recorded.index[0]))]
    assert "real published value" in hover and "Deviation, N00486" in hover
    assert "another model" in fig.layout.title.text.replace("<br>", " ").lower()
    assert "another model, for another group" in summary and "refugees" in summary
    assert "all foreign-born people" in summary
    # on the page: directly after the split; the map's control sits with the map
    order = _ids(page().layout(area="0127", lang="en"))
    split, kolada = order.index(ids.EXPLAIN_SPLIT_GRAPH), order.index(ids.EXPLAIN_KOLADA_GRAPH)
    colour, the_map = order.index(ids.EXPLAIN_COLOUR), order.index(ids.EXPLAIN_MAP_GRAPH)
    assert split < kolada < order.index(ids.EXPLAIN_YEARS_GRAPH) < colour < the_map
    assert order.index(ids.EXPLAIN_YEAR) < split  # the shared controls stay above


def test_the_summaries_say_how_the_expected_difference_relates_to_the_gap(dash_env):
    out = page().render_explain("0127", "fw_sw", 2024, "similar", "standardised", "en")
    keys = [k for k, *_ in page().GRAPHS]
    split = out[len(keys) + keys.index("split")]
    scatter = out[len(keys) + keys.index("scatter")]
    years = out[len(keys) + keys.index("years")]
    level = "lower" if row("0127", 2024)["rate_effect"] < 0 else "higher"
    assert f"from foreign-born women having {level} employment than Swedish-born women" in split
    assert "not with Swedish-born women" in scatter and "the gap above" in scatter
    sv = page().render_explain("0127", "fw_sw", 2024, "similar", "standardised", "sv")
    assert all("p.e.." not in text for text in sv[len(keys) : 2 * len(keys)])
    assert "came from age structure." in years
