"""Independent SQL on the dashboard tests' warehouse (the `dash_env` fixture, tests/conftest.py).

Expected values in the tests are read back from that warehouse with these helpers.
"""

from __future__ import annotations

from typing import Any


def sql(query: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Rows of an independent read-only query against the test warehouse."""
    from dashboard.core import db

    return db.query_rows(query, params or {})


def obs(
    code: str, year: int, sex: str, br: str, ind: str = "employment_rate", age: str = "20-64"
) -> dict:
    """One observation as a dict (empty if there is none)."""
    rows = sql(
        "SELECT value, numerator, denominator, status, series, synthetic FROM mart.observation "
        "WHERE indicator = $i AND age = $a AND area_code = $c AND year = $y AND sex = $s AND birth_region = $b",
        {"i": ind, "a": age, "c": code, "y": year, "s": sex, "b": br},
    )
    if not rows:
        return {}
    keys = ("value", "numerator", "denominator", "status", "series", "synthetic")
    return dict(zip(keys, rows[0], strict=True))


def gap(
    code: str,
    year: int,
    a: tuple[str, str] = ("women", "foreign"),
    b: tuple[str, str] = ("women", "sweden"),
) -> float:
    """Value of group a minus group b (pp)."""
    return obs(code, year, *a)["value"] - obs(code, year, *b)["value"]
