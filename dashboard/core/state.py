"""The view state reader: a query's values validated against the warehouse's known codes.

Unknown codes and malformed values never raise: each is replaced by its default and kept as a
Problem, which the pages show as a friendly message. Every view's parser reads its query with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.core.queries import Catalogue


@dataclass(frozen=True)
class Problem:
    """One rejected query parameter."""

    param: str
    value: str
    kind: str  # unknown | malformed | level (a known area of a level the page does not show)


Query = Mapping[str, Any]


def get_param(query: Query, key: str) -> str | None:
    """The last value of a query parameter, stripped (None when absent)."""
    value = query.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None
    return str(value).strip()


class StateReader:
    """Reads validated values from a query, collecting problems."""

    def __init__(self, query: Query, cat: Catalogue):
        self.query = query
        self.cat = cat
        self.problems: list[Problem] = []

    def bad(self, key: str, value: str, kind: str = "unknown") -> None:
        self.problems.append(Problem(key, value[:60], kind))

    def choice(self, key: str, allowed: tuple[str, ...] | list[str], default: str) -> str:
        value = get_param(self.query, key)
        if value is None or value == "":
            return default
        if value in allowed:
            return value
        self.bad(key, value)
        return default

    def area(self, key: str, levels: tuple[str, ...], default: str) -> str:
        value = get_param(self.query, key)
        if value is None or value == "":
            return default
        if self.cat.has_area(value) and self.cat.area_level(value) in levels:
            return value
        if self.cat.has_area(value):  # a known area of another level: said by its name
            self.bad(key, self.cat.area_name(value, "sv"), "level")
        else:
            self.bad(key, value)
        return default

    def area_or_municipality(self, key: str, levels: tuple[str, ...], default: str) -> str:
        """An area of the levels; a RegSO area stands for its municipality."""
        value = get_param(self.query, key)
        if value and self.cat.area_level(value) == "regso":
            return str(self.cat.areas.at[value, "municipality_code"])
        return self.area(key, levels, default)

    def areas(self, key: str, levels: tuple[str, ...], limit: int) -> tuple[str, ...] | None:
        value = get_param(self.query, key)
        if value is None:
            return None
        out: list[str] = []
        for code in value.split(","):
            code = code.strip()
            if not code:
                continue
            if self.cat.has_area(code) and self.cat.area_level(code) in levels:
                if code not in out:
                    out.append(code)
            else:
                self.bad(key, code)
        if len(out) > limit:
            self.bad(key, str(limit), "too_many")  # "at most 6 areas", not a code error
            out = out[:limit]
        return tuple(out)

    def year(self, key: str, allowed: list[int], default: int) -> int:
        value = get_param(self.query, key)
        if value is None or value == "":
            return default
        try:
            year = int(value)
        except ValueError:
            self.bad(key, value, "malformed")
            return default
        if year in allowed:
            return year
        self.bad(key, value)
        return default
