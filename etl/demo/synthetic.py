"""Synthetic SCB json-stat2 tables, clearly labelled, for the demo and the test stand-in.

The values come from the synthetic world (etl/demo/world.py); Kolada KPIs from
etl/demo/synthetic_kolada.py and RegSO boundaries from etl/demo/boundaries.py (re-exported here).
None of it is official statistics: every generated response carries a `synthetic` marker that the
ETL keeps all the way to the mart.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from etl import reference
from etl.demo.boundaries import regso_boundaries
from etl.demo.scale import clip_years
from etl.demo.synthetic_kolada import _kolada_frame, kolada_values
from etl.demo.world import (
    RAMS_SHIFT,
    REGSO_SUFFIX,
    _municipality_world,
    reference_dir,
    regso_world,
    world,
)
from etl.parse.jsonstat import codes_in_order
from etl.seeds import code_map, load, scb_variables

__all__ = ["RAMS_SHIFT", "_kolada_frame", "_municipality_world", "kolada_values", "reference_dir",
           "regso_boundaries", "scb_dataset", "scb_metadata", "world"]  # fmt: skip

SYNTHETIC_NOTE = (
    "SYNTETISKA VÄRDEN: genererade för demo och test, inte officiell statistik. "
    "Synthetic values generated for demos and tests, not official statistics."
)
AGE_SCALE = {"20-64": (1.0, 1.0), "20-65": (1.024, 1.012), "20-66": (1.048, 1.022)}


@cache
def shapes() -> dict:
    """The generated tables' shapes (demo_tables.json: years, labels, contents, code lists), read once."""
    return json.loads(Path(__file__).with_name("demo_tables.json").read_text("utf-8"))


def _regso_lookup_code(code: str) -> str:
    """The synthetic world's key for a RegSO code of any vintage (plain codes get the suffix)."""
    if len(code) == 8 and code[4] == "R":
        return code + REGSO_SUFFIX
    return code


@cache
def _vintage_spans() -> dict[str, tuple[int, int]]:
    """RegSO code suffix -> (first, last) year it carries values (seeds/regso_vintages.csv)."""
    return {r.code_suffix: (int(r.first_year), int(r.last_year))
            for r in load("regso_vintages").itertuples()}  # fmt: skip


def _vintage_years(code: str) -> tuple[int, int] | None:
    """Years a region code of a DeSO/RegSO table carries values (None: not a RegSO code)."""
    if len(code) < 8 or code[4] != "R":
        return None
    return _vintage_spans().get(code[8:])


def _region_codes(table_key: str) -> dict[str, str]:
    munis = reference.municipalities()
    county = reference.counties()
    level = _table_level(table_key)
    codes: dict[str, str] = {}
    if level in ("country", "mixed"):
        codes["00"] = "Riket"
    if level in ("county", "mixed"):
        codes.update(zip(county.code, county.name, strict=True))
    if level in ("municipality", "mixed"):
        codes.update(zip(munis.kommun_kod, munis.kommun, strict=True))
    lists = shapes().get("region_codelists", {}).get(table_key)
    if level == "regso" and lists:  # a DeSO/RegSO table with several code lists (TAB6680)
        munis_name = dict(zip(munis.kommun_kod, munis.kommun, strict=True))
        if "vs_DeSO2018" in lists:
            deso = reference.deso()
            codes.update(zip(deso.code, deso.code, strict=True))
        areas = reference.regso()
        labels = [
            f"{c} {munis_name.get(c[:4], c[:4])} ({n})"
            for c, n in zip(areas.code, areas.name, strict=True)
        ]
        if "vs_RegSO2020" in lists:
            codes.update(zip(areas.code, labels, strict=True))
        if "vs_RegSO2025" in lists:
            codes.update(zip(areas.code + REGSO_SUFFIX, labels, strict=True))
    elif level == "regso":
        areas = reference.regso()
        codes.update(zip(areas.code + REGSO_SUFFIX, areas.name, strict=True))
    return codes


def _variable(table_key: str, var: str) -> dict:
    """A variable's label and codes: the table's own shape, else the shared one."""
    own = shapes().get("table_variables", {}).get(table_key, {})
    return own.get(var) or shapes()["variables"].get(var, {"codes": {}})


def _table_level(table_key: str) -> str:
    return load("scb_tables").set_index("table_key").area_level[table_key]


