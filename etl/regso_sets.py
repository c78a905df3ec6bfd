"""Named sets of RegSO areas (the 17 LUA districts, user-defined sets): members per RegSO vintage,
rates from counts (direct sums, or share x matching population flagged `derived`), the county
without the set, and the sets' shapes dissolved from their RegSO areas.

Mappings are data: seeds/regso_sets.csv (members), regso_set_parents.csv (sets of sets and the
"rest of the county" area), regso_vintages.csv, regso_code_changes.csv, count_sources.csv and
derived_counts.csv.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import shapely

from etl import seeds, uncertainty

log = logging.getLogger(__name__)
REGSO = re.compile(r"^(?P<base>\d{4}R\d{3})(?P<suffix>_RegSO\d{4})?$")
KEY = ["indicator", "year", "sex", "birth_region", "age"]
OBS_COLUMNS = list(uncertainty.OBSERVATION_COLUMNS)
NO_POPULATION = "no_matching_population"


class RegsoVintageError(RuntimeError):
    """RegSO codes of a vintage the seeds do not map: the build stops rather than drop members."""


@dataclass(frozen=True)
class Vintage:
    """One RegSO vintage: how its codes are spelled and the years they carry."""

    name: str
    suffix: str
    first_year: int
    last_year: int


def vintages() -> list[Vintage]:
    """RegSO vintages from seeds/regso_vintages.csv, oldest first."""
    rows = seeds.load("regso_vintages")
    out = [Vintage(r.vintage, r.code_suffix, int(r.first_year), int(r.last_year))
           for r in rows.itertuples()]  # fmt: skip
    return sorted(out, key=lambda v: v.first_year)


def _code_in(base: str, start: str, target: str, changes: pd.DataFrame, names: list[str]) -> str:
    """A member's base code carried from vintage `start` to `target` through the code changes."""
    code = base
    for name in names[names.index(start) + 1 : names.index(target) + 1]:
        hit = changes[(changes.to_vintage == name) & (changes.from_code == code)]
        if not hit.empty:
            code = str(hit.to_code.iloc[0])
    return code


UNKNOWN_SUFFIX = (
    "RegSO codes with suffix {suffixes} are in the data but not in seeds/regso_vintages.csv; add "
    "the vintage (years, suffix) and map renamed members in seeds/regso_code_changes.csv before "
    "the RegSO sets can be built"
)
MEMBERS_MISSING = (
    "RegSO set members missing from a vintage (renamed or redrawn?): {problems}. Map them in "
    "seeds/regso_code_changes.csv"
)
MEMBER_COLUMNS = [
    "parent_code",
    "grand_parent",
    "member_code",
    "vintage",
    "first_year",
    "last_year",
]


def member_codes(data_codes: set[str], years: range) -> pd.DataFrame:
    """Membership rows (parent, member, vintage, first, last) for every RegSO set and vintage.

    Raises RegsoVintageError when the data carry RegSO codes of a vintage the seeds do not know,
    or when a member's code is absent from a vintage the data carry (a renamed or redrawn area
    must be mapped in seeds/regso_code_changes.csv, never dropped silently).
    """
    rows, failed, loud = _resolve(data_codes, years)
    if failed:
        raise RegsoVintageError(loud)
    return rows


def members_by_set(data_codes: set[str], years: range) -> tuple[pd.DataFrame, dict[str, str]]:
    """Membership rows of the sets that can be built, and {set_code: why} for those that cannot.

    A set fails when the data carry RegSO codes of an unknown vintage in one of its municipalities,
    or when one of its members has no code in a vintage the data carry; a set of sets (e.g.
    lua_stockholm) fails with any of its parts. The other sets are built as usual.
    """
    rows, failed, _loud = _resolve(data_codes, years)
    return rows, failed


