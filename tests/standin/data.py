"""Read-only inputs of the stand-in: ../shared recordings and references, and the repo seeds."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(__file__).resolve().parents[3] / "shared"
SEEDS_DIR = REPO_ROOT / "seeds"

# The RegSO labour table has no known v2 id; the stand-in lists it under this made-up one. It is
# found the way PxWebApi 2.0 finds tables: by words of its title, variables and value texts.
REGSO_TABLE_ID = "TAB9901"
# A RegSO table of another kind (population), so that discovery must check candidates' metadata.
DECOY_TABLE_ID = "TAB9902"
# Other tables without a known v2 id, found the same way (IntGr3RegSOKONS, the LUA district tables)
STANDIN_IDS = {"REGSO_LABOUR": REGSO_TABLE_ID, "REGSO_AGES": "TAB9903", "LUA_LABOUR": "TAB9904",
               "LUA_POPULATION": "TAB9905", "RIK_UNEMP": "TAB9906",
               "URB_LABOUR": "TAB9907"}  # fmt: skip


def _decoy_metadata() -> dict[str, Any]:
    """Metadata of a RegSO population table: RegSO codes, but no labour-market content."""
    regso = {
        "0180R036_RegSO2025": "0180R036 Stockholm (Husby)",
        "0880R001_RegSO2025": "0880R001 Kalmar",
    }
    return {
        "version": "2.0", "class": "dataset", "label": "Folkmängd efter region (RegSO), kön och år",
        "source": "SCB", "updated": "2026-02-20T07:00:00Z", "id": ["Region", "Kon", "ContentsCode", "Tid"],
        "size": [2, 2, 1, 1], "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"label": "region", "category": {"index": {c: i for i, c in enumerate(regso)}, "label": regso}},
            "Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}}},
            "ContentsCode": {"label": "tabellinnehåll", "category": {"index": {"000007Y1": 0}, "label": {"000007Y1": "Folkmängd"}}},
            "Tid": {"label": "år", "category": {"index": {"2024": 0}, "label": {"2024": "2024"}}},
        },
        "extension": {"synthetic": True, "px": {"tableid": DECOY_TABLE_ID}}, "value": [],
    }  # fmt: skip


@dataclass(frozen=True)
class TableEntry:
    """One table the SCB stand-in lists."""

    table_id: str
    key: str  # seeds key (TAB3200, REGSO_LABOUR, ...)
    title_sv: str
    decoy: dict[str, Any] | None = None  # metadata of a table the seeds do not know


@dataclass(frozen=True)
class Recording:
    """One recorded SCB data response."""

    table: str
    lang: str
    selection: dict[str, frozenset[str]]
    response: dict[str, Any]
    content: bytes


def dumps(obj: Any) -> bytes:
    """Serialise JSON the way the stand-in sends it."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@cache
def scb_tables(shared_dir: Path = SHARED_DIR) -> dict[str, TableEntry]:
    """Tables from seeds/scb_tables.csv plus any recorded table not in the seeds."""
    tables: dict[str, TableEntry] = {}
    with (SEEDS_DIR / "scb_tables.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table_id = row["table_id"] or STANDIN_IDS.get(row["table_key"], "")
            if not table_id or table_id in tables:  # TAB3200_AGE: a second selection of TAB3200
                continue
            tables[table_id] = TableEntry(table_id, row["table_key"], row["title_sv"])
    for (table_id, _lang), meta in scb_recorded_metadata(shared_dir).items():
        if table_id not in tables:
            tables[table_id] = TableEntry(table_id, table_id, meta["label"])
    decoy = _decoy_metadata()
    tables[DECOY_TABLE_ID] = TableEntry(DECOY_TABLE_ID, DECOY_TABLE_ID, decoy["label"], decoy)
    return tables


def _envelopes(shared_dir: Path) -> list[dict[str, Any]]:
    root = shared_dir / "recorded" / "scb"
    return [json.loads(p.read_text("utf-8")) for p in sorted(root.glob("*/*.json"))]


@cache
def scb_recorded_metadata(shared_dir: Path = SHARED_DIR) -> dict[tuple[str, str], dict[str, Any]]:
    """Recorded metadata responses by (table, lang)."""
    return {
        (e["table"], e["lang"]): e["response"]
        for e in _envelopes(shared_dir)
        if e["kind"] == "metadata"
    }


@cache
def scb_recorded_data(shared_dir: Path = SHARED_DIR) -> tuple[Recording, ...]:
    """Recorded data responses, matched on table, lang and selection."""
    return tuple(
        Recording(
            e["table"],
            e["lang"],
            {v: frozenset(c) for v, c in e["selection"].items()},
            e["response"],
            dumps(e["response"]),
        )
        for e in _envelopes(shared_dir)
        if e["kind"] == "data"
    )


@cache
def kolada_reference(name: str, shared_dir: Path = SHARED_DIR) -> list[dict[str, Any]]:
    """Kolada municipalities or municipality groups from ../shared/reference/kolada."""
    path = shared_dir / "reference" / "kolada" / f"kolada_{name}.json"
    return json.loads(path.read_text("utf-8"))


@cache
def kolada_kpi_catalogue(shared_dir: Path = SHARED_DIR) -> list[dict[str, Any]]:
    """The KPI catalogue in the v3 item shape (flags as booleans, empty fields as null)."""
    path = shared_dir / "reference" / "kolada" / "kolada_kpi_catalogue.csv"
    items = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            item: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
            for flag in ("is_divided_by_gender", "has_ou_data"):
                item[flag] = row[flag] == "1"
            items.append(item)
    return items


def kolada_area_id(geo: str) -> str:
    """DDF geo code -> Kolada id: some files write the country as '0' and counties as 'LL'."""
    if geo == "0":
        return "0000"
    return geo.zfill(4) if len(geo) <= 2 else geo


@cache
def kolada_recorded(
    kpi: str, shared_dir: Path = SHARED_DIR
) -> dict[tuple[str, int], dict[str, float | None]]:
    """Real values of one KPI: (area, year) -> {gender: value}; empty when not recorded."""
    root = shared_dir / "recorded" / "kolada-values"
    out: dict[tuple[str, int], dict[str, float | None]] = {}
    stem = f"ddf--datapoints--{kpi.lower()}"
    for suffix, fixed_gender in (
        ("--by--geo--gender--year.csv", None),
        ("--by--geo--year.csv", "T"),
    ):
        path = root / f"{stem}{suffix}"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                raw = row[kpi.lower()]
                gender = fixed_gender or row["gender"].upper()
                value = float(raw) if raw not in ("", None) else None
                out.setdefault((kolada_area_id(row["geo"]), int(row["year"])), {})[gender] = value
    return out
