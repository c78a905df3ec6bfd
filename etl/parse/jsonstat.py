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


def _is_position(v: object, n: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < n


def _check_index(dim: str, category: Mapping[str, Any], size: int) -> None:
    """A dimension's category index must be a permutation of 0..size-1 (list or object form)."""
    index = category.get("index")
    if index is None:
        labels = category.get("label") or {}
        if len(labels) != size:
            raise JsonStatError(f"dimension {dim}: {len(labels)} labels but size {size}")
        return
    if isinstance(index, list):
        if len(index) != size or len(set(map(str, index))) != size:
            raise JsonStatError(f"dimension {dim}: index of {len(index)} codes (distinct "
                                f"{len(set(map(str, index)))}) does not match size {size}")  # fmt: skip
        return
    if not isinstance(index, dict) or len(index) != size:
        got = len(index) if isinstance(index, dict) else type(index).__name__
        raise JsonStatError(f"dimension {dim}: index of {got} codes does not match size {size}")
    positions = list(index.values())
    if not all(_is_position(v, size) for v in positions) or len(set(positions)) != size:
        bad = next((f"{k}={v!r}" for k, v in index.items() if not _is_position(v, size)), None)
        why = f"position {bad} outside 0..{size - 1}" if bad else "repeated positions"
        raise JsonStatError(f"dimension {dim}: index is not a permutation of 0..{size - 1} ({why})")


def _check_positions(what: str, raw: object, n: int) -> None:
    """`value`/`status` in list form hold n cells; in object form their keys are cells 0..n-1."""
    if isinstance(raw, list) and len(raw) != n:
        raise JsonStatError(f"json-stat2 has {len(raw)} {what} but its dimensions give {n} cells")
    if isinstance(raw, dict):
        for key in raw:
            if not (str(key).isdigit() and int(key) < n):
                raise JsonStatError(f"json-stat2 {what} position {key!r} outside 0..{n - 1}")


def validate(doc: Mapping[str, Any]) -> None:
    """Raise JsonStatError (naming the table and dimension) unless indexes and sizes agree."""
    table = ((doc.get("extension") or {}).get("px") or {}).get("tableid")
    try:
        ids, dims = list(doc["id"]), doc["dimension"]
        size = list(doc["size"]) if "size" in doc else None
        if size is not None and len(size) != len(ids):
            raise JsonStatError(f"'size' has {len(size)} entries for {len(ids)} dimensions")
        for i, dim in enumerate(ids):
            category = dims[dim]["category"]
            n = size[i] if size is not None else len(codes_in_order(doc, dim))
            if not _is_position(n, n + 1) or n == 0:
                raise JsonStatError(f"dimension {dim}: size {n!r} is not a positive count")
            _check_index(dim, category, n)
        cells = int(np.prod([len(codes_in_order(doc, d)) for d in ids])) if ids else 0
        _check_positions("values", doc.get("value"), cells)
        _check_positions("status entries", doc.get("status"), cells)
    except JsonStatError as exc:
        raise JsonStatError(f"table {table or '?'}: {exc}") from None
    except (KeyError, TypeError) as exc:
        raise JsonStatError(
            f"table {table or '?'}: not a json-stat2 dataset: missing {exc}"
        ) from exc


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
    validate(doc)
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
