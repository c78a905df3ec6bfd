"""PxWeb v1 (RegSO) and Kolada parsing against the real recordings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from etl.demo.kolada_v3 import ddf_to_v3
from etl.parse import kolada, pxweb_v1


@pytest.fixture(scope="module")
def regso(shared_dir: Path):
    return pxweb_v1.parse(
        json.loads((shared_dir / "recorded/scb-regso/kalmar/IntGr1RegSOBASN.json").read_text())
    )


def test_regso_v1_shape_and_values(regso) -> None:
    f = regso.frame
    assert f.Region.nunique() == 17 and set(f.Region.str[:4]) == {"0880"}
    assert len(f) == 1275 * 11
    cell = f[
        (f.Region == "0880R001_RegSO2025")
        & (f.Kon == "1+2")
        & (f.BakgrVar == "20-24")
        & (f.ContentsCode == "000008AW")
    ]
    assert cell.value.item() == 55.4
    assert regso.updated == "2026-02-13T07:00:00Z"


def test_regso_suppressed_cells_are_null_never_zero(regso) -> None:
    f = regso.frame
    suppressed = f[f.status == "suppressed"]
    assert len(suppressed) > 1000
    assert suppressed.value.isna().all()
    # and the real zeros that exist are kept as zeros, flagged ok
    assert (f[(f.status == "ok")].value.notna()).all()


def test_v1_rejects_wrong_shape() -> None:
    with pytest.raises(pxweb_v1.PxV1Error):
        pxweb_v1.parse({"data": []})
    bad = {"columns": [{"code": "Region", "type": "d"}, {"code": "X", "type": "c"}],
           "data": [{"key": ["a", "b"], "values": ["1"]}]}  # fmt: skip
    with pytest.raises(pxweb_v1.PxV1Error):
        pxweb_v1.parse(bad)


def _ddf(shared_dir: Path, kpi: str) -> dict:
    folder = shared_dir / "recorded" / "kolada-values"
    return ddf_to_v3(
        kpi,
        (folder / f"ddf--datapoints--{kpi.lower()}--by--geo--gender--year.csv").read_text(),
        (folder / f"ddf--datapoints--{kpi.lower()}--by--geo--year.csv").read_text(),
    )


def test_kolada_values_real(shared_dir: Path) -> None:
    f = kolada.parse_values(_ddf(shared_dir, "N02267"))
    stockholm = f[(f.area_code == "0180") & (f.year == 2022)].set_index("gender").value
    assert stockholm.to_dict() == {"K": 81.0, "M": 81.1, "T": 81.1}
    assert set(f.gender) == {"K", "M", "T"}
    assert f.value.between(0, 100).all()


def test_kolada_shape_errors() -> None:
    with pytest.raises(kolada.KoladaShapeError):
        kolada.parse_values({"count": 0})
    with pytest.raises(kolada.KoladaShapeError):
        kolada.parse_values(
            {"values": [{"kpi": "N1", "period": 2020, "values": [{"gender": "T", "value": 1}]}]}
        )


def test_tab3200_equals_kolada_n02267_for_every_municipality(shared_dir: Path) -> None:
    """The ready-made cross-check: SCB TAB3200 rate (total) == Kolada N02267 (T), 290 x 2020-2022."""
    from etl.parse import jsonstat

    env = json.loads((shared_dir / "recorded/scb/TAB3200/1ae797494d3dad3f.json").read_text())
    scb = jsonstat.parse(env["response"]).frame
    scb = scb[scb.Tid.isin(["2020", "2021", "2022"])].assign(year=lambda d: d.Tid.astype(int))
    kol = kolada.parse_values(_ddf(shared_dir, "N02267"))
    kol = kol[kol.gender == "T"]
    merged = scb.merge(
        kol, left_on=["Region", "year"], right_on=["area_code", "year"], suffixes=("_scb", "_k")
    )
    assert len(merged) == 870
    assert np.allclose(merged.value_scb, merged.value_k)


def test_groups_accept_v3_member_keys_and_older_id_title():
    """Kolada v3 sends member_id/member_title; older copies id/title; anything else is a clear error."""
    import pytest

    from etl.parse.kolada import KoladaShapeError, parse_groups

    v3 = {
        "values": [
            {"id": "G1", "title": "A", "members": [{"member_id": "0682", "member_title": "Nässjö"}]}
        ]
    }
    old = {"values": [{"id": "G1", "title": "A", "members": [{"id": "0682", "title": "Nässjö"}]}]}
    for doc in (v3, old):
        assert parse_groups(doc).to_dict("records") == [
            {"group_id": "G1", "title": "A", "member_id": "0682", "member_title": "Nässjö"}
        ]
    bad = {"values": [{"id": "G1", "title": "A", "members": [{"code": "0682"}]}]}
    with pytest.raises(KoladaShapeError, match="G1.*member_id.*code"):
        parse_groups(bad)
