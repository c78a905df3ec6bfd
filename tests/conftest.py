"""Shared fixtures: the local SCB/Kolada stand-in server and the ../shared folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.standin import SHARED_DIR, StandIn

# The stand-in runs in the test process and shares its GIL: with SCB and Kolada fetched side by
# side, its answers slow down past the fault suite's 1.5 s timeouts on a loaded machine. Tests fetch
# the sources one after the other; tests/test_concurrent_fetch.py runs them side by side.
os.environ.setdefault("LABOURDASH_PARALLEL_FETCH", "0")


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
    """A demo warehouse built once per session by `etl.demo.build_demo`, with the real recordings."""
    from etl.demo import build_demo

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
