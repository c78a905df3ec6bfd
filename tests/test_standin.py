"""The stand-in itself, spoken to with plain httpx: what it serves, enforces and logs."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.standin import REGSO_TABLE_ID

TAB3200_DATA = "recorded/scb/TAB3200/1ae797494d3dad3f.json"


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture(scope="module")
def recorded(shared_dir):
    return json.loads((shared_dir / TAB3200_DATA).read_text("utf-8"))


def body_for(selection: dict[str, list[str]]) -> dict:
    return {"selection": [{"variableCode": v, "valueCodes": c} for v, c in selection.items()]}


def test_recorded_data_is_served_for_its_selection(standin, http, recorded):
    url = f"{standin.scb_url}/tables/TAB3200/data?lang=sv&outputFormat=json-stat2"
    shuffled = {v: list(reversed(c)) for v, c in reversed(recorded["selection"].items())}
    response = http.post(url, json=body_for(shuffled))
    assert response.status_code == 200
    assert response.json() == recorded["response"]


def test_get_data_with_valuecodes_slices_the_recording(standin, http, recorded):
    params = {
        "lang": "sv",
        "outputFormat": "json-stat2",
        "valuecodes[Region]": "0180,0114",
        "valuecodes[Kon]": "1+2",
        "valuecodes[Alder]": "20-64",
        "valuecodes[Fodelseregion]": "tot",
        "valuecodes[ContentsCode]": "000002NS",
        "valuecodes[Tid]": "2022",
    }
    ds = http.get(f"{standin.scb_url}/tables/TAB3200/data", params=params).json()
    assert ds["size"] == [2, 1, 1, 1, 1, 1]
    assert ds["dimension"]["Region"]["category"]["index"] == {"0114": 0, "0180": 1}
    assert ds["value"] == [81.6, 81.1]  # Upplands Väsby and Stockholm 2022, as recorded
    assert ds["note"] == recorded["response"]["note"]


def test_unrecorded_selection_is_synthetic(standin, http):
    pytest.importorskip("etl.demo.synthetic")
    selection = {
        "Region": ["0180"],
        "Kon": ["2"],
        "Alder": ["20-64"],
        "Fodelseregion": ["ut"],
        "ContentsCode": ["000002NS"],
        "Tid": ["2023"],
    }
    ds = http.post(f"{standin.scb_url}/tables/TAB3200/data", json=body_for(selection)).json()
    assert ds["size"] == [1] * 6 and len(ds["value"]) == 1
    assert (
        "synt"
        in json.dumps(ds.get("note", "")).lower() + json.dumps(ds.get("extension", {})).lower()
    )


@pytest.mark.parametrize(
    "selection, detail",
    [
        ({"Kommun": ["0180"]}, "Variable Kommun is not a valid variable"),
        (
            {"Region": ["9999"], "Alder": ["20-64"], "ContentsCode": ["000002NS"], "Tid": ["2022"]},
            "Value, 9999",
        ),
        (
            {"Region": ["0180"], "ContentsCode": ["000002NS"], "Tid": ["2022"]},
            "Variable Alder is mandatory",
        ),
    ],
)
def test_bad_selections_get_a_400_problem(standin, http, selection, detail):
    response = http.post(f"{standin.scb_url}/tables/TAB3200/data", json=body_for(selection))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert detail in response.json()["detail"]


def test_unknown_table_is_404(standin, http):
    response = http.get(f"{standin.scb_url}/tables/TAB0000/metadata")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_cell_limit_is_enforced_with_400_too_many_cells(standin, http, recorded):
    standin.set_scb_limits(max_cells=1449)
    config = http.get(f"{standin.scb_url}/config").json()
    assert config["maxDataCells"] == 1449
    response = http.post(
        f"{standin.scb_url}/tables/TAB3200/data", json=body_for(recorded["selection"])
    )
    assert response.status_code == 400 and "1450 cells" in response.json()["detail"]
    assert response.json()["title"] == "Too many cells selected"  # PxTools/PxWebApi ProblemUtility


def test_call_limit_is_enforced_with_429(standin, http):
    standin.set_scb_limits(max_calls=2, window=10)
    codes = [http.get(f"{standin.scb_url}/config").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    last = standin.requests(service="scb")[-1]
    assert last.status == 429
    response = http.get(f"{standin.scb_url}/config")
    assert 1 <= int(response.headers["Retry-After"]) <= 10


def test_updated_stamps_are_settable(standin, http):
    assert http.get(f"{standin.scb_url}/tables/TAB5839").json()["updated"] == "2022-11-24T07:00:00Z"
    standin.set_updated("TAB5839", "2026-12-01T07:00:00Z")
    assert http.get(f"{standin.scb_url}/tables/TAB5839").json()["updated"] == "2026-12-01T07:00:00Z"


def test_table_search_is_paged_and_finds_regso(standin, http):
    """Like PxWebApi's index: words of ids, titles, variables and value texts, ANDed; not v1 names."""

    def ids(query: str) -> list[str]:
        found = http.get(f"{standin.scb_url}/tables", params={"query": query}).json()
        return [t["id"] for t in found["tables"]]

    assert ids("IntGr1RegSOBASN") == []
    # "Andel sysselsatta" / "antal sysselsatta" are value texts: both RegSO tables are found
    assert ids("RegSO sysselsatta") == [REGSO_TABLE_ID, "TAB6680"]
    assert ids("tab3200") == ["TAB3200"]
    assert ids("0000001X") == ["TAB389"]  # value codes are indexed too
    first = http.get(f"{standin.scb_url}/tables", params={"pageSize": 3}).json()
    assert first["page"]["pageNumber"] == 1 and first["page"]["totalPages"] > 1
    assert len(first["tables"]) == 3


