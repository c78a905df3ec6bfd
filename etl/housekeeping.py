"""What failed or killed runs leave behind, cleaned: half-built warehouses, .tmp bodies, raw folders.

Everything here runs under the refresh lock, so no other build or fetch is using these files.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from etl.archive import COMPLETE
from etl.settings import Settings
from etl.sources import spool
from etl.warehouse import discard

log = logging.getLogger(__name__)


def _uncommitted_tables(run_dir: Path) -> list[Path]:
    return [t for t in run_dir.glob("*/*") if t.is_dir() and not (t / COMPLETE).exists()]


def clean_run(settings: Settings, run_id: str) -> list[Path]:
    """Remove the uncommitted table folders (and .tmp files) of one run; the folder if left empty."""
    run_dir = settings.raw_dir / run_id
    removed: list[Path] = []
    if not run_dir.is_dir():
        return removed
    for table in _uncommitted_tables(run_dir):
        shutil.rmtree(table, ignore_errors=True)
        removed.append(table)
    for tmp in run_dir.glob("*/*/.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    for folder in sorted(run_dir.glob("*"), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty
    with contextlib.suppress(OSError):
        run_dir.rmdir()
    return removed


def clean_spool(settings: Settings) -> list[Path]:
    """Remove the streamed bodies in `raw/.tmp` that no unit archived (the run is over)."""
    removed: list[Path] = []
    for spooled in settings.spool_dir.glob(f".*{spool.SUFFIX}"):
        with contextlib.suppress(OSError):
            spooled.unlink()
            removed.append(spooled)
    return removed


def clean_stale(settings: Settings) -> list[Path]:
    """Leftovers of earlier failed or killed runs: building files, uncommitted folders, .tmp files."""
    removed: list[Path] = []
    db = settings.db_path
    for stale in db.parent.glob(f".{db.name}.building-*"):
        if stale.name.endswith(".wal"):
            continue
        discard(stale)
        removed.append(stale)
    for wal in db.parent.glob(f".{db.name}.building-*.wal"):
        with contextlib.suppress(OSError):
            wal.unlink()
            removed.append(wal)
    for tmp in db.parent.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    removed += clean_spool(settings)  # bodies a killed fetch left
    if settings.raw_dir.is_dir():
        runs = (p for p in settings.raw_dir.iterdir() if p.is_dir() and p != settings.spool_dir)
        for run_dir in sorted(runs):
            removed += clean_run(settings, run_dir.name)
    if removed:
        log.info("cleaned %d leftover(s) of earlier runs", len(removed))
    return removed
