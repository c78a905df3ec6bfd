"""PxWebApi 2.0: pure selection builders on real metadata, and the client against the stand-in."""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
import time

import pytest

from etl.parse.jsonstat import codes_in_order
from etl.settings import SEEDS_DIR
from etl.sources.http import ClientRequestError, MalformedResponse
from etl.sources.pxweb import (
    PxWebClient,
    SelectionError,
    cell_count,
    resolve_selection,
    selection_body,
    split_selection,
)
from tests.standin import REGSO_TABLE_ID

RECORDED_SELECTION_FILE = "recorded/scb/TAB3200/1ae797494d3dad3f.json"


@pytest.fixture(scope="module")
def tab3200_metadata(shared_dir):
    return json.loads((shared_dir / "recorded/scb/TAB3200/metadata.json").read_text("utf-8"))[
        "response"
    ]


@pytest.fixture(scope="module")
def recorded_data(shared_dir):
    return json.loads((shared_dir / RECORDED_SELECTION_FILE).read_text("utf-8"))


def seed_spec(table_key: str) -> dict[str, str]:
    with (SEEDS_DIR / "scb_variables.csv").open(encoding="utf-8") as handle:
        return {
            r["variable"]: r["selection"]
            for r in csv.DictReader(handle)
            if r["table_key"] == table_key
        }


def value_at(dataset: dict, **codes: str):
    """One value of a json-stat2 dataset by its codes (row-major over `id`)."""
    flat = 0
    for var, size in zip(dataset["id"], dataset["size"], strict=True):
        flat = flat * size + dataset["dimension"][var]["category"]["index"][codes[var]]
    return dataset["value"][flat]


def cells(selection: dict[str, list[str]]) -> set[tuple[str, ...]]:
    return set(itertools.product(*selection.values()))


@pytest.fixture
def client(standin):
    sleeps: list[float] = []
    with PxWebClient(
        standin.scb_url, timeout=5, retries=2, max_retry_after=10, backoff=0.01, sleep=sleeps.append
    ) as c:
        c.sleeps = sleeps
        yield c


# --- pure -----------------------------------------------------------------------------------


def test_codes_follow_index_values_not_key_order(tab3200_metadata):
    index = tab3200_metadata["dimension"]["Region"]["category"]["index"]
    assert list(index)[:2] == ["10", "12"]  # the recorded object is not in index order
    region = codes_in_order(tab3200_metadata, "Region")
    assert len(region) == 312 and region[:3] == ["00", "01", "0114"]
    assert [index[c] for c in region] == list(range(312))


def test_resolve_seed_selection_on_real_tab3200(tab3200_metadata):
    selection = resolve_selection(tab3200_metadata, seed_spec("TAB3200"))
    assert list(selection) == ["Region", "Kon", "Alder", "Fodelseregion", "ContentsCode", "Tid"]
    assert selection["Region"] == codes_in_order(tab3200_metadata, "Region")
    assert selection["Kon"] == ["1", "2", "1+2"]
    assert selection["Alder"] == ["20-64", "20-65", "20-66"]
    assert selection["Fodelseregion"] == ["tot", "in", "ut"]
    # codes come in metadata index order, not in the order the spec lists them
    assert selection["ContentsCode"] == [
        "000002NT",
        "000002NM",
        "000002NL",
        "000002NU",
        "000002NN",
        "000002NK",
        "000002NS",
    ]
    assert selection["Tid"] == ["2020", "2021", "2022", "2023", "2024"]
    index = tab3200_metadata["dimension"]["ContentsCode"]["category"]["index"]
    assert [index[c] for c in selection["ContentsCode"]] == sorted(
        index[c] for c in selection["ContentsCode"]
    )
    assert cell_count(selection) == 312 * 3 * 3 * 3 * 7 * 5


def test_label_regex_is_case_insensitive(tab3200_metadata):
    sel = resolve_selection(
        tab3200_metadata, {"ContentsCode": "label:^SYSSELSÄTTNINGSGRAD", "Kon": "label:män"}
    )
    assert sel == {"Kon": ["1"], "ContentsCode": ["000002NS"]}
    sel = resolve_selection(tab3200_metadata, {"Kon": "label:^(män|kvinnor)$"})
    assert sel == {"Kon": ["1", "2"]}


