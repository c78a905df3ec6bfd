"""Peers page callbacks: rank x of n, median, population-weighted mean, dumbbell, slope, CSV."""

from __future__ import annotations

import statistics

import pytest
from dashboard_fixture import gap, obs, sql


def call(
    env, area="1280", kind="similar", custom=None, gap_id="fw_sw", year=2024, year0=2020, lang="en"
):
    return env.peers.render_peers(
        area, kind, custom or [], "employment_rate", "20-64", gap_id, year, year0, lang
    )


def similar(code: str) -> set[str]:
    rows = sql(
        "SELECT area_code FROM mart.peer_group WHERE peer_kind = 'similar_labour_2024' AND owner_code = $m",
        {"m": code},
    )
    return {r[0] for r in rows} | {code}


def test_rank_median_and_weighted_mean_match_hand_computation(dash_env):
    dumbbell, summary, slope, slope_summary, stats, notes, rows, defs = call(dash_env)
    peers = similar("1280")
    fw = {c: obs(c, 2024, "women", "foreign") for c in peers}
    values = {c: o["value"] for c, o in fw.items()}
    rank = 1 + sum(values[c] > values["1280"] for c in peers)  # ties share the best rank
    wmean = sum(values[c] * fw[c]["denominator"] for c in peers) / sum(
        fw[c]["denominator"] for c in peers
    )
    median = statistics.median(values.values())
    g = gap("1280", 2024)
    assert f"rank {rank} of {len(peers)} peers" in summary
    assert f"foreign-born women in Malmö {values['1280']:.1f}" in summary
    assert f"{abs(g):.1f}\xa0pp below Swedish-born women" in summary
    assert f"population-weighted mean {wmean:.1f}" in summary
    assert f"peer median {median:.1f}" in summary
    assert "synthetic demo values" in summary
    by_code = {r["area_code"]: r for r in rows}
    assert set(by_code) == peers
    assert by_code["1280"]["rank"] == rank
    assert abs(by_code["1280"]["gap_pp"] - round(g, 1)) < 1e-9
    assert f"rank {rank} of {len(peers)}" in str(stats)


def test_dumbbell_has_both_groups_highlight_and_reference_lines(dash_env):
    dumbbell = call(dash_env)[0]
    names = [t.name for t in dumbbell.data]
    assert "Swedish-born women" in names and "Foreign-born women" in names
    assert any(n and n.startswith("Peer median") for n in names)
    assert any(n and n.startswith("Population-weighted mean") for n in names)
    foreign = next(t for t in dumbbell.data if t.name == "Foreign-born women")
    assert "<b>Malmö</b>" in list(foreign.y)  # the selected municipality is highlighted
    assert len(foreign.x) == len(similar("1280"))
    ranked = [v for v in foreign.x]
    assert ranked == sorted(ranked, reverse=True)  # ranked chart


def test_slope_chart_and_summary(dash_env):
    _, _, slope, slope_summary, *_ = call(dash_env)
    malmo = next(t for t in slope.data if t.name == "Malmö")  # the highlighted line
    assert list(malmo.x) == ["2020", "2024", None]
    expected = [round(gap("1280", 2020), 1), round(gap("1280", 2024), 1)]
    assert [round(v, 1) for v in malmo.y[:2]] == expected
    others = next(t for t in slope.data if t.name == "Peers")
    assert len(others.x) == 3 * (len(similar("1280")) - 1)
    assert "Between 2020 and 2024 the gap in Malmö" in slope_summary
    assert "synthetic demo value" in malmo.hovertext[0]


def test_peer_sets(dash_env):
    def members(where: str, code: str) -> set[str]:
        rows = sql(
            f"SELECT area_code FROM mart.area WHERE level = 'municipality' AND {where} = (SELECT {where} FROM mart.area WHERE area_code = $c)",
            {"c": code},
        )
        return {r[0] for r in rows}

    assert {r["area_code"] for r in call(dash_env, kind="la")[6]} == members("la_code", "1280")
    assert {r["area_code"] for r in call(dash_env, area="0880", kind="county")[6]} == members(
        "county_code", "0880"
    )
    assert {r["area_code"] for r in call(dash_env, area="1281", kind="skr")[6]} == members(
        "skr_group", "1281"
    )
    custom = call(dash_env, kind="custom", custom=["0180", "0880"])[6]
    assert {r["area_code"] for r in custom} == {"1280", "0180", "0880"}


def test_empty_peer_set_explains(dash_env):
    dumbbell, summary, slope, *_ = call(dash_env, kind="custom", custom=[])
    assert "Nothing to show" in summary and "peer set is empty" in summary
    assert (
        dumbbell.layout.annotations and "peer set is empty" in dumbbell.layout.annotations[0].text
    )