def _table_id(table_key: str) -> str:
    """SCB's table id of a seeds key (TAB3200_AGE is a second selection of TAB3200)."""
    return load("scb_tables").set_index("table_key").table_id.get(table_key) or table_key


def _category(codes: dict[str, str]) -> dict:
    return {"index": {c: i for i, c in enumerate(codes)}, "label": dict(codes)}


def scb_metadata(table_key: str, lang: str = "sv", years: tuple[int, int] | None = None) -> dict:
    """A json-stat2 metadata document for a table in seeds/scb_tables.csv, marked synthetic.

    `years` (the demo's scale) cuts the table's year span; None keeps the whole span.
    """
    from etl.demo import synthetic_districts as districts  # the LUA districts' tables

    if districts.covers(table_key):
        return districts.scb_metadata(table_key, lang, years)
    variables = scb_variables(table_key)
    first, last = clip_years(*shapes()["years"][table_key], years)
    dims: dict[str, dict] = {}
    for var, (role, _spec) in variables.items():
        if role == "area":
            codes = _region_codes(table_key)
        elif role == "time":
            codes = {str(y): str(y) for y in range(first, last + 1)}
        elif role == "content":
            codes = {c: v[0] for c, v in shapes()["contents"][table_key].items()}
        else:
            codes = _variable(table_key, var)["codes"]
        label = {"area": "region", "time": "år", "content": "tabellinnehåll"}.get(
            role, _variable(table_key, var).get("label", var) if role != "other" else var
        )
        dims[var] = {"label": label, "category": _category(codes), "extension": {}}
        if role == "content":
            dims[var]["category"]["unit"] = {
                c: {"base": v[1], "decimals": v[2]}
                for c, v in shapes()["contents"][table_key].items()
            }
    ids = list(dims)
    return {
        "version": "2.0",
        "class": "dataset",
        "label": shapes()["labels"][table_key],
        "source": "SCB",
        "updated": shapes()["updated"][table_key],
        "note": [SYNTHETIC_NOTE],
        "role": {"time": [v for v, (r, _) in variables.items() if r == "time"],
                 "metric": [v for v, (r, _) in variables.items() if r == "content"]},
        "id": ids,
        "size": [len(dims[v]["category"]["index"]) for v in ids],
        "dimension": dims,
        "extension": {"synthetic": True, "px": {"tableid": _table_id(table_key), "language": lang}},
        "value": [],
    }  # fmt: skip


COUNT_CODES = ("000002NT", "000002NM", "000002NL", "000002NU",
               "0000089X", "0000089W", "0000089V", "0000089Y", "0000089Z")  # fmt: skip


def _content_values(content_label: str, code: str, counts: pd.DataFrame, rams: bool) -> np.ndarray:
    """Compute one content (rate or count) from counts; NaN where the group is too small."""
    pop, emp, unemp = counts["pop"].to_numpy(), counts.emp.to_numpy(), counts.unemp.to_numpy()
    force = emp + unemp
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = RAMS_SHIFT if rams else 0.0
        by_code = {
            "000002NT": emp, "000002NM": unemp, "000002NL": force, "000002NU": pop,
            "000002NN": np.round(100 * unemp / force, 1),
            "000002NK": np.round(100 * force / pop, 1),
            "000002NS": np.round(100 * emp / pop, 1),
            "000008AW": np.round(100 * emp / pop, 1),
            "000008B1": np.round(130 * unemp / pop, 1),
            "000008B4": np.round(45 * unemp / pop, 1),
            "0000089X": emp, "0000089W": unemp, "0000089V": force, "0000089Y": pop,
            "0000089Z": pop - force,
        }  # fmt: skip
        values = by_code.get(code)
        if values is None and "arbetslösa" in content_label:  # integration tables' unemployment
            values = np.round(100 * unemp / pop * (1.3 if "inskrivna" in content_label else 1.0), 1)
        if values is None:  # integration tables: selected by label
            values = np.round(100 * emp / pop + shift, 1)
    values = np.asarray(values, dtype=float)
    is_count = code in COUNT_CODES
    too_small = pop < (3 if is_count else 30)
    return np.where(too_small, np.nan, values)


