"""Shared fixtures: the ../shared folder, the local SCB/Kolada stand-in, the demo warehouse, and the
dashboard built once per test process on it (Dash registers pages and callbacks process-wide)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.catalogue import use_catalogue
from tests.standin import SHARED_DIR, StandIn

# The stand-in runs in the test process and shares its GIL: with SCB and Kolada fetched side by
# side, its answers slow down past the fault suite's 5 s timeouts on a loaded machine. Tests fetch
# the sources one after the other; tests/test_concurrent_fetch.py runs them side by side.
os.environ.setdefault("LABOURDASH_PARALLEL_FETCH", "0")
os.environ.setdefault("LABOURDASH_STAGE_DURING_FETCH", "0")  # tests/test_prestage.py turns it on


# Session fixtures that build a warehouse run inside the first test that needs them, under that
# test's timeout. On a busy 2-core machine the demo build alone can pass the default 300 s, so
# the first user of each gets a build-sized allowance; every other test keeps the default.
BUILD_FIXTURES, BUILD_TIMEOUT = ("demo_db", "baseline"), 1500


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give the first test that builds each session warehouse time for the build."""
    for name in BUILD_FIXTURES:
        first = next((i for i in items if name in getattr(i, "fixturenames", ())), None)
        marker = first.get_closest_marker("timeout") if first else None
        if first is not None and (marker is None or (marker.args or [0])[0] < BUILD_TIMEOUT):
            first.add_marker(pytest.mark.timeout(BUILD_TIMEOUT))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder next to the repository (recordings and references)."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} not found: tests read the recordings from ../shared")
    return SHARED_DIR


@pytest.fixture(scope="session")
def standin_server(shared_dir: Path) -> Iterator[StandIn]:
    """One stand-in server per test session (use `standin` in tests: it resets the state)."""
    server = StandIn(shared_dir).start()
    yield server
    server.stop()


@pytest.fixture
def standin(standin_server: StandIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    """The stand-in, reset to defaults, with LABOURDASH_SCB_URL/LABOURDASH_KOLADA_URL pointing at it."""
    standin_server.reset()
    monkeypatch.setenv("LABOURDASH_SCB_URL", standin_server.scb_url)
    monkeypatch.setenv("LABOURDASH_KOLADA_URL", standin_server.kolada_url)
    monkeypatch.setenv("LABOURDASH_GEODATA_URL", standin_server.geodata_url)
    yield standin_server
    standin_server.reset()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """A demo warehouse built once per session by `etl.demo.demo.build_demo`, with the real recordings."""
    from etl.demo.demo import build_demo

    db = tmp_path_factory.mktemp("demo") / "labour.duckdb"
    build_demo(db, shared_dir / "recorded")
    return db


@pytest.fixture
def demo_con(demo_db: Path):
    """A read-only connection to the session's demo warehouse."""
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def refreshed(
    tmp_path_factory: pytest.TempPathFactory, standin_server: StandIn
) -> Callable[[tuple[str, ...], tuple[str, ...]], Path]:
    """Data folders after one clean refresh of a small catalogue against the stand-in, one per catalogue.

    `refreshed(scb_tables, kpis)` refreshes once per session and catalogue; tests copy the folder.
    """
    from etl.pipeline import refresh
    from etl.settings import Settings

    made: dict[tuple[tuple[str, ...], tuple[str, ...]], Path] = {}

    def make(scb_tables: tuple[str, ...], kpis: tuple[str, ...]) -> Path:
        if (scb_tables, kpis) not in made:
            folder = tmp_path_factory.mktemp("baseline") / "data"
            mp = pytest.MonkeyPatch()
            use_catalogue(mp, scb_tables, kpis)
            for key, value in {
                "LABOURDASH_DB": str(folder / "labour.duckdb"),
                "LABOURDASH_SCB_URL": standin_server.scb_url,
                "LABOURDASH_KOLADA_URL": standin_server.kolada_url,
                "LABOURDASH_GEODATA_URL": standin_server.geodata_url,
                "LABOURDASH_HTTP_BACKOFF": "0.01",
            }.items():
                mp.setenv(key, value)
            standin_server.reset()
            standin_server.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
            standin_server.set_page_sizes(kolada=1000)
            try:
                refresh(Settings())
            finally:
                standin_server.reset()
                mp.undo()
            made[(scb_tables, kpis)] = folder
        return made[(scb_tables, kpis)]

    return make


@pytest.fixture(scope="session")
def dash_app(demo_db: Path):
    """The dashboard app on the demo warehouse: built once per test process and reused."""
    from dashboard.app import create_app

    return create_app(demo_db)


@pytest.fixture(scope="module")
def dash_env(dash_app, demo_db: Path) -> SimpleNamespace:
    """The demo warehouse, the app built on it and the page modules Dash loaded.

    Module-scoped: each test module starts with the process pointed at the demo warehouse, whatever
    warehouse the module before it configured.
    """
    from dashboard.core import db
    from dashboard.views.data import page as data
    from dashboard.views.explore import page as explore
    from dashboard.views.map import page as map_page
    from dashboard.views.peers import page as peers
    from dashboard.views.trends import page as trends

    db.configure(demo_db)
    return SimpleNamespace(
        app=dash_app,
        path=demo_db,
        map=map_page,
        trends=trends,
        peers=peers,
        explore=explore,
        data=data,
    )


@pytest.fixture()
def cat(dash_env: SimpleNamespace):
    """The catalogue of the demo warehouse."""
    from dashboard.core import db, queries

    db.configure(dash_env.path)
    return queries.catalogue()
