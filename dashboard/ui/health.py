"""A warning in the dashboard banner when the last refresh failed or was partial, or data is stale."""

from __future__ import annotations

import logging
import os

from dash import html

from dashboard.core import db
from dashboard.core.text import t
from etl import freshness

log = logging.getLogger(__name__)
DEFAULT_STALE_DAYS = 8.0  # a weekly schedule plus a day's slack


def stale_days() -> float:
    """Data older than this many days is stale (LABOURDASH_STALE_DAYS)."""
    try:
        return float(os.environ.get("LABOURDASH_STALE_DAYS", DEFAULT_STALE_DAYS))
    except ValueError:
        return DEFAULT_STALE_DAYS


def warning(lang: str) -> html.P | None:
    """The refresh warning for the banner, or None when all is well or no refresh is recorded."""
    run_log = db.db_path().parent / "runs.jsonl"
    try:
        fresh = freshness.read(run_log)
    except OSError as exc:
        log.warning("cannot read the run log %s: %s", run_log, exc)
        return None
    parts = []
    if fresh.last_status == "failed":
        parts.append(t("health.failed", lang, kind=fresh.last_kind or "refresh"))
    elif fresh.last_status == "partial":
        parts.append(t("health.partial", lang))
    if fresh.age_days is not None and fresh.age_days > stale_days():
        parts.append(
            t("health.stale", lang, days=int(fresh.age_days), when=f"{fresh.last_ok_at:%Y-%m-%d}")
        )
    if not parts:
        return None
    return html.P(
        [html.Strong("⚠ "), " ".join(parts)], id="refresh-warning", className="refresh-warning"
    )
