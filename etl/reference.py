"""Reference files (municipality list, LA mapping, RegSO list, boundaries) from the reference folder.

Each file is read once per folder: the caches key on the resolved path, so a changed
LABOURDASH_REFERENCE_DIR (or an explicit `reference_dir`) takes effect at the next call.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from etl.settings import get_settings


class ReferenceMissing(FileNotFoundError):
    """A reference file the build needs is not in LABOURDASH_REFERENCE_DIR."""


def _path(relative: str, reference_dir: Path | None = None) -> Path:
    base = reference_dir or get_settings().reference_dir
    path = base / relative
    if not path.exists():
        raise ReferenceMissing(
            f"reference file {path} not found; set LABOURDASH_REFERENCE_DIR to the reference folder"
        )
    return path


@cache
def _csv(path: Path) -> pd.DataFrame:
    """One reference CSV, every column as string, read once per path."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def municipalities(reference_dir: Path | None = None) -> pd.DataFrame:
    """The 290 municipalities: code, name, county code/name, SKR group 2023, LA2024."""
    return _csv(_path("classifications/kommuner_master.csv", reference_dir))


def counties(reference_dir: Path | None = None) -> pd.DataFrame:
    """The 21 counties: code and SCB-style name ('Stockholms län')."""
    m = municipalities(reference_dir)
    return (
        m[["lan_kod", "lan", "kolada_region_id"]]
        .drop_duplicates()
        .rename(columns={"lan_kod": "code", "lan": "name"})
        .sort_values("code")
        .reset_index(drop=True)
    )


def regso(reference_dir: Path | None = None) -> pd.DataFrame:
    """RegSO areas (the 2018 vintage, 3,363 areas) with their municipality and county."""
    df = _csv(_path("areas/ddf--entities--geo--regso.csv", reference_dir))
    return df.rename(columns={"regso": "code", "kommun": "municipality", "region": "county"})[
        ["code", "name", "municipality", "county"]
    ]


def la_mapping(relative: str, reference_dir: Path | None = None) -> pd.DataFrame:
    """Municipality -> LA region for one vintage file."""
    return _csv(_path(relative, reference_dir))


def geojson(relative: str, reference_dir: Path | None = None) -> dict:
    """A GeoJSON FeatureCollection from the reference folder."""
    return json.loads(_path(relative, reference_dir).read_text(encoding="utf-8"))


def kolada_file(name: str, reference_dir: Path | None = None) -> Path:
    """Path of a file in the reference kolada/ folder."""
    return _path(f"kolada/{name}", reference_dir)


def deso(reference_dir: Path | None = None) -> pd.DataFrame:
    """DeSO areas (the 2018 vintage, 5,984 areas) with their RegSO and municipality."""
    df = _csv(_path("areas/ddf--entities--geo--deso.csv", reference_dir))
    return df.rename(columns={"deso": "code", "kommun": "municipality"})[
        ["code", "name", "regso", "municipality"]
    ]
