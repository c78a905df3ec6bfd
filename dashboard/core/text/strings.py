"""The dashboard's Swedish/English key table, the column headers and the one lookup they share.

Every visible string is a (sv, en) pair in a table; `t` translates a key of the shared table `T`, a
view with its own table builds its lookup with `Lookup(its_table, T)` (dashboard/text/explain.py,
dashboard/text/lua.py). The summaries' sentence templates are in dashboard/text/sentences.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.core.text.sentences import SENTENCES

Pair = tuple[str, str]  # (Swedish, English)
LANGS = ("sv", "en")
DEFAULT_LANG = "sv"

T: dict[str, Pair] = {
    "title": ("Arbetsmarknadsgap", "Labour-market gaps"),
    "tagline": (
        "Sysselsättning efter födelseregion och kön i Sveriges kommuner och regioner",
        "Employment by birth region and sex in Sweden's municipalities and regions",
    ),
    "skip": ("Hoppa till innehållet", "Skip to content"),
    "language": ("Språk", "Language"),
    "nav.map": ("Karta", "Map"),
    "nav.trends": ("Utveckling", "Trends"),
    "nav.peers": ("Jämförelse", "Peers"),
    "nav.explore": ("Utforska", "Explore"),
    "nav.data": ("Data och källor", "Data & sources"),
    "nav.explain": ("Förklara gapet", "Explain the gap"),
    "nav.lua": ("LUA-områden", "LUA districts"),
    "nav.area": ("Mitt område", "My area"),
    "banner.synthetic": (
        "Demodata: de flesta värden är påhittade (syntetiska) och är inte officiell statistik.",
        "Demo data: most values are made up (synthetic) and are not official statistics.",
    ),
    "banner.real": ("Verkliga serier:", "Real series:"),
    "banner.which": ("Vilka serier är verkliga?", "Which series are real?"),
    "banner.partly_real": ("Delvis verkliga serier:", "Partly real series:"),
    "banner.none_real": ("Inga serier är verkliga.", "No series are real."),
    "banner.partly": (
        "Delvis syntetiska data: vissa värden är påhittade och är inte officiell statistik.",
        "Partly synthetic data: some values are made up and are not official statistics.",
    ),
    "footer.note": (
        "Värden från kombinerade områden (LA-regioner, områdesgrupper) är beräknade från summerade antal.",
        "Values for combined areas (LA regions, area sets) are computed from summed counts.",
    ),
    "no_warehouse": (
        "Databasen hittades inte ({path}). Bygg den med `labourdash demo` eller `labourdash refresh`.",
        "The warehouse was not found ({path}). Build it with `labourdash demo` or `labourdash refresh`.",
    ),
    "no_read": (
        "Databasen kan inte läsas ({path}); den kan vara skadad. Bygg om den med `labourdash rebuild`.",
        "The warehouse cannot be read ({path}); it may be corrupt. Rebuild it with `labourdash rebuild`.",
    ),
    "error": (
        "Något gick fel när vyn skulle visas. Försök igen eller välj något annat.",
        "Something went wrong while drawing this view. Try again or choose something else.",
    ),
    # controls
    "indicator": ("Indikator", "Indicator"),
    "gap": ("Gap", "Gap"),
    "year": ("År", "Year"),
    "year0": ("Från år", "From year"),
    "level": ("Områdesnivå", "Area level"),
    "municipality": ("Kommun", "Municipality"),
    "areas": ("Områden", "Areas"),
    "selected_area": ("Valt område", "Selected area"),
    "colour": ("Färg visar", "Colour shows"),
    "colour.gap": ("Gap (procentenheter)", "Gap (percentage points)"),
    "colour.value": ("Värde för en grupp", "Value for one group"),
    "group": ("Grupp", "Group"),
    "birth": ("Födelseregioner", "Birth regions"),
    "age": ("Ålder", "Age"),
    "rows": ("rader", "rows"),
    "not_found": ("Sidan finns inte.", "This page does not exist."),
    "note.in_swedish": ("på svenska", "in Swedish, as the source publishes it"),
    "age.all": ("Alla åldrar", "All ages"),
    "age.band": ("{lo}–{hi} år", "ages {lo}–{hi}"),
    "age.band_one": ("{age} år", "ages {age}"),
    "birth.main": ("Sverige / utrikes", "Sweden / foreign-born"),
    "birth.detail": ("Finare födelseregioner", "Finer birth regions"),
    "birth.time": ("Tid i Sverige", "Time in Sweden"),
    "birth.all": ("Alla födelseregioner", "All birth regions"),
    "sexes": ("Kön", "Sex"),
    "sexes.split": ("Kvinnor och män", "Women and men"),
    "sexes.total": ("Alla", "All"),
    "peers": ("Jämförelsegrupp", "Peer set"),
    "peers.skr": ("SKR:s kommungrupp", "SKR municipality group"),
    "peers.similar": (
        "Liknande kommuner – arbetsmarknad (Kolada)",
        "Similar municipalities – labour market (Kolada)",
    ),
    "peers.la": ("Samma lokala arbetsmarknad", "Same local labour market"),
    "peers.county": ("Samma län", "Same county"),
    "peers.custom": ("Egen lista", "Custom list"),
    "peers.none": ("Ingen", "None"),
    "peers.national": ("länen jämförda med riket", "the counties against the country"),
    "peers.pick": (
        "Ingen kommun är vald: länen visas mot riket. Välj en kommun för att jämföra den med "
        "sina jämförelsekommuner.",
        "No municipality is chosen: the counties are shown against the country. Choose a "
        "municipality to compare it with its peers.",
    ),
    "custom": ("Egna jämförelsekommuner", "Custom peer municipalities"),
    "x": ("X-axel", "X axis"),
    "view": ("Tabell för vyn", "Table of view"),
    "play": ("Spela upp", "Play"),
    "pause": ("Pausa", "Pause"),
    "csv": ("Ladda ned CSV", "Download CSV"),
    "png": ("PNG", "PNG"),
    "svg": ("SVG", "SVG"),
    "table": (
        "Tabell (tillgängligt alternativ till diagrammet)",
        "Table (accessible alternative to the chart)",
    ),
    "select": ("Välj…", "Select…"),
    # levels
    "level.municipality": ("Kommuner", "Municipalities"),
    "level.county": ("Län", "Counties"),
    "level.la_region": ("Lokala arbetsmarknader", "Local labour markets"),
    "level.regso": ("RegSO inom en kommun", "RegSO areas within a municipality"),
    "level.regso_set": ("LUA-områden (RegSO-grupper)", "LUA districts (RegSO groups)"),
    # chart vocabulary
    "pp": ("p.e.", "pp"),
    "gap_axis": ("Gap, procentenheter", "Gap, percentage points"),
    "gap_scale.below": ("alla värden under noll", "every value below zero"),
    "gap_scale.above": ("alla värden över noll", "every value above zero"),
    "below": ("under", "below"),
    "above": ("över", "above"),
    "equal": ("lika med", "equal to"),
    "suppressed": ("Skyddad uppgift (..)", "Suppressed (..)"),
    "missing": ("Uppgift saknas", "No data"),
    "small": ("Litet underlag", "Small numbers"),
    "small_long": (
        "befolkning under {n}: osäkert värde",
        "population below {n}: uncertain value",
    ),
    "synthetic_value": ("syntetiskt demovärde", "synthetic demo value"),
    "real_value": ("verkligt publicerat värde", "real published value"),
    "calibrated_value": ("kalibrerat mot verkligt värde i {source}", "calibrated to real {source}"),
    "mixed_value": (
        "bygger på både verkliga och syntetiska värden",
        "built from both real and synthetic values",
    ),
    "tag_real": ("verkligt", "real"),
    "tag_synthetic": ("syntetiskt", "synthetic"),
    "tag_mixed": ("blandat: {parts}", "mixed: {parts}"),
    "tag_calibrated": ("syntetiskt, kalibrerat mot {source}", "synthetic, calibrated to {source}"),
    "derived_value": ("härlett: andel × befolkning", "derived: share × population"),
    "derived_band": (  # a LUA district's value (its lines in Trends, its rows in the LUA view)
        "härlett: andel × befolkning i samma åldersgrupp",
        "derived: share × population of the same age band",
    ),
    "synthetic_note": (
        "syntetiska demovärden, inte officiell statistik",
        "synthetic demo values, not official statistics",
    ),
    "schematic": (
        "Schematiska former, inte verkliga gränser (demo)",
        "Schematic shapes, not real boundaries (demo)",
    ),
    "series_break": ("Seriebrott RAMS → BAS", "Series break RAMS → BAS"),
    "series_break_other": ("Seriebrott", "Series break"),
    "series_ends": ("slutar {year}", "ends {year}"),
    "map.selected_missing": ("inget värde det året", "no value that year"),
    "map.whole": ("Visa hela kartan", "Show the whole map"),
    "trends.empty_panel": (
        "{area}: inga värden för {groups}, {band}.",
        "{area}: no values for {groups}, {band}.",
    ),
    "trends.empty_has": ("Det som finns: {groups}.", "What there is: {groups}."),
    "trends.empty_ages": (
        "Indikatorn finns här bara för {ages}: välj den åldern.",
        "The indicator exists here only for {ages}: choose that age.",
    ),
    "trends.empty_none": (
        "Indikatorn finns inte för området.",
        "The indicator does not exist for this area.",
    ),
    "slope.not_joined": (
        "värdena före och efter brottet binds inte ihop",
        "values before and after the break are not joined",
    ),
    "ckm": ("Brus (CKM) från {year}", "Noise (CKM) from {year}"),
    "population": ("Befolkning", "Population"),
    "count_of": ("{num} av {den}", "{num} of {den}"),
    "peer_median": ("Median i gruppen", "Peer median"),
    "peer_mean": ("Befolkningsvägt medel", "Population-weighted mean"),
    "rank": ("plats {rank} av {n}", "rank {rank} of {n}"),
    "selected": ("Vald", "Selected"),
    "others": ("Övriga kommuner", "Other municipalities"),
    "peers_trace": ("Jämförelsegrupp", "Peers"),
    "open_in": ("Visa {name} i:", "Show {name} in:"),
    "selection_in": (
        "Visa urvalet ({n} kommuner) i:",
        "Show the selection ({n} municipalities) in:",
    ),
    # notes
    "note.missing": (
        "Grått: skyddad uppgift (..) eller uppgift saknas – inte noll. Ringar: litet underlag (befolkning under {n}).",
        "Grey: suppressed (..) or not available – not zero. Rings: small numbers (population below {n}).",
    ),
    "note.ckm": (
        "Från referensår {year} lägger SCB till litet slumpmässigt brus (CKM) i tabellerna, så delar summerar inte "
        "alltid till totalen och små grupper och områden är osäkra.",
        "From reference year {year} SCB adds small random noise (CKM) to its tables, so parts do not always add up "
        "to totals, and small groups and areas are uncertain.",
    ),
    "note.break": (
        "Registerstatistiken bytte från RAMS till BAS (2019/2020). Serierna har olika definitioner och ritas "
        "därför aldrig ihop; brottet är markerat.",
        "Register statistics moved from RAMS to BAS (2019/2020). The series differ in definition, so they are "
        "never joined; the break is marked.",
    ),
    "note.weighted": (
        "Medianen och det befolkningsvägda medlet (summa sysselsatta / summa befolkning) avser gruppen inklusive "
        "den valda kommunen. Koladas egna gruppvärden är ovägda medelvärden.",
        "The median and the population-weighted mean (sum employed / sum population) are over the peer set "
        "including the selected municipality. Kolada's own group values are unweighted means.",
    ),
    "note.summed": (
        "Län och lokala arbetsmarknader: publicerade värden eller värden beräknade från summerade antal, "
        "aldrig medelvärden av andelar.",
        "Counties and local labour markets: published values or values computed from summed counts, never "
        "averages of rates.",
    ),
    "note.size": ("Punktstorlek: befolkning.", "Point size: population."),
    # messages
    "msg.bad": (
        "Adressen innehöll ogiltiga val som ersattes med standardval:",
        "The address had invalid choices, replaced by defaults:",
    ),
    "health.failed": (
        "Den senaste uppdateringen ({kind}) misslyckades; siffrorna är från den förra.",
        "The last update ({kind}) failed; the figures are from the one before.",
    ),
    "health.partial": (
        "Den senaste uppdateringen blev bara delvis klar; vissa serier är äldre.",
        "The last update only partly succeeded; some series are older.",
    ),
    "health.stale": (
        "Uppgifterna uppdaterades senast {when} ({days} dagar sedan).",
        "The data was last updated on {when} ({days} days ago).",
    ),
    "msg.invalid": (
        "Vyn kunde inte visas med de valen; standardvyn visas i stället.",
        "The view could not be shown with those choices; the default view is shown instead.",
    ),
    "msg.unknown": ("okänd kod {value!r} för {param}", "unknown code {value!r} for {param}"),
    "msg.level": (
        "{value} är en annan sorts område än sidan visar",
        "{value} is not a kind of area this page shows",
    ),
    "msg.malformed": (
        "ogiltigt värde {value!r} för {param}",
        "malformed value {value!r} for {param}",
    ),
    "empty": (
        "Inget att visa: {reason}",
        "Nothing to show: {reason}",
    ),
    "empty.units_missing": (
        "Källdata har aldrig kunnat hämtas för: {units} (se Data och källor).",
        "Source data has never been loaded for: {units} (see Data & sources).",
    ),
    "empty.no_data": (
        "det finns inga värden för det här urvalet. Välj ett annat år, en annan indikator eller grupp.",
        "there are no values for this selection. Choose another year, indicator or group.",
    ),
    "empty.no_areas": (
        "inga områden är valda. Välj minst ett område.",
        "no areas are selected. Choose at least one area.",
    ),
    "empty.no_peers": (
        "jämförelsegruppen är tom för den här kommunen. Välj en annan grupp eller lägg till kommuner i en egen lista.",
        "the peer set is empty for this municipality. Choose another set or add municipalities to a custom list.",
    ),
    "empty.no_group": (
        "indikatorn har inga värden för {group}. Välj ett annat gap eller en annan indikator.",
        "the indicator has no values for {group}. Choose another gap or indicator.",
    ),
    # data page
    "sources.title": ("Serier och källor", "Series and sources"),
    "refresh.title": ("Senaste uppdatering", "Last refresh"),
    "refresh.none": ("Ingen körning registrerad.", "No run recorded."),
    "refresh.line": (
        "{kind} {finished} – status: {status}",
        "{kind} {finished} – status: {status}",
    ),
    "units.title": ("Uppdateringsenheter", "Refresh units"),
    "units.all_ok": (
        "Inga av de {n} enheterna (SCB-tabeller, gränser, Kolada-nyckeltal) är inaktuella.",
        "None of the {n} units (SCB tables, boundaries, Kolada KPIs) is stale.",
    ),
    "units.some_stale": (
        "{bad} av {n} enheter är inte aktuella. Deras senast kompletta data visas; övriga är uppdaterade.",
        "{bad} of {n} units are not current. Their last complete data is shown; the others are up to date.",
    ),
    "units.state.ok": ("aktuell", "current"),
    "units.state.failed": (
        "inaktuell (senaste försöket misslyckades)",
        "stale (the last attempt failed)",
    ),
    "units.state.missing": ("saknas (aldrig hämtad)", "missing (never loaded)"),
    "units.state.retired": ("upphörd hos källan", "discontinued by the source"),
    "col.unit": ("Enhet", "Unit"),
    "col.state": ("Läge", "State"),
    "col.last_success": ("Senast lyckad", "Last success"),
    "col.last_attempt": ("Senaste försök", "Last attempt"),
    "col.error": ("Orsak", "Reason"),
    "col.indicator": ("Indikator", "Indicator"),
    "col.source": ("Källtabell / KPI", "Source table / KPI"),
    "col.updated": ("Uppdaterad hos källan", "Source updated"),
    "col.fetched": ("Hämtad", "Fetched"),
    "col.attribution": ("Källa", "Attribution"),
    "col.years": ("År", "Years"),
    "col.real": ("Verklig/syntetisk", "Real/synthetic"),
    "col.notes": ("Anmärkning", "Notes"),
    "real": ("verklig", "real"),
    "synthetic": ("syntetisk", "synthetic"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    # exports, provenance, county focus, accessibility
    # provenance and exports
    "prov.source": ("Källa", "Source"),
    "prov.updated": ("uppdaterad {date}", "updated {date}"),
    "prov.fetched": ("hämtad {date}", "fetched {date}"),
    "prov.none": ("Källa: inga värden i urvalet", "Source: no values in the selection"),
    "prov.synthetic_mark": (
        "SYNTETISKA VÄRDEN – inte officiell statistik",
        "SYNTHETIC VALUES – not official statistics",
    ),
    "prov.permalink": ("Länk till diagrammet", "Link to this chart"),
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
    # the Peers page's funnel plot (views/peers/funnel.py)
    "funnel.no_counts": ("Inga antal att pröva mot.", "No counts to test against."),
    "funnel.peers": ("Jämförbara kommuner", "Comparable municipalities"),
    "funnel.population": (
        "Befolkning (nämnare, logaritmisk skala)",
        "Population (denominator, log scale)",
    ),
    "funnel.value_axis": ("Värde (%)", "Value (%)"),
    "funnel.limit95": ("95 %-gräns", "95 % limit"),
    "funnel.limit998": ("99,8 %-gräns", "99.8 % limit"),
    "funnel.title_national": (
        "{ind} {year}, {group}: länen och riket mot sin befolkning",
        "{ind} {year}, {group}: the counties and the country against their population",
    ),
    "funnel.peers_national": ("Länen", "The counties"),
    "funnel.title": (
        "{ind} {year}, {group}: kommunerna i {set} mot sin befolkning",
        "{ind} {year}, {group}: the municipalities of {set} against their population",
    ),
    "funnel.summary": (
        "{outside} av {n} ligger utanför 95 %-gränserna kring jämförelsevärdet {bench} "
        "(Spiegelhalter 2005); inom gränserna skiljer sig värdet inte mer än slumpen ger.",
        "{outside} of {n} lie outside the 95 % limits around the benchmark {bench} "
        "(Spiegelhalter 2005); within the limits a value differs no more than chance produces.",
    ),
    "funnel.benchmark": ("jämförelsevärde", "benchmark"),
    "fold": ("Val", "Options"),
}
T.update(SENTENCES)  # the summaries' sentence templates

COLUMNS: dict[str, Pair] = {
    "area_code": ("Kod", "Code"),
    "area": ("Område", "Area"),
    "level": ("Nivå", "Level"),
    "year": ("År", "Year"),
    "group": ("Grupp", "Group"),
    "sex": ("Kön", "Sex"),
    "birth_region": ("Födelseregion", "Birth region"),
    "value": ("Värde", "Value"),
    "value_a": ("Värde A", "Value A"),
    "value_b": ("Värde B", "Value B"),
    "gap_pp": ("Gap (p.e.)", "Gap (pp)"),
    "gap0_pp": ("Gap första år (p.e.)", "Gap first year (pp)"),
    "numerator": ("Täljare (antal)", "Numerator (count)"),
    "denominator": ("Befolkning (nämnare)", "Population (denominator)"),
    "x_value": ("X-värde", "X value"),
    "population": ("Befolkning", "Population"),
    "status": ("Status", "Status"),
    "series": ("Serie", "Series"),
    "small": ("Litet underlag", "Small numbers"),
    "synthetic": ("Syntetiskt", "Synthetic"),
    "provenance": ("Verkligt eller syntetiskt", "Real or synthetic"),
    "rank": ("Plats", "Rank"),
    "peer": ("I gruppen", "In peer set"),
    "source_table": ("Källa", "Source"),
}


def norm_lang(lang: str | None) -> str:
    """A supported language code (Swedish by default)."""
    return lang if lang in LANGS else DEFAULT_LANG


def pick(pair: Pair, lang: str | None) -> str:
    """The text of a (sv, en) pair in `lang` (Swedish for an unknown language)."""
    return pair[LANGS.index(norm_lang(lang))]


def in_lang(table: Mapping[str, Pair], lang: str | None) -> dict[str, str]:
    """Every text of a table in `lang` (column headers, the grid's locale)."""
    return {key: pick(pair, lang) for key, pair in table.items()}


class Lookup:
    """Translation of keys from sv/en tables: the first table with the key wins, else the key itself."""

    def __init__(self, *tables: Mapping[str, Pair]) -> None:
        self.tables = tables

    def __call__(self, key: str, lang: str | None = DEFAULT_LANG, **kwargs: object) -> str:
        """The text of `key` in `lang`, filled with str.format arguments."""
        for table in self.tables:
            pair = table.get(key)
            if pair is not None:
                text = pick(pair, lang)
                return text.format(**kwargs) if kwargs else text
        return key


t = Lookup(T)  # a UI string: t("nav.map", lang), t("rank", lang, rank=1, n=7)
column = Lookup(COLUMNS)  # the header of a table column: column("area_code", lang)


def age_band(age: str, lang: str = DEFAULT_LANG) -> str:
    """The age band as titles, hovers and headers name it: '20–64 år', 'ages 20–64', 'Alla åldrar'."""
    if f"age.{age}" in T:
        return t(f"age.{age}", lang)
    lo, sep, hi = str(age).partition("-")
    return t("age.band", lang, lo=lo, hi=hi) if sep and hi else t("age.band_one", lang, age=age)


def age_label(age: str, lang: str = DEFAULT_LANG) -> str:
    """An age group as the page shows it: 'all' translated, '20-64' as it is."""
    return t(f"age.{age}", lang) if f"age.{age}" in T else age
