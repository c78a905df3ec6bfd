"""Kolada v3 `values` responses built from frames: the synthetic KPIs and the recorded DDF exports."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd


def ddf_frame(kpi: str, by_gender_csv: str | None, total_csv: str | None) -> pd.DataFrame:
    """Kolada DDF CSV exports -> (geo, year, gender, value) in Kolada's own codes, read by header.

    The exports differ in column order and code style: the country as `0` or `0000`, counties as
    `LL` or `00LL`, genders as `k`/`m` or `K`/`M`; all come out as v3 ids (`0000`, `00LL`, `K`).
    """
    frames = []
    col = kpi.lower()
    if by_gender_csv:
        frames.append(pd.read_csv(io.StringIO(by_gender_csv), dtype={"geo": str, "gender": str}))
    if total_csv:
        frames.append(pd.read_csv(io.StringIO(total_csv), dtype={"geo": str}).assign(gender="T"))
    if not frames:
        return pd.DataFrame(columns=["geo", "year", "gender", "value"])
    df = pd.concat(frames, ignore_index=True)
    df["geo"] = df.geo.astype(str).str.strip().map(kolada_id)
    df["gender"] = df.gender.astype(str).str.strip().str.upper()
    df["year"] = df.year.astype(int)
    return df[["geo", "year", "gender", col]].rename(columns={col: "value"})


def kolada_id(geo: str) -> str:
    """A DDF geo code -> Kolada v3 area id: `0` -> `0000`, `LL` -> `00LL`, others unchanged."""
    if geo.strip("0") == "":
        return "0000"
    return "00" + geo if len(geo) == 2 else geo


def ddf_to_v3(kpi: str, by_gender_csv: str | None, total_csv: str | None) -> dict:
    """Wrap Kolada DDF CSV exports (geo,year[,gender],<kpi>) in the v3 values shape."""
    df = ddf_frame(kpi, by_gender_csv, total_csv)
    items = to_v3_items(kpi, df) if len(df) else []
    return {"values": items, "count": len(items), "next_url": None, "previous_url": None}


def read_ddf(kpi: str, folder: Path) -> pd.DataFrame:
    """A KPI's recorded DDF files in `folder` (by sex and total) as `ddf_frame`; empty if none."""
    stem = folder / f"ddf--datapoints--{kpi.lower()}"
    texts = [
        path.read_text("utf-8") if path.exists() else None
        for path in (Path(f"{stem}--by--geo--gender--year.csv"), Path(f"{stem}--by--geo--year.csv"))
    ]
    return ddf_frame(kpi, *texts)


def to_v3_items(kpi: str, frame: pd.DataFrame, **extra: object) -> list[dict]:
    """(area id, year, gender, value) rows -> Kolada v3 `values` items, one per area and year."""
    items: list[dict] = []
    last = None
    for area_id, year, gender, value in frame.sort_values(list(frame.columns[:3])).itertuples(
        index=False
    ):
        if (area_id, year) != last:
            items.append(
                {"kpi": kpi, "municipality": area_id, "period": int(year), "values": [], **extra}
            )
            last = (area_id, year)
        ok = value == value  # not NaN
        items[-1]["values"].append(
            {"gender": gender, "count": 1, "status": "" if ok else "Saknas",
             "value": float(value) if ok else None}
        )  # fmt: skip
    return items
