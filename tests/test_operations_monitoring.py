"""Monitoring: `status --max-age`, `status --json`, `refresh --log-json`, the dashboard's refresh warning."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl import runlog
from etl.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> Path:
    """A copy of the demo warehouse that LABOURDASH_DB points at."""
    shutil.copy(demo_db, tmp_path / "labour.duckdb")
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    return tmp_path


def _ok_run(data_dir: Path, days_ago: float, status: str = "ok") -> None:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    runlog.append(data_dir / "runs.jsonl", {"run_id": "r", "kind": "refresh", "status": status,
                                            "started_at": when.isoformat(), "finished_at": when.isoformat(),
                                            "error": "HTTP 503" if status == "failed" else None})  # fmt: skip


def test_max_age_exits_1_only_when_older(data_dir: Path) -> None:
    _ok_run(data_dir, days_ago=3)
    fresh = runner.invoke(app, ["status", "--max-age", "5"])
    assert fresh.exit_code == 0, fresh.output
    stale = runner.invoke(app, ["status", "--max-age", "2"])
    assert stale.exit_code == 1 and "more than --max-age 2" in " ".join(stale.output.split())
    as_json = json.loads(runner.invoke(app, ["status", "--json", "--max-age", "2"]).output)
    assert as_json["healthy"] is False and 2.9 < as_json["age_days"] < 3.1
    assert as_json["max_age_days"] == 2


def test_max_age_without_any_refresh_falls_back_to_the_build_time(data_dir: Path) -> None:
    assert (
        runner.invoke(app, ["status", "--max-age", "1"]).exit_code == 0
    )  # the demo was just built
    assert runner.invoke(app, ["status", "--max-age", "0"]).exit_code == 1


def test_log_json_writes_one_object_per_line(data_dir: Path, monkeypatch) -> None:
    from etl import pipeline

    def fake_refresh(settings, sources, full, progress):
        progress.start("scb", 2)
        progress.advance("scb", "TAB3200 fetched")
        import logging

        logging.getLogger("etl.sources.http").warning("attempt 1/3 failed, retrying")
        return {"run_id": "x", "rows": {"mart.observation": 5}, "changes": []}

    monkeypatch.setattr(pipeline, "refresh", fake_refresh)
    result = runner.invoke(app, ["refresh", "--log-json"])
    assert result.exit_code == 0
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events] == ["start", "step", "log", "finished"]
    assert events[2]["level"] == "warning" and events[-1]["rows"] == {"mart.observation": 5}
    assert all("time" in e for e in events)


def test_log_json_failure_is_one_finished_event_with_exit_1(data_dir: Path, monkeypatch) -> None:
    from etl import pipeline

    def failing(*args, **kwargs):
        raise pipeline.RefreshFailed(
            "refresh failed: HTTP 503. The previous warehouse is unchanged."
        )

    monkeypatch.setattr(pipeline, "refresh", failing)
    result = runner.invoke(app, ["refresh", "--log-json"])
    assert result.exit_code == 1
    last = json.loads(result.stdout.splitlines()[-1])
    assert (
        last["event"] == "finished" and last["status"] == "failed" and "HTTP 503" in last["error"]
    )


@pytest.mark.parametrize(
    "status, days, expected",
    [("ok", 1, None), ("failed", 1, "failed"), ("partial", 1, "partly"), ("ok", 30, "days ago")],
)
def test_dashboard_warns_about_failed_partial_or_stale_data(
    data_dir, status, days, expected
) -> None:
    from dashboard.core import db
    from dashboard.ui import health

    db.configure(data_dir / "labour.duckdb")
    if status == "failed":
        _ok_run(data_dir, days)
    _ok_run(data_dir, days, status)
    warning = health.warning("en")
    if expected is None:
        assert warning is None
    else:
        assert expected in str(warning)
    db.configure(None)
