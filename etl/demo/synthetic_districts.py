"""Synthetic tables for the LUA districts, from the same made-up world as every other table.

- TAB6572 (population by RegSO, sex and birth region, all ages) and IntGr3RegSOKONS (REGSO_AGES:
  the share of each birth group aged 20-64) are made so that persons x share gives back the
  world's population 20-64 of the area and group: the rebuilt counts add up to TAB6680's totals.
- The district tables of 1997-2018 (etl/demo/synthetic_lua.py) follow their municipality.

Every document carries the synthetic marker, as in etl/demo/synthetic.py.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from etl import reference
from etl.seeds import code_map, load, scb_variables

UPDATED = "2026-03-20T07:00:00Z"
TITLES = {
    "TAB6572": "Folkmängden per region efter födelseregion och kön. År 2010 - 2025",
    "REGSO_AGES": "Demografiska variabler för samtliga efter RegSO och kön. År 2020-2024",
}
YEARS = {"TAB6572": (2020, 2025), "REGSO_AGES": (2020, 2024)}
CODES = {
    "Kon": ("kön", {"1": "män", "2": "kvinnor", "1+2": "totalt"}),
    "Fodelseregion": ("födelseregion", {"sv": "Sverige", "eu": "Europa utom Sverige",
                                        "öv": "övriga världen inkl. okänt", "tot": "totalt"}),
    "Bakgrund": ("bakgrundsvariabel", {"0-19p": "ålder: 0-19 år, procent",
                                       "20-64p": "ålder: 20-64 år, procent",
                                       "65+p": "ålder: 65+ år, procent", "TOTp": "totalt, procent"}),
}  # fmt: skip
CONTENTS = {
    "TAB6572": {"000007Y5": "Folkmängd"},
    "REGSO_AGES": {"000004UY": "Född i Sverige", "000004UX": "Utrikes född"},
}
GROUP_OF = {"000004UY": "sweden", "000004UX": "foreign"}
TABLES = frozenset(TITLES)


def _note() -> str:
    from etl.demo.synthetic import SYNTHETIC_NOTE

    return SYNTHETIC_NOTE


def _regso_codes() -> dict[str, str]:
    """Plain RegSO 2020 codes and the suffixed 2025 ones, labelled like SCB's lists."""
    areas = reference.regso()
    labels = [f"{c} ({n})" for c, n in zip(areas.code, areas.name, strict=True)]
    codes = dict(zip(areas.code, labels, strict=True))
    codes.update(zip(areas.code + "_RegSO2025", labels, strict=True))
    return codes


def scb_metadata(table_key: str, lang: str = "sv", years: tuple[int, int] | None = None) -> dict:
    """A json-stat2 metadata document for TAB6572, REGSO_AGES or a district table, marked synthetic."""
    if table_key in SECOND_SELECTIONS or table_key == COUNTRY_KEY:
        return _integration_metadata(table_key, lang, years)
    if table_key not in TABLES:
        from etl.demo.synthetic_lua import scb_metadata as lua_metadata

        return lua_metadata(table_key, lang, years)
    first, last = YEARS[table_key]
    if years:
        first, last = max(first, years[0]), min(last, years[1])
    dims = {}
    for var, (role, _spec) in scb_variables(table_key).items():
        if role == "area":
            label, codes = "region", _regso_codes()
        elif role == "time":
            label, codes = "år", {str(y): str(y) for y in range(first, last + 1)}
        elif role == "content":
            label, codes = "tabellinnehåll", CONTENTS[table_key]
        else:
            label, codes = CODES[var]
        dims[var] = {"label": label, "category": {"index": {c: i for i, c in enumerate(codes)},
                                                  "label": dict(codes)}}  # fmt: skip
    ids = list(dims)
    from etl.demo.synthetic import _table_id

    return {
        "version": "2.0", "class": "dataset", "label": TITLES[table_key], "source": "SCB",
        "updated": UPDATED, "note": [_note()],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "id": ids,
        "size": [len(dims[v]["category"]["index"]) for v in ids], "dimension": dims,
        "extension": {"synthetic": True, "px": {"tableid": _table_id(table_key), "language": lang}},
        "value": [],
    }  # fmt: skip


