"""Trends page callbacks: group lines split at the series break, gap shading and pp labels, summaries."""

from __future__ import annotations

from dashboard_fixture import gap, obs, sql


def render(env, areas=("1280",), gap_id="fw_sw", birth="main", sexes="split", lang="en"):
    return env.trends.render_trends(
        list(areas), "employment_rate", "20-64", gap_id, birth, sexes, lang
    )


def _women_years(code: str, condition: str) -> list[int]:
    """Years of the employment rate of foreign- or Swedish-born women in `code` meeting `condition`."""
    rows = sql(
        "SELECT DISTINCT year FROM mart.observation WHERE indicator = 'employment_rate' AND age = '20-64' "
        f"AND area_code = $c AND sex = 'women' AND birth_region IN ('foreign', 'sweden') AND {condition} ORDER BY year",
        {"c": code},
    )
    return [r[0] for r in rows]


def years_of(code: str) -> list[int]:
    return _women_years(code, "value IS NOT NULL")


def break_years(code: str) -> list[int]:
    return _women_years(code, "series_break")


def test_gap_line_equals_foreign_minus_swedish_born_women(dash_env):
    lines, summary, gap_fig, gap_summary, notes, rows, defs = render(dash_env)
    malmo = [t for t in gap_fig.data if t.name == "Malmö"]
    points = {x: y for t in malmo for x, y in zip(t.x, t.y, strict=True)}
    assert sorted(points) == years_of("1280")
    for year, y in points.items():
        assert abs(y - round(gap("1280", year), 2)) < 1e-9


def test_no_line_crosses_the_series_break_and_the_break_is_marked(dash_env):
    breaks = break_years("1280")
    assert breaks == [1997, 2019, 2020]  # RAMS-1993 → RAMS → RAMS-2019 (new definition) → BAS
    lines, _, gap_fig, *_ = render(dash_env)
    for fig in (lines, gap_fig):
        for brk in breaks:
            for t in fig.data:
                if str(t.legendgroup or "").startswith("ref-"):
                    continue  # county/country reference lines follow their own series' breaks
                if t.x is not None and len(t.x):
                    assert not (min(t.x) < brk <= max(t.x)), t.name
            assert any(s.x0 == brk - 0.5 for s in fig.layout.shapes)
        assert sum("Series break RAMS → BAS" in a.text for a in fig.layout.annotations) == 1


def test_gap_is_shaded_between_its_two_lines_and_labelled_in_pp(dash_env):
    lines = render(dash_env)[0]
    fills = [t for t in lines.data if t.fill == "tonexty"]
    assert len(fills) == len(break_years("1280")) + 1  # one per series segment
    last = fills[-1]
    assert (
        last.x[-1] == 2024
        and abs(last.y[-1] - round(obs("1280", 2024, "women", "foreign")["value"], 2)) < 1e-9
    )
    g = gap("1280", 2024)
    assert any(a.text == f"<b>−{abs(g):.1f}\xa0pp</b>" for a in lines.layout.annotations)


def test_lines_for_birth_regions_and_sexes(dash_env):
    lines = render(dash_env, birth="detail")[0]
    names = {t.name for t in lines.data if t.name}
    assert {
        "Swedish-born women",
        "Swedish-born men",
        "Women born outside the EU/EFTA",
        "Women born in the Nordic countries",
        "Foreign-born women",
    } <= names
    total = render(dash_env, sexes="total", gap_id="f_s")[0]
    assert {t.name for t in total.data if t.name} == {"Swedish-born people", "Foreign-born people"}
    time_in_sweden = render(dash_env, birth="time")[0]
    assert "Foreign-born women with 0–1 years in Sweden" in {t.name for t in time_in_sweden.data}


def test_summaries_and_notes(dash_env):
    _, summary, _, gap_summary, notes, *_ = render(dash_env)
    value = obs("1280", 2024, "women", "foreign")["value"]
    first = years_of("1280")[0]
    assert summary.startswith(f"2024: foreign-born women in Malmö {value:.1f}")
    assert f"Swedish-born women ({first}:" in summary and "synthetic demo values" in summary
    assert "in Malmö the gap" in gap_summary
    text = " ".join(p.children for p in notes)
    assert "RAMS" in text and "2025" in text and "noise" in text


def test_several_areas_get_a_panel_each(dash_env):
    lines, summary, gap_fig, *_ = render(dash_env, areas=("1280", "LA2416", "SET_LUA_STHLM"))
    assert lines.layout.yaxis3.domain[1] < lines.layout.yaxis.domain[0]
    names = {t.name for t in gap_fig.data}
    assert "Malmö" in names and "LUA municipalities in Stockholm county" in names
    assert "others:" in summary


def test_empty_selection_explains(dash_env):
    lines, summary, gap_fig, gap_summary, notes, rows, defs = render(dash_env, areas=())
    assert "no areas are selected" in summary
    assert "no areas are selected" in lines.layout.annotations[0].text
    assert rows == []


def test_table_has_group_rows_and_gap_rows(dash_env):
    rows = render(dash_env)[5]
    groups = {r["group"] for r in rows}
    assert "Foreign-born women" in groups
    gap_rows = [r for r in rows if r["group"].startswith("Gap:")]
    assert len(gap_rows) == len(years_of("1280"))
    assert {"RAMS", "BAS"} <= {r["series"] for r in rows}


