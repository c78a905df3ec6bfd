"""Swedish/English strings for exports, provenance, the county focus and the accessibility layer.

Merged into dashboard.text.T (kept apart so parallel work on text.py merges cleanly).
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # provenance and exports
    "prov.source": ("Källa", "Source"),
    "prov.updated": ("uppdaterad {date}", "updated {date}"),
    "prov.fetched": ("hämtad {date}", "fetched {date}"),
    "prov.none": ("Källa: inga värden i urvalet", "Source: no values in the selection"),
    "prov.synthetic_mark": (
        "SYNTETISKA VÄRDEN – inte officiell statistik",
        "SYNTHETIC VALUES – not official statistics",
    ),
    "prov.column": ("Källa (tabell/KPI, uppdaterad)", "Source (table/KPI, updated)"),
    "prov.view_url": ("Vyns adress", "View URL"),
    "prov.definition": ("Definition", "Definition"),
    "prov.title": ("Tabellens namn", "Table title"),
    "prov.synthetic_share": ("Andel syntetiska rader", "Share of synthetic rows"),
    "prov.sheet_data": ("Data", "Data"),
    "prov.sheet_sources": ("Källor", "Sources"),
    "xlsx": ("Ladda ned Excel (xlsx)", "Download Excel (xlsx)"),
}
