"""The refresh log: one JSON line per run, kept beside the warehouse so failures are remembered.

Each append rewrites the file into a temporary one and swaps it in, so a full disk or a kill
never leaves a torn line; a small reserve file beside it is given up when the disk is full, so
even then the failure itself can be written down.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
RESERVE_BYTES = 256 * 1024


def reserve_path(path: Path) -> Path:
    """The spare file that is deleted to make room for a failure entry on a full disk."""
    return path.with_name(f".{path.name}.reserve")


def tmp_path(path: Path) -> Path:
    """Where the next version of the log is written before it is swapped in."""
    return path.with_name(f".{path.name}.tmp")


def _write(path: Path, line: str) -> None:
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"  # a torn last line (written by an older version) stays apart from the new one
    tmp = tmp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(old + line.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _ensure_reserve(path: Path) -> None:
    reserve = reserve_path(path)
    if reserve.exists():
        return
    try:
        with open(reserve, "wb") as fh:
            fh.write(b"\0" * RESERVE_BYTES)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            reserve.unlink()


def append(path: Path, entry: dict) -> None:
    """Append one run entry atomically; on a full disk, give up the reserve and try once more."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    try:
        _write(path, line)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        reserve = reserve_path(path)
        if not reserve.exists():
            raise
        log.warning("disk full: using the run log's reserve to record the run")
        reserve.unlink()
        _write(path, line)
        return
    _ensure_reserve(path)


def entries(path: Path) -> list[dict]:
    """All readable run entries, oldest first (a torn or garbled line is skipped)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def last(path: Path) -> dict | None:
    """The most recent finished run entry, if any."""
    done = [e for e in entries(path) if e.get("status") in ("ok", "partial", "failed")]
    return done[-1] if done else None


def record(path: Path, entry: dict) -> bool:
    """Append like `append`, but never raise: a run log that cannot be written is logged, not fatal."""
    try:
        append(path, entry)
    except OSError as exc:
        log.error("cannot write the run log %s: %s", path, exc)
        return False
    return True