def _unit(codes: pd.Series, salt: str) -> np.ndarray:
    """A stable number in [0, 1) per code (the same area gets the same draw every run)."""
    uniq = pd.unique(codes)
    draws = {c: zlib.crc32(f"{salt}:{c}".encode()) / 2**32 for c in uniq}
    return codes.map(draws).to_numpy(dtype=float)


def age_share(area: pd.Series, sex: pd.Series, group: pd.Series) -> np.ndarray:
    """Percent of the birth group aged 20-64, one decimal (Swedish-born younger, more children)."""
    base = np.where(group.to_numpy() == "sweden", 52.0, 66.0)
    spread = _unit(area.str[:8] + group, "age") * 10.0 + _unit(area.str[:8] + sex, "sex") * 2.0
    return np.round(base + spread, 1)


def _world_rows(keys: pd.DataFrame) -> pd.DataFrame:
    """The world's population 20-64 for (area, year, sex, group) keys (NaN outside the world)."""
    from etl.demo.synthetic import _regso_lookup_code, regso_world

    look = keys.assign(area=keys.area.map(_regso_lookup_code))
    return regso_world().reindex(pd.MultiIndex.from_frame(look)).reset_index(drop=True)


def _persons(area: pd.Series, year: pd.Series, sex: pd.Series, group: pd.Series) -> np.ndarray:
    """All-ages persons of a group (sweden, foreign, eu, öv, total) and sex, consistent sums."""

    def one(sx: str, grp: str) -> np.ndarray:
        keys = pd.DataFrame({"area": area, "year": year, "sex": sx, "group": grp})
        pop = _world_rows(keys)["pop"].to_numpy(dtype=float)
        share = age_share(area, pd.Series(sx, index=area.index), pd.Series(grp, index=area.index))
        return np.round(pop / (share / 100.0))

    out = np.full(len(area), np.nan)
    for sx in ("men", "women", "total"):
        rows = (sex == sx).to_numpy()
        if not rows.any():
            continue
        parts = {g: (one(sx, g) if sx != "total" else one("men", g) + one("women", g))
                 for g in ("sweden", "foreign")}  # fmt: skip
        eu_share = 0.45 + 0.2 * _unit(area, "eu")
        parts["total"] = parts["sweden"] + parts["foreign"]
        parts["eu"] = np.round(parts["foreign"] * eu_share)
        parts["rest"] = parts["foreign"] - parts["eu"]
        for g in ("sweden", "foreign", "total", "eu", "rest"):
            hit = rows & (group == g).to_numpy()
            out[hit] = parts[g][hit]
    return out


