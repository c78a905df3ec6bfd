"""Synthetic, clearly labelled values over the real area codes, for the demo and the test stand-in.

One coherent made-up "world" of counts (population, employed, unemployed aged 20-64 by area, year,
sex and birth region) feeds every generated SCB table and Kolada KPI, so rates, counts, SCB and
Kolada agree with each other the way the real sources do. None of it is official statistics:
every generated response carries a `synthetic` marker that the ETL keeps all the way to the mart.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from etl import reference
from etl.areas import kolada_to_area
from etl.demo.kolada_v3 import to_v3_items
from etl.demo.scale import clip_years
from etl.parse.jsonstat import codes_in_order
from etl.seeds import code_map, indicator_sources, load, scb_variables
from etl.settings import get_settings

SYNTHETIC_NOTE = (
    "SYNTETISKA VÄRDEN: genererade för demo och test, inte officiell statistik. "
    "Synthetic values generated for demos and tests, not official statistics."
)
YEARS = np.arange(1993, 2026)
SEXES = ("men", "women")
GROUPS = ("sweden", "nordic", "eu_efta", "rest_of_world")
TIME_GROUPS = ("foreign_0_1y", "foreign_2_3y", "foreign_4_9y", "foreign_10y_plus")
TIME_SHARE = np.array([0.07, 0.09, 0.26, 0.58])
TIME_OFFSET = np.array([-32.0, -17.0, -6.0, 4.0])
AGE_SCALE = {"20-64": (1.0, 1.0), "20-65": (1.024, 1.012), "20-66": (1.048, 1.022)}
BIG_CITIES = {"0180": 640_000, "1480": 370_000, "1280": 220_000, "0380": 145_000}
RAMS_SHIFT = -1.8  # RAMS measured employment a little lower than BAS: a visible series break
# RegSO codes: the reference list's codes with the vintage suffix SCB's current tables use. A few
# areas were redrawn in 2025, so some demo codes may not exist in the real 2025 vintage.
REGSO_SUFFIX = "_RegSO2025"


@cache
def shapes() -> dict:
    """The generated tables' shapes (demo_tables.json: years, labels, contents, code lists), read once."""
    return json.loads(Path(__file__).with_name("demo_tables.json").read_text("utf-8"))


def reference_dir() -> Path:
    """The reference folder in force: the world is made (and cached) per folder."""
    return get_settings().reference_dir.resolve()


