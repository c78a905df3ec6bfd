"""The dashboard tests' warehouse: the lead's demo warehouse (etl.demo.demo.build_demo), built once.

Expected values in the tests are read back from that warehouse with independent SQL.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT.parent / "shared" / "recorded"

_ENV: dict[str, SimpleNamespace] = {}


@pytest.fixture(scope="session")
def dash_env(tmp_path_factory):
    """The demo warehouse, the app built on it and the page modules Dash loaded (built once)."""
    from dashboard import db

    if "env" in _ENV:  # every test module that imports this fixture gets its own instance
        db.configure(_ENV["env"].path)
        return _ENV["env"]
    from dashboard.app import create_app
    from etl.demo.demo import build_demo

    path = tmp_path_factory.mktemp("warehouse") / "labour.duckdb"
    build_demo(path, RECORDED if RECORDED.exists() else None)
    app = create_app(path)
    from dashboard.pages import data, explore, peers, trends
    from dashboard.pages import map as map_page

    _ENV["env"] = SimpleNamespace(
        app=app, path=path, map=map_page, trends=trends, peers=peers, explore=explore, data=data
    )
    return _ENV["env"]


@pytest.fixture()
def cat(dash_env):
    """The catalogue of the demo warehouse."""
    from dashboard import db, queries

    db.configure(dash_env.path)
    return queries.catalogue()


def sql(query: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Rows of an independent read-only query against the test warehouse."""
    from dashboard import db

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
