"""The area profile (/area, dashboard/views/area/): spine rows against the warehouse, the planner's
table, URL state, the funnel plot, and the PDF report (text, both languages, cache, failure)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from tests.dashboard_fixture import sql


@pytest.fixture
def area_mods(dash_env):
    from dashboard.views.area import data, render, report, state

    return data, render, report, state


def test_spine_rows_equal_the_warehouse_and_quartiles_recomputed(area_mods):
    data, _render, _report, _state = area_mods
    a = data.area("0127")
    rows = data.spine_rows(a, "county", "country")
    assert len(rows) >= 9
    for r in rows.itertuples():
        latest = sql(
            "SELECT max(year) FROM mart.observation WHERE area_code = '0127' AND indicator = $i "
            "AND age = $a AND value IS NOT NULL",
            {"i": r.indicator, "a": r.age},
        )[0][0]
        assert r.year == latest
        (value, low, high), = sql(
            "SELECT value, ci_low, ci_high FROM mart.observation WHERE area_code = '0127' "
            "AND indicator = $i AND age = $a AND year = $y AND sex = $s AND birth_region = $b",
            {"i": r.indicator, "a": r.age, "y": r.year, "s": r.sex, "b": r.birth_region},
        )  # fmt: skip
        assert r.value == value
        assert (r.ci_low, r.ci_high) == (low, high) or (np.isnan(r.ci_low) and low is None)
        county_values = [
            v for (v,) in sql(
                "SELECT o.value FROM mart.observation o JOIN mart.area a USING (area_code) "
                "WHERE a.level = 'municipality' AND a.county_code = '01' AND o.indicator = $i "
                "AND o.age = $a AND o.year = $y AND o.sex = $s AND o.birth_region = $b "
                "AND o.value IS NOT NULL",
                {"i": r.indicator, "a": r.age, "y": r.year, "s": r.sex, "b": r.birth_region},
            )
        ]  # fmt: skip
        assert r.n_comparators == len(county_values) == 26
        q0, q25, q75, q100 = np.percentile(county_values, [0, 25, 75, 100])
        assert (r.q0, r.q25, r.q75, r.q100) == pytest.approx((q0, q25, q75, q100))
        country = sql(
            "SELECT value FROM mart.observation WHERE area_code = '00' AND indicator = $i "
            "AND age = $a AND year = $y AND sex = $s AND birth_region = $b",
            {"i": r.indicator, "a": r.age, "y": r.year, "s": r.sex, "b": r.birth_region},
        )
        assert r.benchmark == (country[0][0] if country else None) or np.isnan(r.benchmark)


def test_spine_verdicts_follow_the_interval(area_mods):
    data, render, _report, state = area_mods
    from etl import uncertainty as u

    fig, summary, table, tables = render.spine(data.area("0127"), state.AreaState(), "en")
    rows = data.spine_rows(data.area("0127"), "all", "country")
    verdict_col = table["Against the benchmark"].tolist()
    for r, shown in zip(rows.itertuples(), verdict_col, strict=True):
        if np.isnan(r.ci_low) or r.benchmark is None or np.isnan(r.benchmark):
            assert shown == "Not compared (no counts, or derived)"
        elif r.ci_low <= r.benchmark <= r.ci_high:
            assert shown == "Not different"
        else:
            assert shown.startswith("Significantly")
    assert "TAB3200" in tables
    assert len(fig.data) >= 4 and u.NOT_COMPARED  # bars and points
    assert "against Sweden" in summary


def test_planner_table_of_stockholm_county(area_mods):
    data, render, _report, state = area_mods
    table, summary = render.planner(data.area("01"), state.AreaState(area="01", since=2020), "en")
    kinds = set(table["Kind"])
    assert {"municipality", "LUA district", "county", "country"} <= kinds
    assert "county without LUA" in kinds
    assert (table["Kind"] == "municipality").sum() == 26
    assert (table["Kind"] == "LUA district").sum() == len(
        data.districts_in(data.level_codes("municipality", "01"))
    )
    gap = table.loc[table["Area"] == "Botkyrka", "Gap (pp)"].iloc[0]
    (fw,), (sw,) = (
        sql("SELECT value FROM mart.observation WHERE area_code = '0127' AND indicator = "
            "'employment_rate' AND age = '20-65' AND sex = 'women' AND birth_region = $b "
            "AND year = (SELECT max(year) FROM mart.observation WHERE area_code = '0127' AND "
            "age = '20-65' AND indicator = 'employment_rate' AND value IS NOT NULL)", {"b": b})[0]
        for b in ("foreign", "sweden")
    )  # fmt: skip
    assert gap == pytest.approx(round(fw - sw, 1))
    assert "since 2020" in summary
    by_change, _ = render.planner(data.area("01"), state.AreaState(area="01", sort="change"), "en")
    changes = by_change["Change (pp)"].dropna().tolist()
    assert changes == sorted(changes)


def test_planner_table_has_a_change_for_every_district_and_the_county_without_them(area_mods):
    data, render, _report, state = area_mods
    county = data.area("01")
    table, summary = render.planner(county, state.AreaState(area="01", since=2020), "en")
    districts = table[table["Kind"] == "LUA district"]
    assert len(districts) == 17
    missing = districts.loc[districts["Change (pp)"].isna(), "Area"].tolist()
    assert not missing, f"no change since 2020 for {missing}"
    assert districts["Gap (pp)"].notna().all()
    rest = table[table["Kind"] == "county without LUA"]
    assert len(rest) == 1
    assert rest["Gap (pp)"].notna().all() and rest["Change (pp)"].notna().all()
    # the row is the county's counts minus the 17's, on the planner's one age band
    (gap,) = sql(
        "SELECT max(value) FILTER (WHERE birth_region = 'foreign') - "
        "max(value) FILTER (WHERE birth_region = 'sweden') FROM mart.observation "
        "WHERE area_code = 'lua_stockholm_rest' AND indicator = 'employment_rate' "
        "AND sex = 'women' AND age = $a AND status = 'derived' AND year = "
        "(SELECT max(year) FROM mart.observation WHERE area_code = '01' AND age = $a "
        "AND indicator = 'employment_rate' AND value IS NOT NULL)",
        {"a": data.PLANNER_AGE},
    )[0]
    assert rest["Gap (pp)"].iloc[0] == pytest.approx(round(gap, 1))
    assert f"ages {data.PLANNER_AGE}" in summary
    note = render.planner_note("en")
    assert "20-64" in note and data.PLANNER_AGE in note


def test_url_state_round_trip_and_problems(area_mods):
    _data, _render, _report, state = area_mods
    s, problems = state.parse(
        {"area": "01", "cmp": "peers", "bench": "county", "since": "2021", "sort": "change"}
    )
    assert not problems and state.parse(s.to_query())[0] == s
    s, problems = state.parse({"area": "nowhere", "cmp": "x", "since": "abc"})
    assert s.area == state.DEFAULT_AREA and {p.param for p in problems} == {"area", "cmp", "since"}


def test_funnel_on_the_peers_page(dash_env):
    from dashboard.core import queries
    from dashboard.views.peers import funnel
    from dashboard.views.peers.state import parse_peers

    st, _ = parse_peers({"area": "0127", "peers": "skr"}, queries.catalogue())
    fig, summary = funnel.funnel(st, "en")
    names = [tr.name for tr in fig.data]
    assert "95 % limit" in names and "99.8 % limit" in names
    n_peers = len(queries.peer_codes("skr", "0127"))
    assert f"of {n_peers} lie outside the 95 % limits" in summary
    layout = dash_env.peers.layout(area="0127")
    assert "peers-funnel-graph" in str(layout)
    from dashboard import provenance
    from dashboard.ui import exports

    said = exports.stamp_of(fig)["source"]  # the Peers page's own sources, no LUA district table
    assert said == provenance.source_line(provenance.view_sources(st, queries.catalogue()), "en")
    assert "LUA" not in said, said


def _pdftotext(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils: scripts/install-chromium.sh"
)
@pytest.mark.parametrize(("lang", "source", "mark"), [
    ("sv", "Källa: SCB", "SYNTETISKA VÄRDEN"), ("en", "Source: SCB", "SYNTHETIC VALUES")])  # fmt: skip
def test_pdf_report(dash_env, tmp_path, monkeypatch, lang, source, mark):
    monkeypatch.setenv("LABOURDASH_REPORT_CACHE", str(tmp_path / "cache"))
    client = dash_env.app.server.test_client()
    resp = client.get(f"/area/report.pdf?area=0127&lang={lang}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data[:4] == b"%PDF"
    text = _pdftotext(resp.data, tmp_path)
    flat = " ".join(text.split())
    assert "Botkyrka" in flat and source in flat and mark in flat
    permalink = "/area?area=0127" + ("&lang=en" if lang == "en" else "")
    assert permalink in flat.replace(" ", "")
    cached = list((tmp_path / "cache").glob("*.pdf"))
    assert len(cached) == 1 and cached[0].read_bytes() == resp.data


def test_pdf_failure_is_one_line_and_leaves_no_file(dash_env, tmp_path, monkeypatch):
    monkeypatch.setenv("LABOURDASH_REPORT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LABOURDASH_CHROMIUM", str(tmp_path / "no-such-chromium"))
    resp = dash_env.app.server.test_client().get("/area/report.pdf?area=0180&lang=en")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 503 and body.count("\n") == 1
    assert body.startswith("The report could not be made") and "Traceback" not in body
    assert not list((tmp_path / "cache").glob("*")) if (tmp_path / "cache").exists() else True


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils: scripts/install-chromium.sh"
)
@pytest.mark.parametrize(("lang", "source", "mark", "kind"), [
    ("sv", "Källa: SCB", "SYNTETISKA VÄRDEN", "kommun"),
    ("en", "Source: SCB", "SYNTHETIC VALUES", "municipality")])  # fmt: skip
def test_planner_pdf(dash_env, tmp_path, monkeypatch, lang, source, mark, kind):
    monkeypatch.setenv("LABOURDASH_REPORT_CACHE", str(tmp_path / "cache"))
    client = dash_env.app.server.test_client()
    query = f"area=01&lang={lang}&since=2020&sort=change"
    resp = client.get(f"/area/planner.pdf?{query}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data[:4] == b"%PDF"
    flat = " ".join(_pdftotext(resp.data, tmp_path).split())
    # every member municipality and LUA district by name, the county and the country
    from dashboard.views.area import data

    munis = data.level_codes("municipality", "01")
    districts = data.districts_in(munis)
    names = data.names([*munis, *districts, "01"], lang)
    for name in names.values():
        assert name in flat, name
    assert ("Riket" if lang == "sv" else "Sweden") in flat and kind in flat
    assert source in flat and mark in flat
    assert "/area?area=01&since=2020&sort=change" in flat.replace(" ", "")
    assert "_RegSO" not in flat and "lua_" not in flat  # names, never codes
    cached = list((tmp_path / "cache").glob("planner-*.pdf"))
    assert len(cached) == 1 and cached[0].read_bytes() == resp.data
    again = client.get(f"/area/planner.pdf?{query}")
    assert again.data == resp.data and len(list((tmp_path / "cache").glob("*.pdf"))) == 1


def test_planner_pdf_is_linked_from_the_table_and_refused_for_a_municipality(
    dash_env, tmp_path, monkeypatch
):
    from dashboard.views.area import page

    monkeypatch.setenv("LABOURDASH_REPORT_CACHE", str(tmp_path / "cache"))
    layout = str(page.layout(area="01", since="2020"))
    assert "/area/planner.pdf?area=01&since=2020" in layout
    assert "area-planner-pdf" not in str(page.layout(area="0127"))
    resp = dash_env.app.server.test_client().get("/area/planner.pdf?area=0127&lang=en")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 404 and body.count("\n") == 1 and "Botkyrka" in body
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("*"))


def test_planner_pdf_failure_is_one_line_and_leaves_no_file(dash_env, tmp_path, monkeypatch):
    monkeypatch.setenv("LABOURDASH_REPORT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LABOURDASH_CHROMIUM", str(tmp_path / "no-such-chromium"))
    resp = dash_env.app.server.test_client().get("/area/planner.pdf?area=01&lang=sv")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 503 and body.count("\n") == 1
    assert body.startswith("Rapporten kunde inte skapas") and "Traceback" not in body
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("*"))


def test_spine_labels_sit_above_their_bars(area_mods):
    """Phones: no y tick labels take the chart's width; each row's group is written above its
    bar, under a heading naming the indicator once."""
    data, render, _report, state = area_mods
    fig, _summary, table, _tables = render.spine(data.area("0127"), state.AreaState(), "en")
    assert fig.layout.yaxis.visible is False
    rows = data.spine_rows(data.area("0127"), "all", "country")
    texts = [a.text for a in fig.layout.annotations]
    headings = [t for t in texts if t.startswith("<b>")]
    assert len(headings) == rows.indicator.nunique()
    labels = [t for t in texts if not t.startswith("<b>")]
    assert len(labels) == len(rows) == len(table)
    assert "Foreign-born women" in labels and not any(":" in t for t in labels)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    for ann in fig.layout.annotations:  # each label just above its own bar
        if not ann.text.startswith("<b>"):
            assert any(abs(y - (ann.y + 0.3)) < 1e-9 for y in bars[0].y)
    # birth regions in their natural order within an indicator: all, Swedish-born, foreign-born
    order = {"total": 0, "sweden": 1, "foreign": 2}
    for _ind, part in rows.groupby("indicator", sort=False):
        ranks = [order[b] for b in part.birth_region]
        assert ranks == sorted(ranks)


def _z(k1, n1, k2, n2):
    p = (k1 + k2) / (n1 + n2)
    return (k1 / n1 - k2 / n2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))


def test_significance_words_follow_the_test(area_mods):
    """'significant' only where the score test says so; derived values are 'not compared'."""
    data, render, _report, state = area_mods
    table, _ = render.planner(data.area("01"), state.AreaState(area="01"), "en")
    g = data.gaps(list(render.planner_kinds(data.area("01"), "en")), data.PLANNER_AGE)
    g = g.dropna(subset=["gap"])
    latest = g[g.year == g.year.max()].set_index("area_code")
    names = data.names(list(latest.index), "en")
    checked = derived = 0
    for code, r in latest.iterrows():
        shown = table.loc[table["Area"] == names[code], "Significance"].iloc[0]
        if isinstance(r.derived, str):
            assert shown == "derived, not compared"
            derived += 1
        elif pd.isna(r.numerator_1) or pd.isna(r.numerator_2):
            assert shown.startswith("not tested")
        else:
            significant = (
                abs(_z(r.numerator_1, r.denominator_1, r.numerator_2, r.denominator_2)) > 1.96
            )
            assert ("gap *" in shown) == significant, code
            if not significant and "change *" not in shown:
                assert "within chance variation" in shown
            checked += 1
    assert checked >= 20 and derived >= 1
    headline, _ = render.headline(data.area("lua_alby"), "en")
    alby = data.gaps(["lua_alby"], data.PLANNER_AGE).dropna(subset=["gap"]).iloc[-1]
    if isinstance(alby.derived, str):
        assert "not compared: derived value" in headline[0]
        assert "significant" not in headline[0]


def test_disclosure_noise_years_are_flagged_not_widened(area_mods, monkeypatch):
    data, render, _report, state = area_mods
    from etl import seeds

    plain_fig, plain_summary, plain, _ = render.spine(data.area("0127"), state.AreaState(), "en")
    assert "disclosure noise" not in plain_summary  # the demo's years are before the noise
    monkeypatch.setattr(seeds, "noise_from_year", lambda source="scb": 2000)
    _fig, summary, noisy, _ = render.spine(data.area("0127"), state.AreaState(), "en")
    compared = plain["Against the benchmark"] != "Not compared (no counts, or derived)"
    assert compared.sum() > 0 and f"{compared.sum()} comparisons are of years with SCB's" in summary
    flagged = noisy["Against the benchmark"].str.endswith("(CKM noise not in the interval)")
    assert (flagged == compared).all()
    assert noisy["95 % interval"].tolist() == plain["95 % interval"].tolist()  # not widened
    table, _ = render.planner(data.area("01"), state.AreaState(area="01"), "en")
    sig = table["Significance"]
    tested = (sig != "") & ~sig.str.startswith(("not tested", "derived, not compared"))
    assert tested.sum() >= 20
    assert table.loc[tested, "Significance"].str.contains("CKM").all()


def test_ranks_say_what_and_which_way_once(area_mods):
    data, render, _report, _state = area_mods
    lead, lines = render.ranks(data.area("0127"), "en")
    assert "smallest gap first" in lead and "foreign-born and Swedish-born women" in lead
    assert len(lines) == 4 and all(" of " in line and "gap" not in line for line in lines)
