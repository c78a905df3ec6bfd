"""Area boundaries for the map: official GeoJSON, simplified for the web; LA regions dissolved."""

from __future__ import annotations

import json
import logging

import duckdb
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from etl import reference, seeds

log = logging.getLogger(__name__)
TOLERANCE = 0.003  # degrees, about 200-300 m: light enough for a web map of 290 municipalities
DECIMALS = 4


def _feature(code: str, geom: shapely.Geometry) -> str:
    geom = shapely.set_precision(geom.simplify(TOLERANCE, preserve_topology=True), 10**-DECIMALS)
    return json.dumps({"type": "Feature", "id": code, "properties": {}, "geometry": mapping(geom)},
                      separators=(",", ":"))  # fmt: skip


def reference_shapes(level: str) -> dict[str, shapely.Geometry]:
    """Code -> geometry for a level from the reference GeoJSON named in seeds/boundaries.csv."""
    spec = seeds.load("boundaries").set_index("level").loc[level]
    if not spec.reference_file:
        return {}
    doc = reference.geojson(spec.reference_file)
    out = {}
    for f in doc["features"]:
        code = str(f["properties"][spec.reference_id_property])
        code = code.zfill(2) if level == "county" else code.zfill(4)
        out[code] = shape(f["geometry"])
    return out


def schematic_regso(
    munis: dict[str, shapely.Geometry], regso: pd.DataFrame
) -> dict[str, shapely.Geometry]:
    """Made-up cells (Voronoi inside the municipality) standing in for RegSO boundaries in the demo."""
    out: dict[str, shapely.Geometry] = {}
    for muni, grp in regso.groupby("municipality_code"):
        poly = munis.get(muni)
        if poly is None:
            continue
        rng = np.random.default_rng(int(muni))
        minx, miny, maxx, maxy = poly.bounds
        pts: list[shapely.Point] = []
        tries = 0
        while len(pts) < len(grp) and tries < 5000:
            tries += 1
            p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if poly.contains(p):
                pts.append(p)
        if len(pts) < len(grp):
            continue
        cells = shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=poly.envelope)
        ordered = sorted(cells.geoms, key=lambda c: (round(c.centroid.y, 3), c.centroid.x))
        for code, cell in zip(sorted(grp.area_code), ordered, strict=False):
            out[code] = cell.intersection(poly)
    return out


def build_geometry(con: duckdb.DuckDBPyConnection, schematic_regso_shapes: bool) -> int:
    """Fill mart.area_geometry for municipalities, counties, LA regions (and schematic RegSO in demo)."""
    rows = []
    munis = reference_shapes("municipality")
    for code, geom in munis.items():
        rows.append((code, "municipality", _feature(code, geom), "okfse/sweden-geojson", False))
    for code, geom in reference_shapes("county").items():
        rows.append((code, "county", _feature(code, geom), "okfse/sweden-geojson", False))
    members = con.execute(
        "SELECT m.parent_code, m.member_code FROM mart.area_membership m "
        "JOIN mart.area a ON a.area_code = m.parent_code WHERE a.level = 'la_region'"
    ).df()
    for parent, grp in members.groupby("parent_code"):
        geoms = [munis[c] for c in grp.member_code if c in munis]
        if geoms:
            merged = shapely.union_all([shapely.make_valid(g) for g in geoms]).buffer(0)
            rows.append(
                (parent, "la_region", _feature(parent, merged), "dissolved municipalities", False)
            )
    if schematic_regso_shapes:
        regso = con.execute(
            "SELECT area_code, municipality_code FROM mart.area WHERE level = 'regso'"
        ).df()
        for code, geom in schematic_regso(munis, regso).items():
            rows.append(
                (code, "regso", _feature(code, geom), "schematic (demo, not real boundaries)", True)
            )
    frame = pd.DataFrame(rows, columns=["area_code", "level", "geojson", "source", "synthetic"])
    frame = frame[
        frame.area_code.isin(con.execute("SELECT area_code FROM mart.area").df().area_code)
    ]
    con.register("geometry_df", frame)
    con.execute("INSERT INTO mart.area_geometry SELECT * FROM geometry_df")
    return len(frame)
