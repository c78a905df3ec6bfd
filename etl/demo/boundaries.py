"""Made-up RegSO boundaries for the demo and the test stand-in (schematic, marked synthetic)."""

from __future__ import annotations

import numpy as np

from etl import reference


def regso_boundaries() -> dict:
    """A WFS-shaped FeatureCollection of made-up RegSO cells (Voronoi inside each municipality).

    They stand in for SCB's RegSO boundaries in the demo and the test stand-in; the collection
    carries the synthetic marker and the map labels the shapes as schematic.
    """
    import shapely
    from shapely.geometry import mapping

    from etl.geo import reference_shapes

    munis = reference_shapes("municipality")
    areas = reference.regso()
    features = []
    for muni, grp in areas.groupby("municipality"):
        poly = munis.get(muni)
        if poly is None:
            continue
        rng = np.random.default_rng(int(muni))
        minx, miny, maxx, maxy = poly.bounds
        points: list = []
        for _ in range(5000):
            if len(points) == len(grp):
                break
            p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if poly.contains(p):
                points.append(p)
        if len(points) < len(grp):
            continue
        cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=poly.envelope)
        ordered = sorted(cells.geoms, key=lambda c: (round(c.centroid.y, 3), c.centroid.x))
        for row, cell in zip(grp.sort_values("code").itertuples(), ordered, strict=False):
            geom = shapely.set_precision(cell.intersection(poly), 1e-4)
            features.append(
                {"type": "Feature", "geometry": mapping(geom),
                 "properties": {"regsokod": row.code, "regsonamn": row.name, "kommunkod": muni}}
            )  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "synthetic": True,
            "numberMatched": len(features), "numberReturned": len(features)}  # fmt: skip