@cache
def _municipality_world(ref: Path) -> pd.DataFrame:
    """Counts for every municipality x year x sex x base birth group (sweden/nordic/eu_efta/rest)."""
    munis = reference.municipalities(ref)
    codes = munis.kommun_kod.to_numpy()
    n = len(codes)
    rng = np.random.default_rng(20_240_601)
    size = np.exp(rng.normal(9.4, 0.85, n)).round()
    for i, code in enumerate(codes):
        size[i] = BIG_CITIES.get(code, size[i])
    foreign_share = np.clip(rng.beta(2.2, 9.0, n) + 0.05 + 0.08 * (size > 60_000), 0.05, 0.6)
    level = rng.normal(0.0, 2.2, n)  # local labour-market strength, pp
    women_gap_extra = rng.normal(-9.0, 3.5, n)  # extra gap for foreign-born women, pp
    frames = []
    for year in YEARS:
        yi = year - 1997  # noise seeds kept from when the world began in 1997
        trend_se = 0.25 * (year - 2020) - (1.2 if year == 2020 else 0.0)
        trend_fb = 0.75 * (year - 2020) - (2.0 if year == 2020 else 0.0)
        growth = 1 + 0.004 * (year - 2020)
        fb_growth = 1 + 0.025 * (year - 2020)
        for sex in SEXES:
            women = sex == "women"
            pop_se = size * (1 - foreign_share) * growth * (0.49 if women else 0.51)
            pop_fb = size * foreign_share * fb_growth * (0.5 if women else 0.5)
            rate = {
                "sweden": 84.5 + level + trend_se - (2.0 if women else 0.0),
                "nordic": 78.0 + level + trend_se - (2.5 if women else 0.0),
                "eu_efta": 76.0 + level + trend_fb - (4.0 if women else 0.0),
                "rest_of_world": 63.0
                + 1.3 * level
                + trend_fb
                + (women_gap_extra if women else 0.0),
            }
            share = {"sweden": 1.0, "nordic": 0.08, "eu_efta": 0.17, "rest_of_world": 0.75}
            noise = np.random.default_rng(
                yi * 7 + women if yi >= 0 else 100_000 + 2 * year + women
            ).normal(0, 0.6, (4, n))
            for gi, group in enumerate(GROUPS):
                pop = (pop_se if group == "sweden" else pop_fb * share[group]).round()
                r = np.clip(rate[group] + noise[gi], 20, 95) / 100
                unemp_rate = np.clip(
                    (0.04 if group == "sweden" else 0.15) - 0.3 * (r - 0.8), 0.01, 0.4
                )
                emp = (pop * r).round()
                unemp = (emp * unemp_rate / (1 - unemp_rate)).round()
                frames.append(
                    pd.DataFrame(
                        {"area": codes, "year": year, "sex": sex, "group": group,
                         "pop": pop, "emp": emp, "unemp": unemp}
                    )
                )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _expand_groups(base: pd.DataFrame) -> pd.DataFrame:
    """Add foreign, total and time-in-Sweden groups, and sex totals, to base-group counts."""
    keys = ["area", "year", "sex"]
    foreign = (
        base[base.group != "sweden"].groupby(keys, as_index=False)[["pop", "emp", "unemp"]].sum()
    )
    total = base.groupby(keys, as_index=False)[["pop", "emp", "unemp"]].sum()
    parts = [base, foreign.assign(group="foreign"), total.assign(group="total")]
    rate_fb = foreign.emp / foreign["pop"].where(foreign["pop"] > 0)
    mean_offset = float((TIME_SHARE * TIME_OFFSET).sum())
    for share, offset, name in zip(TIME_SHARE, TIME_OFFSET, TIME_GROUPS, strict=True):
        r = np.clip(rate_fb + (offset - mean_offset) / 100, 0.05, 0.95)
        pop = (foreign["pop"] * share).round()
        emp = (pop * r).round()
        unemp = (foreign.unemp * share * (1.6 if offset < 0 else 0.8)).round()
        parts.append(foreign[keys].assign(group=name, pop=pop, emp=emp, unemp=unemp))
    frame = pd.concat(parts, ignore_index=True)
    both = frame.groupby(["area", "year", "group"], as_index=False)[["pop", "emp", "unemp"]].sum()
    return pd.concat([frame, both.assign(sex="total")], ignore_index=True)


def world() -> pd.DataFrame:
    """Counts by area (country '00', counties, municipalities) x year x sex x birth group."""
    return _world(reference_dir())


@cache
def _world(ref: Path) -> pd.DataFrame:
    """`world()` of one reference folder."""
    muni = _municipality_world(ref)
    county_of = reference.municipalities(ref).set_index("kommun_kod").lan_kod
    county = (
        muni.assign(area=muni.area.map(county_of))
        .groupby(["area", "year", "sex", "group"], as_index=False)[["pop", "emp", "unemp"]]
        .sum()
    )
    country = (
        muni.assign(area="00")
        .groupby(["area", "year", "sex", "group"], as_index=False)[["pop", "emp", "unemp"]]
        .sum()
    )
    base = pd.concat([country, county, muni], ignore_index=True)
    return _expand_groups(base).set_index(["area", "year", "sex", "group"]).sort_index()


REGSO_FIRST_YEAR = 2020  # TAB6680 (RegSO counts) starts in 2020