def scb_dataset(metadata: dict, selection: dict[str, list[str]]) -> dict:
    """A json-stat2 dataset for `selection` of a table described by `metadata`, marked synthetic."""
    table_key = metadata.get("extension", {}).get("px", {}).get("tableid", "")
    from etl.demo import synthetic_districts as districts  # the LUA districts' tables

    if districts.covers(table_key):
        return districts.dataset_doc(metadata, selection, table_key)
    ids = list(metadata["id"])
    roles = _roles(table_key, ids)
    codes = [list(selection.get(v) or codes_in_order(metadata, v)) for v in ids]
    grid = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False)
    area_var = next(v for v in ids if roles[v] == "area")
    time_var = next(v for v in ids if roles[v] == "time")
    sex_var = next((v for v in ids if roles[v] == "sex"), None)
    birth_var = next((v for v in ids if roles[v] == "birth_region"), None)
    age_var = next((v for v in ids if roles[v] == "age"), None)
    content_var = next(v for v in ids if roles[v] == "content")
    keys = pd.DataFrame(
        {"area": grid[area_var], "year": grid[time_var].astype(int),
         "sex": grid[sex_var].map(code_map("scb", "sex")) if sex_var else "total",
         "group": grid[birth_var].map(code_map("scb", "birth_region")) if birth_var else "total"}
    )  # fmt: skip
    regso = _table_level(table_key) == "regso"
    if regso:
        uniq = pd.Series(pd.unique(keys.area))
        keys["area"] = keys.area.map(dict(zip(uniq, uniq.map(_regso_lookup_code), strict=True)))
    source = regso_world() if regso else world()
    counts = source.reindex(pd.MultiIndex.from_frame(keys))
    counts = counts.reset_index(drop=True)
    if age_var:
        scale = grid[age_var].map(lambda a: AGE_SCALE.get(a, (1.0, 1.0)))
        counts["pop"] = (counts["pop"] * scale.str[0]).round()
        counts["emp"] = (counts.emp * scale.str[1]).round()
        from etl.demo.synthetic_ages import overlay_bands  # five-year bands that sum to 20-64

        counts = overlay_bands(counts, keys, grid[age_var])
    rams = _series(table_key).startswith("RAMS")
    values = np.full(len(grid), np.nan)
    labels = metadata["dimension"][content_var]["category"]["label"]
    for code in grid[content_var].unique():
        mask = (grid[content_var] == code).to_numpy()
        values[mask] = _content_values(labels.get(code, ""), code, counts[mask], rams)
    if table_key in shapes().get("region_codelists", {}):  # a code list carries only its years
        uniq = pd.Series(pd.unique(grid[area_var]))
        spans = grid[area_var].map(dict(zip(uniq, uniq.map(_vintage_years), strict=True)))
        first = spans.map(lambda s: s[0] if s else 9999).to_numpy()
        last = spans.map(lambda s: s[1] if s else 0).to_numpy()
        year = grid[time_var].astype(int).to_numpy()
        values[(year < first) | (year > last)] = np.nan
    dims = {}
    for v, cs in zip(ids, codes, strict=True):
        cat = metadata["dimension"][v]["category"]
        dims[v] = {
            "label": metadata["dimension"][v]["label"],
            "category": {"index": {c: i for i, c in enumerate(cs)},
                         "label": {c: cat["label"].get(c, c) for c in cs}},
        }  # fmt: skip
        if "unit" in cat:
            dims[v]["category"]["unit"] = {c: cat["unit"][c] for c in cs if c in cat["unit"]}
    status = {str(i): ".." for i in np.flatnonzero(np.isnan(values))}
    out = {
        "version": "2.0", "class": "dataset", "label": metadata["label"], "source": "SCB",
        "updated": metadata["updated"], "note": [SYNTHETIC_NOTE],
        "role": metadata.get("role", {}), "id": ids, "size": [len(c) for c in codes],
        "dimension": dims, "extension": {"synthetic": True, "px": {"tableid": table_key}},
        "value": [None if np.isnan(x) else (int(x) if float(x).is_integer() and x > 100 else float(x))
                  for x in values],
    }  # fmt: skip
    if status:
        out["status"] = status
    return out


def _roles(table_key: str, ids: list[str]) -> dict[str, str]:
    """Variable -> role: the table's own seeds rows, else the role the variable has in any table."""
    known = {v: role for v, (role, _s) in scb_variables(table_key).items()}
    anywhere = dict(zip(load("scb_variables").variable, load("scb_variables").role, strict=True))
    return {v: known.get(v, anywhere.get(v, "other")) for v in ids}


def _series(table_key: str) -> str:
    return load("scb_tables").set_index("table_key").series.get(table_key, "")
