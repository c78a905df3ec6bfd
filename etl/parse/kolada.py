"""Kolada v3 values -> tidy columns (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
