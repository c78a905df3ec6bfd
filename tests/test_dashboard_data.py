"""Data & sources page: the table of a view, CSV download, series sources, last refresh."""
# ruff: noqa: F811  (pytest fixtures imported from dashboard_fixture)

from __future__ import annotations

from dashboard_fixture import dash_env, sql  # noqa: F401


def test_table_of_the_view_in_the_url(dash_env):
    rows, defs, summary = dash_env.data.render_table(
        "peers", "?view=peers&area=1280&peers=la&lang=en", "en"
    )
    la = {
        r[0]
        for r in sql(
            "SELECT area_code FROM mart.area WHERE level = 'municipality' AND la_code = 'LA2416'"
        )
    }
    assert {r["area_code"] for r in rows} == la
    assert summary.startswith(f"Peers: {len(la)} rows.")
    rows, defs, summary = dash_env.data.render_table("trends", "?view=trends&areas=0880", "en")
    assert {r["area_code"] for r in rows} == {"0880"}


def test_csv_download_matches_the_table(dash_env):
    out = dash_env.data.download_csv(1, "map", "?view=map&year=2022", "en")
    lines = out["content"].lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Code,Area,Year,Gap (pp)")
    assert len(lines) == 1 + 290 and all(",2022," in line for line in lines[1:])


def test_layout_lists_sources_attribution_and_last_refresh(dash_env):
    page = dash_env.data.layout(lang="en", view="map")
    text = str(page)
    assert "TAB3200" in text and "Källa: SCB" in text and "Källa: Kolada" in text
    assert "2025-11-28" in text  # the source's updated stamp (recorded TAB3200)
    assert "synthetic" in text and "real" in text
    assert "status: ok" in text


def test_bad_view_gives_message_and_default(dash_env):
    page = dash_env.data.layout(lang="en", view="pie")
    assert "unknown code 'pie' for view" in str(page)
