"""Reference files are read per folder: a changed LABOURDASH_REFERENCE_DIR takes effect at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import reference

HEADER = "kommun_kod,kommun,lan_kod,lan,kolada_region_id\n"


def _folder(root: Path, rows: str) -> Path:
    (root / "classifications").mkdir(parents=True)
    (root / "classifications" / "kommuner_master.csv").write_text(HEADER + rows, encoding="utf-8")
    return root


def test_a_changed_reference_dir_is_read_not_the_first_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _folder(tmp_path / "one", "0114,Upplands Väsby,01,Stockholms län,0001\n")
    two = _folder(
        tmp_path / "two", "0180,Stockholm,01,Stockholms län,0001\n1280,Malmö,12,Skåne län,0012\n"
    )
    monkeypatch.setenv("LABOURDASH_REFERENCE_DIR", str(one))
    assert list(reference.municipalities().kommun_kod) == ["0114"]
    monkeypatch.setenv("LABOURDASH_REFERENCE_DIR", str(two))
    assert list(reference.municipalities().kommun_kod) == ["0180", "1280"]
    assert list(reference.counties().code) == ["01", "12"]
    assert list(reference.municipalities(one).kommun_kod) == ["0114"]  # an explicit folder wins


def test_a_missing_reference_file_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURDASH_REFERENCE_DIR", str(tmp_path))
    with pytest.raises(reference.ReferenceMissing, match=str(tmp_path)):
        reference.regso()
