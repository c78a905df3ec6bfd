"""A refresh lock held by a run that is dead or past LABOURDASH_REFRESH_DEADLINE: said plainly.

The lock is a kernel file lock, so it goes with its process; a lock that outlives its run's process
(a forked child kept the descriptor) or a run that hangs past its deadline is what is left to
report. `status` and the next refresh both use this.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from etl import runlog
from etl.settings import Settings


def _alive(pid: object) -> bool | None:
    if not isinstance(pid, int) or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_holder(settings: Settings, now: datetime | None = None) -> str | None:
    """Why the run that holds the lock is stale (dead, or past the deadline); None if it is not."""
    entries = runlog.entries(settings.run_log)
    running = entries[-1] if entries and entries[-1].get("status") == "running" else None
    if running is None:
        return None
    kind, pid = running.get("kind") or "refresh", running.get("pid")
    try:
        started = datetime.fromisoformat(str(running.get("started_at")))
    except ValueError:
        started = None
    who = (
        f"the {kind} {running.get('run_id', '?')} (pid {pid}, started {running.get('started_at')})"
    )
    if _alive(pid) is False:
        return f"{who} no longer runs, but its lock is still held"
    limit = settings.refresh_deadline
    if started is not None and limit > 0:
        age = ((now or datetime.now(UTC)) - started).total_seconds()
        if age > limit:
            return (f"{who} has run {age / 3600:.1f} h, past its deadline of {limit / 3600:g} h "
                    "(LABOURDASH_REFRESH_DEADLINE)")  # fmt: skip
    return None
