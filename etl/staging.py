"""raw -> staging: parse every archived response (pure parsers) into tidy staging tables."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl import errors
from etl.archive import ArchivedResponse, ArchivedTable
from etl.parse import jsonstat, kolada, pxweb_v1
from etl.seeds import scb_variables

log = logging.getLogger(__name__)

ROLE_COLUMNS = {
    "area": "area_code",
    "time": "year",
    "content": "content_code",
    "sex": "sex_code",
    "birth_region": "birth_code",
    "age": "age_code",
    "education": "education_code",
}
V1_ROLES = {"Region": "area", "Tid": "time", "ContentsCode": "content", "Kon": "sex",
            "BakgrVar": "birth_region", "Alder": "age", "UtbNiv": "education"}  # fmt: skip
SCB_COLUMNS = ["response_id", "table_key", "table_id", "area_code", "year", "content_code",
               "sex_code", "birth_code", "age_code", "education_code", "value", "status"]  # fmt: skip


class ParseFailure(ValueError):
    """An archived response could not be parsed; names the response and the cause."""


@dataclass
class StagingResult:
    """What loading staging found: rows per table, notes and titles per table."""

    rows: dict[str, int] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


def load_raw(con: duckdb.DuckDBPyConnection, tables: list[ArchivedTable]) -> int:
    """Insert one raw.response row of provenance per archived response."""
    rows = []
    for table in tables:
        for r in table.responses:
            p = r.provenance
            rows.append(
                (r.response_id, r.run_id, p.source, p.table_key, p.kind, p.url,
                 json.dumps(p.query, ensure_ascii=False) if p.query is not None else None,
                 p.fetched_at, p.updated, p.sha256, p.bytes, str(r.path), p.synthetic)
            )  # fmt: skip
    if rows:
        con.executemany("INSERT INTO raw.response VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def _text_column(column: pd.Series) -> pa.Array:
    """A code column as Arrow text: categories stay a dictionary (no per-row Python strings)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = pa.array(column.cat.categories.astype(str), type=pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(column.cat.codes.to_numpy()), categories)
    return pa.array(column.astype(str).to_numpy(dtype=object), type=pa.string())


def _year_column(column: pd.Series) -> np.ndarray:
    """The time codes as integers (converted once per category when the column is categorical)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        years = pd.to_numeric(pd.Series(column.cat.categories.astype(str)), errors="raise")
        return years.astype(int).to_numpy()[column.cat.codes.to_numpy()]
    return pd.to_numeric(column.astype(str), errors="raise").astype(int).to_numpy()


def _constant(text: str, n: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(np.zeros(n, dtype=np.int8), pa.array([text]))


def _scb_frame(
    resp: ArchivedResponse, parsed: jsonstat.ParsedTable, roles: dict[str, str]
) -> pa.Table:
    """One response's rows in staging.scb_observation's columns, as an Arrow table."""
    frame = parsed.frame
    n = len(frame)
    cols: dict[str, pa.Array] = {}
    for var in frame.columns.drop(["value", "status"]):
        role = roles.get(var)
        if role is None:
            raise ParseFailure(
                f"{resp.path}: variable {var!r} has no role in seeds/scb_variables.csv"
            )
        name = ROLE_COLUMNS[role]
        cols[name] = (
            pa.array(_year_column(frame[var])) if name == "year" else _text_column(frame[var])
        )
    if "year" not in cols:
        raise ParseFailure(f"{resp.path}: no time variable")
    cols["value"] = pa.array(frame["value"].to_numpy(dtype=float), from_pandas=True)
    cols["status"] = _text_column(frame["status"])
    cols["response_id"] = _constant(resp.response_id, n)
    cols["table_key"] = _constant(resp.provenance.table_key, n)
    cols["table_id"] = _constant(parsed.table_id or resp.provenance.table_key, n)
    empty = pa.nulls(n, type=pa.string())
    return pa.table({c: cols.get(c, empty) for c in SCB_COLUMNS})


def _insert_scb(con: duckdb.DuckDBPyConnection, table: pa.Table) -> int:
    """Append one response's rows to staging.scb_observation from Arrow; return the row count."""
    con.register("scb_arrow", table)
    try:
        con.execute("INSERT INTO staging.scb_observation SELECT * FROM scb_arrow")
    finally:
        con.unregister("scb_arrow")
    return table.num_rows


def _parse_scb(resp: ArchivedResponse) -> jsonstat.ParsedTable:
    if resp.provenance.content_type == "pxweb_v1":
        return pxweb_v1.parse(resp.read_json())
    return jsonstat.parse_bytes(resp.path.read_bytes())


KOLADA_KEY = ["kpi", "area_code", "year", "gender"]


