"""Run the Kolada fetch beside the SCB fetch: SCB spends most of a refresh waiting on its rate limit.

Each source keeps its own HTTP client and rate limiter; Kolada records its changes in a list of its
own, appended after SCB's so reports keep their order (SCB tables, boundaries, Kolada). Archives
are written per unit folder; finished tables are staged by etl/prestage.py's one thread, and the
rest of the build starts after both fetches are done. An error that stops the run (a full disk) is raised in the caller's thread.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


def run_beside(ctx: Any, main: Callable[[Any], None], side: Callable[[Any], None]) -> None:
    """Run `side(ctx')` in a thread while `main(ctx)` runs here; ctx' has its own change list."""
    side_ctx = dataclasses.replace(ctx, plan=dataclasses.replace(ctx.plan, changes=[]))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kolada-fetch") as pool:
        future = pool.submit(side, side_ctx)
        try:
            main(ctx)
        finally:
            try:
                future.result()  # waits; re-raises what stopped the side fetch
            finally:
                ctx.plan.changes.extend(side_ctx.plan.changes)
