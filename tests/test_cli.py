"""The labourdash command line: exit codes, status, rebuild from the archive, serve under gunicorn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.settings import PROJECT_ROOT

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder that LABOURDASH_DB points into."""
    monkeypatch.setenv("LABOURDASH_DB", str(tmp_path / "labour.duckdb"))
    return tmp_path


def test_status_without_warehouse_exits_1(data_dir: Path) -> None:
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "no warehouse" in result.output and "labourdash demo" in result.output


def test_rebuild_without_archive_is_a_clear_failure(data_dir: Path) -> None:
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 1
    assert "holds no committed table" in " ".join(result.output.split())
    assert not (data_dir / "labour.duckdb").exists()


def test_demo_rejects_missing_recorded_folder(data_dir: Path) -> None:
    result = runner.invoke(app, ["demo", "--recorded", str(data_dir / "nope")])
    assert result.exit_code == 2 and "is not a folder" in result.output


def test_rebuild_from_archive_offline(data_dir: Path, demo_db: Path) -> None:
    """`rebuild` needs nothing but the raw archive: rebuild the demo's archive into a new warehouse."""
    shutil.copytree(demo_db.parent / "demo-raw", data_dir / "raw")
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 0, result.output
    status = runner.invoke(app, ["status", "--json"])
    assert status.exit_code == 0
    assert '"synthetic": "partial"' in status.output and '"mart.observation":' in status.output


def test_demo_failure_is_one_line_without_traceback(data_dir: Path, monkeypatch) -> None:
    """Any failure inside the demo build (here DuckDB's out-of-memory) is one clear line, exit 1."""
    import duckdb

    from etl.demo import demo

    def out_of_memory(*_a, **_k):
        raise duckdb.OutOfMemoryException(
            "Out of Memory Error: failed to pin block of size 256.0 KiB (488.2 MiB/488.2 MiB used)"
            "\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)"
        )

    monkeypatch.setattr(demo, "build_demo", out_of_memory)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1
    progress = "━"  # the progress bar's own line
    lines = [line for line in result.output.splitlines() if line.strip() and progress not in line]
    assert len(lines) == 1, result.output
    assert "demo failed: the warehouse build ran out of memory" in " ".join(lines[0].split())
    assert "LABOURDASH_DUCKDB_MEMORY_LIMIT" in result.output and "Traceback" not in result.output


def test_rebuild_out_of_memory_names_the_setting_and_keeps_the_warehouse(
    data_dir: Path, demo_db: Path, monkeypatch
) -> None:
    """A real DuckDB out-of-memory in the build: one line naming the limit, old warehouse intact."""
    shutil.copytree(demo_db.parent / "demo-raw", data_dir / "raw")
    assert runner.invoke(app, ["rebuild"]).exit_code == 0
    before = (data_dir / "labour.duckdb").read_bytes()
    monkeypatch.setenv("LABOURDASH_DUCKDB_MEMORY_LIMIT", "4MB")
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == 1, result.output
    assert "ran out of memory" in result.output and "Traceback" not in result.output
    assert (data_dir / "labour.duckdb").read_bytes() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_gunicorn_workers_on_the_warehouse(demo_db: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LABOURDASH_DB": str(demo_db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert page is not None and page.status_code == 200
        layout = httpx.get(f"http://127.0.0.1:{port}/_dash-layout", timeout=10)
        assert layout.status_code == 200 and "dash_html_components" in layout.text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "Booting worker" in out and out.count("Booting worker") >= 2


def test_serve_uses_threaded_workers_with_keep_alive_unless_one_thread(monkeypatch) -> None:
    from dashboard.serving import gunicorn_conf
    from etl import cli
    from etl.settings import get_settings

    monkeypatch.delenv("LABOURDASH_THREADS", raising=False)
    assert get_settings().serve_threads == 4
    assert cli._worker_options(4) == ["--threads", "4"]
    assert cli._worker_options(1) == ["--threads", "1"]
    assert cli.GUNICORN_CONF == "python:dashboard.serving.gunicorn_conf"
    assert gunicorn_conf.preload_app and gunicorn_conf.keepalive > 0
    assert gunicorn_conf.worker_class == "dashboard.serving.worker.LabourdashWorker"
    assert 0 < gunicorn_conf.limit_request_line <= 8190  # never 0 (unlimited)
    monkeypatch.setenv("LABOURDASH_THREADS", "2")
    monkeypatch.setenv("LABOURDASH_WORKERS", "5")
    assert (get_settings().serve_threads, get_settings().serve_workers) == (2, 5)