def test_an_absent_selected_code_fails_naming_table_variable_and_code(tab3200_metadata):
    """Drift is never absorbed: a selected code the table lost fails the unit."""
    with pytest.raises(SelectionError, match=r"TAB3200: code 2019 of variable Tid is not in"):
        resolve_selection(tab3200_metadata, {"Tid": "2019;2022;2020"})


def test_alternatives_take_the_first_code_the_table_has(tab3200_metadata):
    sel = resolve_selection(tab3200_metadata, {"Fodelseregion": "TOT|tot;ut", "Tid": "2020"})
    assert sel == {"Fodelseregion": ["tot", "ut"], "Tid": ["2020"]}
    with pytest.raises(SelectionError, match="code TOT or tot20-64 of variable Fodelseregion"):
        resolve_selection(tab3200_metadata, {"Fodelseregion": "TOT|tot20-64"})


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"Tid": "1999;2000"}, "code 1999 of variable Tid"),
        ({"ContentsCode": "label:^nothing"}, "matches no codes"),
        ({"Kommun": "*"}, "variable Kommun is not in the table"),
    ],
)
def test_impossible_specs_raise(tab3200_metadata, spec, message):
    with pytest.raises(SelectionError, match=message):
        resolve_selection(tab3200_metadata, spec)


def test_metadata_drift_names_renamed_variables_and_new_codes(tab3200_metadata):
    import copy

    from etl.sources.pxweb import metadata_drift

    spec = {"Region": "*", "Tid": "*", "Kon": "1;2"}
    assert metadata_drift(tab3200_metadata, tab3200_metadata, spec) == ([], {})
    newer = copy.deepcopy(tab3200_metadata)
    newer["dimension"]["Tid"]["category"]["index"]["2025"] = 99
    newer["dimension"]["Tid"]["category"]["label"]["2025"] = "2025"
    problems, fresh = metadata_drift(tab3200_metadata, newer, spec)
    assert problems == [] and fresh == {"Tid": ["2025"]}
    fewer = copy.deepcopy(tab3200_metadata)
    del fewer["dimension"]["Region"]["category"]["index"]["0180"]
    problems, _ = metadata_drift(tab3200_metadata, fewer, spec)
    assert problems == ["codes removed from Region: 0180"]
    renamed = copy.deepcopy(tab3200_metadata)
    renamed["id"] = ["Kön" if v == "Kon" else v for v in renamed["id"]]
    renamed["dimension"]["Kön"] = renamed["dimension"].pop("Kon")
    problems, _ = metadata_drift(tab3200_metadata, renamed, spec)
    assert problems == ["variables changed: -Kon, +Kön"]


def test_split_real_selection_under_today_limit(tab3200_metadata):
    selection = resolve_selection(tab3200_metadata, seed_spec("TAB3200"))
    chunks = split_selection(selection, 150_000)
    assert len(chunks) == 2
    assert all(cell_count(c) <= 150_000 for c in chunks)
    assert all(c["ContentsCode"] == selection["ContentsCode"] for c in chunks)
    assert sum(cell_count(c) for c in chunks) == cell_count(selection)
    assert set().union(*(cells(c) for c in chunks)) == cells(selection)


def test_split_properties_random():
    rng = random.Random(7)
    for _ in range(200):
        selection = {
            "Region": [f"r{i}" for i in range(rng.randint(1, 40))],
            "Kon": ["1", "2", "1+2"][: rng.randint(1, 3)],
            "ContentsCode": [f"c{i}" for i in range(rng.randint(1, 6))],
            "Tid": [str(2000 + i) for i in range(rng.randint(1, 12))],
        }
        max_cells = rng.randint(1, 2 * cell_count(selection))
        chunks = split_selection(selection, max_cells)
        assert all(cell_count(c) <= max_cells for c in chunks)
        assert sum(cell_count(c) for c in chunks) == cell_count(selection)  # no overlap
        assert set().union(*(cells(c) for c in chunks)) == cells(selection)  # full cover
        assert all(list(c) == list(selection) for c in chunks)
        if cell_count(selection) // len(selection["ContentsCode"]) <= max_cells:
            assert all(c["ContentsCode"] == selection["ContentsCode"] for c in chunks)


