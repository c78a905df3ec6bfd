"""The refresh log: one JSON line per run, kept beside the warehouse so failures are remembered."""

from __future__ import annotations

import json
import os
from pathlib import Path


def append(path: Path, entry: dict) -> None:
    """Append one run entry (a single small write, flushed to disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def entries(path: Path) -> list[dict]:
    """All readable run entries, oldest first (a torn last line is skipped)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text("utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def last(path: Path) -> dict | None:
    """The most recent finished run entry, if any."""
    done = [e for e in entries(path) if e.get("status") in ("ok", "partial", "failed")]
    return done[-1] if done else None