def latest_kolada_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest row per KPI value (responses come oldest first), minus values Kolada deleted."""
    latest = frame.drop_duplicates(KOLADA_KEY, keep="last")
    return latest[~latest["deleted"].astype(bool)].reset_index(drop=True)


class Stager:
    """Stages archived tables into a build connection one table at a time.

    A refresh stages each table while the fetch goes on (etl/prestage.py); the build stages the
    rest. Labels and municipality groups are written once, by `finish`.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.result = StagingResult()
        self.labels: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
        self.group_frames: list[pd.DataFrame] = []
        self.staged: dict[tuple[str, str], list[str]] = {}  # (source, key) -> its response ids
        self._rows: dict[str, int] = defaultdict(int)

    def has(self, table: ArchivedTable) -> bool:
        """Whether exactly this version of the table (the same responses) is staged."""
        return self.staged.get((table.source, table.table_key)) == _ids(table)

    def add(self, table: ArchivedTable) -> None:
        """raw.response rows and staging rows of one table."""
        load_raw(self.con, [table])
        self.add_staging(table)

    def add_staging(self, table: ArchivedTable) -> None:
        """Parse one table's responses into staging (its raw.response rows are loaded apart)."""
        key = table.table_key
        kolada_frames = []
        for resp in table.responses:
            p = resp.provenance
            try:
                if p.content_type == "jsonstat2" and p.kind == "metadata":
                    doc = resp.read_json()
                    for var, codes in jsonstat.metadata_labels(doc).items():
                        for code, label in codes.items():
                            self.labels[(key, var, code)][p.lang or "sv"] = label
                    self.result.titles[key] = doc.get("label", "")
                elif p.content_type in ("jsonstat2", "pxweb_v1"):
                    self._add_scb(resp, key)
                elif p.content_type == "kolada_values":
                    frame = kolada.parse_values_bytes(resp.path.read_bytes())
                    frame.insert(0, "response_id", resp.response_id)
                    kolada_frames.append(frame)
                elif p.content_type == "kolada_groups":
                    self.group_frames.append(kolada.parse_groups(resp.read_json()))
            except (ValueError, KeyError, TypeError) as exc:
                unit = f"{p.source} {key} ({p.kind}, file {resp.path.name})"
                raise ParseFailure(errors.parse_failure(unit, p.url, p.content_type, exc)) from exc
        if kolada_frames:  # a KPI's values: the newest row per key across its responses
            kol = latest_kolada_values(pd.concat(kolada_frames, ignore_index=True))
            self.con.register("kol_df", kol)
            self.con.execute(
                "INSERT INTO staging.kolada_observation SELECT response_id, kpi, area_code, year, "
                "gender, value, status, kolada_status FROM kol_df"
            )
            self.con.unregister("kol_df")
            self._rows["staging.kolada_observation"] += len(kol)
        self.staged[(table.source, key)] = _ids(table)

    def _add_scb(self, resp: ArchivedResponse, key: str) -> None:
        p = resp.provenance
        parsed = _parse_scb(resp)
        lang = p.lang or ("en" if p.content_type == "pxweb_v1" else "sv")
        for var, codes in parsed.labels.items():
            for code, label in codes.items():
                self.labels[(key, var, code)][lang] = label
        if parsed.notes:
            notes = self.result.notes.setdefault(key, [])
            notes += [n for n in parsed.notes if n not in notes]
        roles = {v: r for v, (r, _s) in scb_variables(key).items()} or V1_ROLES
        if p.content_type == "pxweb_v1":
            roles = {**V1_ROLES, **roles}
        # inserted response by response: never the whole table as one frame
        self._rows["staging.scb_observation"] += _insert_scb(
            self.con, _scb_frame(resp, parsed, roles)
        )

    def finish(self) -> StagingResult:
        """Write the labels and municipality groups; return what was staged."""
        result, con = self.result, self.con
        result.rows.update({k: v for k, v in self._rows.items() if v})
        if self.labels:
            lab = pd.DataFrame(
                [(k[0], k[1], k[2], v.get("sv"), v.get("en")) for k, v in self.labels.items()],
                columns=["table_key", "variable", "code", "label_sv", "label_en"],
            )
            con.register("lab_df", lab)
            con.execute("INSERT INTO staging.scb_label SELECT * FROM lab_df")
            result.rows["staging.scb_label"] = len(lab)
        if self.group_frames:
            grp = pd.concat(self.group_frames, ignore_index=True).drop_duplicates()
            con.register("grp_df", grp)
            con.execute("INSERT INTO staging.kolada_group SELECT * FROM grp_df")
            result.rows["staging.kolada_group"] = len(grp)
        return result


def _ids(table: ArchivedTable) -> list[str]:
    return [r.response_id for r in table.responses]
