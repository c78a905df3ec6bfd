"""A quiet night writes nothing (issue 23): when no unit produced a new archive, whatever failed,
the warehouse file is left untouched (same inode and mtime); units.json still records the night."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from etl.cli import app
from tests.faults.conftest import env_for
from tests.faults.harness import (
    EXIT_OK,
    EXIT_PARTIAL,
    KPIS,
    SCB_TABLES,
    copy_data,
    small_catalogue,
    snapshot,
)

runner = CliRunner()
TABLE = r"/tables/TAB3200"  # every SCB call for the table: its info, metadata and data


def _units(data: Path) -> dict:
    return json.loads((data / "units.json").read_text("utf-8"))["units"]


def test_a_failing_unit_over_two_nights_leaves_the_warehouse_alone(
    refreshed, standin, tmp_path: Path, monkeypatch
) -> None:
    data = tmp_path / "data"
    copy_data(refreshed(tuple(SCB_TABLES), tuple(KPIS)), data)
    for key, value in env_for(standin, data / "labour.duckdb").items():
        monkeypatch.setenv(key, value)
    small_catalogue(monkeypatch)
    db = data / "labour.duckdb"

    def upstream() -> None:  # the stand-in as it is every night; SCB's table is down
        standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
        standin.set_page_sizes(kolada=1000)
        standin.fault(TABLE, "status", times=None, status=503)

    # night 1: Kolada revised a KPI, so a new warehouse is built without the failed table's news
    upstream()
    standin.revise_kpi("N02268", date.today().isoformat(), shift=0.1)
    first = runner.invoke(app, ["refresh"])
    assert first.exit_code == EXIT_PARTIAL, first.output
    night1 = db.stat()
    before = snapshot(db)
    attempt1 = _units(data)["scb:TAB3200"]["last_attempt"]

    # night 2: nothing changed upstream (Kolada's change log lists no revision), the table still fails
    standin.reset()
    upstream()
    second = runner.invoke(app, ["refresh"])
    assert second.exit_code == EXIT_PARTIAL, second.output
    assert "the warehouse is unchanged" in " ".join(second.output.split()), second.output
    night2 = db.stat()
    assert (night2.st_ino, night2.st_mtime_ns) == (night1.st_ino, night1.st_mtime_ns)
    assert snapshot(db) == before

    unit = _units(data)["scb:TAB3200"]
    assert unit["state"] == "failed" and "503" in unit["error"]
    assert unit["last_attempt"] > attempt1  # the unit's state still moved on
    status = runner.invoke(app, ["status", "--json"])
    assert status.exit_code == EXIT_PARTIAL, status.output
    doc = json.loads(status.stdout)
    assert doc["stale_units"] == ["scb:TAB3200"]
    assert any("scb:TAB3200" in p and "503" in p for p in doc["problems"])
    assert doc["last_run"]["status"] == "partial"

    # the dashboard reads the units' states from units.json over the build's copy
    from dashboard.core import db as dashboard_db
    from dashboard.core import queries

    dashboard_db.configure(db)
    try:
        rows = queries.unit_status().set_index("unit_key")
        assert rows.loc["TAB3200", "state"] == "failed"
        assert rows.loc["TAB3200", "last_attempt"] == unit["last_attempt"]
        assert rows.iloc[0].name == "TAB3200"  # failed units first
    finally:
        dashboard_db.configure(None)

    # the table is back: the next night builds again
    standin.clear_faults()
    standin.set_updated("TAB3200", "2099-01-02T07:00:00Z")
    third = runner.invoke(app, ["refresh"])
    assert third.exit_code == EXIT_OK, third.output
    assert db.stat().st_ino != night2.st_ino
    assert before.lost(snapshot(db)) == 0
