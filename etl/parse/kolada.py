"""Kolada v3 values -> tidy columns (pure)."""

from __future__ import annotations

from operator import attrgetter

import msgspec
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.parse import fastjson

COLUMNS = ["kpi", "area_code", "year", "gender", "value", "kolada_status", "status", "deleted"]
DELETED_KEYS = ("isdeleted", "is_deleted")  # Kolada marks withdrawn values; accept either spelling


def _deleted(*items: dict) -> bool:
    return any(bool(i.get(k)) for i in items for k in DELETED_KEYS if isinstance(i, dict))


class KoladaShapeError(ValueError):
    """The document is not a Kolada v3 values page."""


def parse_values(doc: dict) -> pd.DataFrame:
    """One row per (kpi, area, year, gender) from a v3 `/data/...` page."""
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise KoladaShapeError("Kolada response has no 'values' list")
    try:
        rows = [
            (item["kpi"], str(item["municipality"]), item["period"], v["gender"], v.get("value"),
             v.get("status") or "", _deleted(item, v))
            for item in doc["values"]
            for v in item["values"]
        ]  # fmt: skip
    except (KeyError, TypeError) as exc:
        raise KoladaShapeError(
            f"Kolada values item lacks {exc}; expected kpi, municipality, period and "
            "values[gender, value]"
        ) from exc
    flat = pd.DataFrame(
        rows, columns=["kpi", "area_code", "year", "gender", "value", "kolada_status", "deleted"]
    )
    flat["value"] = pd.to_numeric(flat["value"], errors="coerce").astype(float)
    flat["year"] = pd.to_numeric(flat["year"], errors="raise").astype(int)
    flat["status"] = np.where(flat["value"].isna(), "missing", "ok")
    return flat[COLUMNS]


class _Value(msgspec.Struct, gc=False):
    gender: str
    value: float | None = None
    status: str | None = None
    isdeleted: bool | None = None
    is_deleted: bool | None = None


class _Item(msgspec.Struct, gc=False):
    kpi: str
    municipality: str
    period: int
    values: list[_Value]
    isdeleted: bool | None = None
    is_deleted: bool | None = None


class _Page(msgspec.Struct, gc=False):
    values: list[_Item]


_PAGE = msgspec.json.Decoder(_Page)


def _column(objs: list, name: str, type_: pa.DataType | None = None) -> pa.Array:
    return pa.array(list(map(attrgetter(name), objs)), type=type_)


def _flag(objs: list, parent: np.ndarray | None = None) -> np.ndarray:
    """isdeleted OR is_deleted per object (either spelling; null = false), repeated by `parent`."""
    flag = np.zeros(len(objs), dtype=bool)
    for name in DELETED_KEYS:
        if any(map(attrgetter(name), objs)):  # rare: only then a column is built
            flag |= np.fromiter((bool(x) for x in map(attrgetter(name), objs)), bool, len(objs))
    return flag if parent is None else flag[parent]


def parse_values_bytes(content: bytes) -> pd.DataFrame:
    """`parse_values` of a raw v3 `/data/...` body: typed msgspec decode, columns built in Arrow.

    A body outside the usual types (e.g. a period sent as text) goes through `parse_values`, which
    gives the same frame or the same error.
    """
    try:
        items = _PAGE.decode(content).values
    except (msgspec.DecodeError, msgspec.ValidationError):
        return parse_values(fastjson.loads(content))
    if not items:
        return parse_values({"values": []})
    sizes = np.fromiter(map(len, map(attrgetter("values"), items)), np.int64, len(items))
    parent = np.repeat(np.arange(len(items)), sizes)
    values = [v for item in items for v in item.values]
    value = _column(values, "value", pa.float64())
    table = pa.table({
        "kpi": _column(items, "kpi", pa.string()).take(parent),
        "area_code": _column(items, "municipality", pa.string()).take(parent),
        "year": _column(items, "period", pa.int64()).take(parent),
        "gender": _column(values, "gender", pa.string()),
        "value": value,
        "kolada_status": pc.fill_null(_column(values, "status", pa.string()), ""),
        "status": pc.if_else(pc.is_null(value), "missing", "ok"),
        "deleted": _flag(items, parent) | _flag(values),
    })  # fmt: skip
    return table.to_pandas()


MEMBER_KEYS = (("member_id", "member_title"), ("id", "title"))  # v3 as sent; v2/older copies


def _member(group_id: str, member: dict) -> tuple[str, str | None]:
    for id_key, title_key in MEMBER_KEYS:
        if isinstance(member, dict) and id_key in member:
            return str(member[id_key]), member.get(title_key)
    keys = sorted(member) if isinstance(member, dict) else type(member).__name__
    raise KoladaShapeError(
        f"Kolada municipality group {group_id}: member has neither 'member_id' nor 'id' "
        f"(keys: {keys})"
    )


def parse_groups(doc: dict) -> pd.DataFrame:
    """Kolada municipality groups -> (group_id, title, member_id, member_title)."""
    items = doc.get("values", doc) if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise KoladaShapeError("Kolada municipality_groups response has no 'values' list")
    rows = []
    for g in items:
        if not isinstance(g, dict) or "id" not in g:
            raise KoladaShapeError("Kolada municipality group lacks 'id'")
        for m in g.get("members") or []:
            rows.append((str(g["id"]), g.get("title"), *_member(g["id"], m)))
    return pd.DataFrame(rows, columns=["group_id", "title", "member_id", "member_title"])