def _resolve(data_codes: set[str], years: range) -> tuple[pd.DataFrame, dict[str, str], str]:
    """Members of the sets that can be built, {set: why} for the others, and one loud message."""
    members = seeds.load("regso_sets")
    changes = seeds.load("regso_code_changes")
    known = vintages()
    by_suffix = {v.suffix: v for v in known}
    names = [v.name for v in known]
    found: dict[str, set[str]] = {}
    for code in data_codes:
        m = REGSO.match(code)
        if m:
            found.setdefault(m.group("suffix") or "", set()).add(m.group("base"))
    failed: dict[str, list[str]] = {}
    unknown = sorted(s for s in found if s not in by_suffix)
    if unknown:
        message = UNKNOWN_SUFFIX.format(suffixes=", ".join(unknown))
        munis = {c[:4] for s in unknown for c in found[s]}
        for m in members.itertuples():
            if m.municipality_code in munis:
                failed.setdefault(m.set_code, [message])
    rows, problems = [], {}
    for m in members.itertuples():
        if m.regso_vintage not in names:
            problems.setdefault(m.set_code, []).append(
                f"{m.set_code}: {m.regso_code} has unknown vintage {m.regso_vintage}"
            )
            continue
        for v in known[names.index(m.regso_vintage) :]:
            code = _code_in(m.regso_code, m.regso_vintage, v.name, changes, names)
            present = found.get(v.suffix)
            if present is not None and code not in present:
                if any(c[:4] == m.municipality_code for c in present):
                    problems.setdefault(m.set_code, []).append(
                        f"{m.set_code}: RegSO {m.regso_code} ({m.regso_name}, {m.regso_vintage}) "
                        f"has no code {code} in vintage {v.name}"
                    )
                continue
            last = min(v.last_year, years.stop - 1)
            rows.append((m.set_code, m.parent_set, code + v.suffix, v.name, v.first_year, last))
    loud = UNKNOWN_SUFFIX.format(suffixes=", ".join(unknown)) if unknown else ""
    if problems:
        every = "; ".join(p for ps in problems.values() for p in ps)
        loud = loud or MEMBERS_MISSING.format(problems=every)
        for code, ps in problems.items():
            failed.setdefault(code, [MEMBERS_MISSING.format(problems="; ".join(ps))])
    parents = dict(zip(members.set_code, members.parent_set.fillna(""), strict=False))
    for code in list(failed):
        parent = parents.get(code) or ""
        if parent and parent not in failed:
            failed[parent] = [f"{parent}: its member set {code} failed: {failed[code][0]}"]
    frame = pd.DataFrame(rows, columns=MEMBER_COLUMNS)
    frame = frame[~frame.parent_code.isin(failed)].copy()
    frame.loc[frame.grand_parent.isin(failed), "grand_parent"] = ""  # the failed set of sets
    return frame.reset_index(drop=True), {k: v[0] for k, v in failed.items()}, loud


def _settle(con: duckdb.DuckDBPyConnection) -> None:
    """Finish any result a previous step left open (DuckDB refuses to register frames meanwhile)."""
    con.execute("SELECT 1").fetchall()


# --- counts -> rates for RegSO tables that publish counts (TAB6680) ------------------------------

COUNT_SQL = """
CREATE OR REPLACE TEMP TABLE count_rows AS
WITH obs AS (
    SELECT s.*, r.fetched_at, r.updated, r.synthetic
    FROM staging.scb_observation s JOIN raw.response r USING (response_id)
    WHERE s.table_key IN (SELECT table_key FROM count_sources)  -- only the count tables' rows
)
SELECT c.indicator, n.area_code, n.year,
       coalesce(sx.value, 'total') AS sex, coalesce(br.value, 'total') AS birth_region,
       coalesce(ag.value, t.default_age, '20-64') AS age,
       CASE WHEN n.value IS NOT NULL AND d.value > 0 THEN round(100.0 * n.value / d.value, 1) END AS value,
       n.value AS numerator, d.value AS denominator,
       CASE WHEN n.value IS NOT NULL AND d.value > 0 THEN 'ok'
            WHEN n.status <> 'ok' THEN n.status WHEN d.status <> 'ok' THEN d.status
            ELSE 'missing' END AS status,
       'scb' AS source, n.table_id AS source_table, c.series, false AS series_break,
       'published' AS aggregation, greatest(n.fetched_at, d.fetched_at) AS fetched_at,
       n.updated AS source_updated, n.synthetic OR d.synthetic AS synthetic
FROM count_sources c
JOIN count_tables t ON t.table_key = c.table_key
JOIN obs n ON n.table_key = c.table_key AND n.content_code = c.numerator_code
JOIN obs d ON d.table_key = c.table_key AND d.content_code = c.denominator_code
 AND d.area_code = n.area_code AND d.year = n.year
 AND coalesce(d.sex_code, '') = coalesce(n.sex_code, '') AND coalesce(d.birth_code, '') = coalesce(n.birth_code, '')
 AND coalesce(d.age_code, '') = coalesce(n.age_code, '') AND coalesce(d.education_code, '') = coalesce(n.education_code, '')
LEFT JOIN code_map sx ON sx.source = 'scb' AND sx.dimension = 'sex' AND sx.code = n.sex_code
LEFT JOIN code_map br ON br.source = 'scb' AND br.dimension = 'birth_region' AND br.code = n.birth_code
LEFT JOIN code_map ag ON ag.source = 'scb' AND ag.dimension = 'age' AND ag.code = n.age_code
SEMI JOIN mart.area a ON a.area_code = n.area_code
QUALIFY row_number() OVER (
    PARTITION BY c.indicator, n.area_code, n.year, sex, birth_region, age
    ORDER BY c.priority, n.synthetic, n.fetched_at DESC) = 1
"""

