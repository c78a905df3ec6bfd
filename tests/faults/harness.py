"""The fault suite's tools: a small catalogue, warehouse snapshots, the expected outcome, the tally."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tests.catalogue import use_catalogue

SCB_TABLES = ["TAB3200"]
KPIS = ["N02267", "N02268"]
EXIT_OK, EXIT_FAILED, EXIT_LOCKED, EXIT_PARTIAL = 0, 1, 3, 4
NEW_STAMP = "2026-11-20T07:00:00Z"


def small_catalogue(mp) -> None:
    """Refresh one register table and two KPIs (keeps each case fast)."""
    use_catalogue(mp, tuple(SCB_TABLES), tuple(KPIS))


def expected_exit(case: str) -> int:
    """The exit code of a refresh that hits a persistent fault in one unit: 4 (partial).

    Refresh isolates units: the faulty unit keeps its last complete data, the others go on, and a
    new warehouse is swapped in. Only a run where every unit fails exits 1.
    """
    return EXIT_PARTIAL


@dataclass(frozen=True)
class Snapshot:
    """The warehouse file's checksum and the row count of every mart table."""

    sha256: str | None
    rows: dict[str, int]

    def lost(self, after: Snapshot) -> int:
        """Rows missing from `after` compared with this snapshot (per mart table, never negative)."""
        return sum(max(n - after.rows.get(t, 0), 0) for t, n in self.rows.items())


def snapshot(db: Path) -> Snapshot:
    """Checksum and mart row counts of a warehouse file (empty when it does not exist)."""
    if not db.exists():
        return Snapshot(None, {})
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart' ORDER BY 1").fetchall()]  # fmt: skip
        rows = {t: con.execute(f"SELECT count(*) FROM mart.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()
    return Snapshot(digest, rows)


def one_line(output: str) -> str:
    """The single line a failed run printed (fails the case when there is more, e.g. a traceback)."""
    lines = [ln for ln in output.strip().splitlines() if ln.strip()]
    assert "Traceback" not in output, output
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{output}"
    return lines[0]


def copy_data(src: Path, dst: Path) -> None:
    """Copy a data folder (warehouse, raw archive, run log) into place."""
    shutil.copytree(src, dst, dirs_exist_ok=True)


DRIVER = """
import sys
import pytest
from tests.faults.harness import small_catalogue
from etl.cli import app
mp = pytest.MonkeyPatch()
small_catalogue(mp)
sys.argv = ["labourdash", *sys.argv[1:]]
app()
"""


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """`labourdash <args>` on the small catalogue in a child process (for kills and races)."""
    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args], cwd=root, env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@dataclass
class Tally:
    """What the suite tried and what survived; printed as one line at the end of the run."""

    tried: int = 0
    survived: int = 0
    rows_lost: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """faults: N tried, N survived, N rows lost"""
        return f"faults: {self.tried} tried, {self.survived} survived, {self.rows_lost} rows lost"


TALLY = Tally()
