"""Real municipality sizes for the demo world: the population weights start from SCB's figures.

The synthetic world draws municipality sizes at random, so no weighting of its (real) municipal
rates can give the real county and country rates. With a recorded SCB population table
(seeds/demo_sizes.csv: TAB5557, population 2025 per municipality) every municipality's counts are
scaled, in all years, groups and sexes alike, so that its share of the world's people is its real
share; the world's national total per year stays. Rates and shares within a municipality stay.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from etl.parse.jsonstat import JsonStatError, parse
from etl.seeds import load

log = logging.getLogger(__name__)
COUNTS = ("pop", "emp", "unemp")


def real_sizes(scb_dir: Path) -> tuple[pd.Series, str]:
    """Recorded population per municipality code (seeds/demo_sizes.csv) and its label; empty if none."""
    for row in load("demo_sizes").itertuples():
        for path in sorted((scb_dir / row.table_id).glob("*.json")):
            try:
                doc = json.loads(path.read_text("utf-8"))
                if doc.get("kind") != "data":
                    continue
                frame = parse(doc["response"]).frame
            except (OSError, ValueError, KeyError, JsonStatError) as exc:
                log.warning("population recording %s unreadable: %s", path.name, exc)
                continue
            want = (frame.ContentsCode.astype(str) == row.contents_code) & (
                frame.Tid.astype(str) == row.year
            )
            frame = frame[want & frame.value.notna()]
            sizes = frame.groupby(frame.Region.astype(str)).value.sum()
            sizes = sizes[(sizes.index.str.len() == 4) & (sizes > 0)]
            if len(sizes):
                return sizes, row.label
    return pd.Series(dtype="float64"), ""


def fit_sizes(muni: pd.DataFrame, scb_dir: Path) -> pd.DataFrame:
    """Scale each municipality's counts so its share of the world's people is the recorded one."""
    sizes, label = real_sizes(scb_dir)
    if sizes.empty:
        return muni
    last = muni[muni.year == muni.year.max()].groupby("area")["pop"].sum()
    known = last.index.intersection(sizes.index)
    if known.empty:
        return muni
    # the world's people in the recorded municipalities, shared out as the real population is
    wanted = sizes[known] / sizes[known].sum() * last[known].sum()
    factor = (wanted / last[known]).rename("factor")
    f = muni.area.map(factor).fillna(1.0).to_numpy()
    out = muni.copy()
    for col in COUNTS:
        out[col] = np.round(out[col].to_numpy() * f)
    log.info("municipality sizes set to %s for %d municipalities", label, len(known))
    return out
