"""A small hand-made warehouse for the dashboard tests (synthetic values, real codes and shapes).

Stands in until etl.demo.build_demo is available; every value is marked synthetic.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

MUNICIPALITIES = {
    # code: (name, county, la, skr group)
    "1280": ("Malmö", "12", "LA2416", "Storstäder"),
    "1281": ("Lund", "12", "LA2416", "Större stad"),
    "1283": ("Helsingborg", "12", "LA2416", "Större stad"),
    "1287": ("Trelleborg", "12", "LA2416", "Pendlingskommun nära storstad"),
    "0180": ("Stockholm", "01", "LA2401", "Storstäder"),
    "0127": ("Botkyrka", "01", "LA2401", "Pendlingskommun nära storstad"),
    "0880": ("Kalmar", "08", "LA2409", "Större stad"),
    "0881": ("Nybro", "08", "LA2409", "Lågpendlingskommun nära större stad"),
}
COUNTIES = {"01": "Stockholms län", "08": "Kalmar län", "12": "Skåne län"}
LA = {"LA2401": "Stockholm-Solna", "LA2409": "Kalmar", "LA2416": "Malmö-Lund"}
REGSO = {
    "0880R001_RegSO2025": "Berga",
    "0880R002_RegSO2025": "Centrum",
    "0880R003_RegSO2025": "Norr",
}
YEARS = list(range(2017, 2025))  # RAMS 2017-2019, BAS from 2020
GROUPS = [
    (sex, br)
    for sex in ("total", "women", "men")
    for br in ("total", "sweden", "foreign", "rest_of_world")
]
SUPPRESSED = ("0881", 2024, "women", "rest_of_world")  # one suppressed cell
MISSING_AREA = "1287"  # no employment_rate rows for foreign-born in 2024


def employment_rate(code: str, year: int, sex: str, br: str) -> float:
    """Deterministic made-up employment rate (per cent)."""
    base = {"sweden": 82.0, "foreign": 62.0, "rest_of_world": 55.0, "total": 78.0}[br]
    sex_adj = {"women": -4.0 if br != "sweden" else -1.0, "men": 3.0, "total": 0.0}[sex]
    area_adj = ((sum(map(ord, code[-2:])) % 7) - 3.0) * (1.0 if br == "sweden" else 2.5)
    trend = 0.6 * (year - 2017) if br != "sweden" else 0.2 * (year - 2017)
    return round(base + sex_adj + area_adj + trend, 1)


def population(code: str, sex: str, br: str) -> float:
    """Made-up population aged 20-64 of a group (Nybro's foreign-born women are few)."""
    size = {"1280": 20000, "0180": 60000, "0881": 300}.get(code, 5000)
    share = {"total": 1.0, "sweden": 0.7, "foreign": 0.3, "rest_of_world": 0.2}[br]
    half = 1.0 if sex == "total" else 0.5
    return float(round(size * share * half))


def _geo_features() -> tuple[dict[str, dict], dict[str, dict]]:
    munis = json.loads((SHARED / "reference/geo/okfse_swedish_municipalities.geojson").read_text())
    counties = json.loads((SHARED / "reference/geo/okfse_swedish_regions.geojson").read_text())
    m = {
        f["properties"]["id"]: f
        for f in munis["features"]
        if f["properties"]["id"] in MUNICIPALITIES
    }
    c = {}
    for f in counties["features"]:
        code = str(f["properties"].get("l_id", "")).zfill(2)
        if code in COUNTIES:
            c[code] = f
    return m, c


def _square(x: float, y: float, d: float = 0.02) -> dict:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def build_fixture(db_path: Path) -> Path:
    """Write the fixture warehouse to db_path and return it."""
    con = duckdb.connect(str(db_path))
    con.execute((ROOT / "etl/schema.sql").read_text())
    # areas
    rows = [("00", "country", "Riket", "Sweden", None, None, None, None, None, None)]
    rows += [
        (c, "county", n, n.replace(" län", " County"), c, None, None, None, None, None)
        for c, n in COUNTIES.items()
    ]
    for code, (name, county, la, skr) in MUNICIPALITIES.items():
        rows.append((code, "municipality", name, name, county, code, la, "LA2024", skr, None))
    rows += [(c, "la_region", n, n, None, None, c, "LA2024", None, "LA2024") for c, n in LA.items()]
    rows += [
        (c, "regso", n, n, "08", "0880", None, None, None, "RegSO2025") for c, n in REGSO.items()
    ]
    rows.append(
        (
            "SET_SKANE4",
            "area_set",
            "Fyra skånska kommuner",
            "Four Scania municipalities",
            None,
            None,
            None,
            None,
            None,
            "set",
        )
    )
    con.executemany("INSERT INTO mart.area VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    members = [(la, code, "LA2024", 2020, 2099) for code, (_, _, la, _) in MUNICIPALITIES.items()]
    members += [("SET_SKANE4", c, "set", 1990, 2099) for c in ("1280", "1281", "1283", "1287")]
    con.executemany("INSERT INTO mart.area_membership VALUES (?,?,?,?,?)", members)

    # observations
    obs = []
    for code in list(MUNICIPALITIES) + ["00", "12", "01", "08", *LA, "SET_SKANE4"] + list(REGSO):
        for year in YEARS:
            if code in REGSO and year < 2024:
                continue
            series = "RAMS" if year < 2020 else "BAS"
            for sex, br in GROUPS:
                value = employment_rate(code, year, sex, br)
                den = population(code, sex, br) if code not in REGSO else 150.0
                status = "ok"
                if (code, year, sex, br) == SUPPRESSED:
                    value, status = None, "suppressed"
                if code == MISSING_AREA and year == 2024 and br != "sweden" and br != "total":
                    continue
                num = None if value is None else round(den * value / 100)
                obs.append(
                    (
                        "employment_rate",
                        code,
                        year,
                        sex,
                        br,
                        "20-64",
                        value,
                        num,
                        den,
                        status,
                        "scb",
                        "TAB3200",
                        series,
                        year == 2020,
                        "published",
                        None,
                        "2025-11-28",
                        True,
                    )
                )
        for year in YEARS:
            if code in REGSO:
                continue
            share = 10.0 + sum(map(ord, code)) % 30
            obs.append(
                (
                    "foreign_born_share",
                    code,
                    year,
                    "total",
                    "total",
                    "all",
                    share,
                    None,
                    None,
                    "ok",
                    "kolada",
                    "N02926",
                    None,
                    False,
                    "published",
                    None,
                    "2024-08-01",
                    True,
                )
            )
    con.executemany(
        "INSERT INTO mart.observation VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", obs
    )

    with open(ROOT / "seeds/indicators.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            con.execute(
                "INSERT INTO mart.indicator VALUES (?,?,?,?,?,?,?,?)",
                [
                    r["indicator"],
                    r["unit"],
                    int(r["decimals"]),
                    None if r["higher_is_better"] == "" else r["higher_is_better"] == "1",
                    r["name_sv"],
                    r["name_en"],
                    r["definition_sv"],
                    r["definition_en"],
                ],
            )
    with open(ROOT / "seeds/labels.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            con.execute(
                "INSERT INTO mart.label VALUES (?,?,?,?,?,?)",
                [
                    r["dimension"],
                    r["value"],
                    int(r["sort"]),
                    r["kind"] or None,
                    r["name_sv"] or None,
                    r["name_en"] or None,
                ],
            )
    series = [
        (
            "employment_rate",
            "scb",
            "TAB3200",
            "Arbetsmarknadsstatus efter region",
            "BAS",
            2020,
            2024,
            100,
            100,
            "2025-11-28",
            None,
            "https://example.invalid/TAB3200",
            True,
            "Källa: SCB",
            "Från referensår 2025 störs värdena med slumpmässigt brus (CKM).",
        ),
        (
            "employment_rate",
            "scb",
            "TAB4881",
            "Förvärvsarbetande (RAMS)",
            "RAMS",
            2017,
            2019,
            50,
            50,
            "2020-11-20",
            None,
            None,
            True,
            "Källa: SCB",
            None,
        ),
        (
            "foreign_born_share",
            "kolada",
            "N02926",
            "Utrikes födda, andel (%)",
            None,
            2017,
            2024,
            80,
            80,
            "2024-08-01",
            None,
            None,
            True,
            "Källa: Kolada",
            None,
        ),
    ]
    con.executemany(
        "INSERT INTO mart.series (indicator, source, source_table, source_title, series, first_year, "
        "last_year, rows, synthetic_rows, source_updated, fetched_at, url, synthetic, attribution, notes) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        series,
    )
    peers = [("skr_2023", "G92787", "Storstäder", None, c) for c in ("1280", "0180")]
    peers += [("skr_2023", "G92790", "Större stad", None, c) for c in ("1281", "1283", "0880")]
    peers += [
        (
            "similar_labour_2024",
            "G216200",
            "Liknande kommuner arbetsmarknad, Malmö, 2024",
            "1280",
            c,
        )
        for c in ("1283", "0127", "0180")
    ]
    con.executemany("INSERT INTO mart.peer_group VALUES (?,?,?,?,?)", peers)

    munis, counties = _geo_features()
    geo = []
    for code, f in munis.items():
        feat = {"type": "Feature", "id": code, "properties": {}, "geometry": f["geometry"]}
        geo.append((code, "municipality", json.dumps(feat), "okfse/sweden-geojson", False))
    for code, f in counties.items():
        feat = {"type": "Feature", "id": code, "properties": {}, "geometry": f["geometry"]}
        geo.append((code, "county", json.dumps(feat), "okfse/sweden-geojson", False))
    for i, code in enumerate(REGSO):
        feat = {
            "type": "Feature",
            "id": code,
            "properties": {},
            "geometry": _square(16.30 + 0.02 * i, 56.65),
        }
        geo.append((code, "regso", json.dumps(feat), "schematic", True))
    con.executemany("INSERT INTO mart.area_geometry VALUES (?,?,?,?,?)", geo)

    con.execute(
        "INSERT INTO mart.etl_run VALUES ('run-1', 'demo', TIMESTAMPTZ '2026-01-01 10:00:00+00', "
        "TIMESTAMPTZ '2026-01-01 10:05:00+00', 'ok', NULL, NULL, NULL, NULL, TRUE, NULL)"
    )
    con.execute(
        "INSERT INTO mart.warehouse_info VALUES ('synthetic', 'true'), ('built_at', '2026-01-01')"
    )
    con.close()
    return db_path


# --- pytest fixtures (import them into a test module to use them) ---------------------------

import pytest  # noqa: E402

_ENV: dict = {}


@pytest.fixture(scope="session")
def dash_env(tmp_path_factory):
    """The fixture warehouse, the app built on it and the page modules Dash loaded (built once)."""
    from types import SimpleNamespace

    from dashboard import db
    from dashboard.app import create_app

    if "env" in _ENV:  # each test module that imports this fixture gets its own instance
        db.configure(_ENV["env"].path)
        return _ENV["env"]
    path = build_fixture(tmp_path_factory.mktemp("warehouse") / "labour.duckdb")
    app = create_app(path)
    from dashboard.pages import data, explore, peers, trends
    from dashboard.pages import map as map_page

    _ENV["env"] = SimpleNamespace(
        app=app, path=path, map=map_page, trends=trends, peers=peers, explore=explore, data=data
    )
    return _ENV["env"]


@pytest.fixture()
def cat(dash_env):
    """The catalogue of the fixture warehouse."""
    from dashboard import db, queries

    db.configure(dash_env.path)
    return queries.catalogue()
