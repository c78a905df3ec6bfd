"""One source per key: a missing cell falls back to the next source; a suppressed one never does."""

from __future__ import annotations

from pathlib import Path

from etl import mart
from etl.warehouse import create


def _pick(tmp_path: Path, rows: list[tuple]) -> dict[int, tuple]:
    con = create(tmp_path / "w.duckdb")
    try:
        con.execute("INSERT INTO mart.area (area_code, level, name_sv, name_en) "
                    "VALUES ('0127', 'municipality', 'Botkyrka', 'Botkyrka')")  # fmt: skip
        con.executemany(
            "INSERT INTO work.candidates VALUES ('employment_rate', '0127', ?, 'women', 'foreign', "
            "'20-64', ?, NULL, NULL, ?, ?, ?, 'BAS', ?, now(), 'u', false, false)",
            rows,
        )
        con.execute(mart.PICK_SQL)
        return {
            y: (v, st, src)
            for y, v, st, src in con.execute(
                "SELECT year, value, status, source_table FROM mart.observation ORDER BY year"
            ).fetchall()
        }
    finally:
        con.close()


def test_missing_cell_falls_back_and_records_its_source(tmp_path: Path) -> None:
    picked = _pick(tmp_path, [
        (2022, None, "missing", "scb", "TAB3200", 1), (2022, 61.4, "ok", "kolada", "N02268", 8),
        (2023, 62.0, "ok", "scb", "TAB3200", 1), (2023, 61.9, "ok", "kolada", "N02268", 8),
    ])  # fmt: skip
    assert picked[2022] == (61.4, "ok", "N02268")  # SCB left it empty: Kolada's value, named
    assert picked[2023] == (62.0, "ok", "TAB3200")  # SCB has it: the preferred source wins


def test_suppressed_cell_is_never_filled_from_another_source(tmp_path: Path) -> None:
    picked = _pick(tmp_path, [
        (2022, None, "suppressed", "scb", "TAB3200", 1), (2022, 61.4, "ok", "kolada", "N02268", 8),
    ])  # fmt: skip
    assert picked[2022] == (None, "suppressed", "TAB3200")