SAME_KEY = (
    "o.indicator = c.indicator AND o.area_code = c.area_code AND o.year = c.year "
    "AND o.sex = c.sex AND o.birth_region = c.birth_region AND o.age = c.age"
)


def rates_from_counts(con: duckdb.DuckDBPyConnection) -> int:
    """Rates of RegSO tables that publish counts (seeds/count_sources.csv), 100 x num / den.

    They replace a published share for the same key (direct counts beat shares), except that
    synthetic counts never replace a real recorded value.
    """
    _settle(con)
    src = seeds.load("count_sources").assign(priority=lambda d: d.priority.astype(int))
    tables = seeds.scb_tables()[["table_key", "default_age"]]
    con.register("count_sources_df", src)
    con.register("count_tables_df", tables.replace("", None))
    con.execute("CREATE OR REPLACE TEMP TABLE count_sources AS SELECT * FROM count_sources_df")
    con.execute("CREATE OR REPLACE TEMP TABLE count_tables AS SELECT * FROM count_tables_df")
    con.execute(COUNT_SQL)
    spans = pd.DataFrame(
        [(v.suffix, v.first_year, v.last_year) for v in vintages()],
        columns=["suffix", "first_year", "last_year"],
    )
    con.register("regso_spans_df", spans)
    # a RegSO code list carries only its vintage's years; the other years are not cells
    con.execute(
        "DELETE FROM count_rows c WHERE regexp_matches(c.area_code, '^\\d{4}R\\d{3}') AND NOT EXISTS ("
        "SELECT 1 FROM regso_spans_df v WHERE v.suffix = coalesce(regexp_extract(c.area_code, "
        "'(_RegSO\\d{4})$', 1), '') AND c.year BETWEEN v.first_year AND v.last_year)"
    )
    con.execute(
        f"DELETE FROM mart.observation o USING count_rows c WHERE {SAME_KEY} "
        "AND (NOT c.synthetic OR o.synthetic) AND (c.value IS NOT NULL OR o.value IS NULL)"
    )
    before = con.execute("SELECT count(*) FROM mart.observation").fetchone()[0]
    con.execute(
        f"{uncertainty.INSERT_OBSERVATION} SELECT c.* FROM count_rows c "
        f"WHERE NOT EXISTS (SELECT 1 FROM mart.observation o WHERE {SAME_KEY})"
    )
    return con.execute("SELECT count(*) FROM mart.observation").fetchone()[0] - before


# --- sets ---------------------------------------------------------------------------------------


def _member_rates(obs: pd.DataFrame) -> pd.DataFrame:
    """Per member row: numerator and denominator, directly or derived as share x population."""
    obs = obs.copy()
    obs["how"] = np.where(obs.numerator.notna() & obs.denominator.notna(), "direct", "")
    rules = seeds.load("derived_counts")
    for r in rules.itertuples():
        pop = obs[(obs.indicator == r.population_indicator) & (obs.source_table == r.population_table_key)
                  & obs.denominator.notna()]  # fmt: skip
        pop = pop.set_index(["area_code", "year", "sex", "birth_region", "age"]).denominator
        mask = (
            (obs.indicator == r.indicator)
            & (obs.birth_region == r.birth_region)
            & (obs.age == r.age)
            & (obs.how == "")
            & obs.value.notna()
        )
        if not mask.any():
            continue
        idx = pd.MultiIndex.from_frame(
            obs.loc[mask, ["area_code", "year", "sex", "birth_region", "age"]]
        )
        matched = pop.reindex(idx).to_numpy()
        hit = ~np.isnan(matched)
        rows = obs.index[mask][hit]
        obs.loc[rows, "denominator"] = matched[hit]
        obs.loc[rows, "numerator"] = obs.loc[rows, "value"].to_numpy() * matched[hit] / 100.0
        obs.loc[rows, "how"] = "derived"
        tables = obs.loc[rows, "source_table"].astype(str) + "x" + r.population_table_key
        obs.loc[rows, "source_table"] = tables
    return obs


