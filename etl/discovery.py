"""Find an SCB table whose id is not pinned in seeds: search by title words, confirm by metadata.

PxWebApi 2.0's `/tables?query=` searches table ids, titles and codes, so a v1 table name is no
query. Each candidate whose title fits is confirmed by its metadata: its Region codes must look
like the expected areas (e.g. RegSO codes) and a content label must match. The first confirmed
candidate wins; its id is recorded in the unit's provenance.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from etl.parse.jsonstat import codes_in_order
from etl.sources.http import SourceError
from etl.sources.pxweb import PxWebClient
from etl.units import UnitFailed

log = logging.getLogger(__name__)
MAX_CANDIDATES = 6  # metadata calls per query at most


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def confirms(metadata: dict[str, Any], region_regex: str, content_regex: str) -> bool:
    """Whether a table's metadata has Region codes and a content label of the expected kind."""
    dims = metadata.get("dimension") or {}
    if region_regex:
        if "Region" not in dims:
            return False
        pattern = re.compile(region_regex)
        if not any(pattern.search(c) for c in codes_in_order(metadata, "Region")):
            return False
    if content_regex:
        labels = ((dims.get("ContentsCode") or {}).get("category") or {}).get("label") or {}
        pattern = re.compile(content_regex, re.IGNORECASE)
        if not any(pattern.search(str(label)) for label in labels.values()):
            return False
    return True


def find_table(client: PxWebClient, row: Any) -> dict[str, Any]:
    """The first current table found by the row's queries whose title and metadata fit."""
    title = re.compile(row.discover_title or ".", re.IGNORECASE)
    tried: list[str] = []
    for query in _split(row.discover_query):
        hits = [t for t in client.search_tables(query) if title.search(str(t.get("label", "")))]
        current = [t for t in hits if not t.get("discontinued")]
        for table in current[:MAX_CANDIDATES]:
            tried.append(str(table.get("id")))
            try:
                meta = client.metadata(table["id"]).json()
            except SourceError as exc:
                log.info("candidate %s for %s: %s", table.get("id"), row.table_key, exc)
                continue
            if confirms(meta, row.discover_region, row.discover_content):
                log.info("%s found as %s (query %r)", row.table_key, table["id"], query)
                return {**table, "found_by": query}
    raise UnitFailed(
        f"scb:{row.table_key}: no current SCB table found by "
        f"{' / '.join(repr(q) for q in _split(row.discover_query))} whose title matches "
        f"{row.discover_title!r} and whose metadata fits"
        + (f" (checked {', '.join(tried)})" if tried else " (no candidates)")
    )
