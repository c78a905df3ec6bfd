"""Area shapes for the map: simplified, rounded GeoJSON and label points, cached per process."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from dashboard.core import db, queries

log = logging.getLogger(__name__)

# Simplification tolerance in degrees (~0.003° ≈ 200-300 m) and the quantisation grid per level,
# as decimals of a degree: 2 → 0.01° (≤ 560 m N-S, ≤ 280 m E-W at 60° N), 3 → 0.001°, 4 → 0.0001°.
# The grid's error stays below a pixel where the level is drawn: counties and local labour markets
# only on the map of all Sweden (~2 km a pixel in the 760 px card), municipalities also near a
# selected one, RegSO areas within one municipality (~40 m a pixel). See the README's "Map shapes".
TOLERANCE = {"county": 0.01, "la_region": 0.006, "municipality": 0.003, "regso": 0.0004,
             "regso_set": 0.0004}  # fmt: skip
DECIMALS = {"county": 2, "la_region": 3, "municipality": 3, "regso": 4, "regso_set": 4}


@dataclass(frozen=True)
class Shapes:
    """A FeatureCollection (feature id = area code) and a label point per area."""

    geojson: dict
    points: dict[str, tuple[float, float]]
    synthetic: bool
    bounds: tuple[float, float, float, float] | None = None  # lon0, lat0, lon1, lat1 of all shapes


_lock = threading.Lock()
_cache: dict[tuple, Shapes] = {}


def shapes(level: str, municipality: str | None = None) -> Shapes:
    """Shapes of a level (RegSO: within one municipality), built once per warehouse file."""
    key = (db.generation(), level, municipality if level == "regso" else None)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    built = _build(level, municipality if level == "regso" else None)
    with _lock:
        if len(_cache) > 64:  # old generations and many RegSO municipalities
            _cache.clear()
        _cache[key] = built
    return built


def _same(path: str) -> str:
    return path


# the app's path prefixer (dash.get_relative_path), set by create_app: core imports no Dash
relative_path: Callable[[str], str] = _same


def url(level: str, municipality: str | None = None) -> str:
    """Where the browser fetches a level's shapes (versioned by warehouse file, so cacheable)."""
    version = hashlib.sha1(repr(db.generation()).encode()).hexdigest()[:10]
    path = f"/geo/{level}.json"
    with contextlib.suppress(Exception):  # no app (pure unit use)
        path = relative_path(path)
    query = f"muni={municipality}&" if level == "regso" and municipality else ""
    return f"{path}?{query}v={version}"


def _round(coords, nd: int):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], nd), round(coords[1], nd)]
    return [_round(c, nd) for c in coords]


def _load(level: str, municipality: str | None) -> tuple[dict[str, object], bool]:
    df = queries.geometries(level, municipality)
    geoms = {}
    for code, text in zip(df["area_code"], df["geojson"], strict=True):
        feature = json.loads(text)
        geom = feature.get("geometry", feature) if isinstance(feature, dict) else None
        if geom:
            geoms[str(code)] = shape(geom)
    return geoms, bool(df["synthetic"].any()) if len(df) else False


def _dissolve_la() -> tuple[dict[str, object], bool]:
    munis, synthetic = _load("municipality", None)
    cat = queries.catalogue()
    areas = cat.areas[cat.areas["level"] == "municipality"]
    groups: dict[str, list] = {}
    for code, la in zip(areas.index, areas["la_code"], strict=True):
        if isinstance(la, str) and code in munis:
            groups.setdefault(la, []).append(munis[code])
    return {la: shapely.union_all(parts) for la, parts in groups.items()}, synthetic


def compact(geoms: dict[str, object], tol: float, nd: int) -> dict[str, object]:
    """Simplify the areas together and snap them to a 10^-nd degree grid, keeping shared borders.

    Coverage simplification simplifies an edge two areas share once, so both sides keep the same
    vertices; snapping is per vertex, so equal vertices stay equal. Repeated points are then dropped
    and an area the grid made invalid (a pinched ring) is repaired without moving its vertices.
    """
    codes = list(geoms)
    if not codes:
        return {}
    source = np.array([geoms[c] for c in codes], dtype=object)
    try:
        simple = shapely.coverage_simplify(source, tol, simplify_boundary=True)
    except shapely.errors.GEOSException:  # not polygons: simplify each on its own
        simple = shapely.simplify(source, tol, preserve_topology=True)
    snapped = shapely.set_precision(simple, 10.0**-nd, mode="pointwise")
    return {
        code: _clean(geom, alone, tol, nd)
        for code, geom, alone in zip(codes, snapped, source, strict=True)
    }


def _clean(geom, alone, tol: float, nd: int):
    """Drop repeated points and repair what snapping broke; a vanished area keeps its own shape."""
    polygons = shapely.get_parts(shapely.make_valid(geom, method="linework"))
    polygons = [
        p for p in polygons if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty
    ]
    if not polygons:
        return shapely.set_precision(alone.simplify(tol, preserve_topology=True), 10.0**-nd)
    merged = (
        polygons[0]
        if len(polygons) == 1
        else shapely.MultiPolygon([q for p in polygons for q in shapely.get_parts(p)])
    )
    return shapely.remove_repeated_points(merged)


def _build(level: str, municipality: str | None) -> Shapes:
    geoms, synthetic = _load(level, municipality)
    if level == "la_region" and not geoms:
        geoms, synthetic = _dissolve_la()
    tol, nd = TOLERANCE.get(level, 0.002), DECIMALS.get(level, 4)
    features, points = [], {}
    compacted = compact(geoms, tol, nd)
    for code, geom in geoms.items():
        simple = compacted[code]
        # d3-geo (Plotly's geo maps) reads counter-clockwise rings as "the whole globe minus this".
        simple = shapely.orient_polygons(simple, exterior_cw=True)
        gj = mapping(simple)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {},
                "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"], nd)},
            }
        )
        p = geom.representative_point()
        points[code] = (round(p.x, 4), round(p.y, 4))
    log.info("built %d %s shapes", len(features), level)
    boxes = [g.bounds for g in geoms.values() if not g.is_empty]
    bounds = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else None
    )
    return Shapes({"type": "FeatureCollection", "features": features}, points, synthetic, bounds)