def test_split_prefers_region_and_splits_contents_only_when_unavoidable():
    selection = {"Region": ["a", "b", "c", "d"], "Tid": ["1", "2", "3", "4", "5", "6"]}
    chunks = split_selection(selection, 12)
    assert [c["Region"] for c in chunks] == [["a", "b"], ["c", "d"]]
    assert all(c["Tid"] == selection["Tid"] for c in chunks)
    only_contents = {"Region": ["a"], "ContentsCode": ["x", "y", "z"]}
    assert [c["ContentsCode"] for c in split_selection(only_contents, 1)] == [["x"], ["y"], ["z"]]
    with pytest.raises(SelectionError, match="cannot split"):
        split_selection({"Region": ["a"]}, 0)


def test_selection_body_shape():
    assert selection_body({"Region": ["0180"], "Tid": ["2022", "2023"]}) == {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["0180"]},
            {"variableCode": "Tid", "valueCodes": ["2022", "2023"]},
        ]
    }


# --- client against the stand-in ------------------------------------------------------------


def test_config_limits_are_read_and_configure_the_limiter(standin, client):
    standin.set_scb_limits(max_cells=1234, max_calls=7, window=3)
    config = client.config()
    assert config["maxDataCells"] == 1234
    assert client.max_data_cells == 1234
    assert (client.http.limiter.max_calls, client.http.limiter.window) == (7, 3.0)


def test_fetch_table_splits_under_max_cells_and_keeps_real_values(standin, client, recorded_data):
    standin.set_scb_limits(max_cells=300)
    selection = recorded_data["selection"]
    results = client.fetch_table("TAB3200", selection)
    posts = standin.requests(method="POST", path="/data")
    assert len(results) == len(posts) >= 5
    assert all(p.status == 200 for p in posts)  # never a 403 for too many cells
    sent = []
    for post in posts:
        chunk = {s["variableCode"]: s["valueCodes"] for s in post.body["selection"]}
        assert cell_count(chunk) <= 300
        assert post.query == {"lang": "sv", "outputFormat": "json-stat2"}
        sent.append(chunk)
    assert set().union(*(cells(c) for c in sent)) == cells(selection)
    # the chunks together give back the real recorded values
    full = recorded_data["response"]
    got = {}
    for result in results:
        ds = result.json()
        for region, year in itertools.product(
            ds["dimension"]["Region"]["category"]["index"], selection["Tid"]
        ):
            codes = {"Region": region, "Kon": "1+2", "Alder": "20-64", "Fodelseregion": "tot"}
            got[region, year] = value_at(ds, **codes, ContentsCode="000002NS", Tid=year)
    assert got["0180", "2022"] == 81.1
    base = {"Kon": "1+2", "Alder": "20-64", "Fodelseregion": "tot", "ContentsCode": "000002NS"}
    assert got == {(r, y): value_at(full, Region=r, Tid=y, **base) for r, y in got}
    assert len(got) == 290 * 5


def test_data_over_the_cell_limit_is_refused(standin, client, recorded_data):
    standin.set_scb_limits(max_cells=100)
    with pytest.raises(ClientRequestError) as err:
        client.data("TAB3200", recorded_data["selection"])
    assert err.value.status == 400 and "1450 cells" in str(err.value)


def test_calls_per_window_are_obeyed(standin, client, recorded_data):
    standin.set_scb_limits(max_cells=300, max_calls=3, window=0.25)
    client.config()
    start = time.monotonic()
    client.fetch_table("TAB3200", recorded_data["selection"])
    elapsed = time.monotonic() - start
    statuses = [r.status for r in standin.requests(service="scb")]
    assert 429 not in statuses and len(statuses) >= 6
    assert elapsed >= 0.25 * (math.ceil(len(statuses) / 3) - 1) * 0.9


def test_429_during_fetch_table_is_waited_out(standin, client, recorded_data):
    standin.fault("/data", 429, retry_after="2")
    results = client.fetch_table("TAB3200", recorded_data["selection"])
    assert len(results) == 1 and client.sleeps == [2.0]
    assert json.loads(results[0].content) == recorded_data["response"]