def _aggregate(members: pd.DataFrame, obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set rows (complete -> ok/derived, else incomplete naming the missing members) and gaps.

    Vectorised over every (set, indicator, year, sex, birth region, age) group at once.
    """
    joined = members.merge(obs, left_on="member_code", right_on="area_code")
    joined = joined[(joined.year >= joined.first_year) & (joined.year <= joined.last_year)]
    if joined.empty:
        return pd.DataFrame(columns=OBS_COLUMNS), pd.DataFrame()
    group = ["parent_code", *KEY]
    expected = _expand_years(members)
    n_want = expected.groupby(["parent_code", "year"]).size().rename("n_want")
    have = joined[joined.how != ""]
    sums = have.groupby(group).agg(n_have=("how", "size"), num=("numerator", "sum"),
                                   den=("denominator", "sum"),
                                   any_derived=("how", lambda h: (h == "derived").any()))  # fmt: skip
    tables = (joined[[*group, "source_table"]].assign(source_table=lambda d: d.source_table.astype(str))
              .drop_duplicates().sort_values("source_table")
              .groupby(group, sort=False).source_table.agg("+".join))  # fmt: skip
    rest = joined.groupby(group, sort=False).agg(
        series=("series", "max"), fetched_at=("fetched_at", "max"),
        source_updated=("source_updated", "max"), synthetic=("synthetic", "any"),
    )  # fmt: skip
    out = rest.join(tables).join(sums).reset_index()
    out = out.merge(n_want, left_on=["parent_code", "year"], right_index=True, how="left")
    # the members each group lacks: expected that year, without a direct or derived count
    keys = out[group].merge(expected.drop_duplicates(), on=["parent_code", "year"])
    lacking = keys.merge(have[[*group, "member_code"]].drop_duplicates(), how="left",
                         on=[*group, "member_code"], indicator=True)  # fmt: skip
    lacking = lacking[lacking._merge == "left_only"].drop(columns="_merge")
    unpop = joined.loc[(joined.how == "") & joined.value.notna(), [*group, "member_code"]]
    no_pop = lacking.merge(unpop.drop_duplicates(), on=[*group, "member_code"])
    missing = (lacking.sort_values("member_code").groupby(group, sort=False)
               .member_code.agg(",".join).rename("missing"))  # fmt: skip
    out = out.merge(missing, left_on=group, right_index=True, how="left")
    out = out.merge(no_pop[group].drop_duplicates().assign(no_pop=True), on=group, how="left")
    out["n_have"] = out.n_have.fillna(0).astype(int)
    complete = out.missing.isna() & (out.n_have == out.n_want.fillna(0).astype(int))
    positive = complete & (out.den > 0)
    value = [round(100.0 * n / d, 1) if ok else None
             for n, d, ok in zip(out.num, out.den, positive, strict=True)]  # fmt: skip
    derived = out.any_derived.eq(True)  # NaN (no counted member) and an empty agg are False
    status = np.where(complete, np.where(derived, "derived", "ok"),
                      np.where((out.n_have == 0) & out.no_pop.fillna(False).astype(bool),
                               "missing", "incomplete"))  # fmt: skip
    rows = pd.DataFrame({
        "indicator": out.indicator, "area_code": out.parent_code, "year": out.year,
        "sex": out.sex, "birth_region": out.birth_region, "age": out.age,
        "value": np.array(value, dtype=float),
        "numerator": out.num.astype(float).where(complete), "denominator": out.den.astype(float).where(complete),
        "status": status, "source": "derived", "source_table": out.source_table,
        "series": out.series.where(out.series.notna(), None), "series_break": False,
        "aggregation": "summed_counts", "fetched_at": out.fetched_at,
        "source_updated": out.source_updated.where(out.source_updated.notna(), None),
        "synthetic": out.synthetic.astype(bool),
    })  # fmt: skip
    gap = out[out.missing.notna()]
    gaps = pd.DataFrame({
        "indicator": gap.indicator, "area_code": gap.parent_code, "year": gap.year,
        "sex": gap.sex, "birth_region": gap.birth_region, "age": gap.age,
        "missing_members": gap.missing,
        "reason": np.where(status[out.missing.notna().to_numpy()] == "missing", NO_POPULATION,
                           "suppressed_or_missing"),
    })  # fmt: skip
    return rows.reset_index(drop=True), gaps.reset_index(drop=True)


def _expand_years(members: pd.DataFrame) -> pd.DataFrame:
    """(parent, member, year) for every year of every membership row."""
    first = members.first_year.astype(int).to_numpy()
    spans = np.maximum(members.last_year.astype(int).to_numpy() - first + 1, 0)
    rep = np.repeat(np.arange(len(members)), spans)
    years = first[rep] + np.arange(len(rep)) - np.repeat(np.cumsum(spans) - spans, spans)
    return pd.DataFrame({"parent_code": members.parent_code.to_numpy()[rep],
                         "member_code": members.member_code.to_numpy()[rep], "year": years})  # fmt: skip


def _rest_of_county(sets: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """'County without the set' rows: county counts minus the set's, where both are complete."""
    parents = seeds.load("regso_set_parents")
    county = con.execute(
        "SELECT * FROM mart.observation WHERE area_code IN (SELECT county_code FROM parents_df) "
        "AND numerator IS NOT NULL AND denominator IS NOT NULL"
    ).df()
    out = []
    for p in parents.itertuples():
        s = sets[(sets.area_code == p.set_code) & sets.value.notna()]
        c = county[county.area_code == p.county_code]
        both = s.merge(c, on=KEY, suffixes=("", "_c"))
        if both.empty:
            continue
        num = both.numerator_c - both.numerator
        den = both.denominator_c - both.denominator
        ok = (den > 0) & (num >= 0)
        both = both[ok]
        frame = pd.DataFrame(
            {"indicator": both.indicator, "area_code": p.rest_code, "year": both.year,
             "sex": both.sex, "birth_region": both.birth_region, "age": both.age,
             "value": (100.0 * num[ok] / den[ok]).round(1), "numerator": num[ok],
             "denominator": den[ok], "status": both.status, "source": "derived",
             "source_table": both.source_table_c + "-" + both.source_table,
             "series": both.series, "series_break": False, "aggregation": "summed_counts",
             "fetched_at": both[["fetched_at", "fetched_at_c"]].max(axis=1),
             "source_updated": both.source_updated, "synthetic": both.synthetic | both.synthetic_c}
        )  # fmt: skip
        out.append(frame)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=OBS_COLUMNS)