def scb_dataset(metadata: dict, selection: dict[str, list[str]], table_key: str) -> np.ndarray:
    """Values (NaN = '..') of a TAB6572 or REGSO_AGES selection, in json-stat2 order."""
    from etl.demo.synthetic import _vintage_years

    ids = list(metadata["id"])
    codes = [list(selection.get(v) or metadata["dimension"][v]["category"]["index"]) for v in ids]
    grid = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False)
    sex = grid["Kon"].map(code_map("scb", "sex"))
    year = grid["Tid"].astype(int)
    area = grid["Region"].astype(str)
    if table_key == "TAB6572":
        group = grid["Fodelseregion"].map({"sv": "sweden", "tot": "total", "eu": "eu",
                                            "öv": "rest"})  # fmt: skip
        values = _persons(area, year, sex, group)
    else:
        group = grid["ContentsCode"].map(GROUP_OF)
        values = age_share(area, sex, group)
        both = (sex == "total").to_numpy()  # both sexes: the share of the summed persons
        if both.any():
            keys = pd.DataFrame({"area": area, "year": year, "sex": sex, "group": group})[both]
            persons = _persons(keys.area, keys.year, keys.sex, keys.group)
            pop = _world_rows(keys)["pop"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                values[both] = np.round(100.0 * pop / persons, 1)
        values = np.where(grid["Bakgrund"] == "20-64p", values, np.nan)
        pop = _world_rows(pd.DataFrame({"area": area, "year": year, "sex": sex, "group": group}))
        values = np.where(pop["pop"].to_numpy(dtype=float) < 5, np.nan, values)  # SCB's 'X'
    spans = area.map(_vintage_years)
    first = spans.map(lambda s: s[0] if s else 9999).to_numpy()
    last = spans.map(lambda s: s[1] if s else 0).to_numpy()
    values = np.where((year.to_numpy() < first) | (year.to_numpy() > last), np.nan, values)
    return np.asarray(values, dtype=float)


def dataset_doc(metadata: dict, selection: dict[str, list[str]], table_key: str) -> dict:
    """A json-stat2 dataset for a table this module generates, marked synthetic."""
    if table_key == COUNTRY_KEY:  # the country's integration table: the county table's model
        from etl.demo.synthetic import scb_dataset as integration_dataset

        px = {**metadata.get("extension", {}).get("px", {}), "tableid": "TAB389"}
        doc = integration_dataset({**metadata, "extension": {"px": px}}, selection)
        return {**doc, "extension": {**doc["extension"], "px": {"tableid": table_key}}}
    ids = list(metadata["id"])
    codes = [list(selection.get(v) or metadata["dimension"][v]["category"]["index"]) for v in ids]
    if table_key in TABLES:
        values = scb_dataset(metadata, selection, table_key)
    else:
        from etl.demo.synthetic_lua import lua_values

        values = lua_values(metadata, selection, table_key)
    dims = {}
    for v, cs in zip(ids, codes, strict=True):
        cat = metadata["dimension"][v]["category"]
        dims[v] = {"label": metadata["dimension"][v]["label"],
                   "category": {"index": {c: i for i, c in enumerate(cs)},
                                "label": {c: cat["label"].get(c, c) for c in cs}}}  # fmt: skip
    doc = {
        "version": "2.0", "class": "dataset", "label": metadata["label"], "source": "SCB",
        "updated": metadata["updated"], "note": [_note()], "role": metadata.get("role", {}),
        "id": ids, "size": [len(c) for c in codes], "dimension": dims,
        "extension": {"synthetic": True, "px": {"tableid": table_key}},
        "value": [None if np.isnan(x) else (int(x) if float(x).is_integer() and x > 100 else float(x))
                  for x in values],
    }  # fmt: skip
    status = {str(i): ".." for i in np.flatnonzero(np.isnan(values))}
    if status:
        doc["status"] = status
    return doc


SECOND_SELECTIONS = {"TAB389_UNEMP": "TAB389", "TAB4881_UNEMP": "TAB4881"}  # unemployment units
COUNTRY_KEY = "RIK_UNEMP"


def _integration_metadata(table_key: str, lang: str, years: tuple[int, int] | None) -> dict:
    """The integration tables' unemployment units: the same table, or the country's twin."""
    from etl.demo.synthetic import _table_id
    from etl.demo.synthetic import scb_metadata as integration_metadata

    meta = integration_metadata(SECOND_SELECTIONS.get(table_key, "TAB389"), lang, years)
    if table_key in SECOND_SELECTIONS:
        return meta
    dims = {**meta["dimension"]}
    dims["Region"] = {**dims["Region"], "category": {"index": {"00": 0}, "label": {"00": "Riket"}}}
    labels = meta["dimension"]["ContentsCode"]["category"]["label"]  # its own codes (unknown)
    own = {f"SYNR{i:03d}": label for i, label in enumerate(labels.values(), 1)}
    dims["ContentsCode"] = {**dims["ContentsCode"], "category": {
        "index": {c: i for i, c in enumerate(own)}, "label": own}}  # fmt: skip
    label = meta["label"].replace("efter län,", "för riket efter")
    px = {**meta["extension"]["px"], "tableid": _table_id(table_key)}
    return {**meta, "label": label, "dimension": dims,
            "size": [len(dims[v]["category"]["index"]) for v in meta["id"]],
            "extension": {**meta["extension"], "px": px}}  # fmt: skip


def covers(table_key: str) -> bool:
    """Whether this module generates the table."""
    return (
        table_key in TABLES
        or table_key in SECOND_SELECTIONS
        or table_key == COUNTRY_KEY
        or table_key in _lua_tables()
    )


def _lua_tables() -> frozenset[str]:
    rows = load("scb_tables")
    return frozenset(rows.table_key[rows.area_level == "lua_district"])
