"""Explore page callbacks: gap against another indicator, population sizes, peers, selection links."""

from __future__ import annotations

from dashboard_fixture import gap, obs, sql


def render(env, peers="similar", area="1280", lang="en"):
    return env.explore.render_explore(
        "employment_rate", "20-64", "fw_sw", "foreign_born_share", 2024, area, peers, lang
    )


def population(code: str) -> float:
    """Population 20-64: the total's denominator, else the sum of the two groups' denominators."""
    total = obs(code, 2024, "total", "total")["denominator"]
    if total is not None:
        return total
    return (
        obs(code, 2024, "women", "foreign")["denominator"]
        + obs(code, 2024, "women", "sweden")["denominator"]
    )


def points(fig) -> dict:
    out = {}
    for t in fig.data:
        for code, x, y in zip(t.customdata, t.x, t.y, strict=True):
            out[code] = (x, y)
    return out


def test_scatter_points_are_gap_vs_share_foreign_born(dash_env):
    fig = render(dash_env)[0]
    pts = points(fig)
    assert len(pts) == 290
    assert abs(pts["1280"][1] - round(gap("1280", 2024), 2)) < 1e-9
    share = obs("1280", 2024, "total", "total", ind="foreign_born_share", age="all")["value"]
    assert abs(pts["1280"][0] - round(share, 3)) < 1e-9


def test_peers_and_selected_are_highlighted_and_sized_by_population(dash_env):
    fig = render(dash_env)[0]
    by_name = {t.name: t for t in fig.data}
    similar = {
        r[0]
        for r in sql(
            "SELECT area_code FROM mart.peer_group WHERE peer_kind = 'similar_labour_2024' AND owner_code = '1280'"
        )
    }
    assert set(by_name["Peers"].customdata) == similar
    assert list(by_name["Selected"].customdata) == ["1280"]
    others = by_name["Other municipalities"]
    pop = {c: population(c) for c in others.customdata}
    sizes = dict(zip(others.customdata, others.marker.size, strict=True))
    big, small = max(pop, key=pop.get), min(pop, key=pop.get)
    assert sizes[big] > sizes[small]
    assert "Peers" not in {t.name for t in render(dash_env, peers="none")[0].data}


def test_summary_and_table(dash_env):
    fig, summary, notes, rows, defs = render(dash_env)
    assert summary.startswith(
        "2024: 290 municipalities; correlation between the gap and share foreign-born r = "
    )
    assert "Malmö:" in summary
    malmo = next(r for r in rows if r["area_code"] == "1280")
    assert malmo["peer"] == "yes"  # its own peer set includes it
    assert malmo["population"] == round(population("1280"))
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
    assert any(h.startswith("/trends?") and "0880" in h and "1281" in h for h in hrefs)
    assert any(h.startswith("/peers?") and "peers=custom" in h for h in hrefs)
    single = dash_env.explore.selection_links(None, *args)
    assert "Show Malmö in:" in single[0].children
