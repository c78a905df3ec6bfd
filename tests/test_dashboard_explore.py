"""Explore page callbacks: gap against another indicator, population sizes, peers, selection links."""
# ruff: noqa: F811  (pytest fixtures imported from dashboard_fixture)

from __future__ import annotations

from dashboard_fixture import MUNICIPALITIES, dash_env, employment_rate  # noqa: F401


def render(env, peers="similar", area="1280", lang="en"):
    return env.explore.render_explore(
        "employment_rate", "20-64", "fw_sw", "foreign_born_share", 2024, area, peers, lang
    )


def test_scatter_points_are_gap_vs_share_foreign_born(dash_env):
    fig, summary, notes, rows, defs = render(dash_env)
    pts = {}
    for t in fig.data:
        for code, x, y in zip(t.customdata, t.x, t.y, strict=True):
            pts[code] = (x, y)
    expected = employment_rate("1280", 2024, "women", "foreign") - employment_rate(
        "1280", 2024, "women", "sweden"
    )
    assert abs(pts["1280"][1] - round(expected, 2)) < 1e-9
    assert "1287" not in pts  # no 2024 values for Trelleborg's foreign-born: not plotted, not zero
    assert len(pts) == len(MUNICIPALITIES) - 1


def test_peers_and_selected_are_highlighted_and_sized_by_population(dash_env):
    fig = render(dash_env)[0]
    by_name = {t.name: t for t in fig.data}
    assert set(by_name["Peers"].customdata) == {"0127", "0180", "1283"}
    assert list(by_name["Selected"].customdata) == ["1280"]
    stockholm = list(by_name["Peers"].customdata).index("0180")
    botkyrka = list(by_name["Peers"].customdata).index("0127")
    assert by_name["Peers"].marker.size[stockholm] > by_name["Peers"].marker.size[botkyrka]
    assert "Peers" not in {t.name for t in render(dash_env, peers="none")[0].data}


def test_summary_and_table(dash_env):
    fig, summary, notes, rows, defs = render(dash_env)
    assert summary.startswith(
        "2024: 7 municipalities; correlation between the gap and share foreign-born r = "
    )
    assert "Malmö:" in summary and "synthetic demo values" in summary
    malmo = next(r for r in rows if r["area_code"] == "1280")
    assert malmo["peer"] == "yes" and malmo["population"] == 20000  # its own peer set includes it
    assert next(r for r in rows if r["area_code"] == "0180")["peer"] == "yes"
    assert any("Point size: population" in p.children for p in notes)


def test_selection_links(dash_env):
    args = [
        "employment_rate",
        "20-64",
        "fw_sw",
        "foreign_born_share",
        2024,
        "1280",
        "similar",
        "en",
    ]
    links = dash_env.explore.selection_links(
        {"points": [{"customdata": "1281"}, {"customdata": "0880"}]}, *args
    )
    hrefs = [c.href for c in links if hasattr(c, "href")]
    assert any(
        h.startswith("/trends?") and "areas=0880%2C1281" in h.replace(",", "%2C") for h in hrefs
    )
    assert any(h.startswith("/peers?") and "peers=custom" in h for h in hrefs)
    single = dash_env.explore.selection_links(None, *args)
    assert "Show Malmö in:" in single[0].children
