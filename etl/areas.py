"""Areas: levels, LA vintages, RegSO, named area sets, peer groups; rates of combined areas from counts."""

from __future__ import annotations

import logging
import re

import duckdb
import pandas as pd

from etl import reference, seeds
from etl.uncertainty import INSERT_OBSERVATION

log = logging.getLogger(__name__)
REGSO_CODE = re.compile(r"^(?P<base>\d{4}R\d{3})(?:_(?P<vintage>RegSO\d{4}))?$")
# SCB's RegSO labels in DeSO/RegSO tables: '0114R001 Upplands Väsby (Bollstanäs)'
SCB_REGSO_LABEL = re.compile(r"^\d{4}R\d{3}\s+.*\((.+)\)$")
AREA_COLUMNS = ["area_code", "level", "name_sv", "name_en", "county_code", "municipality_code",
                "la_code", "la_vintage", "skr_group", "vintage"]  # fmt: skip


def kolada_to_area(kolada_id: str) -> str:
    """Kolada area id -> warehouse area code: 0000 -> 00, 00LL -> LL, municipalities unchanged."""
    if kolada_id == "0000":
        return "00"
    if len(kolada_id) == 4 and kolada_id.startswith("00"):
        return kolada_id[2:]
    return kolada_id


def la_memberships(years: range) -> pd.DataFrame:
    """LA membership rows (parent, member, vintage, first_year, last_year) from seeds/la_vintages."""
    frames = []
    for v in seeds.load("la_vintages").itertuples():
        mapping = reference.la_mapping(v.reference_file)
        frames.append(
            pd.DataFrame(
                {"parent_code": mapping.la_kod, "member_code": mapping.kommun_kod,
                 "vintage": v.vintage, "first_year": int(v.first_year),
                 "last_year": min(int(v.last_year), years.stop - 1),
                 "name": mapping.la_namn}
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def build_areas(con: duckdb.DuckDBPyConnection, years: range) -> pd.DataFrame:
    """Fill mart.area and mart.area_membership; returns the area frame."""
    munis = reference.municipalities()
    skr = _skr_groups(con, munis)
    la = la_memberships(years)
    latest_la = la.sort_values("first_year").drop_duplicates("member_code", keep="last")
    la_of = latest_la.set_index("member_code")
    rows = [("00", "country", "Riket", "Sweden", None, None, None, None, None, None)]
    for c in reference.counties().itertuples():
        rows.append((c.code, "county", c.name, c.name, c.code, None, None, None, None, None))
    for m in munis.itertuples():
        la_row = la_of.loc[m.kommun_kod] if m.kommun_kod in la_of.index else None
        rows.append(
            (m.kommun_kod, "municipality", m.kommun, m.kommun, m.lan_kod, m.kommun_kod,
             None if la_row is None else la_row.parent_code,
             None if la_row is None else la_row.vintage, skr.get(m.kommun_kod), None)
        )  # fmt: skip
    for (code, vintage), grp in la.groupby(["parent_code", "vintage"]):
        county = grp.member_code.str[:2].mode().iloc[0]
        name = grp.name.iloc[0]
        rows.append(
            (
                code,
                "la_region",
                f"LA {name}",
                f"LMA {name}",
                county,
                None,
                code,
                vintage,
                None,
                vintage,
            )
        )
    rows += _regso_rows(con)
    sets = seeds.load("area_sets")
    for code, grp in sets.groupby("set_code"):
        first = grp.iloc[0]
        county = grp.member_code.str[:2].unique()
        rows.append(
            (code, "area_set", first.name_sv, first.name_en,
             county[0] if len(county) == 1 else None, None, None, None, None, "set")
        )  # fmt: skip
    areas = pd.DataFrame(rows, columns=AREA_COLUMNS).drop_duplicates("area_code")
    con.register("areas_df", areas)
    con.execute("INSERT INTO mart.area SELECT * FROM areas_df")
    members = pd.concat(
        [
            la[["parent_code", "member_code", "vintage", "first_year", "last_year"]],
            pd.DataFrame(
                {"parent_code": sets.set_code, "member_code": sets.member_code, "vintage": "set",
                 "first_year": years.start, "last_year": years.stop - 1}
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    con.register("members_df", members)
    con.execute("INSERT INTO mart.area_membership SELECT * FROM members_df")
    return areas


def _regso_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """RegSO areas that have data, named from the SCB labels or the reference RegSO list."""
    codes = con.execute(
        "SELECT DISTINCT area_code FROM staging.scb_observation WHERE area_code LIKE '____R___%'"
    ).fetchall()
    labels = dict(
        con.execute(
            "SELECT code, coalesce(label_sv, label_en) FROM staging.scb_label "
            "WHERE variable = 'Region' AND code LIKE '____R___%'"
        ).fetchall()
    )
    try:
        ref = reference.regso().set_index("code")
    except reference.ReferenceMissing:
        ref = pd.DataFrame(columns=["name", "municipality", "county"])
    rows = []
    for (code,) in codes:
        m = REGSO_CODE.match(code)
        if not m:
            continue
        base = m.group("base")
        label = SCB_REGSO_LABEL.match(labels.get(code) or "")
        name = (
            (label.group(1) if label else labels.get(code))
            or (ref.name.get(base) if base in ref.index else None)
            or code
        )
        vintage = m.group("vintage") or "RegSO2020"  # plain codes: vs_RegSO2020 (to 2023)
        if not m.group("vintage"):
            name = f"{name} (RegSO 2020)"
        rows.append((code, "regso", name, name, base[:2], base[:4], None, None, None, vintage))
    return rows


def _skr_groups(con: duckdb.DuckDBPyConnection, munis: pd.DataFrame) -> dict[str, str]:
    """Municipality -> SKR kommungrupp 2023, from Kolada groups when loaded, else the reference."""
    spec = seeds.load("peer_groups").set_index("peer_kind").loc["skr_2023"]
    found = con.execute(
        "SELECT member_id, title FROM staging.kolada_group WHERE group_id BETWEEN ? AND ?",
        [spec.kolada_id_from, spec.kolada_id_to],
    ).fetchall()
    if found:
        return {m: re.sub(r"\s*\(.*\)$", "", t) for m, t in found}
    return dict(zip(munis.kommun_kod, munis.skr_kommungrupp_2023, strict=True))


def build_peer_groups(con: duckdb.DuckDBPyConnection) -> int:
    """Fill mart.peer_group from Kolada groups selected by seeds/peer_groups.csv."""
    groups = con.execute("SELECT group_id, title, member_id FROM staging.kolada_group").df()
    names = dict(
        con.execute(
            "SELECT name_sv, area_code FROM mart.area WHERE level='municipality'"
        ).fetchall()
    )
    frames = []
    for spec in seeds.load("peer_groups").itertuples():
        if spec.kolada_id_from:
            num = groups.group_id.str[1:].astype(int)
            sel = groups[
                (num >= int(spec.kolada_id_from[1:])) & (num <= int(spec.kolada_id_to[1:]))
            ]
            owner = pd.Series([None] * len(sel), index=sel.index, dtype=object)
        else:
            mask = groups.title.str.startswith(spec.title_prefix) & groups.title.str.endswith(
                spec.title_suffix
            )
            sel = groups[mask]
            owner_name = sel.title.str[len(spec.title_prefix) : -len(spec.title_suffix) or None]
            owner = owner_name.map(names)
        frames.append(
            pd.DataFrame(
                {"peer_kind": spec.peer_kind, "group_id": sel.group_id,
                 "group_name": sel.title.str.replace(r"\s*\(.*\)$", "", regex=True),
                 "owner_code": owner, "area_code": sel.member_id}
            )
        )  # fmt: skip
    peers = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if peers.empty:
        return 0
    con.register("peers_df", peers)
    con.execute("INSERT INTO mart.peer_group SELECT * FROM peers_df")
    return len(peers)


AGGREGATE_SQL = f"""
{INSERT_OBSERVATION}
WITH members AS (
    SELECT m.parent_code, m.member_code, m.first_year, m.last_year,
           count(*) OVER (PARTITION BY m.parent_code, m.vintage) AS n_members
    FROM mart.area_membership m
), joined AS (
    SELECT mb.parent_code, mb.n_members, o.*
    FROM members mb
    JOIN mart.observation o
      ON o.area_code = mb.member_code AND o.year BETWEEN mb.first_year AND mb.last_year
    WHERE o.aggregation = 'published'
)
SELECT indicator, parent_code, year, sex, birth_region, age,
       CASE WHEN count(numerator) = max(n_members) AND count(denominator) = max(n_members)
                 AND sum(denominator) > 0
            THEN round(100.0 * sum(numerator) / sum(denominator), 1) END AS value,
       CASE WHEN count(numerator) = max(n_members) THEN sum(numerator) END,
       CASE WHEN count(denominator) = max(n_members) THEN sum(denominator) END,
       CASE WHEN count(numerator) = max(n_members) AND count(denominator) = max(n_members)
            THEN 'ok' ELSE 'incomplete' END AS status,
       'derived', string_agg(DISTINCT source_table, '+' ORDER BY source_table), max(series), false,
       'summed_counts', max(fetched_at), max(source_updated), bool_or(synthetic)
FROM joined
GROUP BY indicator, parent_code, year, sex, birth_region, age
HAVING count(numerator) > 0
"""


def aggregate_from_counts(con: duckdb.DuckDBPyConnection) -> int:
    """Add LA-region and area-set rows: 100 * sum(numerator) / sum(denominator), never mean rates."""
    before = con.execute("SELECT count(*) FROM mart.observation").fetchone()[0]
    con.execute(AGGREGATE_SQL)
    return con.execute("SELECT count(*) FROM mart.observation").fetchone()[0] - before


def regso_codes_in_year(codes: list[str], year: int) -> list[str]:
    """The codes a map of `year` shows: RegSO codes of the vintage covering it (each area once)."""
    from etl.regso_sets import REGSO, vintages

    spans = {v.suffix: (v.first_year, v.last_year) for v in vintages()}
    out = []
    for code in codes:
        m = REGSO.match(code)
        span = spans.get(m.group("suffix") or "") if m else None
        if m is None or (span is not None and span[0] <= year <= span[1]):
            out.append(code)
    return out
