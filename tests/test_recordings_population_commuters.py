"""The later SCB v2 recordings (TAB638, TAB5557, TAB3266, TAB3267), parsed exactly as recorded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from etl.parse import jsonstat
from etl.parse.jsonstat import codes_in_order
from etl.sources.pxweb import metadata_drift, resolve_selection


def _response(shared_dir: Path, table: str, name: str) -> dict:
    return json.loads((shared_dir / "recorded" / "scb" / table / name).read_text("utf-8"))[
        "response"
    ]


def test_tab3267_status_marks_exactly_the_null_cells_as_suppressed(shared_dir: Path) -> None:
    doc = _response(shared_dir, "TAB3267", "92436a0f7db212aa.json")
    parsed = jsonstat.parse(doc)
    frame = parsed.frame
    assert len(frame) == 3179 == 289 * 11
    suppressed = frame[frame.status == "suppressed"]
    assert len(suppressed) == 16 == len(doc["status"])
    assert suppressed.value.isna().all()  # '..' is NULL with a flag, never 0
    assert frame[frame.status == "ok"].value.notna().sum() == 3163
    regions = set(frame.Region)
    assert len(regions) == 289 and "0331" not in regions  # today's codes that the table has
    meta = _response(shared_dir, "TAB3267", "metadata.json")
    assert "1917" in codes_in_order(meta, "Region")  # Heby under the code of the time
    assert any(".. = Uppgiften är inte tillgänglig" in n for n in parsed.notes)


def test_tab5557_sums_to_the_published_population(shared_dir: Path) -> None:
    doc = _response(shared_dir, "TAB5557", "ac392dca4f25fab2.json")
    frame = jsonstat.parse(doc).frame
    assert len(frame) == 290 and frame.value.sum() == 10_605_520
    assert frame.set_index("Region").value["0180"] == 999_239
    meta = _response(shared_dir, "TAB5557", "metadata.json")
    ages = codes_in_order(meta, "Alder")
    assert len(ages) == 137 and ages[:4] == ["TotSA", "0", "-4", "-9"]  # table order
    # the index object's keys are not in index order (SCB's serialiser puts integer-like keys first)
    index = meta["dimension"]["Alder"]["category"]["index"]
    assert list(index) != sorted(index, key=index.get)
    assert any(
        "Cell Key" in n or "CKM" in n or "störning" in n.lower() for n in meta.get("note", [])
    )


@pytest.mark.parametrize("table, regions", [("TAB638", 312), ("TAB3266", 290), ("TAB3267", 290)])
def test_population_and_commuter_metadata_resolve_like_any_table(
    shared_dir, table, regions
) -> None:
    meta = _response(shared_dir, table, "metadata.json")
    selection = resolve_selection(meta, {"Region": "*", "Tid": "*"})
    assert len(selection["Region"]) == regions
    assert metadata_drift(meta, meta, {"Region": "*"}) == ([], {})
    labels = jsonstat.metadata_labels(meta)
    assert set(labels) == set(meta["id"])


def test_tab638_lists_the_la_codelists_and_category_notes(shared_dir: Path) -> None:
    meta = _response(shared_dir, "TAB638", "metadata.json")
    region = meta["dimension"]["Region"]
    lists = [c["id"] for c in region["extension"]["codelists"]]
    assert {"agg_RegionLA1998", "agg_RegionLA2003_1", "agg_RegionLA2008", "agg_RegionLA2013",
            "agg_RegionLA2018"} <= set(lists)  # fmt: skip
    assert meta["dimension"]["ContentsCode"]["category"]["label"]["BE0101N1"] == "Folkmängd"
    assert "  " in meta["label"]  # the double space SCB's label has, kept as it is
    sizes = np.prod(meta["size"])
    assert sizes == 312 * 4 * 102 * 2 * 2 * 57
