"""DataFrame → list of plain dicts (None for missing), the fast way."""

from __future__ import annotations

import math

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None instead of NaN/NA/NaT, ready for JSON and plain-Python loops."""
    out = frame.to_dict("records")
    for row in out:
        for key, value in row.items():
            if value is None:
                continue
            if (
                value is pd.NA
                or value is pd.NaT
                or (isinstance(value, float) and math.isnan(value))
            ):
                row[key] = None
    return out
