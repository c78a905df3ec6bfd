"""json-stat2 helpers of the stand-in: code order, selection checks, slicing a recorded dataset."""

from __future__ import annotations

import itertools
import math
from typing import Any


def codes(dataset: dict[str, Any], var: str) -> list[str]:
    """Codes of a dimension in index order (the index object's keys are unordered)."""
    index = dataset["dimension"][var]["category"]["index"]
    if isinstance(index, list):
        return list(index)
    return sorted(index, key=index.__getitem__)


def eliminable(metadata: dict[str, Any], var: str) -> bool:
    """Whether a variable may be left out of a selection."""
    return bool(metadata["dimension"][var].get("extension", {}).get("elimination", False))


def slice_dataset(dataset: dict[str, Any], selection: dict[str, list[str]]) -> dict[str, Any]:
    """The part of a dataset covering `selection` (every variable, codes present)."""
    ids: list[str] = dataset["id"]
    keep = {}
    for var in ids:
        order = codes(dataset, var)
        wanted = set(selection[var])
        keep[var] = [(pos, code) for pos, code in enumerate(order) if code in wanted]
    strides = [math.prod(dataset["size"][i + 1 :]) for i in range(len(ids))]
    flat = [
        sum(pos * stride for (pos, _), stride in zip(combo, strides, strict=True))
        for combo in itertools.product(*(keep[v] for v in ids))
    ]
    out = {k: v for k, v in dataset.items() if k not in ("value", "status", "dimension", "size")}
    out["size"] = [len(keep[v]) for v in ids]
    out["value"] = [dataset["value"][i] for i in flat]
    status = dataset.get("status")
    if isinstance(status, dict):
        new = {str(n): status[str(i)] for n, i in enumerate(flat) if str(i) in status}
        if new:
            out["status"] = new
    elif isinstance(status, list):
        out["status"] = [status[i] for i in flat]
    out["dimension"] = {}
    for var, dim in dataset["dimension"].items():
        cat = dim["category"]
        chosen = [code for _, code in keep.get(var, [])]
        new_cat = {"index": {c: n for n, c in enumerate(chosen)}}
        for key, value in cat.items():
            if key != "index" and isinstance(value, dict):
                new_cat[key] = {c: value[c] for c in chosen if c in value}
            elif key != "index":
                new_cat[key] = value
        out["dimension"][var] = {**dim, "category": new_cat}
    return out