def test_table_updated_stamp_and_override(standin, client):
    assert client.table("TAB3200").json()["updated"] == "2025-11-28T07:00:00Z"
    standin.set_updated("TAB3200", "2026-11-27T07:00:00Z")
    assert client.table("TAB3200").json()["updated"] == "2026-11-27T07:00:00Z"
    assert client.metadata("TAB3200").json()["updated"] == "2026-11-27T07:00:00Z"


def test_metadata_request(standin, client, tab3200_metadata):
    result = client.metadata("TAB3200", "sv")
    assert result.json() == tab3200_metadata
    (sent,) = standin.requests(path="/metadata")
    assert sent.query == {"lang": "sv", "outputFormat": "json-stat2"}


def test_search_follows_paging(standin, client):
    client.tables_page_size = 2
    tables = client.search_tables("")
    pages = standin.requests(path="/tables$")
    assert len(pages) == math.ceil(len(tables) / 2) >= 3
    assert [p.query["pageNumber"] for p in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert {"TAB3200", "TAB6383", REGSO_TABLE_ID} <= {t["id"] for t in tables}


def test_discovery_finds_the_regso_table_by_title_words_and_checks_metadata(standin, client):
    """v2 search indexes ids, titles and value texts, not v1 names; candidates are confirmed."""
    from etl import discovery, seeds
    from etl.units import UnitFailed
    from tests.standin.data import DECOY_TABLE_ID

    assert client.search_tables("IntGr1RegSOBASN") == []  # the v1 name finds nothing in v2
    row = next(r for r in seeds.scb_tables().itertuples() if r.table_key == "REGSO_LABOUR")
    found = discovery.find_table(client, row)
    assert found["id"] == REGSO_TABLE_ID and found["found_by"] == "RegSO sysselsatta"
    broad = row._replace(discover_query="RegSO")  # finds the population table first
    assert {t["id"] for t in client.search_tables("RegSO")} >= {REGSO_TABLE_ID, DECOY_TABLE_ID}
    assert discovery.find_table(client, broad)["id"] == REGSO_TABLE_ID
    standin.unlist(REGSO_TABLE_ID)
    # the RegSO count table (TAB6680: "antal sysselsatta") and the population table are rejected
    with pytest.raises(
        UnitFailed,
        match=rf"REGSO_LABOUR: no current SCB table.*checked .*TAB6680.*{DECOY_TABLE_ID}",
    ):
        discovery.find_table(client, broad)


def test_search_pages_past_the_end_and_discontinued_tables(standin, client):
    import httpx

    http = httpx.Client(timeout=10)
    standin.discontinue("TAB4881")
    assert "TAB4881" not in {t["id"] for t in client.search_tables("TAB4881")}
    listed = http.get(
        f"{standin.scb_url}/tables", params={"query": "TAB4881", "includeDiscontinued": "true"}
    )
    assert [t["discontinued"] for t in listed.json()["tables"]] == [True]
    past = http.get(f"{standin.scb_url}/tables", params={"query": "TAB3200", "pageNumber": 9})
    assert past.status_code == 404 and past.json()["title"] == "Non-existent page"


def test_unknown_codes_and_tables_are_client_errors(standin, client):
    with pytest.raises(ClientRequestError, match="not a valid value code for variable Tid"):
        client.data(
            "TAB3200",
            {"Region": ["0180"], "Alder": ["20-64"], "ContentsCode": ["000002NS"], "Tid": ["1850"]},
        )
    with pytest.raises(ClientRequestError) as err:
        client.table("TAB0001")
    assert err.value.status == 404


def test_wrong_shape_is_malformed_and_not_retried(standin, client):
    standin.fault("/tables/TAB3200", "wrong_shape", times=None)
    with pytest.raises(MalformedResponse, match="unexpected JSON shape"):
        client.table("TAB3200")
    assert len(standin.requests(path="/tables/TAB3200")) == 1


def test_client_from_settings_uses_the_standin_url(standin):
    from etl.settings import get_settings

    with PxWebClient.from_settings(get_settings(), backoff=0.01) as c:
        assert c.base_url == standin.scb_url
        assert c.config()["maxDataCells"] == 150000
