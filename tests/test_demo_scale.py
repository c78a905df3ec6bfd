"""The demo world's scale knobs: synthetic copies of municipalities and a shorter year span."""

from __future__ import annotations

import duckdb
import pytest

from etl import demo_scale, reference, unitcheck
from etl.demo_scale import parse_years, scaled
from etl.unitcheck import REGSO_CODE


def test_default_scale_changes_nothing():
    real = reference.municipalities()
    with scaled(1):
        same = reference.municipalities()
    assert len(real) == len(same) == 290
    assert list(same.kommun_kod) == list(real.kommun_kod)


def test_copies_are_labelled_unique_and_cannot_collide_with_real_codes():
    real = reference.municipalities()
    with scaled(3):
        munis = reference.municipalities()
        known = unitcheck.known_areas()
    assert len(munis) == 3 * len(real)
    assert munis.kommun_kod.is_unique
    copies = munis[~munis.kommun_kod.isin(real.kommun_kod)]
    assert len(copies) == 2 * len(real)
    assert copies.kommun_kod.str.fullmatch(demo_scale.COPY_CODE).all()
    assert not copies.kommun_kod.str.fullmatch(r"\d+").any()  # every real code is digits only
    assert not copies.kommun_kod.map(lambda c: bool(REGSO_CODE.match(c))).any()
    assert copies.kommun.str.contains(r"\(syntetisk kopia \d+\)").all()
    # same county as the municipality copied; the unit checks know the copies
    assert (copies.lan_kod == copies.kommun_kod.str[:2]).all()
    assert set(copies.kommun_kod) <= known
    # restored on exit
    assert len(reference.municipalities()) == len(real)
    assert "0114S01" not in unitcheck.known_areas()


def test_la_mapping_puts_every_copy_in_its_municipality_region():
    from etl import seeds

    vintage = seeds.load("la_vintages").iloc[-1]
    base = reference.la_mapping(vintage.reference_file)
    with scaled(2):
        grown = reference.la_mapping(vintage.reference_file)
    assert len(grown) == 2 * len(base)
    region = dict(zip(base.kommun_kod, base.la_kod, strict=True))
    copies = grown[grown.kommun_kod.str.contains("S")]
    assert (copies.la_kod == copies.kommun_kod.str[:4].map(region)).all()


def test_years_and_bad_values():
    assert parse_years("2015-2025") == (2015, 2025)
    assert parse_years("2020") == (2020, 2020)
    assert parse_years(None) is None
    for bad in ("15-25", "2025-2015", "soon"):
        with pytest.raises(ValueError, match="years"):
            parse_years(bad)
    with pytest.raises(ValueError, match="multiplier"), scaled(0):
        pass
    with scaled(1, (2020, 2022)):
        assert demo_scale.clip_years(1993, 2025) == (2020, 2022)
        assert demo_scale.clip_years(2021, 2024) == (2021, 2022)
    assert demo_scale.clip_years(1993, 2025) == (1993, 2025)


def test_scaled_demo_warehouse(tmp_path):
    """A 2x demo over two years: twice the municipalities, copies synthetic and named so."""
    from etl.demo.demo import build_demo

    db = tmp_path / "labour.duckdb"
    with scaled(2, (2023, 2024)):
        build_demo(db, None)
    con = duckdb.connect(str(db), read_only=True)
    n_muni, n_copies = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE area_code LIKE '%S01') FROM mart.area "
        "WHERE level = 'municipality'"
    ).fetchone()
    assert (n_muni, n_copies) == (580, 290)
    years = [
        r[0]
        for r in con.execute("SELECT DISTINCT year FROM mart.observation ORDER BY 1").fetchall()
    ]
    assert years and min(years) >= 2023 and max(years) <= 2024
    real, copy, synthetic = con.execute(
        "SELECT count(*) FILTER (WHERE o.area_code = '0114'), count(*) FILTER (WHERE o.area_code = '0114S01'), "
        "bool_and(o.synthetic) FILTER (WHERE o.area_code LIKE '%S01') FROM mart.observation o"
    ).fetchone()
    assert real > 0 and copy == real and synthetic
    name = con.execute("SELECT name_sv FROM mart.area WHERE area_code = '0114S01'").fetchone()[0]
    assert "syntetisk kopia 1" in name
    con.close()
