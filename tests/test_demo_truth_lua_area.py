"""The LUA page and the area profile say which of their values are real (issue 19).

Known real cells of the demo warehouse: Stockholm county (01), employment rate, foreign-born,
2018 (Kolada N00713); Upplands Väsby (0114), employment rate 20-64, all, 2024 (Kolada). The LUA
districts' values are synthetic in the demo.
"""

from __future__ import annotations

import base64
import io

import openpyxl
import pandas as pd
import pytest

from etl.row_provenance import REAL, SYNTHETIC, combine
from tests.dashboard_fixture import sql

COUNTY, REAL_YEAR = "01", 2018
PROV = "Real or synthetic"


def _mart(area: str, indicator: str, sex: str, birth: str, year: int, age: str) -> tuple:
    return sql(
        "SELECT value, provenance FROM mart.observation WHERE area_code = $a AND indicator = $i "
        "AND sex = $s AND birth_region = $b AND year = $y AND age = $g",
        {"a": area, "i": indicator, "s": sex, "b": birth, "y": year, "g": age},
    )[0]


@pytest.fixture
def lua(dash_env):
    from dashboard.core import queries
    from dashboard.views import lua as view
    from dashboard.views.lua.state import parse_lua

    cat = queries.catalogue()
    state, problems = parse_lua({"chart": "birth", "ind": "employment_rate", "birth": "foreign",
                                 "sex": "total"}, cat)  # fmt: skip
    assert not problems
    return view, state, cat


def test_lua_hover_says_real_for_the_real_county_cell_and_synthetic_for_districts(lua) -> None:
    view, state, cat = lua
    value, label = _mart(COUNTY, "employment_rate", "total", "foreign", REAL_YEAR, "20-64")
    assert label == REAL  # the demo's recording (Kolada N00713)
    fig = view.render_view(state, cat, "en").figures["chart"]
    county = [h for t in fig.data if t.legendgroup == "Stockholms län – Foreign-born"
              for x, h in zip(t.x, t.hovertext, strict=True) if int(x) == REAL_YEAR]  # fmt: skip
    assert len(county) == 1
    lines = county[0].split("<br>")
    assert lines[2].replace("\xa0", " ") == f"{value:.1f} % · real", county[0]
    assert lines[-1] == "Source: Kolada"  # a Kolada KPI, not SCB
    districts = [h for t in fig.data if t.legendgroup.startswith("The 17 LUA")
                 for h in t.hovertext]  # fmt: skip
    assert districts and all("% · synthetic<br>" in h for h in districts)
    assert not any(" · real" in h for h in districts)


def test_lua_csv_and_xlsx_carry_each_rows_label_as_the_mart(lua) -> None:
    from dashboard.ui import exports

    view, state, cat = lua
    text = exports.view_download("csv", "lua", state, cat, "en")["content"].lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text), comment="#")
    county = frame[(frame["Code"] == COUNTY) & (frame["Year"] == REAL_YEAR)]
    assert len(county) == 2  # the foreign-born and the Swedish-born
    for _, row in county.iterrows():
        birth = "foreign" if row["Birth region"] == "Foreign-born" else "sweden"
        assert row[PROV] == _mart(COUNTY, "employment_rate", "total", birth, REAL_YEAR, "20-64")[1]
    assert REAL in set(county[PROV])
    districts = frame[frame["Code"].str.startswith("lua_")]
    assert len(districts) and set(districts[PROV]) == {SYNTHETIC}
    assert set(frame.loc[frame[PROV] == REAL, "Source"]) == {"Source: Kolada"}
    out = exports.view_download("xlsx", "lua", state, cat, "en")
    body = base64.b64decode(out["content"])
    rows = list(openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    real = [r for r in rows[1:] if r[header.index("Code")] == COUNTY
            and r[header.index("Year")] == REAL_YEAR and r[header.index("Birth region")] == "Foreign-born"]  # fmt: skip
    assert len(real) == 1 and real[0][header.index(PROV)] == REAL


@pytest.fixture
def area(dash_env):
    from dashboard.views.area import data, render, state

    return data, render, state


def test_area_spine_table_labels_each_row_as_the_mart(area) -> None:
    data, render, state = area
    prof = render.profile(state.AreaState(area="0114"), "en")
    table = prof.spine_table
    assert PROV in table.columns
    real = table[table[PROV] == REAL]
    assert len(real) >= 1 and (table[PROV] == SYNTHETIC).any()
    rows = data.spine_rows(data.area("0114"), "all", "country")
    for r, shown in zip(rows.itertuples(), table[PROV], strict=True):
        assert shown == _mart("0114", r.indicator, r.sex, r.birth_region, r.year, r.age)[1]


def test_area_headline_names_both_groups_provenance(area) -> None:
    data, render, _state = area
    lines, g = render.headline(data.area("0114"), "en")
    now = g.iloc[-1]
    fw = _mart("0114", "employment_rate", "women", "foreign", int(now.year), "20-64")[1]
    sw = _mart("0114", "employment_rate", "women", "sweden", int(now.year), "20-64")[1]
    said = next(x for x in lines if x.startswith(f"{PROV}:"))
    assert f"Foreign-born women {render.provenance_label(fw, 'en')};" in said, said
    assert f"Swedish-born women {render.provenance_label(sw, 'en')}." in said, said
    assert render.provenance_label(REAL, "en") == "real"
    assert render.provenance_label(SYNTHETIC, "sv") == "syntetiskt"


def test_area_members_and_planner_label_the_gap_and_its_change(area) -> None:
    from dashboard.ui import exports

    data, render, state = area
    prof = render.profile(state.AreaState(area="01"), "en")
    gap_col, change_col = f"Gap (pp): {PROV.lower()}", f"Change (pp): {PROV.lower()}"
    for table in (prof.members, prof.planner):
        assert {gap_col, change_col} <= set(table.columns)
        labels = set(table[gap_col].dropna()) | set(table[change_col].dropna())
        words = ("real", "synthetic", "synthetic, calibrated to ", "mixed: ")  # in words, not codes
        assert labels and all(x in words[:2] or x.startswith(words[2:]) for x in labels), labels
    age = data.headline_age("county")
    g = data.gaps(data.members(data.area("01")), age).dropna(subset=["gap"])
    latest = g[g.year == g.year.max()].set_index("area_code")
    names = data.names(list(latest.index), "en")
    shown = prof.members.set_index("Area")[gap_col]
    for code, r in latest.iterrows():
        said = render.provenance_label(combine([r.provenance_1, r.provenance_2]), "en")
        assert shown[names[code]] == said
        want = [_mart(code, "employment_rate", "women", b, int(r.year), age)[1]
                for b in ("foreign", "sweden")]  # fmt: skip
        assert shown[names[code]] == render.provenance_label(combine(want), "en")
    csv = exports.csv_text(prof.planner, "en", prof.permalink)
    back = pd.read_csv(io.StringIO(csv.lstrip("\ufeff")), comment="#")
    assert gap_col in back.columns and back[gap_col].notna().any()
    sv = render.profile(state.AreaState(area="01"), "sv").planner
    assert sum(c.endswith(": verkligt eller syntetiskt") for c in sv.columns) == 2
    said = set(
        sv.filter(like=": verkligt eller syntetiskt").stack()
    )  # the Swedish table in Swedish
    assert said and all(x.startswith(("verkligt", "syntetiskt", "blandat: ")) for x in said), said
