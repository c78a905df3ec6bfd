"""How fresh the data is and how the last refresh ended, from the run log (for status and dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from etl import runlog


@dataclass(frozen=True)
class Freshness:
    """The last finished run and the age of the last successful one."""

    last_status: str | None  # ok | failed | partial | None (no run log)
    last_kind: str | None
    last_error: str | None
    last_ok_at: datetime | None
    age_days: float | None


def _when(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def read(run_log: Path, built_at: str | None = None, now: datetime | None = None) -> Freshness:
    """Freshness from the run log; `built_at` (the warehouse's own stamp) when no run succeeded."""
    now = now or datetime.now(UTC)
    entries = [e for e in runlog.entries(run_log) if e.get("kind") in ("refresh", "rebuild")]
    done = [e for e in entries if e.get("status") in ("ok", "failed", "partial")]
    last = done[-1] if done else None
    ok = [e for e in done if e.get("status") in ("ok", "partial") and e.get("kind") == "refresh"]
    last_ok = _when(ok[-1].get("finished_at")) if ok else None
    last_ok = last_ok or _when(built_at)
    age = (now - last_ok).total_seconds() / 86400 if last_ok else None
    return Freshness(
        last.get("status") if last else None,
        last.get("kind") if last else None,
        last.get("error") if last else None,
        last_ok,
        age,
    )
