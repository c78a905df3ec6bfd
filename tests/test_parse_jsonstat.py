"""json-stat2 parsing against SCB's real recorded responses, exactly as recorded."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from etl.demo import synthetic
from etl.parse import jsonstat


def _envelope(shared_dir: Path, table: str, name: str) -> dict:
    return json.loads((shared_dir / "recorded" / "scb" / table / name).read_text("utf-8"))


def test_tab3200_real_values(shared_dir: Path) -> None:
    env = _envelope(shared_dir, "TAB3200", "1ae797494d3dad3f.json")
    parsed = jsonstat.parse(env["response"])
    f = parsed.frame
    assert len(f) == 1450 == 290 * 5
    cell = f[(f.Region == "0180") & (f.Tid == "2022")]
    assert cell.value.tolist() == [81.1]
    assert set(f.ContentsCode) == {"000002NS"} and set(f.Kon) == {"1+2"}
    assert parsed.updated == "2025-11-28T07:00:00Z"
    # SCB's disclosure-control (CKM) warning travels with the data
    assert any("skydda enskilda personers uppgifter" in n for n in parsed.notes)
    assert not parsed.synthetic


def test_unordered_category_index_is_respected(shared_dir: Path) -> None:
    """The Region index object is not in index order: codes must follow the index values."""
    doc = _envelope(shared_dir, "TAB3200", "1ae797494d3dad3f.json")["response"]
    index = doc["dimension"]["Region"]["category"]["index"]
    assert list(index) != sorted(index, key=index.get)  # the fixture really is unordered
    codes = jsonstat.codes_in_order(doc, "Region")
    assert [index[c] for c in codes] == list(range(len(codes)))
    f = jsonstat.parse(doc).frame
    # value position = region position * 5 + year position (last dimension fastest)
    pos = index["1060"] * 5 + 2
    assert f[(f.Region == "1060") & (f.Tid == "2022")].value.item() == doc["value"][pos]


def test_tab5839_two_contents(shared_dir: Path) -> None:
    doc = _envelope(shared_dir, "TAB5839", "2ecd8fcad91ef053.json")["response"]
    f = jsonstat.parse(doc).frame
    assert len(f) == 1740
    assert set(f.ContentsCode) == {"00000548", "00000546"}
    assert f.value.notna().all() and (f.value >= 0).all()


def _naive(doc: dict) -> list[tuple]:
    """Reference implementation: a Python loop over the cartesian product."""
    codes = [jsonstat.codes_in_order(doc, d) for d in doc["id"]]
    return [(*combo, v) for combo, v in zip(itertools.product(*codes), doc["value"], strict=True)]


def test_vectorised_parse_matches_naive_product() -> None:
    meta = synthetic.scb_metadata("TAB6383")
    selection = {
        "Region": ["0180", "1280", "0880"], "Kon": ["1", "2", "1+2"], "UtbNiv": ["TOT"],
        "BakgrVar": ["SE", "SAMUTF", "INT010"], "ContentsCode": ["SYN0001"], "Tid": ["2022", "2024"],
    }  # fmt: skip
    doc = synthetic.scb_dataset(meta, selection)
    parsed = jsonstat.parse(doc)
    rows = [
        tuple(r) for r in parsed.frame[[*doc["id"], "value"]].astype(object).itertuples(index=False)
    ]
    expected = _naive(doc)
    assert len(rows) == len(expected) == 54
    for got, want in zip(rows, expected, strict=True):
        assert got[:-1] == want[:-1]
        assert (got[-1] == want[-1]) or (want[-1] is None and np.isnan(got[-1]))
    assert parsed.synthetic


def test_status_symbols_become_null_plus_flag() -> None:
    doc = {
        "id": ["Region", "Tid"], "size": [1, 4],
        "dimension": {"Region": {"category": {"index": {"0180": 0}}},
                      "Tid": {"category": {"index": {"2021": 0, "2022": 1, "2023": 2, "2024": 3}}}},
        "value": [1.5, None, None, 0.0],
        "status": {"1": "..", "2": "-"},
    }  # fmt: skip
    f = jsonstat.parse(doc).frame
    assert f.status.tolist() == ["ok", "suppressed", "not_applicable", "ok"]
    assert np.isnan(f.value[1]) and np.isnan(f.value[2])
    assert f.value[3] == 0.0  # a real zero stays a zero


def test_sparse_value_object() -> None:
    doc = {"id": ["Tid"], "size": [3], "dimension": {"Tid": {"category": {"index": ["a", "b", "c"]}}},
           "value": {"0": 4.0, "2": 6.0}}  # fmt: skip
    f = jsonstat.parse(doc).frame
    assert f.value.tolist()[0] == 4.0 and np.isnan(f.value[1]) and f.status[1] == "missing"


@pytest.mark.parametrize(
    "doc, message",
    [
        ({"dimension": {}}, "missing"),
        (
            {"id": ["A"], "dimension": {"A": {"category": {"index": {"x": 0}}}}, "value": [1, 2]},
            "2 values",
        ),
        (
            {
                "id": ["A"],
                "size": [2],
                "dimension": {"A": {"category": {"index": {"x": 0}}}},
                "value": [1],
            },
            "size",
        ),
        (
            {"id": ["A"], "dimension": {"A": {"category": {"index": {"x": 0}}}}, "value": ["abc"]},
            "not numeric",
        ),
    ],
)
def test_malformed_documents_raise_clearly(doc: dict, message: str) -> None:
    with pytest.raises(jsonstat.JsonStatError, match=message):
        jsonstat.parse(doc)


def test_max_cells_response_parses_in_one_vectorised_pass() -> None:
    """A response at SCB's per-call cell limit parses correctly (speed is in benchmarks/)."""
    n = 150_000
    doc = {
        "id": ["Region", "Kon", "ContentsCode", "Tid"], "size": [300, 5, 10, 10],
        "dimension": {
            "Region": {"category": {"index": {f"{i:04d}": i for i in reversed(range(300))}}},
            "Kon": {"category": {"index": {str(i): i for i in range(5)}}},
            "ContentsCode": {"category": {"index": {f"C{i}": i for i in range(10)}}},
            "Tid": {"category": {"index": {str(2000 + i): i for i in range(10)}}},
        },
        "value": [float(i) for i in range(n)],
    }  # fmt: skip
    f = jsonstat.parse(doc).frame
    assert len(f) == n
    row = f.iloc[123_456]
    # 123456 = region 246 * 500 + sex 4 * 100 + content 5 * 10 + year 6
    assert (row.Region, row.Kon, row.ContentsCode, row.Tid, row.value) == (
        "0246",
        "4",
        "C5",
        "2006",
        123456.0,
    )


