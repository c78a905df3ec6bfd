"""The dashboard's one way to say which rows a read covers: areas, level, municipality, years and
groups, as parametrised SQL conditions (queries.py, readpaths.py and explain.py build on it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.core.gaps import Group

log = logging.getLogger(__name__)


def in_list(name: str, values: Iterable[Any], params: dict[str, Any]) -> str:
    """A parametrised IN list: adds $name_i parameters and returns '($name_0, ...)'."""
    keys = []
    for i, value in enumerate(values):
        key = f"{name}_{i}"
        params[key] = value
        keys.append(f"${key}")
    return "(" + ", ".join(keys) + ")" if keys else "(NULL)"


def groups_clause(groups: Sequence[Group], params: dict[str, Any], rows: str = "o.") -> str:
    """'(sex = … AND birth_region = … OR …)' over the groups ('(FALSE)' for none)."""
    pairs = []
    for i, g in enumerate(groups):
        params[f"sex_{i}"], params[f"br_{i}"] = g.sex, g.birth_region
        pairs.append(f"({group_condition(i, rows)})")
    return "(" + (" OR ".join(pairs) or "FALSE") + ")"


def group_condition(i: int, rows: str = "o.") -> str:
    """The condition of group i of groups_clause (its parameters set there)."""
    return f"{rows}sex = $sex_{i} AND {rows}birth_region = $br_{i}"


@dataclass(frozen=True)
class Rows:
    """Which areas and years a read covers (None: no restriction)."""

    area_codes: Sequence[str] | None = None
    level: str | None = None
    municipality: str | None = None
    years: Sequence[int] | None = None

    @property
    def by_area(self) -> bool:
        """Whether the read filters on mart.area's level or municipality."""
        return self.level is not None or self.municipality is not None

    def where(
        self, params: dict[str, Any], *, rows: str = "o.", areas: str | None = "a."
    ) -> list[str]:
        """Conditions on the rows' area_code and year (prefix `rows`) and on mart.area's level and
        municipality_code: prefix `areas` of a joined mart.area ('' when the rows' table has those
        columns itself), or a subquery of mart.area when `areas` is None."""
        where = []
        if self.area_codes is not None:
            where.append(f"{rows}area_code IN {in_list('area', self.area_codes, params)}")
        sub = []
        if self.level is not None:
            params["level"] = self.level
            sub.append(f"{areas or ''}level = $level")
        if self.municipality is not None:
            params["municipality"] = self.municipality
            sub.append(f"{areas or ''}municipality_code = $municipality")
        if sub and areas is None:
            cond = " AND ".join(["TRUE", *sub])
            where.append(f"{rows}area_code IN (SELECT area_code FROM mart.area WHERE {cond})")
        else:
            where += sub
        if self.years is not None:
            where.append(f"{rows}year IN {in_list('year', self.years, params)}")
        return where