def build_regso_sets(con: duckdb.DuckDBPyConnection, years: range) -> dict[str, int]:
    """Add the RegSO sets' areas, memberships and observations (and the rest of their county)."""
    _settle(con)
    sets = seeds.load("regso_sets")
    parents = seeds.load("regso_set_parents")
    con.register("parents_df", parents)
    data_codes = {
        c for (c,) in con.execute(
            "SELECT DISTINCT area_code FROM staging.scb_observation WHERE area_code LIKE '____R___%'"
        ).fetchall()
    }  # fmt: skip
    members, failed = members_by_set(data_codes, years)
    for code, why in failed.items():  # loud, and the rest of the build goes on
        log.error("RegSO set %s not built: %s", code, why)
    record_failures(con, failed)
    rows = []
    for code, grp in sets.groupby("set_code", sort=False):
        munis = grp.municipality_code.unique()
        rows.append((code, "regso_set", grp.name_sv.iloc[0], grp.name_en.iloc[0], munis[0][:2],
                     munis[0] if len(munis) == 1 else None, None, None, None, "set"))  # fmt: skip
    for p in parents.itertuples():
        rows.append((p.set_code, "area_set", p.name_sv, p.name_en, p.county_code, None, None,
                     None, None, "set"))  # fmt: skip
        rows.append((p.rest_code, "area_set", p.rest_name_sv, p.rest_name_en, p.county_code, None,
                     None, None, None, "set"))  # fmt: skip
    areas = pd.DataFrame(rows, columns=["area_code", "level", "name_sv", "name_en", "county_code",
                                        "municipality_code", "la_code", "la_vintage", "skr_group",
                                        "vintage"])  # fmt: skip
    con.register("regso_set_areas_df", areas)
    con.execute(
        "INSERT INTO mart.area SELECT * FROM regso_set_areas_df "
        "WHERE area_code NOT IN (SELECT area_code FROM mart.area)"
    )
    grand = members[members.grand_parent != ""].assign(parent_code=lambda d: d.grand_parent)
    all_members = pd.concat([members, grand], ignore_index=True)
    con.register("regso_members_df", all_members)
    con.execute(
        "INSERT INTO mart.area_membership SELECT parent_code, member_code, vintage, first_year, "
        "last_year FROM regso_members_df"
    )
    obs = con.execute(
        "SELECT * FROM mart.observation WHERE aggregation = 'published' "
        "AND area_code IN (SELECT member_code FROM regso_members_df)"
    ).df()
    set_rows, gaps = _aggregate(all_members, _member_rates(obs))
    rest = _rest_of_county(set_rows, con)
    frame = pd.concat([set_rows, rest], ignore_index=True)[OBS_COLUMNS]
    if not frame.empty:
        con.register("regso_set_obs_df", frame)
        con.execute(f"{uncertainty.INSERT_OBSERVATION} SELECT * FROM regso_set_obs_df")
    if not gaps.empty:
        con.register("regso_set_gaps_df", gaps)
        con.execute("INSERT INTO mart.aggregate_gap SELECT * FROM regso_set_gaps_df")
    return {"regso_set_rows": len(set_rows), "regso_set_rest_rows": len(rest),
            "regso_set_gaps": len(gaps), "regso_sets_failed": len(failed)}  # fmt: skip


