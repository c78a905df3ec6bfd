"""The demo world's scale knobs: synthetic copies of municipalities and a shorter year span."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import duckdb
import pytest

from etl import reference, seeds, unitcheck
from etl.demo import scale
from etl.demo.scale import Scale, parse_years, using_reference, write_reference
from etl.settings import get_settings
from etl.unitcheck import REGSO_CODE


@pytest.fixture
def scaled3(tmp_path: Path) -> Path:
    """A reference folder with 3x the municipalities."""
    return write_reference(get_settings().reference_dir, tmp_path / "ref", 3)


def test_the_reference_reader_knows_nothing_of_the_demo() -> None:
    source = Path(reference.__file__).read_text("utf-8")
    assert "demo" not in source and "scale" not in source
    assert len(reference.municipalities()) == 290


def test_only_the_demo_command_reaches_the_demo_wing() -> None:
    root = Path(reference.__file__).parent
    importers = set()
    for path in root.rglob("*.py"):
        if path.parent.name == "demo":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names += [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == "etl.demo" or n.startswith("etl.demo.") for n in names):
                importers.add(path.relative_to(root).as_posix())
    assert importers == {"cli.py"}


def test_copies_are_labelled_unique_and_cannot_collide_with_real_codes(scaled3: Path) -> None:
    real = reference.municipalities()
    munis = reference.municipalities(scaled3)
    assert len(munis) == 3 * len(real)
    assert munis.kommun_kod.is_unique
    copies = munis[~munis.kommun_kod.isin(real.kommun_kod)]
    assert len(copies) == 2 * len(real)
    assert copies.kommun_kod.str.fullmatch(scale.COPY_CODE).all()
    assert not copies.kommun_kod.str.fullmatch(r"\d+").any()  # every real code is digits only
    assert not copies.kommun_kod.map(lambda c: bool(REGSO_CODE.match(c))).any()
    assert copies.kommun.str.contains(r"\(syntetisk kopia \d+\)").all()
    # same county as the municipality copied; the counties themselves do not grow
    assert (copies.lan_kod == copies.kommun_kod.str[:2]).all()
    assert reference.counties(scaled3).equals(reference.counties())
    # every other file is the reference folder's own
    assert reference.regso(scaled3).equals(reference.regso())


def test_unit_checks_follow_the_reference_folder_in_force(scaled3: Path) -> None:
    assert "0114S01" not in unitcheck.known_areas()
    with using_reference(scaled3):
        assert os.environ["LABOURDASH_REFERENCE_DIR"] == str(scaled3)
        known = unitcheck.known_areas()
    assert {"0114S01", "0114S02"} <= known
    assert "0114S01" not in unitcheck.known_areas()  # restored after the block


def test_la_mapping_puts_every_copy_in_its_municipality_region(tmp_path: Path) -> None:
    vintage = seeds.load("la_vintages").iloc[-1]
    base = reference.la_mapping(vintage.reference_file)
    folder = write_reference(get_settings().reference_dir, tmp_path / "ref", 2)
    grown = reference.la_mapping(vintage.reference_file, folder)
    assert len(grown) == 2 * len(base)
    region = dict(zip(base.kommun_kod, base.la_kod, strict=True))
    copies = grown[grown.kommun_kod.str.contains("S")]
    assert (copies.la_kod == copies.kommun_kod.str[:4].map(region)).all()


def test_years_and_bad_values() -> None:
    assert parse_years("2015-2025") == (2015, 2025)
    assert parse_years("2020") == (2020, 2020)
    assert parse_years(None) is None
    for bad in ("15-25", "2025-2015", "soon"):
        with pytest.raises(ValueError, match="years"):
            parse_years(bad)
    for bad in (0, scale.MAX_MULTIPLIER + 1):
        with pytest.raises(ValueError, match="multiplier"):
            Scale(bad)
    assert scale.clip_years(1993, 2025, (2020, 2022)) == (2020, 2022)
    assert scale.clip_years(2021, 2024, (2020, 2022)) == (2021, 2022)
    assert scale.clip_years(1993, 2025, None) == (1993, 2025)


def test_scaled_demo_warehouse(tmp_path: Path) -> None:
    """A 2x demo over two years: twice the municipalities, copies synthetic and named so."""
    from etl.demo.demo import build_demo

    db = tmp_path / "labour.duckdb"
    build_demo(db, None, scale=Scale(2, (2023, 2024)))
    assert "0114S01" not in unitcheck.known_areas()  # the process's reference folder is untouched
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
    la = con.execute(
        "SELECT count(*) FROM mart.area_membership WHERE member_code = '0114S01'"
    ).fetchone()[0]
    assert la > 0  # the copy is a member of its municipality's LA region
    con.close()


def test_the_generator_reads_the_whole_seeds_whatever_catalogue_a_test_narrowed(
    monkeypatch,
) -> None:
    """Imported while a test had narrowed seeds.scb_tables(), the generator once kept that narrow
    list for the whole session, and the stand-in answered later tables with HTTP 500."""
    import importlib

    from etl import seeds
    from etl.demo import synthetic

    monkeypatch.setattr(seeds, "scb_tables", lambda: seeds.load("scb_tables").iloc[:0])
    try:
        importlib.reload(synthetic)  # imported while the catalogue is narrowed
        assert synthetic._table_level("REGSO_LABOUR")
        assert synthetic._table_id("TAB3200_AGE") == "TAB3200"
    finally:
        monkeypatch.undo()
        importlib.reload(synthetic)