def test_kolada_rejects_more_than_25_ids(standin, http):
    ids = ",".join(f"{i:04d}" for i in range(26))
    response = http.get(f"{standin.kolada_url}/data/kpi/N02267/municipality/{ids}/year/2022")
    assert response.status_code == 400 and "25" in response.json()["detail"]


def test_kolada_pages_link_to_each_other(standin, http):
    standin.set_page_sizes(kolada=100)
    first = http.get(f"{standin.kolada_url}/municipality").json()
    assert first["count"] == 100 and first["previous_url"] is None
    last = http.get(first["next_url"].replace("page=2", "page=4")).json()
    assert last["count"] == 12 and last["next_url"] is None


def test_kolada_v2_is_gone(standin, http):
    assert http.get(f"{standin.base_url}/kolada/v2/data/kpi/N02267/year/2022").status_code == 410


def test_faults_apply_n_times_then_stop(standin, http):
    standin.fault("/config", 500, times=2)
    codes = [http.get(f"{standin.scb_url}/config").status_code for _ in range(3)]
    assert codes == [500, 500, 200]
    assert [r.fault for r in standin.requests()] == ["500", "500", None]


def test_truncated_fault_promises_more_than_it_sends(standin, http):
    standin.fault("/config", "truncated")
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"{standin.scb_url}/config")


def test_fault_can_target_a_method(standin, http):
    standin.fault("/kolada/v3/municipality", 429, method="POST")
    assert http.get(f"{standin.kolada_url}/municipality").status_code == 200


def test_request_log_records_what_was_sent(standin, http):
    http.post(
        f"{standin.scb_url}/tables/TAB3200/data",
        params={"lang": "sv"},
        json={"selection": [{"variableCode": "Kon", "valueCodes": ["1"]}]},
    )
    (entry,) = standin.requests(service="scb", method="POST")
    assert entry.route == "/tables/TAB3200/data"
    assert entry.query == {"lang": "sv"}
    assert entry.body == {"selection": [{"variableCode": "Kon", "valueCodes": ["1"]}]}
    assert entry.status == 400


def test_recorded_tables_keep_their_real_codes_in_english(standin, http, recorded):
    sv = http.get(f"{standin.scb_url}/tables/TAB3200/metadata", params={"lang": "sv"}).json()
    en = http.get(f"{standin.scb_url}/tables/TAB5839/metadata", params={"lang": "en"})
    assert en.status_code == 200  # no English recording: the Swedish one's codes are served
    en = http.get(f"{standin.scb_url}/tables/TAB3200/metadata", params={"lang": "en"}).json()
    assert {v: set(d["category"]["index"]) for v, d in en["dimension"].items()} == {
        v: set(d["category"]["index"]) for v, d in sv["dimension"].items()
    }
    url = f"{standin.scb_url}/tables/TAB3200/data?lang=en&outputFormat=json-stat2"
    assert (
        http.post(url, json=body_for(recorded["selection"])).json()["value"]
        == recorded["response"]["value"]
    )


def test_kpi_fields_are_settable(standin, http):
    standin.set_kpi_fields("N02267", publication_date="2027-11-28")
    items = http.get(f"{standin.kolada_url}/kpi/N02267,N02268").json()["values"]
    assert [i["publication_date"] for i in items] == ["2027-11-28", "2026-11-28"]
    standin.reset()
    assert (
        http.get(f"{standin.kolada_url}/kpi/N02267").json()["values"][0]["publication_date"]
        == "2026-11-28"
    )
