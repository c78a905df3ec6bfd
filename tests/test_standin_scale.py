"""The stand-in's test-double area multiplier: copies named like the demo scale, cells copied."""

from __future__ import annotations

import httpx
import pytest

from etl.demo.scale import COPY_CODE
from tests.standin import StandIn


@pytest.fixture(scope="module")
def scaled_standin():
    """A stand-in serving 3x the municipalities."""
    with StandIn() as standin:
        standin.set_area_multiplier(3)
        yield standin


def _data(standin: StandIn, regions: list[str]) -> dict:
    body = {"selection": [
        {"variableCode": "Region", "valueCodes": regions},
        {"variableCode": "Kon", "valueCodes": ["1+2"]},
        {"variableCode": "Alder", "valueCodes": ["20-64"]},
        {"variableCode": "Fodelseregion", "valueCodes": ["tot"]},
        {"variableCode": "ContentsCode", "valueCodes": ["000002NS"]},
        {"variableCode": "Tid", "valueCodes": ["2022"]},
    ]}  # fmt: skip
    r = httpx.post(f"{standin.scb_url}/tables/TAB3200/data?lang=sv&outputFormat=json-stat2",
                   json=body)  # fmt: skip
    r.raise_for_status()
    return r.json()


def test_recorded_scb_table_gains_copies_with_the_municipalities_cells(scaled_standin) -> None:
    meta = httpx.get(f"{scaled_standin.scb_url}/tables/TAB3200/metadata?lang=sv").json()
    region = meta["dimension"]["Region"]["category"]
    copies = [c for c in region["index"] if COPY_CODE.match(c)]
    assert len(copies) == 2 * 290 and "0180S02" in copies
    assert region["label"]["0180S01"].endswith("(syntetisk kopia 1)")
    assert meta["extension"]["synthetic"] is True
    doc = _data(scaled_standin, ["0180", "0180S01", "0180S02", "2580S02"])
    assert doc["size"][0] == 4 and doc["extension"]["synthetic"] is True
    stockholm, copy1, copy2, lulea_copy = doc["value"]
    assert stockholm is not None and stockholm == copy1 == copy2
    assert lulea_copy == _data(scaled_standin, ["2580"])["value"][0]


def test_kolada_lists_copies_and_serves_their_municipalitys_values(scaled_standin) -> None:
    base = scaled_standin.kolada_url
    munis = httpx.get(f"{base}/municipality").json()["values"]
    ids = {m["id"] for m in munis}
    assert {"0180S01", "0180S02"} <= ids and "0180S03" not in ids
    got = httpx.get(f"{base}/data/kpi/N02267/municipality/0180S02,1480/year/2021").json()["values"]
    by_area = {i["municipality"]: i for i in got}
    assert set(by_area) == {"0180S02", "1480"} and by_area["0180S02"].get("synthetic") is True
    real = httpx.get(f"{base}/data/kpi/N02267/municipality/0180/year/2021").json()["values"][0]
    assert by_area["0180S02"]["values"] == real["values"]


def test_multiplier_one_serves_the_recording_byte_for_byte() -> None:
    with StandIn() as standin:
        plain = _data(standin, ["0180"])
        assert "synthetic" not in (plain.get("extension") or {})
