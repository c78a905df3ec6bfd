"""Grid records built column by column equal pandas' row records with None for every missing value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.core.records import records


def reference(frame: pd.DataFrame) -> list[dict]:
    """pandas' own row records, missing values replaced by None one cell at a time."""
    out = frame.to_dict("records")
    for row in out:
        for key, value in row.items():
            if (
                value is pd.NA
                or value is pd.NaT
                or value is None
                or isinstance(value, float)
                and math.isnan(value)
            ):
                row[key] = None
    return out


def test_mixed_columns_and_missing_values():
    frame = pd.DataFrame(
        {
            "area_code": ["0180", "1280", None],
            "year": [2023, 2024, 2025],
            "value": [71.5, np.nan, 80.0],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "flag": [True, False, True],
            "when": [pd.Timestamp("2024-01-01"), pd.NaT, pd.Timestamp("2025-06-01")],
            "status": pd.array(["ok", pd.NA, "suppressed"], dtype="string"),
        }
    )
    got = records(frame)
    assert got == reference(frame)
    assert got[1] == {"area_code": "1280", "year": 2024, "value": None, "n": None, "flag": False,
                      "when": None, "status": None}  # fmt: skip
    assert type(got[0]["year"]) is int and type(got[0]["value"]) is float
    assert type(got[0]["n"]) is int and type(got[0]["flag"]) is bool


def test_empty_frames():
    assert records(pd.DataFrame({"a": [], "b": []})) == []
    assert records(pd.DataFrame(index=range(2))) == [{}, {}]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=4)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False)),
            st.integers(-1000, 1000),
        ),
        max_size=30,
    )
)
def test_same_as_row_records(rows):
    frame = pd.DataFrame(rows, columns=["s", "f", "i"])
    assert records(frame) == reference(frame)