def record_failures(con: duckdb.DuckDBPyConnection, failed: dict[str, str]) -> None:
    """Failed RegSO sets as failed units in mart.unit_status (source 'regso_set'), with why."""
    from datetime import UTC, datetime

    if not failed:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    con.executemany(
        "INSERT INTO mart.unit_status (source, unit_key, kind, state, last_attempt, error, "
        "indicators) VALUES ('regso_set', ?, 'regso_set', 'failed', ?, ?, NULL)",
        [(code, now, why) for code, why in failed.items()],
    )


def failed_sets(con: duckdb.DuckDBPyConnection) -> list[str]:
    """'regso_set:<code>: <why>' for every RegSO set this build could not make."""
    rows = con.execute(
        "SELECT unit_key, error FROM mart.unit_status WHERE source = 'regso_set' "
        "AND state = 'failed' ORDER BY unit_key"
    ).fetchall()
    return [f"regso_set:{code}: {why}" for code, why in rows]


def build_geometry(con: duckdb.DuckDBPyConnection, regso_doc: tuple[dict, bool, str] | None) -> int:
    """Dissolve each RegSO set's RegSO shapes (latest vintage) into one shape, like LA regions."""
    from etl.geo import _feature, wfs_shapes

    if regso_doc is None:
        return 0
    doc, synthetic, _url = regso_doc
    shapes = wfs_shapes("regso", doc)
    members = con.execute(
        "SELECT m.parent_code, m.member_code FROM mart.area_membership m "
        "JOIN regso_members_df r ON r.member_code = m.member_code AND r.parent_code = m.parent_code"
    ).df()
    rows = []
    label = "dissolved RegSO areas" + (" (schematic, demo)" if synthetic else "")
    for parent, grp in members.groupby("parent_code"):
        geoms = [shapes[c] for c in grp.member_code.unique() if c in shapes]
        if geoms:
            merged = shapely.union_all([shapely.make_valid(g) for g in geoms]).buffer(0)
            level = con.execute(
                "SELECT level FROM mart.area WHERE area_code = ?", [parent]
            ).fetchone()
            rows.append((parent, level[0], _feature(parent, merged), label, synthetic))
    if rows:
        con.executemany(
            "INSERT INTO mart.area_geometry SELECT ?, ?, ?, ?, ? WHERE ? NOT IN "
            "(SELECT area_code FROM mart.area_geometry)",
            [(*r, r[0]) for r in rows],
        )
    return len(rows)
