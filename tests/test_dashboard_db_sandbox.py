"""The dashboard's read-only warehouse connection cannot read or write other files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.core import db


@pytest.fixture
def sandboxed(demo_db: Path):
    db.configure(demo_db)
    yield db
    db.configure(None)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '{tmp}/leak.csv'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "LOAD httpfs",
    ],
)
def test_external_access_is_off_and_locked(sandboxed, tmp_path: Path, sql: str) -> None:
    assert sandboxed.query_rows("SELECT count(*) FROM mart.observation")[0][0] > 0
    with pytest.raises(duckdb.Error):
        sandboxed.query_rows(sql.format(tmp=tmp_path))
    assert not (tmp_path / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()
