"""The byte parsers (orjson / msgspec fast paths) give exactly what the dict parsers give."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.parse import fastjson, jsonstat, kolada

RECORDED = Path(__file__).resolve().parents[2] / "shared" / "recorded"


def _dumps(doc: object) -> bytes:
    return json.dumps(doc).encode("utf-8")


PAGE = {
    "values": [
        {"kpi": "N02267", "municipality": "0180", "period": 2021, "values": [
            {"gender": "K", "count": 1, "status": "", "value": 80.1},
            {"gender": "M", "count": 1, "status": None, "value": 82},
            {"gender": "T", "count": 0, "status": "Saknas", "value": None}]},
        {"kpi": "N02268", "municipality": "1480", "period": 2022, "isdeleted": True,
         "values": [{"gender": "T", "value": 60.5}]},
        {"kpi": "N02268", "municipality": "1480", "period": 2023,
         "values": [{"gender": "T", "value": 61.0, "is_deleted": True}]},
    ],
    "count": 3, "next_url": None,
}  # fmt: skip


@pytest.mark.parametrize(
    "doc",
    [
        PAGE,
        {"values": []},
        # types outside the fast path's: the dict parser decides, the same frame comes out
        {
            "values": [
                {
                    "kpi": "N1",
                    "municipality": 180,
                    "period": "2020",
                    "values": [{"gender": "T", "value": "12.5"}],
                }
            ]
        },  # fmt: skip
    ],
)
def test_kolada_bytes_equal_dict_parser(doc):
    fast = kolada.parse_values_bytes(_dumps(doc))
    slow = kolada.parse_values(doc)
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True))


def test_kolada_bytes_flags_and_statuses():
    frame = kolada.parse_values_bytes(_dumps(PAGE))
    assert frame["deleted"].tolist() == [False, False, False, True, True]
    assert frame["status"].tolist() == ["ok", "ok", "missing", "ok", "ok"]
    assert frame["kolada_status"].tolist() == ["", "", "Saknas", "", ""]
    assert np.isnan(frame["value"].iloc[2]) and frame["value"].iloc[1] == 82.0


def test_kolada_bytes_bad_shape_keeps_the_clear_error():
    with pytest.raises(kolada.KoladaShapeError, match="lacks 'gender'"):
        kolada.parse_values_bytes(_dumps({"values": [{"kpi": "N1", "municipality": "0180",
                                                      "period": 2020, "values": [{}]}]}))  # fmt: skip
    with pytest.raises(kolada.KoladaShapeError, match="no 'values' list"):
        kolada.parse_values_bytes(b'{"count": 0}')


def test_fastjson_refusals_fall_back_to_the_stdlib():
    assert fastjson.loads(b'{"a": NaN}')["a"] != fastjson.loads(b'{"a": NaN}')["a"]  # NaN
    with pytest.raises(json.JSONDecodeError):
        fastjson.loads(b'{"a": ')


def test_jsonstat_bytes_on_the_real_tab3267_recording():
    path = next((RECORDED / "scb" / "TAB3267").glob("[0-9a-f]*.json"))
    response = json.loads(path.read_text("utf-8"))["response"]
    content = json.dumps(response).encode("utf-8")
    fast = jsonstat.parse_bytes(content).frame
    slow = jsonstat.parse(response).frame
    pd.testing.assert_frame_equal(fast, slow)
    assert (fast["status"] == "suppressed").sum() == len(response["status"]) == 16
    assert fast["value"].isna().sum() == 16