def _allocate(total: pd.Series, weight: pd.Series, keys: pd.DataFrame) -> np.ndarray:
    """Split each group's integer total over its rows by weight, exactly (largest remainder)."""
    cols = list(keys.columns)
    df = keys.reset_index(drop=True).assign(
        t=total.to_numpy(dtype=float), w=np.asarray(weight, dtype=float)
    )
    grouped = df.groupby(cols, sort=False)
    wsum = grouped.w.transform("sum").to_numpy()
    exact = np.where(wsum > 0, df.t.to_numpy() * df.w.to_numpy() / np.where(wsum > 0, wsum, 1), 0)
    base = np.floor(exact)
    df["base"], df["rem"] = base, exact - base
    short = df.t.to_numpy() - df.groupby(cols, sort=False).base.transform("sum").to_numpy()
    rank = df.groupby(cols, sort=False).rem.rank(method="first", ascending=False).to_numpy()
    return base + (rank <= np.round(short))


def regso_world(vintage_suffix: str = REGSO_SUFFIX) -> pd.DataFrame:
    """Counts by RegSO area x year (2020-) x sex x birth group, split exactly from the municipality.

    Population, employed and unemployed of every municipality x year x sex x base group are
    divided over its RegSO areas with integer shares that add up to the municipality's counts.
    """
    return _regso_world(reference_dir(), vintage_suffix)


@cache
def _regso_world(ref: Path, vintage_suffix: str) -> pd.DataFrame:
    """`regso_world()` of one reference folder."""
    areas = reference.regso(ref)
    muni = _municipality_world(ref)
    muni = muni[muni.year >= REGSO_FIRST_YEAR]
    rng = np.random.default_rng(3363)
    weight = rng.gamma(2.0, 1.0, len(areas))
    segregation = rng.lognormal(0.0, 0.7, len(areas))
    effect = rng.normal(0, 3.0, len(areas))
    areas = areas.assign(w=weight, seg=segregation, eff=effect)
    merged = areas.merge(muni, left_on="municipality", right_on="area", suffixes=("", "_m"))
    merged = merged.reset_index(drop=True)
    fb = (merged.group != "sweden").to_numpy()
    keys = merged[["municipality", "year", "sex", "group"]]
    pop = _allocate(merged["pop"], merged.w * np.where(fb, merged.seg, 1.0), keys)
    rate = (merged.emp / merged["pop"].where(merged["pop"] > 0)).fillna(0.7)
    rate = np.clip(
        rate + (merged.eff - np.where(fb, 2.0 * np.log(merged.seg), 0.0)) / 100, 0.1, 0.97
    )
    emp = np.minimum(_allocate(merged.emp, pop * rate, keys), pop)
    unemp = np.minimum(_allocate(merged.unemp, np.maximum(pop - emp, 0), keys), pop - emp)
    base = pd.DataFrame(
        {"area": merged.code + vintage_suffix, "year": merged.year, "sex": merged.sex,
         "group": merged.group, "pop": pop, "emp": emp, "unemp": unemp}
    )  # fmt: skip
    return _expand_groups(base).set_index(["area", "year", "sex", "group"]).sort_index()


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


def kolada_values(kpi: str, area_ids: list[str], years: list[int],
                  span: tuple[int, int] | None = None) -> list[dict]:  # fmt: skip
    """Kolada v3 `values` items for a KPI, marked synthetic, from the same world as the SCB tables.

    `span` (the demo's scale) cuts the KPI's year span; None keeps the whole span.
    """
    return to_v3_items(kpi, _kolada_frame(kpi, area_ids, years, span), synthetic=True)