def test_suppressed_values_are_never_zero(dash_env):
    code, year, sex, br = sql(
        "SELECT o.area_code, o.year, o.sex, o.birth_region FROM mart.observation o JOIN mart.area a USING (area_code) "
        "WHERE a.level = 'municipality' AND o.indicator = 'employment_rate' AND o.age = '20-64' "
        "AND o.status = 'suppressed' AND o.sex = 'women' AND o.birth_region = 'nordic' LIMIT 1"
    )[0]  # the calibrated demo keeps foreign-born groups above 200 people: Nordic-born are fewer
    rows = call(
        dash_env, area="1280", kind="custom", custom=[code], gap_id="nw_sw", year=year, year0=year
    )[6]
    row = next(r for r in rows if r["area_code"] == code)
    assert row["value_0"] is None and row["gap_pp"] is None and row["status"] == "Suppressed (..)"


def test_small_numbers_are_flagged(dash_env, monkeypatch):
    den = obs("1280", 2024, "women", "foreign")["denominator"]
    monkeypatch.setenv("LABOURDASH_SMALL_POPULATION", str(int(den) + 1))
    rows = call(dash_env)[6]
    assert next(r for r in rows if r["area_code"] == "1280")["small"] == "yes"
    monkeypatch.setenv("LABOURDASH_SMALL_POPULATION", "1")
    assert all(r["small"] == "no" for r in call(dash_env)[6])


def test_swedish_summary(dash_env):
    summary = call(dash_env, lang="sv")[1]
    assert summary.startswith("2024: utrikes födda kvinnor i Malmö")
    assert "plats" in summary and "syntetiska demovärden" in summary and "," in summary


def test_csv_download(dash_env):
    out = dash_env.peers.download_csv(
        1, "1280", "similar", [], "employment_rate", "20-64", "fw_sw", 2024, 2020, "en"
    )
    assert out["filename"].endswith(".csv")
    lines = [x for x in out["content"].lstrip("\ufeff").splitlines() if x and x[0] != "#"]
    assert lines[0].startswith(
        'Rank,Code,Area,Year,"Foreign-born women, ages 20–64","Swedish-born women, ages 20–64"'
    )
    assert len(lines) == 1 + len(similar("1280"))


def test_spread_keeps_order_and_minimum_distance():
    from dashboard.views.peers.figures import spread

    values = [-18.9, -19.0, -19.1, -21.3, -22.4, -24.0, -18.0]
    out = spread(values, 0.5)
    ranked = sorted(range(len(values)), key=lambda i: values[i])
    assert [out[i] for i in ranked] == sorted(out)  # the order of the labels is kept
    ys = sorted(out)
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 0.5 - 1e-9
    assert out[3] == -21.3 and out[5] == -24.0  # labels that do not collide stay put
    assert abs(sum(out[:3]) / 3 - (-19.0)) < 0.3  # a crowd is centred on its values


def test_slope_labels_every_line_without_overlap(dash_env):
    slope = call(dash_env)[2]
    labels = [a for a in slope.layout.annotations if a.xref == "x"]
    names = {a.text.replace("<b>", "").replace("</b>", "") for a in labels}
    members = similar("1280")
    expected = {
        r[0]
        for r in sql(
            "SELECT name_en FROM mart.area WHERE area_code IN (SELECT unnest($c))",
            {"c": list(members)},
        )
    }
    assert names == expected  # every line is named, not only the extremes
    lo, hi = slope.layout.yaxis.range
    plot_px = slope.layout.height - slope.layout.margin.t - 40
    text_y = [a.ay if a.showarrow else a.y for a in labels]  # where each name is written
    line_ends = sorted(y for t in slope.data if t.mode == "lines+markers" for y in t.y[1::3])
    assert sorted(a.y for a in labels) == pytest.approx(line_ends, abs=1e-3)  # at the line ends
    assert all(a.showarrow for a, y in zip(labels, text_y, strict=True) if a.y != y)  # leaders
    ys = sorted(text_y)
    gaps_px = [(b - a) / (hi - lo) * plot_px for a, b in zip(ys, ys[1:], strict=False)]
    assert min(gaps_px) >= 14  # 12 px text: no two names on top of each other
    assert all(lo <= y <= hi for y in ys)
    assert {a.x for a in labels} == {1}  # category index of the end year, not "2024"


def test_dumbbell_axis_uses_a_tick_suffix_not_a_title_over_the_legend(dash_env):
    dumbbell = call(dash_env)[0]
    assert dumbbell.layout.xaxis.ticksuffix == "\u00a0%"
    assert not (dumbbell.layout.xaxis.title and dumbbell.layout.xaxis.title.text)


def test_only_a_custom_list_is_choosable_at_the_country(dash_env):
    from dashboard.urlstate import PEER_KINDS
    from dashboard.views.peers.page import kind_options

    country = {o["value"]: o["disabled"] for o in kind_options("00", "sv")}
    assert list(country) == list(PEER_KINDS) and not country["custom"]
    assert all(country[k] for k in PEER_KINDS if k != "custom")
    assert not any(o["disabled"] for o in kind_options("0127", "en"))
