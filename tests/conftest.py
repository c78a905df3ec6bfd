"""Shared fixtures: the local SCB/Kolada stand-in server and the ../shared folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.standin import SHARED_DIR, StandIn


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder next to the repository (recordings and references)."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} not found")
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
    yield standin_server
    standin_server.reset()
