"""Checks of one refresh unit on its own, before it is committed: codes, ranges, uniqueness.

A unit that fails here keeps its last complete archive; the message names the unit and the first
offending keys. Unknown or unmapped codes are counted per variable and code, and fail the unit
above MAX_UNMAPPED_SHARE of its cells (below that they are reported, never silently dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from etl import lua_history, reference, seeds
from etl.areas import REGSO_CODE, kolada_to_area
from etl.parse import jsonstat, kolada, pxweb_v1
from etl.settings import get_settings
from etl.units import UnitFailed

MAX_UNMAPPED_SHARE = 0.01
MAPPED_ROLES = ("sex", "birth_region", "age")
SHOWN_KEYS = 3


@dataclass
class UnitCheck:
    """What the check of one unit found."""

    cells: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)  # "variable=code" -> cells
    resolved: dict[str, object] = field(default_factory=dict)  # e.g. content codes by label

    @property
    def unmapped_cells(self) -> int:
        """Cells whose code the seeds do not map."""
        return sum(self.unmapped.values())


def known_areas() -> frozenset[str]:
    """Area codes the warehouse knows: country, counties, municipalities (RegSO by pattern)."""
    return _known_areas(get_settings().reference_dir)


@cache
def _known_areas(folder: Path) -> frozenset[str]:
    """`known_areas()` of one reference folder, read once."""
    counties, munis = reference.counties(folder), reference.municipalities(folder)
    return frozenset({"00", *counties.code.astype(str), *munis.kommun_kod})


def _area_test() -> Callable[[str], bool]:
    """Whether an area code is known (the reference folder in force, looked up once per check)."""
    known = known_areas()
    return lambda code: code in known or bool(REGSO_CODE.match(code))


def percent_indicators() -> set[str]:
    """Indicators whose values are percentages (0-100)."""
    ind = seeds.load("indicators")
    return set(ind.indicator[ind.unit == "percent"])


def resolve_contents(unit: str, table_key: str, metadata: dict) -> dict[str, str]:
    """Content code -> indicator for a table, from seeds; a label must match exactly one code."""
    dims = metadata.get("dimension", {})
    if "ContentsCode" not in dims:
        raise UnitFailed(f"{unit}: the table has no ContentsCode variable")
    labels = dims["ContentsCode"]["category"].get("label", {})
    out: dict[str, str] = {}
    for s in seeds.indicator_sources("scb").itertuples():
        if s.table_key != table_key:
            continue
        if s.content_code:
            wanted = [s.content_code, s.numerator_code, s.denominator_code]
            missing = [c for c in wanted if c and c not in labels]
            if missing:
                raise UnitFailed(
                    f"{unit}: ContentsCode {', '.join(missing)} ({s.indicator}) is no longer in "
                    f"the table; it has {', '.join(sorted(labels)[:12])}"
                )
            out[s.content_code] = s.indicator
            continue
        hits = [c for c, lab in labels.items() if re.search(s.content_label, str(lab), re.I)]
        if len(hits) != 1:
            found = "no" if not hits else f"{len(hits)} ({', '.join(hits)})"
            raise UnitFailed(
                f"{unit}: {found} ContentsCode labels match {s.content_label!r} for "
                f"{s.indicator}; expected exactly one"
            )
        out[hits[0]] = s.indicator
    return out


def _first_keys(frame: pd.DataFrame, cols: list[str]) -> str:
    rows = frame[cols].head(SHOWN_KEYS).astype(str).to_dict("records")
    return "; ".join(", ".join(f"{k}={v}" for k, v in r.items()) for r in rows)


def _count_unmapped(frame: pd.DataFrame, column: str, known, label: str, check: UnitCheck) -> None:
    codes = frame[column].astype(str)
    bad = codes[~codes.map(known)]
    for code, n in bad.value_counts().items():
        key = f"{label}={code}"
        check.unmapped[key] = check.unmapped.get(key, 0) + int(n)


def _finish(unit: str, check: UnitCheck, frame: pd.DataFrame, keys: list[str]) -> None:
    dup = frame[frame.duplicated(keys, keep=False)]
    if len(dup):
        raise UnitFailed(
            f"{unit}: {dup[keys].drop_duplicates().shape[0]} duplicate keys, first "
            f"{_first_keys(dup, keys)}"
        )
    if check.cells and check.unmapped_cells / check.cells > MAX_UNMAPPED_SHARE:
        worst = sorted(check.unmapped.items(), key=lambda kv: -kv[1])[:SHOWN_KEYS]
        raise UnitFailed(
            f"{unit}: {check.unmapped_cells:,} of {check.cells:,} cells have codes the seeds do "
            f"not map ({', '.join(f'{k}: {n:,}' for k, n in worst)}); over "
            f"{MAX_UNMAPPED_SHARE:.0%}"
        )


def _out_of_range(unit: str, frame: pd.DataFrame, keys: list[str]) -> None:
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = frame[(values < 0) | (values > 100)]
    if len(bad):
        raise UnitFailed(
            f"{unit}: {len(bad):,} percentage values outside 0-100, first "
            f"{_first_keys(bad, [*keys, 'value'])}"
        )


def check_scb(unit: str, table_key: str, metadata: dict, docs: list[dict],
              content_type: str = "jsonstat2") -> UnitCheck:  # fmt: skip
    """Check the data responses of one SCB table against its metadata and the seeds."""
    check = UnitCheck()
    contents = resolve_contents(unit, table_key, metadata)
    check.resolved["content_codes"] = dict(sorted(contents.items()))
    roles = {var: role for var, (role, _spec) in seeds.scb_variables(table_key).items()}
    parser = pxweb_v1.parse if content_type == "pxweb_v1" else jsonstat.parse
    frames = []
    for doc in docs:
        try:
            frames.append(parser(doc).frame)
        except (ValueError, KeyError, TypeError) as exc:
            raise UnitFailed(f"{unit}: cannot parse a data response: {exc}") from exc
    if not frames:
        raise UnitFailed(f"{unit}: no data responses")
    frame = pd.concat(frames, ignore_index=True)
    check.cells = len(frame)
    by_role = {roles.get(v): v for v in frame.columns if v not in ("value", "status")}
    unknown = [v for v in frame.columns if v not in ("value", "status") and v not in roles]
    if unknown and content_type != "pxweb_v1":
        raise UnitFailed(f"{unit}: variables {unknown} have no role in seeds/scb_variables.csv")
    for role in MAPPED_ROLES:
        var = by_role.get(role)
        if var is not None:
            mapping = seeds.code_map("scb", role)
            _count_unmapped(frame, var, mapping.__contains__, var, check)
    if (area := by_role.get("area")) is not None and table_key in lua_history.district_tables():
        check.resolved.update(lua_history.check_districts(unit, metadata))  # codes found by label
    elif area is not None:
        _count_unmapped(frame, area, _area_test(), area, check)
    keys = [v for v in frame.columns if v not in ("value", "status")]
    content = by_role.get("content")
    if content is not None:
        percent = {c for c, ind in contents.items() if ind in percent_indicators()}
        _out_of_range(unit, frame[frame[content].astype(str).isin(percent)], keys)
    _finish(unit, check, frame, keys)
    return check


def check_kolada(unit: str, kpi: str, docs: list[dict]) -> UnitCheck:
    """Check the value pages of one Kolada KPI: genders, areas, ranges, uniqueness."""
    check = UnitCheck()
    frames = []
    for doc in docs:
        try:
            frames.append(kolada.parse_values(doc))
        except (ValueError, KeyError, TypeError) as exc:
            raise UnitFailed(f"{unit}: cannot parse a values page: {exc}") from exc
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=kolada.COLUMNS)
    frame = frame[~frame.get("deleted", pd.Series(False, index=frame.index)).astype(bool)]
    check.cells = len(frame)
    genders = seeds.code_map("kolada", "sex")
    _count_unmapped(frame, "gender", genders.__contains__, "gender", check)
    known = _area_test()
    _count_unmapped(frame, "area_code", lambda a: known(kolada_to_area(a)), "municipality", check)
    src = seeds.indicator_sources("kolada")
    indicators = set(src.indicator[src.table_key == kpi])
    keys = ["area_code", "year", "gender"]
    if indicators & percent_indicators():
        _out_of_range(unit, frame, ["kpi", *keys])
    _finish(unit, check, frame, keys)
    return check
