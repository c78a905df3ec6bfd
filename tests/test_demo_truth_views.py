"""Every gap view says which of its values are real (issue 19): mart.gap_wide, hovers and exports.

The known real cell: Upplands Väsby (0114), 2004, foreign-born women, Kolada N00713 = 63.4 %. Its
Swedish-born comparison is synthetic (calibrated), so the gap itself is a mix. Foreign-born women
in 1999 have no recording: synthetic.
"""

from __future__ import annotations

import base64
import io

import openpyxl
import pandas as pd
import pytest

from dashboard.core.hover import provenance_lines, provenance_tag
from etl.row_provenance import CALIBRATED, MIXED, REAL, SYNTHETIC, combine
from tests.dashboard_fixture import sql

VASBY, REAL_YEAR, SYNTHETIC_YEAR = "0114", 2004, 1999
WOMEN_FB = "Foreign-born women"


def test_a_gap_is_real_only_when_both_rows_are() -> None:
    calibrated = CALIBRATED + "Kolada N00914"
    assert combine([REAL, REAL]) == REAL
    assert combine([SYNTHETIC, None, SYNTHETIC]) == SYNTHETIC
    assert combine([REAL, calibrated]) == f"{MIXED}{REAL} + {calibrated}"
    assert combine([None, float("nan")]) is None  # no row, or a warehouse without the column
    assert combine([SYNTHETIC, calibrated]) == SYNTHETIC
    other = CALIBRATED + "Kolada N00713"
    assert combine([other, calibrated]) == CALIBRATED + "Kolada N00713 and Kolada N00914"
    assert provenance_tag(REAL, "en") == " · real"
    assert provenance_tag(SYNTHETIC, "sv") == " · syntetiskt"
    assert provenance_lines(combine([REAL, SYNTHETIC]), "en") == [
        "⚠ built from both real and synthetic values"
    ]


def test_gap_wide_carries_each_groups_provenance_as_the_long_table(demo_con) -> None:
    row = demo_con.execute(
        "SELECT women__foreign__value, women__foreign__provenance, women__sweden__provenance "
        "FROM mart.gap_wide WHERE indicator = 'employment_rate' AND age = '20-64' "
        "AND area_code = ? AND year = ?",
        [VASBY, REAL_YEAR],
    ).fetchone()
    assert row[0] == pytest.approx(63.4, abs=0.05) and row[1] == REAL
    assert row[2].startswith(SYNTHETIC)
    differ = demo_con.execute(
        "SELECT count(*), count(*) FILTER (WHERE w.women__foreign__provenance "
        "IS DISTINCT FROM o.provenance) FROM mart.gap_wide w JOIN mart.observation o "
        "ON o.indicator = w.indicator AND o.age = w.age AND o.area_code = w.area_code "
        "AND o.year = w.year AND o.sex = 'women' AND o.birth_region = 'foreign' "
        "WHERE w.indicator = 'employment_rate'"
    ).fetchone()
    assert differ[0] > 10_000 and differ[1] == 0
    kinds = {r[0] for r in demo_con.execute(
        "SELECT DISTINCT women__foreign__provenance FROM mart.gap_wide "
        "WHERE indicator = 'employment_rate' AND age = '20-64'"
    ).fetchall()}  # fmt: skip
    assert {REAL, SYNTHETIC} <= kinds
    swedish = {r[0] for r in demo_con.execute(
        "SELECT DISTINCT women__sweden__provenance FROM mart.gap_wide "
        "WHERE indicator = 'employment_rate' AND age = '20-64'"
    ).fetchall()}  # fmt: skip
    assert any(k.startswith(CALIBRATED) for k in swedish if k)  # fitted to the real totals


def _line(hover: str, needle: str) -> str:
    return next(x for x in hover.split("<br>") if needle in x)


MAP = ("employment_rate", "20-64", "municipality", "0114", "gap", "fw_sw", "women.foreign")


def _map_hover(env, year: int) -> str:
    fig = env.map.render_map(*MAP, year, None, None, "en")[0]
    main = fig.data[0]
    return dict(zip(main.locations, main.text, strict=True))[VASBY]


def test_map_hover_says_real_for_the_real_cell_and_synthetic_otherwise(dash_env) -> None:
    hover = _map_hover(dash_env, REAL_YEAR)
    line = _line(hover, f"{WOMEN_FB}:")
    assert "63.4" in line and line.endswith(" · real"), hover
    assert "Swedish-born women" in hover and "synthetic, calibrated to Kolada N00914" in hover
    assert "built from both real and synthetic values" in hover  # the gap mixes the two
    old = _line(_map_hover(dash_env, SYNTHETIC_YEAR), f"{WOMEN_FB}:")
    assert old.endswith(" · synthetic") and "real" not in old


