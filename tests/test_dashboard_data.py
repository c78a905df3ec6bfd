"""Data & sources page: the table of a view, CSV download, series sources, last refresh."""

from __future__ import annotations

import json

from dashboard_fixture import sql


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
    lines = [x for x in out["content"].lstrip("\ufeff").splitlines() if x and x[0] != "#"]
    assert lines[0].startswith('Code,Area,Year,"Gap (pp), ages 20–64"')
    assert len(lines) == 1 + 290 and all(",2022," in line for line in lines[1:])
    assert out["content"].rstrip().splitlines()[-1].startswith("# View URL: /?")


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


def _defs(dash_env, lang):
    rows, defs, _ = dash_env.data.render_table(
        "peers", f"?view=peers&area=1280&peers=similar&year0=2020&lang={lang}", lang
    )
    return rows, {d["field"]: d for d in defs}


def test_grid_numbers_follow_the_language_and_stay_numbers(dash_env):
    rows, sv = _defs(dash_env, "sv")
    _, en = _defs(dash_env, "en")
    assert all(isinstance(r["gap_pp"], float) for r in rows)  # numeric sort and filter
    assert (
        sv["gap_pp"]["valueFormatter"]["function"] == "labourdashNum(params.value, 1, 'sv', true)"
    )
    assert (
        en["gap_pp"]["valueFormatter"]["function"] == "labourdashNum(params.value, 1, 'en', true)"
    )
    assert sv["gap_pp"]["filter"] == "agNumberColumnFilter"
    assert "false" in sv["year"]["valueFormatter"]["function"]  # 2024, never "2 024"
    assert "false" in sv["rank"]["valueFormatter"]["function"]


def test_formatter_script_uses_decimal_comma_and_minus_sign():
    from pathlib import Path

    js = (Path(__file__).parents[1] / "dashboard/assets/dashAgGridFunctions.js").read_text()
    assert "dagfuncs.labourdashNum" in js and "\\u2212" in js and 'lang === "sv" ? "," : "."' in js


def test_grid_headers_are_distinct_and_columns_wide_enough(dash_env):
    rows, sv = _defs(dash_env, "sv")
    headers = [d["headerName"] for d in sv.values()]
    assert len(set(headers)) == len(headers)
    assert sv["gap_pp"]["headerName"] == "Gap 2024 (p.e.), 20–64 år"
    assert sv["gap0_pp"]["headerName"] == "Gap 2020 (p.e.), 20–64 år"
    longest = max(len(r["area"]) for r in rows)
    assert sv["area"]["minWidth"] >= 8 * longest  # "Norrköping", "Eskilstuna" not cut


def test_each_definition_is_shown_once(dash_env):
    page = dash_env.data.layout(lang="en", view="map")
    text = str(page)
    cat_defs = sql("SELECT definition_en FROM mart.indicator WHERE definition_en IS NOT NULL")
    for (definition,) in cat_defs:
        assert text.count(definition) <= 1, definition


def test_formatter_script_output_per_language():
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    node = shutil.which("node")
    if not node:
        pytest.skip("node not installed")
    js = (Path(__file__).parents[1] / "dashboard/assets/dashAgGridFunctions.js").read_text()
    script = (
        "var window = {};\n" + js + "\nvar f = window.dashAgGridFunctions.labourdashNum;\n"
        "console.log(JSON.stringify([f(63.4, 1, 'sv', true), f(-21.3, 1, 'sv', true), "
        "f(16196, 0, 'sv', true), f(2024, 0, 'sv', false), f(63.4, 1, 'en', true), "
        "f(-0.04, 1, 'en', true), f(16196, 0, 'en', true), f(null, 1, 'sv', true)]));"
    )
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [
        "63,4",
        "−21,3",
        "16\u00a0196",
        "2024",
        "63.4",
        "0.0",
        "16,196",
        "..",
    ]


def test_each_source_note_is_shown_once(dash_env, cat):
    from dashboard.core.source_notes import note_text

    notes = sql("SELECT DISTINCT notes FROM mart.series WHERE notes IS NOT NULL AND notes <> ''")
    assert notes
    _, _, swedish = dash_env.data.sources_table(cat, "sv")
    assert sorted(li.children for li in swedish.children) == sorted(n for (n,) in notes)
    definitions, table, footnotes = dash_env.data.sources_table(cat, "en")  # in English
    shown = sorted(li.children for li in footnotes.children)
    assert shown == sorted(note_text(n, "en") for (n,) in notes)
    assert not any("För att skydda" in s for s in shown)  # SCB's CKM note is translated
    cells = [td for tr in table.children.children[1].children for td in tr.children]
    assert not any(note in str(cells) for (note,) in notes)  # the table refers to them as [n]


def test_an_empty_view_names_the_units_that_never_loaded(dash_env, monkeypatch):
    import pandas as pd

    from dashboard import render
    from dashboard.core import queries

    units = pd.DataFrame(
        [("scb", "REGSO_LABOUR", "scb_table", "missing", None, "2026-12-01", "no table", 0,
          "employment_rate,registered_unemployed_share"),
         ("scb", "TAB3200", "scb_table", "ok", "2026-12-01", "2026-12-01", None, 10, "employment_rate")],
        columns=["source", "unit_key", "kind", "state", "last_success", "last_attempt", "error",
                 "observations", "indicators"],
    )  # fmt: skip
    monkeypatch.setattr(queries, "unit_status", lambda: units)
    note = render.missing_units_note("employment_rate", "en")
    assert "scb:REGSO_LABOUR" in note and "TAB3200" not in note
    assert render.missing_units_note("unemployment_rate", "en") == ""


def test_sources_show_the_share_of_real_rows_per_series(dash_env):
    page = str(dash_env.data.layout(lang="en", view="map")).replace("\\xa0", "\xa0")
    rows, made_up = sql(
        "SELECT rows, synthetic_rows FROM mart.series WHERE source_table = 'N02926'"
    )[0]
    assert 0 < made_up < rows  # partly real in the demo
    assert f"{max(1, round(100 * (rows - made_up) / rows))}\xa0% real rows" in page