# --- index validation (the recording is read as it is, then corrupted in memory) ---------------


def _tab3200(shared_dir: Path) -> dict:
    return _envelope(shared_dir, "TAB3200", "1ae797494d3dad3f.json")["response"]


def _scatter(doc: dict) -> dict:
    for code in list(doc["dimension"]["Region"]["category"]["index"])[:3]:
        doc["dimension"]["Region"]["category"]["index"][code] = 10**9
    return doc


def _duplicate(doc: dict) -> dict:
    index = doc["dimension"]["Region"]["category"]["index"]
    first, second = list(index)[:2]
    index[second] = index[first]
    return doc


def _size(doc: dict) -> dict:
    doc["size"][-1] += 1
    return doc


def _list_index(doc: dict) -> dict:
    index = doc["dimension"]["Tid"]["category"]["index"]
    doc["dimension"]["Tid"]["category"]["index"] = sorted(index, key=index.get)[:-1]
    return doc


def _sparse_value(doc: dict) -> dict:
    doc["value"] = {str(i): v for i, v in enumerate(doc["value"]) if v is not None}
    doc["value"]["1450"] = 1.0  # one cell past the end
    return doc


def _status_list(doc: dict) -> dict:
    doc["status"] = [None] * (len(doc["value"]) + 3)
    return doc


def _short_values(doc: dict) -> dict:
    doc["value"] = doc["value"][:-290]
    return doc


@pytest.mark.parametrize(
    "corrupt, words",
    [
        (_scatter, "dimension Region: index is not a permutation of 0..289"),
        (_duplicate, "dimension Region: index is not a permutation"),
        (_size, "dimension Tid: index of 5 codes does not match size 6"),
        (_list_index, "dimension Tid: index of 4 codes"),
        (_sparse_value, "values position '1450' outside 0..1449"),
        (_status_list, "1453 status entries"),
        (_short_values, "1160 values but its dimensions give 1450 cells"),
    ],
)
def test_corrupted_indexes_and_sizes_fail_naming_table_and_dimension(shared_dir, corrupt, words):
    doc = corrupt(_tab3200(shared_dir))
    with pytest.raises(jsonstat.JsonStatError) as err:
        jsonstat.parse(doc)
    message = str(err.value)
    assert message.startswith("table TAB3200: ") and words in message and "\n" not in message


def test_valid_forms_pass_validation(shared_dir):
    """The recording as it is, its index as a list, and its values in the sparse object form."""
    doc = _tab3200(shared_dir)
    jsonstat.validate(doc)
    index = doc["dimension"]["Region"]["category"]["index"]
    doc["dimension"]["Region"]["category"]["index"] = sorted(index, key=index.get)
    doc["value"] = {str(i): v for i, v in enumerate(doc["value"]) if v is not None}
    doc["status"] = {"0": ".."}
    parsed = jsonstat.parse(doc)
    assert len(parsed.frame) == 1450
    cell = parsed.frame[(parsed.frame.Region == "0180") & (parsed.frame.Tid == "2022")]
    assert cell.value.tolist() == [81.1]
