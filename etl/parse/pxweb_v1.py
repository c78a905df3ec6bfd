"""PxWeb API v1 JSON (columns/data with string values) -> tidy long columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.parse import STATUS_BY_SYMBOL
from etl.parse.jsonstat import ParsedTable


class PxV1Error(ValueError):
    """The document is not a PxWeb v1 JSON table."""


def parse(doc: dict) -> ParsedTable:
    """Parse a v1 response: one row per (dimension key, content code); '..' becomes NULL + flag."""
    try:
        columns = doc["columns"]
        rows = doc["data"]
    except (KeyError, TypeError) as exc:
        raise PxV1Error(f"not a PxWeb v1 table: missing {exc}") from exc
    dims = [c["code"] for c in columns if c.get("type") in ("d", "t")]
    contents = [c["code"] for c in columns if c.get("type") == "c"]
    if not rows:
        frame = pd.DataFrame(columns=[*dims, "ContentsCode", "value", "status"])
    else:
        keys = np.array([r["key"] for r in rows], dtype=object)
        vals = np.array([r["values"] for r in rows], dtype=object)
        if keys.shape[1] != len(dims) or vals.shape[1] != len(contents):
            raise PxV1Error("v1 rows do not match the declared columns")
        n, m = vals.shape
        frame = pd.DataFrame({d: np.repeat(keys[:, i], m) for i, d in enumerate(dims)})
        frame["ContentsCode"] = np.tile(np.array(contents, dtype=object), n)
        text = pd.Series(vals.reshape(-1), dtype="string").str.strip()
        frame["value"] = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
        status = text.map(STATUS_BY_SYMBOL).astype(object)
        status[status.isna()] = "ok"
        status[(status == "ok") & frame["value"].isna().to_numpy()] = "missing"
        frame["status"] = status.to_numpy()
    meta = (doc.get("metadata") or [{}])[0]
    labels = {"ContentsCode": {c["code"]: c["text"] for c in columns if c.get("type") == "c"}}
    return ParsedTable(
        frame=frame,
        labels=labels,
        dimension_labels={c["code"]: c.get("text", c["code"]) for c in columns},
        updated=meta.get("updated"),
        notes=[c.get("comment", "") for c in doc.get("comments", []) if isinstance(c, dict)],
        synthetic=False,
    )
