"""Peers page callbacks: rank x of n, median, population-weighted mean, dumbbell, slope, CSV."""
# ruff: noqa: F811  (pytest fixtures imported from dashboard_fixture)

from __future__ import annotations

import statistics

from dashboard_fixture import MUNICIPALITIES, dash_env, employment_rate, population  # noqa: F401


def call(
    env, area="1280", kind="similar", custom=None, gap="fw_sw", year=2024, year0=2020, lang="en"
):
    return env.peers.render_peers(
        area, kind, custom or [], "employment_rate", "20-64", gap, year, year0, lang
    )


def test_rank_median_and_weighted_mean_match_hand_computation(dash_env):
    dumbbell, summary, slope, slope_summary, stats, notes, rows, defs = call(dash_env)
    peers = ["0127", "0180", "1280", "1283"]  # Kolada's similar group for Malmö, plus Malmö
    values = {c: employment_rate(c, 2024, "women", "foreign") for c in peers}
    weights = {c: population(c, "women", "foreign") for c in peers}
    rank = 1 + sum(values[c] > values["1280"] for c in peers)  # ties share the best rank
    wmean = sum(values[c] * weights[c] for c in peers) / sum(weights.values())
    median = statistics.median(values.values())
    gap = values["1280"] - employment_rate("1280", 2024, "women", "sweden")
    assert f"rank {rank} of 4 peers" in summary
    assert f"{values['1280']:.1f}".replace(".", ".") in summary
    assert f"{abs(gap):.1f}" in summary and "below Swedish-born women" in summary
    assert f"population-weighted mean {wmean:.1f}" in summary
    assert f"peer median {median:.1f}" in summary
    assert "synthetic demo values" in summary
    by_code = {r["area_code"]: r for r in rows}
    assert set(by_code) == set(peers)
    assert by_code["1280"]["rank"] == rank
    assert abs(by_code["1280"]["gap_pp"] - round(gap, 1)) < 1e-9


def test_dumbbell_has_both_groups_highlight_and_reference_lines(dash_env):
    dumbbell = call(dash_env)[0]
    names = [t.name for t in dumbbell.data]
    assert "Swedish-born women" in names and "Foreign-born women" in names
    assert any(n and n.startswith("Peer median") for n in names)
    assert any(n and n.startswith("Population-weighted mean") for n in names)
    foreign = next(t for t in dumbbell.data if t.name == "Foreign-born women")
    assert "<b>Malmö</b>" in list(foreign.y)  # the selected municipality is highlighted
    assert len(foreign.x) == 4


def test_slope_chart_and_summary(dash_env):
    _, _, slope, slope_summary, *_ = call(dash_env)
    malmo = next(t for t in slope.data if t.name == "Malmö")
    g0 = employment_rate("1280", 2020, "women", "foreign") - employment_rate(
        "1280", 2020, "women", "sweden"
    )
    g1 = employment_rate("1280", 2024, "women", "foreign") - employment_rate(
        "1280", 2024, "women", "sweden"
    )
    assert list(malmo.x) == ["2020", "2024"]
    assert [round(v, 1) for v in malmo.y] == [round(g0, 1), round(g1, 1)]
    assert "Between 2020 and 2024 the gap in Malmö" in slope_summary


def test_peer_sets(dash_env):
    la = call(dash_env, kind="la")[6]
    assert {r["area_code"] for r in la} == {"1280", "1281", "1283", "1287"}
    county = call(dash_env, area="0880", kind="county")[6]
    assert {r["area_code"] for r in county} == {"0880", "0881"}
    skr = call(dash_env, area="1281", kind="skr")[6]
    assert {r["area_code"] for r in skr} == {"1281", "1283", "0880"}
    custom = call(dash_env, kind="custom", custom=["0180", "0880"])[6]
    assert {r["area_code"] for r in custom} == {"1280", "0180", "0880"}


def test_empty_peer_set_explains(dash_env):
    dumbbell, summary, slope, *_ = call(dash_env, kind="custom", custom=[])
    assert "Nothing to show" in summary and "peer set is empty" in summary
    assert (
        dumbbell.layout.annotations and "peer set is empty" in dumbbell.layout.annotations[0].text
    )


def test_suppressed_and_missing_values_are_never_zero(dash_env):
    # Nybro's foreign-born women born outside the EU/EFTA are suppressed in 2024
    rows = call(dash_env, area="0880", kind="county", gap="roww_sw")[6]
    nybro = next(r for r in rows if r["area_code"] == "0881")
    assert nybro["value_0"] is None and nybro["gap_pp"] is None
    assert nybro["status"] == "Suppressed (..)"


def test_small_numbers_are_flagged(dash_env):
    rows = call(dash_env, area="0880", kind="county")[6]
    nybro = next(r for r in rows if r["area_code"] == "0881")
    assert nybro["small"] == "yes"  # 45 foreign-born women < threshold 100


def test_swedish_summary(dash_env):
    summary = call(dash_env, lang="sv")[1]
    assert summary.startswith("2024: utrikes födda kvinnor i Malmö")
    assert "plats" in summary and "syntetiska demovärden" in summary and "," in summary


def test_csv_download(dash_env):
    out = dash_env.peers.download_csv(
        1, "1280", "similar", [], "employment_rate", "20-64", "fw_sw", 2024, 2020, "en"
    )
    assert out["filename"].endswith(".csv")
    lines = out["content"].lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Rank,Code,Area,Year,Foreign-born women,Swedish-born women")
    assert len(lines) == 5
