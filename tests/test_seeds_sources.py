"""seeds/sources.csv drives the attribution, licence and disclosure-noise year the mart carries."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import decompose, seeds


def test_series_take_attribution_licence_and_noise_year_from_the_seed(demo_con) -> None:
    rows = demo_con.execute(
        "SELECT DISTINCT source, attribution, licence, noise_from_year FROM mart.series"
    ).fetchall()
    table = seeds.sources()
    assert {r[0] for r in rows} == {"scb", "kolada"}
    for source, attribution, licence, noise in rows:
        assert attribution == table.attribution_sv[source]
        assert licence == table.licence[source]
        assert noise == seeds.noise_from_year(source)
    assert seeds.noise_from_year("scb") == 2025 and seeds.noise_from_year("kolada") is None
    assert seeds.first_year("kolada") == 1997


def test_the_noise_flag_follows_the_seeded_year(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "w.duckdb"
    shutil.copy(demo_db, copy)
    monkeypatch.setattr(decompose.seeds, "noise_from_year", lambda source="scb": 2023)
    con = duckdb.connect(str(copy))
    try:
        con.execute("DELETE FROM mart.gap_decomposition")
        assert decompose.build_gap_decomposition(con) > 0
        years = con.execute(
            "SELECT year, bool_and(coalesce(flags, '') LIKE '%disclosure_noise%'), "
            "bool_or(coalesce(flags, '') LIKE '%disclosure_noise%') "
            "FROM mart.gap_decomposition GROUP BY year ORDER BY year"
        ).fetchall()
    finally:
        con.close()
    assert any(y >= 2023 for y, _, _ in years) and any(y < 2023 for y, _, _ in years)
    for year, every, some in years:
        assert every if year >= 2023 else not some, year
