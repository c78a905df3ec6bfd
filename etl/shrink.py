"""The shrink guard: an answer that would shrink a unit's archive to nothing, or by more than
LABOURDASH_MAX_SHRINK of its observations, fails that unit, which keeps its last complete archive.

Observations are counted the same way in the new answer and in the archived version it would
replace: non-empty json-stat2 cells, Kolada (kpi, area, period, gender) values that are not empty
or deleted (later pages of an incremental chain win), WFS features, group members.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from etl.archive import ArchivedTable
from etl.settings import get_settings
from etl.units import UnitFailed

log = logging.getLogger(__name__)


def _jsonstat(docs: Iterable[Any]) -> int:
    n = 0
    for doc in docs:
        values = doc.get("value") if isinstance(doc, dict) else None
        cells = values.values() if isinstance(values, dict) else values or []
        n += sum(v is not None for v in cells)
    return n


def _kolada(docs: Iterable[Any]) -> int:
    present: dict[tuple, bool] = {}
    for doc in docs:
        for item in doc.get("values", []) if isinstance(doc, dict) else []:
            for v in item.get("values") or []:
                key = (item.get("kpi"), item.get("municipality"), item.get("period"),
                       v.get("gender"))  # fmt: skip
                deleted = any(item.get(k) or v.get(k) for k in ("isdeleted", "is_deleted"))
                present[key] = v.get("value") is not None and not deleted
    return sum(present.values())


def _features(docs: Iterable[Any]) -> int:
    return sum(len(d.get("features") or []) for d in docs if isinstance(d, dict))


def _members(docs: Iterable[Any]) -> int:
    return sum(len(g.get("members") or []) or 1 for d in docs if isinstance(d, dict)
               for g in d.get("values") or [] if isinstance(g, dict))  # fmt: skip


# archive kind (Provenance.kind) -> how its observations are counted
COUNTERS: dict[str, Callable[[Iterable[Any]], int]] = {
    "data": _jsonstat,
    "values": _kolada,
    "boundaries": _features,
    "groups": _members,
}


def archived(previous: ArchivedTable | None, kind: str) -> int | None:
    """Observations of the archived version (None when there is none to protect)."""
    if previous is None:
        return None
    docs = (r.read_json() for r in previous.responses if r.provenance.kind == kind)
    return COUNTERS[kind](docs)


def guard(unit: str, previous: ArchivedTable | None, kind: str, docs: list[Any]) -> int:
    """Raise UnitFailed when `docs` would shrink the archived version too far; their count."""
    new = COUNTERS[kind](docs)
    old = archived(previous, kind)
    if not old:
        return new
    share = get_settings().max_shrink
    lost = (old - new) / old
    if new == 0 or lost > share:
        raise UnitFailed(
            f"{unit}: the answer holds {new:,} observations where the archive has {old:,} "
            f"({lost:.0%} fewer; LABOURDASH_MAX_SHRINK allows {share:.0%}); the last complete "
            "archive is kept"
        )
    if new < old:
        log.info("%s: %d observations, %d before (%.1f%% fewer)", unit, new, old, 100 * lost)
    return new
