"""Test-double area multiplier of the stand-in: synthetic copies of every municipality.

With `StandIn.set_area_multiplier(n)` the SCB tables and the Kolada municipalities and values the
stand-in serves gain `n - 1` copies of each municipality, coded and named the way the demo's
scale names them (`0114S01`, "… (syntetisk kopia 1)"; etl/demo/scale.py). A copy's cells are
its municipality's, and every response that carries copies is marked synthetic. Run the refresh
with a reference folder scaled by the same multiplier (`etl.demo.scale.write_reference` and
`using_reference`), so the build knows the copies' areas.
Benchmarks only (the refresh scaling curve); the default multiplier 1 changes nothing.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from etl.demo.scale import extend_municipalities  # the one place copies are named

from .jsonstat import codes

MUNICIPALITY = re.compile(r"^\d{4}$")


@cache
def copies(codes: tuple[str, ...], names: tuple[str, ...], multiplier: int) -> dict[str, list]:
    """Municipality code -> [(copy code, copy name)], named as the demo scale names its copies."""
    if multiplier <= 1:
        return {}
    frame = pd.DataFrame({"kommun_kod": list(codes), "kommun": list(names)})
    extended = extend_municipalities(frame, multiplier)
    out: dict[str, list] = {}
    for code, name in zip(extended.kommun_kod[len(frame) :], extended.kommun[len(frame) :],
                          strict=True):  # fmt: skip
        out.setdefault(code[:4], []).append((code, name))
    return out


def _region_copies(meta: dict[str, Any], multiplier: int) -> dict[str, list]:
    order = codes(meta, "Region")
    labels = meta["dimension"]["Region"]["category"].get("label", {})
    munis = [c for c in order if MUNICIPALITY.match(c)]
    names = [re.sub(r"^\d{4}\s+", "", labels.get(c, c)) for c in munis]
    found = copies(tuple(munis), tuple(names), multiplier)
    have = set(order)
    return {m: [(c, n) for c, n in cs if c not in have] for m, cs in found.items()}


def metadata(meta: dict[str, Any], multiplier: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Metadata with the copies added to Region, and {copy code: its municipality} added."""
    if multiplier <= 1 or "Region" not in meta.get("dimension", {}):
        return meta, {}
    added = _region_copies(meta, multiplier)
    of = {c: m for m, cs in added.items() for c, _n in cs}
    if not of:
        return meta, {}
    out = copy.deepcopy(meta)
    cat = out["dimension"]["Region"]["category"]
    order = codes(out, "Region")
    order += [c for m in order if m in added for c, _n in added[m]]
    cat["index"] = {c: i for i, c in enumerate(order)}
    cat["label"] = {**cat.get("label", {}), **{c: n for cs in added.values() for c, n in cs}}
    out["size"] = [len(out["dimension"][v]["category"]["index"]) for v in out["id"]]
    out["extension"] = {**(out.get("extension") or {}), "synthetic": True}
    return out, of


def base_selection(selection: dict[str, list[str]], of: dict[str, str]) -> dict[str, list[str]]:
    """The selection with every copy replaced by its municipality (each code once)."""
    if "Region" not in selection or not of:
        return selection
    regions = list(dict.fromkeys(of.get(c, c) for c in selection["Region"]))
    return {**selection, "Region": regions}


def expand(dataset: dict[str, Any], selection: dict[str, list[str]], of: dict[str, str],
           labels: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """A dataset over the base regions turned into one over the selection's regions (copies too)."""
    wanted = selection.get("Region")
    if not wanted or not any(c in of for c in wanted):
        return dataset
    ids = dataset["id"]
    axis = ids.index("Region")
    pos = {c: i for i, c in enumerate(codes(dataset, "Region"))}
    take = np.array([pos[of.get(c, c)] for c in wanted])
    n = int(np.prod(dataset["size"]))
    values = np.array([np.nan if v is None else v for v in dataset["value"]], dtype=float)
    flat = np.arange(n).reshape(dataset["size"])
    picked = np.take(flat, take, axis=axis).ravel()
    out = {k: v for k, v in dataset.items() if k not in ("value", "status", "dimension", "size")}
    out["value"] = [None if np.isnan(x) else float(x) for x in values[picked]]
    status = dataset.get("status")
    if isinstance(status, dict) and status:
        out["status"] = {str(i): status[str(p)] for i, p in enumerate(picked) if str(p) in status}
    out["dimension"] = copy.deepcopy(dataset["dimension"])
    cat = out["dimension"]["Region"]["category"]
    cat["index"] = {c: i for i, c in enumerate(wanted)}
    old = cat.get("label", {})
    cat["label"] = {c: labels.get(c) or old.get(c, c) for c in wanted}
    out["size"] = [len(wanted) if i == axis else s for i, s in enumerate(dataset["size"])]
    out["extension"] = {**(out.get("extension") or {}), "synthetic": True}
    return out


def kolada_municipalities(items: list[dict[str, Any]], multiplier: int) -> list[dict[str, Any]]:
    """Kolada's municipality list with the copies (same type as their municipality)."""
    munis = [i for i in items if MUNICIPALITY.match(i["id"]) and not i["id"].startswith("00")]
    found = copies(tuple(i["id"] for i in munis), tuple(i.get("title", "") for i in munis),
                   multiplier)  # fmt: skip
    extra = [{**i, "id": c, "title": n} for i in munis for c, n in found.get(i["id"], [])]
    return items + extra


def kolada_areas(areas: list[str] | None, multiplier: int) -> list[str] | None:
    """The areas to look values up for: those asked for plus the municipality of every copy."""
    if multiplier <= 1 or not areas:
        return areas
    return list(dict.fromkeys([*areas, *(a[:4] for a in areas if _is_copy(a))]))


def _is_copy(code: str) -> bool:
    return len(code) > 4 and MUNICIPALITY.match(code[:4]) is not None and code[4] == "S"


def kolada_items(items: list[dict[str, Any]], areas: list[str] | None,
                 multiplier: int) -> list[dict[str, Any]]:  # fmt: skip
    """KPI items for the areas asked for: a copy without values of its own gets its municipality's
    (marked synthetic); the municipalities looked up only for their copies are left out."""
    if multiplier <= 1 or not areas:
        return items
    have = {(i["kpi"], i["municipality"]) for i in items}
    by_area: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_area.setdefault(item["municipality"], []).append(item)
    extra = [
        {**item, "municipality": code, "synthetic": True}
        for code in areas if _is_copy(code)
        for item in by_area.get(code[:4], []) if (item["kpi"], code) not in have
    ]  # fmt: skip
    asked = set(areas)
    return [i for i in items + extra if i["municipality"] in asked]
