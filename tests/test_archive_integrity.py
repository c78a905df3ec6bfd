"""The archive and the warehouse are checked, not trusted (issue 18, items 8-10), on files.

A corrupt unit archive (flipped digits, truncated or deleted body, garbage manifest or provenance)
falls back to the unit's previous intact version, or is fetched again, with one line naming the
file; `status` answers on a zero-byte or corrupt warehouse; a stray WAL is removed at the swap.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from etl.archive import COMPLETE, Archive, Provenance
from etl.cli import app
from tests.faults.conftest import env_for
from tests.faults.harness import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    KPIS,
    SCB_TABLES,
    copy_data,
    small_catalogue,
    snapshot,
)

runner = CliRunner()
OLD, NEW = "20260101T000000000000Z", "20260102T000000000000Z"


def flip_digits(body: Path) -> None:
    """50 digits of the body changed (the JSON stays valid)."""
    data = bytearray(body.read_bytes())
    digits = [i for i, b in enumerate(data) if chr(b).isdigit()]
    for i in random.Random(18).sample(digits, 50):
        data[i] = ord("0") + (data[i] - ord("0") + 1) % 10
    body.write_bytes(bytes(data))


def truncate(body: Path) -> None:
    body.write_bytes(body.read_bytes()[: body.stat().st_size // 2])


def delete(body: Path) -> None:
    body.unlink()


def garbage_manifest(body: Path) -> None:
    (body.parent / COMPLETE).write_bytes(b"\x00garbage")


def garbage_meta(body: Path) -> None:
    body.with_suffix(".meta.json").write_text("not json", "utf-8")


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "flipped digits": flip_digits,
    "truncated body": truncate,
    "deleted body": delete,
    "garbage _complete.json": garbage_manifest,
    "garbage .meta.json": garbage_meta,
}
NAMED = {  # the file each corruption's message names
    "flipped digits": "0000.body",
    "truncated body": "0000.body",
    "deleted body": "0000.body",
    "garbage _complete.json": COMPLETE,
    "garbage .meta.json": "0000.meta.json",
}


def _version(archive: Archive, run_id: str, body: bytes) -> Path:
    writer = archive.table_writer(run_id, "scb", "TAB3200")
    writer.add(body, Provenance("scb", "TAB3200", "data", "jsonstat2", "u", f"{run_id}"))
    writer.commit(run_id[:8])
    return writer.folder / "0000.body"


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_version_falls_back_to_the_previous_one(tmp_path: Path, kind: str) -> None:
    archive = Archive(tmp_path)
    _version(archive, OLD, b'{"value": [1, 2, 3]}')
    CORRUPTIONS[kind](_version(archive, NEW, json.dumps({"value": list(range(100, 300))}).encode()))
    fresh = Archive(tmp_path)
    tables = fresh.current()
    assert [(t.run_id, t.table_key) for t in tables] == [(OLD, "TAB3200")]
    assert fresh.refetch == {("scb", "TAB3200")}
    [line] = fresh.verify()
    assert NAMED[kind] in line and NEW in line and f"run {OLD}" in line and "\n" not in line


def test_fifty_flipped_digits_are_caught_and_an_only_version_is_refetched(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    body = _version(archive, NEW, json.dumps({"value": list(range(1000, 1200))}).encode())
    flip_digits(body)
    fresh = Archive(tmp_path)
    assert fresh.current() == [] and fresh.refetch == {("scb", "TAB3200")}
    [line] = fresh.problems.values()
    assert f"checksum mismatch: {body}" in line and "fetches it again in full" in line


# --- refresh, rebuild and status over the files of a real refreshed data folder -------------------


@pytest.fixture
def data(refreshed, standin, tmp_path: Path, monkeypatch) -> Path:
    """A copy of a refreshed data folder (TAB3200 and two KPIs), settings pointing at it."""
    folder = tmp_path / "data"
    copy_data(refreshed(tuple(SCB_TABLES), tuple(KPIS)), folder)
    for key, value in env_for(standin, folder / "labour.duckdb").items():
        monkeypatch.setenv(key, value)
    small_catalogue(monkeypatch)
    standin.set_scb_limits(max_cells=150_000, max_calls=1000, window=1)
    standin.set_page_sizes(kolada=1000)
    return folder


def _tab3200(folder: Path) -> Path:
    [table] = (folder / "raw").glob("*/scb/TAB3200")
    return table


def _largest_body(table: Path) -> Path:
    return max(table.glob("*.body"), key=lambda p: p.stat().st_size)


def _one_line(output: str, words: str) -> str:
    lines = [ln for ln in output.splitlines() if words in ln]
    assert "Traceback" not in output and len(lines) == 1, output
    return lines[0]


def _status_json() -> tuple[int, dict]:
    result = runner.invoke(app, ["status", "--json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_rebuild_uses_the_previous_intact_version(data: Path, kind: str) -> None:
    """A later copy of TAB3200 is corrupted: the rebuild says which file and builds from the older."""
    table = _tab3200(data)
    newer = data / "raw" / "29990101T000000000000Z" / "scb" / "TAB3200"
    shutil.copytree(table, newer)
    before = snapshot(data / "labour.duckdb")
    body = _largest_body(newer)
    CORRUPTIONS[kind](body)
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == EXIT_PARTIAL, result.output
    line = _one_line(result.output, "is corrupt")
    assert "29990101T000000000000Z" in line and "previous intact version" in line
    named = {COMPLETE: COMPLETE, "0000.body": body.name, "0000.meta.json": f"{body.stem}.meta.json"}
    assert named[NAMED[kind]] in line
    assert before.lost(snapshot(data / "labour.duckdb")) == 0
    again = runner.invoke(app, ["rebuild"])  # later nights are not blocked
    assert again.exit_code == EXIT_PARTIAL and "Traceback" not in again.output


def test_an_only_version_corrupt_is_fetched_again_and_nothing_is_blocked(data: Path) -> None:
    body = _largest_body(_tab3200(data))
    flip_digits(body)
    before = snapshot(data / "labour.duckdb")
    rebuilt = runner.invoke(app, ["rebuild"])  # offline: nothing to fall back on, nothing swapped
    assert rebuilt.exit_code == EXIT_FAILED, rebuilt.output
    line = _one_line(rebuilt.output, "rebuild failed")
    assert str(body) in " ".join(rebuilt.output.split()) and "labourdash refresh" in line
    assert snapshot(data / "labour.duckdb").sha256 == before.sha256
    code, doc = _status_json()
    assert code == EXIT_FAILED and "interrupted" not in " ".join(doc["problems"])
    refreshed_ = runner.invoke(app, ["refresh"])  # upstream unchanged: fetched again all the same
    assert refreshed_.exit_code == EXIT_OK, refreshed_.output
    assert f"checksum mismatch: {body}" in " ".join(refreshed_.output.split())
    assert before.lost(snapshot(data / "labour.duckdb")) == 0
    assert runner.invoke(app, ["rebuild"]).exit_code == EXIT_OK
    assert _status_json()[0] == EXIT_OK


def test_garbage_manifest_fails_no_run(data: Path) -> None:
    """One garbage _complete.json: the refresh fetches that unit again (it used to fail every run)."""
    (_tab3200(data) / COMPLETE).write_text("", "utf-8")
    result = runner.invoke(app, ["refresh"])
    assert result.exit_code == EXIT_OK, result.output
    assert COMPLETE in _one_line(result.output, "is corrupt")
    assert _status_json()[0] == EXIT_OK


def test_status_on_a_zero_byte_warehouse(data: Path) -> None:
    (data / "labour.duckdb").write_bytes(b"")
    code, doc = _status_json()
    assert code == EXIT_FAILED and doc["healthy"] is False
    [problem] = [p for p in doc["problems"] if "warehouse" in p]
    assert "cannot open" in problem and "labourdash rebuild" in problem and "\n" not in problem
    text = runner.invoke(app, ["status"])
    assert text.exit_code == EXIT_FAILED and "Traceback" not in text.output


def _corrupt_mart_blocks(db: Path) -> None:
    """Flip one byte inside every data block of the file's second half (DuckDB: 256 kB blocks
    after a 12 kB header); the catalogue, written last by a checkpoint, is left alone."""
    data = bytearray(db.read_bytes())
    header, block = 3 * 4096, 256 * 1024
    blocks = (len(data) - header) // block
    for i in range(blocks // 4, blocks // 2):
        data[header + i * block + 5000] ^= 0xFF
    db.write_bytes(bytes(data))


def test_status_checksum_reads_every_mart_table(data: Path) -> None:
    db = data / "labour.duckdb"
    assert _status_json()[0] == EXIT_OK
    _corrupt_mart_blocks(db)
    con = duckdb.connect(str(db), read_only=True)  # the file still opens and counts its rows
    try:
        assert con.execute("SELECT count(*) FROM mart.observation").fetchone()[0] > 0
    finally:
        con.close()
    code, doc = _status_json()
    assert code == EXIT_FAILED and doc["healthy"] is False
    corrupt = [p for p in doc["problems"] if "corrupt" in p or "cannot" in p]
    assert corrupt and all("\n" not in p and "labourdash rebuild" in p for p in corrupt), doc


def test_a_stray_wal_is_removed_at_the_swap(data: Path) -> None:
    wal = data / "labour.duckdb.wal"
    wal.write_bytes(random.Random(10).randbytes(5000))
    result = runner.invoke(app, ["rebuild"])
    assert result.exit_code == EXIT_OK, result.output
    assert not wal.exists()
    assert _status_json()[0] == EXIT_OK
