"""The area profile's URL state: ?area=<code>&cmp=all|peers|county&bench=country|county&since=<year>&sort=gap|change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dashboard.urlstate import Problem
from dashboard.views.area import data

DEFAULT_AREA = data.COUNTRY  # no area chosen: the country (its counties), never an arbitrary one
SORTS = ("gap", "change")
PATH = "/area"


@dataclass(frozen=True)
class AreaState:
    """What the profile shows."""

    area: str = DEFAULT_AREA
    comparator: str = "all"
    benchmark: str = "country"
    since: int | None = None  # the planner's table: change since this year (None: first year)
    sort: str = "gap"

    def to_query(self) -> dict[str, str]:
        """The state as query parameters (defaults left out, area always kept)."""
        query = {"area": self.area}
        if self.comparator != "all":
            query["cmp"] = self.comparator
        if self.benchmark != "country":
            query["bench"] = self.benchmark
        if self.since is not None:
            query["since"] = str(self.since)
        if self.sort != "gap":
            query["sort"] = self.sort
        return query


def _one(query: Mapping[str, Any], key: str) -> str | None:
    value = query.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value).strip()


def parse(query: Mapping[str, Any]) -> tuple[AreaState, list[Problem]]:
    """Query → state; unknown or malformed values fall back to defaults and come back as Problems."""
    state, problems = AreaState(), []
    code = _one(query, "area")
    if code:
        if data.area(code) is not None:
            state = replace(state, area=code)
        else:
            problems.append(Problem("area", code, "unknown"))
    for key, field, allowed in (("cmp", "comparator", data.COMPARATORS),
                                ("bench", "benchmark", data.BENCHMARKS), ("sort", "sort", SORTS)):  # fmt: skip
        value = _one(query, key)
        if value is None or value == "":
            continue
        if value in allowed:
            state = replace(state, **{field: value})
        else:
            problems.append(Problem(key, value, "unknown"))
    since = _one(query, "since")
    if since:
        if since.isdigit() and 1990 <= int(since) <= 2100:
            state = replace(state, since=int(since))
        else:
            problems.append(Problem("since", since, "malformed"))
    return state, problems


def href(state: AreaState, lang: str, path: str = PATH) -> str:
    """The profile's (or its report's) address for a state and language."""
    from urllib.parse import urlencode

    query = {**state.to_query(), **({"lang": lang} if lang == "en" else {})}
    return f"{path}?{urlencode(query)}"
