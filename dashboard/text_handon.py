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
    "prov.column": ("Källa: tabell/KPI (uppdaterad)", "Source: table/KPI (updated)"),
    "prov.view_url": ("Vyns adress", "View URL"),
    "prov.definition": ("Definition", "Definition"),
    "prov.title": ("Tabellens namn", "Table title"),
    "prov.synthetic_share": ("Andel syntetiska rader", "Share of synthetic rows"),
    "prov.sheet_data": ("Data", "Data"),
    "prov.sheet_sources": ("Källor", "Sources"),
    "xlsx": ("Ladda ned Excel (xlsx)", "Download Excel (xlsx)"),
    "banner.real_share": ("{share} verkliga", "{share} real"),
    "sources.real_share": ("{share} verkliga rader", "{share} real rows"),
    # messages
    "msg.too_many": (
        "högst {value} områden kan visas samtidigt; de första {value} visas",
        "at most {value} areas can be shown at once; the first {value} are shown",
    ),
    "one_year_gap": (
        "i {name} var gapet {gap} ({year}); bara ett år finns, så ingen förändring kan visas",
        "in {name} the gap was {gap} ({year}); there is only one year, so no change can be shown",
    ),
    "rank.long": (
        "{order} efter {indicator} bland {group}: plats {rank} av {n}",
        "{order} by {indicator} among {group}: rank {rank} of {n}",
    ),
    "rank.high_first": ("högst först", "highest first"),
    "rank.low_first": ("lägst först", "lowest first"),
    "url_too_long.title": ("Adressen är för lång", "The address is too long"),
    "url_too_long.body": (
        "Adressen har fler val än vyn kan läsa (över {n} tecken). Börja om från standardvyn "
        "och välj färre områden.",
        "The address holds more choices than the view can read (over {n} characters). Start "
        "again from the default view and choose fewer areas.",
    ),
    "url_too_long.link": ("Till standardvyn", "To the default view"),
    # county focus
    "focus": ("Fokus: län eller lokal arbetsmarknad", "Focus: county or local labour market"),
    "focus.none": ("Hela Sverige", "All of Sweden"),
    "focus.la_prefix": ("LA:", "LA:"),
    "focus.rank_trace": ("Kommuner", "Municipalities"),
    "focus.rank_title": (
        "{what}, {year}: kommunerna i {focus}",
        "{what}, {year}: municipalities of {focus}",
    ),
    "focus.summary_gap": (
        "{year}, {focus}, {what}: störst gap i {lo_name} ({lo}), minst i {hi_name} ({hi}) bland {n} kommuner",
        "{year}, {focus}, {what}: largest gap in {lo_name} ({lo}), smallest in {hi_name} ({hi}) among {n} municipalities",
    ),
    "focus.summary_value": (
        "{year}, {focus}, {what}: lägst i {lo_name} ({lo}), högst i {hi_name} ({hi}) bland {n} kommuner",
        "{year}, {focus}, {what}: lowest in {lo_name} ({lo}), highest in {hi_name} ({hi}) among {n} municipalities",
    ),
    "focus.click": (
        "Klicka på en stapel för att välja kommunen i de andra vyerna.",
        "Click a bar to select the municipality for the other views.",
    ),
}