def test_csv_download(dash_env):
    out = dash_env.trends.download_csv(
        1, ["1280"], "employment_rate", "20-64", "fw_sw", "main", "split", "en"
    )
    header = out["content"].lstrip("\ufeff").splitlines()[0]
    assert (
        header
        == 'Code,Area,Year,Group,"Value, ages 20–64",Numerator (count),Population (denominator),Status,Series,Small numbers,'
        "Real or synthetic,Source: table/KPI (updated),Synthetic"
    )
    rows = out["content"].lstrip("\ufeff").splitlines()[1:]
    assert any(",real," in r for r in rows)  # Malmö's recorded Kolada years say they are real
    assert any(",synthetic," in r for r in rows)


def test_disclosure_control_years_are_marked():
    import pandas as pd

    from dashboard.core.gaps import GAPS, Group
    from dashboard.core.text import NumberFormat
    from dashboard.views.trends import figures as trends_fig

    rows = []
    for year, series, brk in ((2019, "RAMS", False), (2020, "BAS", True), (2025, "BAS", False)):
        for br, v in (("foreign", 60.0), ("sweden", 80.0)):
            rows.append(
                {
                    "area_code": "X",
                    "year": year,
                    "sex": "women",
                    "birth_region": br,
                    "group": f"women.{br}",
                    "value": v,
                    "numerator": None,
                    "denominator": 500.0,
                    "status": "ok",
                    "series": series,
                    "series_break": brk,
                    "synthetic": True,
                    "small": False,
                }
            )
    obs = pd.DataFrame(rows)
    fig = trends_fig.trends_figure(
        obs,
        pd.DataFrame(),
        areas=["X"],
        names={"X": "X"},
        groups=[Group("women", "sweden"), Group("women", "foreign")],
        gap=GAPS["fw_sw"],
        fmt=NumberFormat(1, "percent", "en", 100),
        indicator_label="Employment rate",
    )
    texts = [a.text for a in fig.layout.annotations]
    assert "Noise (CKM) from 2025" in texts
    assert any(x.startswith("Series break RAMS → BAS 20") for x in texts), texts  # with its years
    assert any(s.type == "rect" and s.x0 == 2024.5 for s in fig.layout.shapes)


def test_area_dropdown_leaves_out_regso_unless_selected(dash_env, cat):
    from dashboard.views.trends.page import area_options

    plain = area_options(cat, "sv")
    assert len(plain) < 500  # ~3,400 RegSO options made the page take seconds to render
    assert not [o for o in plain if "_RegSO" in o["value"]]
    chosen = area_options(cat, "sv", ["0880R001_RegSO2025", "1280"])
    regso = [o["value"] for o in chosen if "_RegSO" in o["value"]]
    assert regso == ["0880R001_RegSO2025"]


def test_year_axis_fits_the_data_with_few_ticks(dash_env):
    fig = render(dash_env)[0]
    years = years_of("1280")
    axis = fig.layout.xaxis
    assert list(axis.range) == [min(years) - 0.5, max(years) + 0.5]  # no empty years for the label
    assert axis.dtick >= (max(years) - min(years)) / 7  # at most ~7 ticks: readable on a phone
    assert float(axis.dtick).is_integer()


def test_regso_options_on_demand(dash_env, cat):
    import dash

    from dashboard.views.trends.page import REGSO_SEARCH_MAX, area_choices

    assert area_choices(None, ["1280"], "sv") is dash.no_update  # nothing to add
    assert area_choices("Ma", ["1280"], "sv") is dash.no_update  # too short to search
    back = area_choices(None, ["1280", "0880R001_RegSO2025"], "sv")  # e.g. back/forward
    assert "0880R001_RegSO2025" in {o["value"] for o in back} and len(back) < 500
    name = cat.area_name("0880R001_RegSO2025", "sv")
    found = area_choices(name[:6], ["1280"], "sv")
    regso = [o for o in found if "_RegSO" in o["value"]]
    assert regso and len(regso) <= REGSO_SEARCH_MAX
    assert all(name[:6].casefold() in o["label"].casefold() for o in regso)


def test_gap_label_sits_inside_the_plot(dash_env):
    from dashboard.core.theme import MODEBAR_PX

    fig = render(dash_env)[0]
    label = next(a for a in fig.layout.annotations if a.text and a.text.endswith("pp</b>"))
    lo, hi = fig.layout.xaxis.range
    assert lo <= label.x <= hi and label.xanchor == "right"  # never past the axis end
    assert fig.layout.margin.r <= MODEBAR_PX  # no margin reserved for it beyond the tool bar's


def test_the_regional_report_line_stockholm_county_born_outside_eu_efta_1997_2008(dash_env):
    """The report behind the product: Stockholm county, 20-64, born outside the EU/EFTA, 1997-2008."""
    lines = render(dash_env, areas=("01",), sexes="total", birth="detail", gap_id="row_s")[0]
    outside = [t for t in lines.data if t.name == "People born outside the EU/EFTA"]
    years = sorted({int(x) for t in outside for x in t.x})
    assert {1997, 2008} <= set(years)
    expected = sql(
        "SELECT year, value, source_table FROM mart.observation WHERE indicator = 'employment_rate' "
        "AND age = '20-64' AND area_code = '01' AND sex = 'total' AND birth_region = 'rest_of_world' "
        "AND year IN (1997, 2008) ORDER BY year"
    )
    assert [r[2] for r in expected] == ["TAB389", "TAB389"]  # RAMS integration statistics, county
    drawn = {int(x): y for t in outside for x, y in zip(t.x, t.y, strict=True)}
    assert [round(drawn[y], 1) for y in (1997, 2008)] == [round(v, 1) for _, v, _ in expected]
