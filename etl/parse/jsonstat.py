"""json-stat2 (SCB PxWebApi 2.0) -> tidy columns, vectorised with numpy index arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from etl.parse import STATUS_BY_SYMBOL, fastjson


class JsonStatError(ValueError):
    """The document is not a usable json-stat2 dataset."""


@dataclass
class ParsedTable:
    """A parsed json-stat2 dataset: one code column per dimension plus value and status."""

    frame: pd.DataFrame
    labels: dict[str, dict[str, str]]
    dimension_labels: dict[str, str]
    updated: str | None
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False
    table_id: str | None = None


def codes_in_order(doc: Mapping[str, Any], variable: str) -> list[str]:
    """A json-stat2 dimension's codes in index order (the index may be a list, an object or absent)."""
    category = doc["dimension"][variable]["category"]
    index = category.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return sorted(index, key=index.__getitem__)
    return list(category.get("label", {}))  # a single-category dimension may omit the index


def _values(doc: dict, n: int) -> np.ndarray:
    raw = doc.get("value")
    if raw is None:
        raise JsonStatError("json-stat2 document has no 'value'")
    if isinstance(raw, dict):  # sparse form: {"position": value}
        out = np.full(n, np.nan)
        if raw:
            pos = np.fromiter((int(k) for k in raw), dtype=np.int64, count=len(raw))
            out[pos] = np.array(list(raw.values()), dtype=float)
        return out
    if len(raw) != n:
        raise JsonStatError(f"json-stat2 has {len(raw)} values but its dimensions give {n} cells")
    try:
        return np.array(raw, dtype=float)  # None -> nan, in C
    except (TypeError, ValueError) as exc:
        raise JsonStatError(f"json-stat2 values are not numeric: {exc}") from exc


STATUSES = list(dict.fromkeys(["ok", "missing", *STATUS_BY_SYMBOL.values()]))
_STATUS_DTYPE = pd.CategoricalDtype(STATUSES)
_STATUS_CODE = {name: i for i, name in enumerate(STATUSES)}


def _symbol_codes(symbols: list) -> np.ndarray:
    """Status code per symbol ('..' -> suppressed; unknown or empty -> -1), mapped once per distinct symbol."""
    found, distinct = pd.factorize(pd.Series(symbols, dtype=object), use_na_sentinel=True)
    by_symbol = {sym: _STATUS_CODE[name] for sym, name in STATUS_BY_SYMBOL.items()}
    lookup = np.array([by_symbol.get(str(d).strip(), -1) for d in distinct] + [-1], dtype=np.int8)
    return lookup[found]  # a missing symbol (None, sentinel -1) takes the appended -1


def _status(doc: dict, values: np.ndarray) -> pd.Categorical:
    """ok / missing by value, replaced by the symbol's status where an empty cell has one."""
    codes = np.isnan(values).astype(np.int8)  # 0 ok, 1 missing
    raw = doc.get("status")
    if raw:
        if isinstance(raw, str):  # one symbol for every cell
            pos, sym = np.arange(len(values)), _symbol_codes([raw]).repeat(len(values))
        elif isinstance(raw, list):
            pos, sym = np.arange(len(raw)), _symbol_codes(raw)
        else:  # {"132": "..", ...}
            pos = np.array(list(raw), dtype=object).astype(np.int64)
            sym = _symbol_codes(list(raw.values()))
        # a symbol only replaces 'ok' when the cell is empty; footnote flags on real values stay 'ok'
        take = (sym >= 0) & np.isnan(values[pos])
        codes[pos[take]] = sym[take]
    return pd.Categorical.from_codes(codes, dtype=_STATUS_DTYPE, validate=False)


def _index_codes(outer: int, size: int, inner: int) -> np.ndarray:
    """Category position of every cell for one dimension (row-major, last dimension fastest)."""
    dtype = np.int8 if size < 127 else (np.int16 if size < 32767 else np.int32)
    return np.tile(np.repeat(np.arange(size, dtype=dtype), inner), outer)


def parse(doc: dict) -> ParsedTable:
    """Parse a json-stat2 dataset into a tidy frame (last dimension varies fastest)."""
    try:
        ids: list[str] = list(doc["id"])
        dims: dict = doc["dimension"]
        codes = [codes_in_order(doc, d) for d in ids]
    except (KeyError, TypeError) as exc:
        raise JsonStatError(f"not a json-stat2 dataset: missing {exc}") from exc
    sizes = [len(c) for c in codes]
    if "size" in doc and list(doc["size"]) != sizes:
        raise JsonStatError(f"json-stat2 'size' {doc['size']} disagrees with categories {sizes}")
    n = int(np.prod(sizes)) if sizes else 0
    values = _values(doc, n)
    columns: dict[str, object] = {}
    for i, dim in enumerate(ids):
        idx = _index_codes(int(np.prod(sizes[:i])), sizes[i], int(np.prod(sizes[i + 1 :])))
        dtype = pd.CategoricalDtype(pd.Index(codes[i], dtype=object))
        columns[dim] = pd.Categorical.from_codes(idx, dtype=dtype, validate=False)
    columns["value"] = values
    columns["status"] = _status(doc, values)
    frame = pd.DataFrame(columns, copy=False)
    labels = {d: dict(dims[d]["category"].get("label", {})) for d in ids}
    notes = doc.get("note") or []
    ext = doc.get("extension") or {}
    return ParsedTable(
        frame=frame,
        labels=labels,
        dimension_labels={d: dims[d].get("label", d) for d in ids},
        updated=doc.get("updated"),
        notes=[notes] if isinstance(notes, str) else list(notes),
        synthetic=bool(ext.get("synthetic")),
        table_id=(ext.get("px") or {}).get("tableid"),
    )


def parse_bytes(content: bytes) -> ParsedTable:
    """Parse a json-stat2 response body (raw bytes, decoded with orjson)."""
    return parse(fastjson.loads(content))


def metadata_labels(doc: dict) -> dict[str, dict[str, str]]:
    """Variable -> {code: label} from a json-stat2 metadata document."""
    return {d: dict(v["category"].get("label", {})) for d, v in doc["dimension"].items()}
