"""Synthetic district tables 1997-2018 (SCB's LUA tables), from the same made-up world.

A district follows its municipality: its population is a share of the municipality's (larger
for the foreign-born), its employment a few points below the municipality's, and its open
unemployment 4.5-7.1 points above the county's (the regional report's range for 1997-2008).
Shares are published only for groups of more than 20 persons of whom more than 5 have the
property, as SCB does; the rest are '..'. District codes and labels are made up (SCB's are not
in the evidence): labels are "<municipality>: <district>".
SCB's LUA tables show only the LUA areas that never became URB areas; the others are in the URB
tables. Which of the 17 became URB areas is not in the evidence: the demo splits them by a made-up
draw (`in_urb`), so that both labour tables carry some districts and the population table all.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
import pandas as pd

from etl import reference
from etl.demo.scale import clip_years
from etl.seeds import code_map, load

YEARS = (1997, 2018)
TITLES = {
    "LUA_LABOUR": "Arbetsmarknadsvariabler efter LUA-område, kön och bakgrundsvariabel. År 1997-2018",
    "LUA_POPULATION": "Folkmängd efter URB- och LUA-område, kön och bakgrundsvariabel. År 1997-2018",
    "URB_LABOUR": "Arbetsmarknadsvariabler efter URB-område, kön och bakgrundsvariabel. År 1997-2018",
}
CONTENTS = {
    "LUA_LABOUR": {"SYNL001": "Andel förvärvsarbetande", "SYNL002": "Andel öppet arbetslösa",
                   "SYNL003": "Andel inskrivna arbetslösa"},
    "LUA_POPULATION": {"SYNL010": "Folkmängd 20-64 år"},
    "URB_LABOUR": {"SYNU001": "Andel förvärvsarbetande", "SYNU002": "Andel öppet arbetslösa",
                   "SYNU003": "Andel inskrivna arbetslösa"},
}  # fmt: skip
BAKGR = {"tot20-64": "samtliga 20-64 år", "SE": "födelseregion: Sverige",
         "NEXS": "födelseregion: Norden exkl. Sverige", "EUEESXN": "födelseregion: EU/EFTA exkl. Norden",
         "VXEUEES": "födelseregion: övriga världen", "SAMUTF": "samtliga utrikes födda",
         "INT010": "vistelsetid 0-1 år", "INT020": "vistelsetid 2-3 år",
         "INT030": "vistelsetid 4-9 år", "INT040": "vistelsetid 10- år"}  # fmt: skip
KON = {"1+2": "män och kvinnor", "1": "män", "2": "kvinnor"}


def _draw(text: str) -> float:
    return zlib.crc32(text.encode()) / 2**32


def in_urb(set_code: str) -> bool:
    """Whether the demo lists a district in the URB tables (a made-up draw, not SCB's list)."""
    return _draw(f"urb:{set_code}") < 0.4


def carried(table_key: str) -> pd.DataFrame:
    """The districts a synthetic district table carries: LUA, URB or (population) both."""
    d = districts()
    urb = d.set_code.map(in_urb)
    return {"LUA_LABOUR": d[~urb], "URB_LABOUR": d[urb]}.get(table_key, d)


def districts() -> pd.DataFrame:
    """The synthetic district list: code, label, municipality, set code (seeds' 17 districts)."""
    sets = load("regso_sets").drop_duplicates("set_code")
    names = dict(zip(reference.municipalities().kommun_kod, reference.municipalities().kommun,
                     strict=True))  # fmt: skip
    seeds_d = load("lua_districts").set_index("set_code").district
    rows = []
    for i, s in enumerate(sets.itertuples(), 1):
        label = f"{names.get(s.municipality_code, s.municipality_code)}: {seeds_d[s.set_code]}"
        rows.append((f"{s.municipality_code}L{i:02d}", label, s.municipality_code, s.set_code))
    return pd.DataFrame(rows, columns=["code", "label", "municipality", "set_code"])


def scb_metadata(table_key: str, lang: str = "sv", years: tuple[int, int] | None = None) -> dict:
    """A json-stat2 metadata document for a district table, marked synthetic."""
    from etl.demo.synthetic import SYNTHETIC_NOTE, _table_id

    first, last = clip_years(*YEARS, years)  # a window outside 1997-2018 keeps one year
    d = carried(table_key)
    regions = dict(zip(d.code, d.label, strict=True))
    if table_key == "LUA_POPULATION":  # the county too (assumed: the report's 'rest of county')
        regions["01"] = "Stockholms län"
    dims = {"Region": ("region", regions), "Kon": ("kön", KON),
            "BakgrVar": ("bakgrundsvariabel", BAKGR), "ContentsCode": ("tabellinnehåll", CONTENTS[table_key]),
            "Tid": ("år", {str(y): str(y) for y in range(first, last + 1)})}  # fmt: skip
    return {
        "version": "2.0", "class": "dataset", "label": TITLES[table_key], "source": "SCB",
        "updated": "2019-03-29T07:00:00Z", "note": [SYNTHETIC_NOTE],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "id": list(dims),
        "size": [len(c) for _, c in dims.values()],
        "dimension": {v: {"label": lab, "category": {"index": {c: i for i, c in enumerate(cs)},
                                                      "label": dict(cs)}}
                      for v, (lab, cs) in dims.items()},
        "extension": {"synthetic": True, "px": {"tableid": _table_id(table_key), "language": lang}},
        "value": [],
    }  # fmt: skip


@cache
def _fraction(set_code: str, municipality: str) -> float:
    """The district's share of its municipality's population 20-64 (its RegSO areas in 2020)."""
    from etl.demo.synthetic import regso_world

    world = regso_world()
    members = load("regso_sets")
    codes = members.regso_code[members.set_code == set_code] + "_RegSO2025"
    muni = world.xs((2020, "total", "total"), level=("year", "sex", "group"))["pop"]
    part = muni.reindex(codes).sum()
    total = muni[muni.index.str.startswith(municipality)].sum()
    # a district had thousands of inhabitants aged 20-64, never a handful
    return max(float(part / total), 4000.0 / total) if total else 0.05


def lua_values(metadata: dict, selection: dict[str, list[str]], table_key: str) -> np.ndarray:
    """Values (NaN = '..') of a district table selection, in json-stat2 order."""
    from etl.demo.synthetic import world

    ids = list(metadata["id"])
    codes = [list(selection.get(v) or metadata["dimension"][v]["category"]["index"]) for v in ids]
    grid = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False)
    d = carried(table_key).set_index("code")
    w = world()
    sex = grid.Kon.map(code_map("scb", "sex"))
    group = grid.BakgrVar.map(code_map("scb", "birth_region"))
    year = grid.Tid.astype(int)
    out = np.full(len(grid), np.nan)
    for code, rows in grid.groupby("Region").groups.items():
        idx = np.asarray(rows)
        if code == "01":
            keys = pd.MultiIndex.from_arrays([["01"] * len(idx), year[idx], sex[idx], group[idx]])
            out[idx] = w.reindex(keys)["pop"].to_numpy(dtype=float)
            continue
        if code not in d.index:
            continue
        dist = d.loc[code]
        frac = _fraction(dist.set_code, dist.municipality)
        keys = pd.MultiIndex.from_arrays(
            [[dist.municipality] * len(idx), year[idx], sex[idx], group[idx]]
        )
        muni = w.reindex(keys)
        ckeys = pd.MultiIndex.from_arrays([["01"] * len(idx), year[idx], sex[idx], group[idx]])
        county = w.reindex(ckeys)
        foreign = (group[idx] != "sweden") & (group[idx] != "total")
        weight = np.where(foreign, 2.4, np.where(group[idx] == "total", 1.0, 0.55))
        pop = np.round(muni["pop"].to_numpy(dtype=float) * frac * weight)
        gap = 6.0 + 6.0 * _draw(f"gap:{code}")
        delta = 4.5 + 2.6 * _draw(f"unemp:{code}")
        with np.errstate(invalid="ignore", divide="ignore"):
            emp = np.clip(100 * muni.emp.to_numpy() / muni["pop"].to_numpy() - gap, 5, 95)
            unemp_c = 100 * county.unemp.to_numpy() / county["pop"].to_numpy()
        open_u = np.clip(
            unemp_c + delta * np.where(foreign, 1.25, np.where(group[idx] == "sweden", 0.6, 1.0)),
            0.5,
            60,
        )
        content = grid.ContentsCode.to_numpy()[idx]
        content = np.char.replace(content.astype(str), "SYNU", "SYNL")  # same contents, URB codes
        share = np.select([content == "SYNL001", content == "SYNL002", content == "SYNL003"],
                          [emp, open_u, open_u * 1.3], default=np.nan)  # fmt: skip
        share = np.round(share, 1)
        if table_key == "LUA_POPULATION":
            out[idx] = pop
            continue
        having = pop * share / 100.0
        out[idx] = np.where((pop > 20) & (having > 5), share, np.nan)  # SCB's publication rule
    return out
