"""Kolada v3 client against the stand-in: real recorded values, next_url paging, 25-id chunks."""

from __future__ import annotations

import csv
import json

import pytest

from etl.sources.http import GoneError, MalformedResponse
from etl.sources.kolada import KoladaClient, chunked, page_items

YEARS = [2020, 2021, 2022]


@pytest.fixture
def client(standin):
    with KoladaClient(
        standin.kolada_url, timeout=5, retries=2, backoff=0.01, sleep=lambda s: None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def n02267(shared_dir) -> dict[tuple[str, int, str], float]:
    """The recorded N02267 values read straight from the CSVs: (area, year, gender) -> value."""
    root = shared_dir / "recorded/kolada-values"
    out = {}
    with (root / "ddf--datapoints--n02267--by--geo--year.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[row["geo"], int(row["year"]), "T"] = float(row["n02267"])
    with (root / "ddf--datapoints--n02267--by--geo--gender--year.csv").open(
        encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            out[row["geo"], int(row["year"]), row["gender"]] = float(row["n02267"])
    return out


@pytest.fixture(scope="module")
def municipality_ids(shared_dir) -> list[str]:
    path = shared_dir / "reference/kolada/kolada_municipalities.json"
    return [m["id"] for m in json.loads(path.read_text("utf-8")) if m["type"] == "K"]


def flatten(items: list[dict]) -> dict[tuple[str, int, str], float | None]:
    return {
        (item["municipality"], item["period"], v["gender"]): v["value"]
        for item in items
        for v in item["values"]
    }


def segments(path: str) -> dict[str, list[str]]:
    parts = path.split("/data/", 1)[1].split("/")
    return {dim: ids.split(",") for dim, ids in zip(parts[::2], parts[1::2], strict=True)}


def test_values_are_the_real_recorded_ones_across_pages(standin, client, n02267, municipality_ids):
    standin.set_page_sizes(kolada=40)
    areas = ["0000", *municipality_ids]
    results = client.values(["N02267"], areas, YEARS)
    got = flatten(page_items(results))
    assert got[("0180", 2022, "T")] == 81.1  # Stockholm, as in the recorded CSV
    expected = {k: v for k, v in n02267.items() if k[0] in set(areas) and k[1] in YEARS}
    assert got == expected
    assert len({(a, y) for a, y, _ in got}) == len(areas) * 3
    # several pages per chunk, each followed through next_url until it is null
    for result in results:
        body = result.json()
        assert body["count"] == len(body["values"]) <= 40
    last_pages = [r for r in results if r.json()["next_url"] is None]
    assert len(last_pages) == len(chunked(areas)) == 12
    assert len(results) > len(last_pages)


def test_paging_follows_next_url_exactly(standin, client):
    standin.set_page_sizes(kolada=5)
    results = client.values(["N02267"], ["0180", "0114", "1480"], YEARS)
    sent = standin.requests(path="/data/")
    assert len(results) == len(sent) == 2  # 9 items in pages of 5
    assert sent[0].query == {"per_page": "5000"}
    assert sent[1].query == {"page": "2", "per_page": "5"}
    assert results[1].url == results[0].json()["next_url"]
    assert results[0].json()["previous_url"] is None
    assert results[1].json()["previous_url"].endswith("page=1&per_page=5")
    assert len(page_items(results)) == 9


def test_no_segment_ever_has_more_than_25_ids(standin, client, municipality_ids):
    kpis = ["N02267", "N02268", *[f"X{i:05d}" for i in range(28)]]  # 30 ids; unknown ones are empty
    years = list(range(1990, 2023))  # 33 years
    results = client.values(kpis, municipality_ids[:60], years)
    sent = standin.requests(path="/data/")
    firsts = [s for s in sent if "page" not in s.query]
    assert len(firsts) == 2 * 3 * 2  # kpi chunks x area chunks x year chunks
    seen = {"kpi": set(), "municipality": set(), "year": set()}
    for request in sent:
        for dim, ids in segments(request.path).items():
            assert len(ids) <= 25, request.path
            seen[dim] |= set(ids)
    assert seen == {
        "kpi": set(kpis),
        "municipality": set(municipality_ids[:60]),
        "year": {str(y) for y in years},
    }
    items = page_items(results)
    assert {i["kpi"] for i in items} == {"N02267", "N02268"}
    assert {i["period"] for i in items} == {2020, 2021, 2022}
    assert len({(i["kpi"], i["municipality"], i["period"]) for i in items}) == len(items)
    assert len(items) == 2 * 60 * 3  # two recorded KPIs x 60 areas x 3 years


def test_kpi_metadata(standin, client):
    items = page_items(client.kpis(["N02267", "N02268"]))
    assert [i["id"] for i in items] == ["N02267", "N02268"]
    assert items[0]["title"] == "Sysselsättningsgrad 20-64 år, andel (%)"
    assert items[0]["is_divided_by_gender"] is True
    everything = client.kpis()
    assert len(everything) == 2  # 6,099 KPIs in pages of 5,000
    assert len(page_items(everything)) == 6099


def test_municipalities_and_groups(client):
    areas = page_items(client.municipalities())
    assert len(areas) == 312
    assert {"id": "0180", "title": "Stockholm", "type": "K"} in areas
    groups = page_items(client.municipality_groups())
    assert len(groups) == 3630
    skr = next(g for g in groups if g["id"] == "G92786")
    assert skr["members"] and {"member_id", "member_title"} <= set(skr["members"][0])


def test_synthetic_values_for_kpis_without_recordings(client):
    pytest.importorskip("etl.demo.synthetic")
    items = page_items(client.values(["N02269"], ["0180"], [2022]))
    assert [(i["kpi"], i["municipality"], i["period"]) for i in items] == [("N02269", "0180", 2022)]
    assert {v["gender"] for v in items[0]["values"]} == {"T", "K", "M"}


def test_v2_answers_gone(standin):
    with KoladaClient(standin.kolada_v2_url, retries=0) as v2, pytest.raises(GoneError) as err:
        v2.municipalities()
    assert err.value.status == 410 and "use v3" in str(err.value)


def test_wrong_shape_page_is_malformed(standin, client):
    standin.fault("/data/", "wrong_shape")
    with pytest.raises(MalformedResponse, match="'values' list"):
        client.values(["N02267"], ["0180"], [2022])


def test_a_broken_page_is_retried(standin, client):
    standin.set_page_sizes(kolada=2)
    standin.fault(r"/data/.*page=2", "cut_json")
    standin.fault(r"/data/.*page=3", 503)
    items = page_items(client.values(["N02267"], ["0180", "0114"], YEARS))
    assert len(items) == 6
    statuses = [r.status for r in standin.requests(path="/data/")]
    assert statuses == [200, 200, 200, 503, 200]
    assert [r.fault for r in standin.requests(path="/data/")][1] == "cut_json"


def test_chunked_keeps_order_and_drops_duplicates():
    assert chunked(["a", "b", "a", "c"], 2) == [["a", "b"], ["c"]]
    assert chunked([], 25) == []


def test_client_from_settings_uses_the_standin_url(standin):
    from etl.settings import get_settings

    with KoladaClient.from_settings(get_settings(), backoff=0.01) as c:
        assert c.base_url == standin.kolada_url
        assert len(page_items(c.kpis(["N02267"]))) == 1


def test_ddf_codes_are_served_as_kolada_ids(client):
    # n00971's CSVs write the country as '0' and genders in lower case; Kolada says 0000 and K/M/T
    items = page_items(client.values(["N00971"], ["0000"], [2015]))
    assert [(i["municipality"], i["period"]) for i in items] == [("0000", 2015)]
    values = {v["gender"]: v["value"] for v in items[0]["values"]}
    assert values["K"] == 13.18432593 and values["M"] == 33.4820457
    assert set(values) == {"K", "M", "T"} and values["T"] == 24.65711298
