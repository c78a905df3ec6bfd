"""The map shapes are quantised compactly and still meet: shared border vertices stay identical."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
import shapely
from shapely.geometry import shape

from dashboard.core import geo

LEVELS = ("county", "la_region", "municipality")


def _vertices(geom) -> set[tuple[float, float]]:
    return {(float(x), float(y)) for x, y in shapely.get_coordinates(geom)}


def _snap(point: tuple[float, float], nd: int) -> tuple[float, float]:
    return (round(point[0], nd), round(point[1], nd))


def _source(level: str) -> dict[str, object]:
    geoms, _ = geo._load(level, None)  # noqa: SLF001
    if level == "la_region" and not geoms:
        geoms, _ = geo._dissolve_la()  # noqa: SLF001
    return geoms


def _rings(geometry: dict) -> list:
    coords = geometry["coordinates"]
    return coords if geometry["type"] == "Polygon" else [r for part in coords for r in part]


@pytest.mark.parametrize("level", LEVELS)
def test_every_area_keeps_a_valid_polygon_on_the_grid(dash_env, level):
    features = geo.shapes(level).geojson["features"]
    source = _source(level)
    assert {f["id"] for f in features} == set(source)  # no area lost
    nd = geo.DECIMALS[level]
    for f in features:
        g = f["geometry"]
        assert g["type"] in ("Polygon", "MultiPolygon"), f["id"]
        geom = shape(g)
        assert geom.is_valid and not geom.is_empty and geom.area > 0, f["id"]
        for ring in _rings(g):
            assert len(ring) >= 4 and ring[0] == ring[-1], f["id"]
            assert all(a != b for a, b in zip(ring, ring[1:], strict=False)), "repeated point"
            for x, y in ring:
                assert -Decimal(str(x)).as_tuple().exponent <= nd
                assert -Decimal(str(y)).as_tuple().exponent <= nd


@pytest.mark.parametrize("level", LEVELS)
def test_shared_border_vertices_stay_identical_on_both_sides(dash_env, level):
    """A vertex two neighbours share in the source is kept by both or dropped by both, same spot."""
    source = _source(level)
    nd = geo.DECIMALS[level]
    drawn = {
        f["id"]: _vertices(shape(f["geometry"])) for f in geo.shapes(level).geojson["features"]
    }
    owners: dict[tuple[float, float], list[str]] = defaultdict(list)
    for code, geom in source.items():
        for v in _vertices(geom):
            owners[v].append(code)
    shared = [(v, codes) for v, codes in owners.items() if len(codes) > 1]
    assert len(shared) > 10 * len(source)  # the areas do meet in the source
    kept = 0
    for v, codes in shared:
        there = {code: _snap(v, nd) in drawn[code] for code in codes}
        assert len(set(there.values())) == 1, f"{v} drawn by {there} only"
        kept += all(there.values())
    assert kept > len(source)  # borders are drawn, not simplified away


def test_shapes_are_smaller_than_the_source_and_on_a_coarser_grid(dash_env):
    source = _source("municipality")
    drawn = geo.shapes("municipality").geojson["features"]
    before = sum(len(_vertices(g)) for g in source.values())
    after = sum(len(_vertices(shape(f["geometry"]))) for f in drawn)
    assert after < before
