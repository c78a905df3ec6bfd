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
    summary = out[4]
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
    assert "Stockholms län 2024: gapet mellan utrikes födda kvinnor" in out[4]


def test_swedish_numbers_and_table_rows(dash_env):
    out = page().render_explain("0127", "fw_sw", 2024, "county", "standardised", "sv")
    expected = row("0127", 2024)
    crude = f"{abs(expected['crude_gap']):.1f}".replace(".", ",")
    assert f"\u2212{crude}\u00a0p.e." in out[4]
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