def _kolada_model(kpi: str) -> tuple[str, str, int, int, float]:
    """(measure, birth group, first year, last year, RAMS shift) of a KPI in seeds/kolada_kpis.csv."""
    rows = load("kolada_kpis").set_index("kpi")
    if kpi not in rows.index:
        raise KeyError(f"Kolada KPI {kpi} has no row in seeds/kolada_kpis.csv (the demo's model)")
    row = rows.loc[kpi]
    series = indicator_sources("kolada").set_index("table_key").series.get(kpi, "")
    shift = RAMS_SHIFT if series.startswith("RAMS") else 0.0
    return (row.demo_measure, row.demo_birth_group, int(row.demo_first_year),
            int(row.demo_last_year), shift)  # fmt: skip


def _kolada_frame(kpi: str, area_ids: list[str], years: list[int],
                  span: tuple[int, int] | None = None) -> pd.DataFrame:  # fmt: skip
    """Vectorised KPI values: columns area_id, year, gender, value (NaN for small groups)."""
    measure, group, first, last, shift = _kolada_model(kpi)
    first, last = clip_years(first, last, span)
    wanted = [int(y) for y in years if first <= int(y) <= last]
    ids = pd.DataFrame({"area_id": list(area_ids)})
    ids["area"] = ids.area_id.map(kolada_to_area)
    w = world().reset_index()
    w = w[w.year.isin(wanted) & w.area.isin(ids.area)]
    sel = w[w.group == group].merge(ids, on="area")
    totals = w[w.group == "total"].set_index(["area", "year", "sex"])["pop"]
    pop, emp, unemp = sel["pop"], sel.emp, sel.unemp
    with np.errstate(invalid="ignore", divide="ignore"):
        value = {
            "emp_rate": 100 * emp / pop + shift,
            "unemp_rate": 100 * unemp / (emp + unemp),
            "participation": 100 * (emp + unemp) / pop,
            "longterm": 40 * unemp / pop,
            "newly_work": 100 * emp / pop - 25 + 1.2 * (sel.year - 2015),
            "newly_work_study": 100 * emp / pop - 13 + 1.2 * (sel.year - 2015),
            "refugees": 100 * emp / pop - 6,
        }.get(measure)
        if value is None:  # share of the whole population
            value = (
                100
                * pop
                / totals.reindex(pd.MultiIndex.from_frame(sel[["area", "year", "sex"]])).to_numpy()
            )
    value = np.where(pop < 30, np.nan, np.round(np.asarray(value, dtype=float), 1))
    gender = sel.sex.map({v: k for k, v in code_map("kolada", "sex").items()})
    out = pd.DataFrame({"area_id": sel.area_id, "year": sel.year, "gender": gender, "value": value})
    return out.sort_values(["area_id", "year", "gender"], ignore_index=True)


def regso_boundaries() -> dict:
    """A WFS-shaped FeatureCollection of made-up RegSO cells (Voronoi inside each municipality).

    They stand in for SCB's RegSO boundaries in the demo and the test stand-in; the collection
    carries the synthetic marker and the map labels the shapes as schematic.
    """
    import shapely
    from shapely.geometry import mapping

    from etl.geo import reference_shapes

    munis = reference_shapes("municipality")
    areas = reference.regso()
    features = []
    for muni, grp in areas.groupby("municipality"):
        poly = munis.get(muni)
        if poly is None:
            continue
        rng = np.random.default_rng(int(muni))
        minx, miny, maxx, maxy = poly.bounds
        points: list = []
        for _ in range(5000):
            if len(points) == len(grp):
                break
            p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if poly.contains(p):
                points.append(p)
        if len(points) < len(grp):
            continue
        cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=poly.envelope)
        ordered = sorted(cells.geoms, key=lambda c: (round(c.centroid.y, 3), c.centroid.x))
        for row, cell in zip(grp.sort_values("code").itertuples(), ordered, strict=False):
            geom = shapely.set_precision(cell.intersection(poly), 1e-4)
            features.append(
                {"type": "Feature", "geometry": mapping(geom),
                 "properties": {"regsokod": row.code, "regsonamn": row.name, "kommunkod": muni}}
            )  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "synthetic": True,
            "numberMatched": len(features), "numberReturned": len(features)}  # fmt: skip
