"""Kolada v3 `values` responses built from frames: the synthetic KPIs and the recorded DDF exports."""

from __future__ import annotations

import io

import pandas as pd


def ddf_to_v3(kpi: str, by_gender_csv: str | None, total_csv: str | None) -> dict:
    """Wrap Kolada DDF CSV exports (geo,year[,gender],<kpi>) in the v3 values shape."""
    frames = []
    col = kpi.lower()
    if by_gender_csv:
        frames.append(pd.read_csv(io.StringIO(by_gender_csv), dtype={"geo": str, "gender": str}))
    if total_csv:
        frames.append(pd.read_csv(io.StringIO(total_csv), dtype={"geo": str}).assign(gender="T"))
    if not frames:
        return {"values": [], "count": 0, "next_url": None, "previous_url": None}
    df = pd.concat(frames, ignore_index=True)
    # some DDF exports write the country as '0', counties as 'LL' and genders in lower case
    df["geo"] = df.geo.astype(str).map(
        lambda g: "0000" if g == "0" else ("00" + g if len(g) == 2 else g)
    )
    df["gender"] = df.gender.astype(str).str.upper()
    items = to_v3_items(kpi, df[["geo", "year", "gender", col]])
    return {"values": items, "count": len(items), "next_url": None, "previous_url": None}


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
