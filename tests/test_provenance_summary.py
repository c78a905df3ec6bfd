"""The per-file provenance summary answers level scopes exactly as the query over mart.observation."""

from __future__ import annotations

import pandas as pd

from dashboard.core.gaps import GAPS, Group


def test_level_scopes_from_the_summary_equal_the_query(cat):
    from dashboard import provenance

    compared = nonempty = 0
    for indicator, age in [("employment_rate", "20-64"), ("employment_rate", "20-65")]:
        years = cat.years_for(indicator, age)
        for level in ("municipality", "county", "la_region", "regso"):
            for gap in ("fw_sw", "fw_fm", "f_s"):
                groups = (GAPS[gap].a, GAPS[gap].b, Group("total", "total"))
                for ys in (None, tuple(years[-1:]), tuple(years[:2])):
                    for muni in (None, "0180") if level == "regso" else (None,):
                        scope = provenance.Scope(indicator, age, groups, None, level, muni, ys)
                        mine = provenance._from_summary(scope).reset_index(drop=True)
                        sql = provenance._scope_sources(scope).reset_index(drop=True)
                        pd.testing.assert_frame_equal(mine, sql, check_dtype=False)
                        compared += 1
                        nonempty += len(sql) > 0
    assert compared == 2 * 5 * 3 * 3 and nonempty > compared / 2


def test_map_source_line_names_the_tables_and_the_synthetic_mark(dash_env, cat):
    from dashboard import provenance
    from dashboard.views.map.state import MapState

    sources = provenance.view_sources(MapState("employment_rate", "20-64", 2022), cat)
    assert "TAB3200" in set(sources["source_table"]) and int(sources["rows"].sum()) > 290
    # 2022's foreign-born rates are real Kolada recordings in the demo, so Kolada is named too
    line = provenance.source_line(sources, "sv")
    assert line.startswith("Källa: ") and "SCB, TAB3200 (uppdaterad 2025-11-28)" in line
    assert "Kolada, N02268" in line
