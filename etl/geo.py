"""Area boundaries for the map: official GeoJSON, simplified for the web; LA regions dissolved."""

from __future__ import annotations

import json
import logging

import duckdb
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


def wfs_shapes(level: str, doc: dict) -> dict[str, shapely.Geometry]:
    """Code -> geometry from a WFS FeatureCollection, codes made to match the statistics' codes."""
    spec = seeds.load("boundaries").set_index("level").loc[level]
    out = {}
    for f in doc.get("features", []):
        code = f.get("properties", {}).get(spec.id_property)
        if code and f.get("geometry"):
            out[str(code) + spec.code_suffix] = shape(f["geometry"])
    return out


def build_geometry(
    con: duckdb.DuckDBPyConnection, boundary_docs: dict[str, tuple[dict, bool, str]]
) -> int:
    """Fill mart.area_geometry: reference boundaries, fetched WFS layers, LA regions dissolved.

    `boundary_docs` maps a level to (FeatureCollection, synthetic, source url) from the archive.
    """
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
    for level, (doc, synthetic, url) in boundary_docs.items():
        label = "schematic shapes (demo, not real boundaries)" if synthetic else url
        for code, geom in wfs_shapes(level, doc).items():
            rows.append((code, level, _feature(code, geom), label, synthetic))
    frame = pd.DataFrame(rows, columns=["area_code", "level", "geojson", "source", "synthetic"])
    frame = frame[
        frame.area_code.isin(con.execute("SELECT area_code FROM mart.area").df().area_code)
    ]
    frame = frame.drop_duplicates("area_code", keep="last")
    con.register("geometry_df", frame)
    con.execute("INSERT INTO mart.area_geometry SELECT * FROM geometry_df")
    return len(frame)