def _csv(out: dict, lang: str) -> pd.DataFrame:
    sep, dec = (";", ",") if lang == "sv" else (",", ".")
    text = out["content"].lstrip("\ufeff")
    return pd.read_csv(io.StringIO(text), sep=sep, decimal=dec, comment="#", dtype=str)


def test_map_csv_and_xlsx_carry_the_provenance_columns(dash_env) -> None:
    column = f"{WOMEN_FB}: real or synthetic"
    for year, want in ((REAL_YEAR, REAL), (SYNTHETIC_YEAR, SYNTHETIC)):
        frame = _csv(dash_env.map.download_csv(1, *MAP, year, None, None, "en"), "en")
        row = frame.set_index("Code").loc[VASBY]
        assert row[column] == want
    assert row["Real or synthetic"] == SYNTHETIC  # the gap's own label: no part of it is real
    sv = _csv(dash_env.map.download_csv(1, *MAP, REAL_YEAR, None, None, "sv"), "sv")
    assert sv.set_index("Kod").at[VASBY, "Utrikes födda kvinnor: verkligt eller syntetiskt"] == REAL
    out = dash_env.map.download_xlsx(1, *MAP, REAL_YEAR, None, None, "en")
    body = base64.b64decode(out["content"]) if out.get("base64") else out["content"]
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    vasby = next(r for r in rows[1:] if r[header.index("Code")] == VASBY)
    assert vasby[header.index(column)] == REAL


PEERS = (VASBY, "similar", [], "employment_rate", "20-64", "fw_sw")


def test_peers_hover_and_csv_say_real_for_the_real_cell(dash_env) -> None:
    dumbbell, *_ = dash_env.peers.render_peers(*PEERS, REAL_YEAR, SYNTHETIC_YEAR, "en")
    trace = next(t for t in dumbbell.data if t.name == WOMEN_FB)
    hover = next(h for h in trace.text if "Upplands Väsby" in h)
    assert _line(hover, f"{WOMEN_FB}:").endswith(" · real") and "63.4" in hover
    frame = _csv(dash_env.peers.download_csv(1, *PEERS, REAL_YEAR, SYNTHETIC_YEAR, "en"), "en")
    row = frame.set_index("Code").loc[VASBY]
    assert row[f"{WOMEN_FB}: real or synthetic"] == REAL
    assert row["Swedish-born women: real or synthetic"].startswith(SYNTHETIC)
    old = _csv(dash_env.peers.download_csv(1, *PEERS, SYNTHETIC_YEAR, SYNTHETIC_YEAR, "en"), "en")
    assert old.set_index("Code").at[VASBY, f"{WOMEN_FB}: real or synthetic"] == SYNTHETIC


EXPLORE = ("employment_rate", "20-64", "fw_sw", "foreign_born_share")


def test_explore_hover_and_csv_say_real_for_the_real_cell(dash_env) -> None:
    fig, *_ = dash_env.explore.render_explore(*EXPLORE, REAL_YEAR, VASBY, "similar", "en")
    hovers = [h for t in fig.data for h in (t.hovertext or ()) if "Upplands Väsby" in h]
    assert hovers, "Upplands Väsby is not plotted"
    assert _line(hovers[0], f"{WOMEN_FB}:").endswith(" · real")
    frame = _csv(dash_env.explore.download_csv(1, *EXPLORE, REAL_YEAR, VASBY, "similar", "en"),
                 "en")  # fmt: skip
    assert frame.set_index("Code").at[VASBY, f"{WOMEN_FB}: real or synthetic"] == REAL
    old = _csv(dash_env.explore.download_csv(1, *EXPLORE, SYNTHETIC_YEAR, VASBY, "similar", "en"),
               "en")  # fmt: skip
    assert old.set_index("Code").at[VASBY, f"{WOMEN_FB}: real or synthetic"] == SYNTHETIC


def test_every_labelled_row_of_the_views_matches_the_mart(dash_env) -> None:
    """The map's provenance columns equal mart.observation's, row by row (a whole year)."""
    frame = _csv(dash_env.map.download_csv(1, *MAP, REAL_YEAR, None, None, "en"), "en")
    mart = dict(sql(
        "SELECT area_code, provenance FROM mart.observation WHERE indicator = 'employment_rate' "
        "AND age = '20-64' AND year = $y AND sex = 'women' AND birth_region = 'foreign'",
        {"y": REAL_YEAR},
    ))  # fmt: skip
    shown = frame.set_index("Code")[f"{WOMEN_FB}: real or synthetic"].dropna().to_dict()
    assert len(shown) > 250 and all(mart[code] == label for code, label in shown.items())
    assert sum(label == REAL for label in shown.values()) > 250  # N00713 covers nearly all
