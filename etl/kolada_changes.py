"""Which Kolada KPIs changed since their last success: a few batched `from_date` calls, not one per KPI.

A no-change refresh used to ask Kolada once per KPI x 25 areas x 25 years (~300 calls). Kolada's
`/data/kpi/{ids}/year/{years}?from_date=` covers every municipality and up to 25 KPIs per call
(`seeds/kolada_api_facts.csv`), so the check costs about two calls; only the KPIs it names are
fetched as before. Any failure of the check just means "check each KPI on its own" (as before).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence

from etl.parse.kolada import KoladaShapeError, parse_values_bytes
from etl.sources.http import SourceError
from etl.sources.kolada import KoladaClient

log = logging.getLogger(__name__)


def changed_kpis(client: KoladaClient, since: Mapping[str, str],
                 years: Sequence[int]) -> set[str] | None:  # fmt: skip
    """KPIs (of `since`: KPI -> YYYY-MM-DD) with values changed since their date; None if unknown."""
    by_date: dict[str, list[str]] = defaultdict(list)
    for kpi, day in since.items():
        by_date[day].append(kpi)
    changed: set[str] = set()
    try:
        for day, kpis in sorted(by_date.items()):
            for page in client.changed_since(sorted(kpis), years, day):
                frame = parse_values_bytes(page.content)
                changed |= set(frame["kpi"]) & set(kpis)
    except (SourceError, KoladaShapeError, ValueError) as exc:
        log.warning("kolada: batched change check failed (%s); checking each KPI", exc)
        return None
    log.info("kolada: %d of %d KPI(s) changed since their last success", len(changed), len(since))
    return changed
