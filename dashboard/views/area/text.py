"""Swedish/English texts of the area profile (dashboard/views/area/)."""

from __future__ import annotations

from dashboard.core.text.strings import Lookup, T

TEXT: dict[str, tuple[str, str]] = {
    "area.title": ("{name}: områdesprofil", "{name}: area profile"),
    "area.intro": (
        "Var området står i sysselsättningsgapet mellan utrikes och inrikes födda kvinnor, och om "
        "skillnaderna är större än slumpen ger i en befolkning av den storleken.",
        "Where the area stands on the employment gap between foreign-born and Swedish-born women, "
        "and whether the differences are larger than chance produces in a population of that size.",
    ),
    "area.find": ("Hitta ditt område", "Find your area"),
    "area.headline": (
        "{year}: sysselsättningsgraden ({band}) var {v1} för utrikes födda kvinnor och {v2} för "
        "inrikes födda kvinnor i {name}, ett gap på {gap} ({sig}).",
        "{year}: the employment rate ({band}) was {v1} for foreign-born women and {v2} for "
        "Swedish-born women in {name}, a gap of {gap} ({sig}).",
    ),
    "area.no_headline": (
        "{name} har inget värde för gapet mellan utrikes och inrikes födda kvinnor ({band}).",
        "{name} has no value for the gap between foreign-born and Swedish-born women ({band}).",
    ),
    "area.change_first": (
        "Sedan första jämförbara året {year} har gapet ändrats med {change} ({sig}).",
        "Since the first comparable year, {year}, the gap has changed by {change} ({sig}).",
    ),
    "area.change_break": (
        "Sedan senaste serieskiftet ({year}, {series}) har gapet ändrats med {change} ({sig}).",
        "Since the last series break ({year}, {series}) the gap has changed by {change} ({sig}).",
    ),
    "area.sig.yes": ("en signifikant skillnad", "a significant difference"),
    "area.sig.change": ("en signifikant förändring", "a significant change"),
    "area.sig.no": ("inom slumpvariationen", "within chance variation"),
    "area.sig.none": ("inte prövat: antal saknas", "not tested: no counts"),
    "area.sig.derived": (
        "inte jämfört: härlett värde (andel × befolkning)",
        "not compared: derived value (share × population)",
    ),
    "area.sig.derived.short": ("härlett, ej jämfört", "derived, not compared"),
    "area.sig.none.short": ("ej prövat: antal saknas", "not tested: no counts"),
    "area.not_compared_note": (
        "Inte jämförda: värden utan antal och härledda värden (andel × befolkning), vars intervall "
        "skulle påstå en precision som saknas.",
        "Not compared: values without counts and derived values (share × population), whose "
        "interval would claim a precision they lack.",
    ),
    "area.table.spine": ("Tabell: diagrammets {n} rader", "Table: the chart's {n} rows"),
    "area.table.members": ("Tabell: {n} områden", "Table: {n} areas"),
    "area.table.planner": ("Tabell: {n} rader", "Table: {n} rows"),
    "area.planner_pdf": ("Tabellen som PDF", "The table as PDF"),
    "area.planner_chart": (
        "Gapet utrikes – inrikes födda kvinnor i {name} ({age} år); fylld punkt: signifikant",
        "The gap foreign-born – Swedish-born women in {name} (ages {age}); filled dot: significant",
    ),
    "area.no_planner": (
        "{name} har ingen planeringstabell (den finns för län och LA-regioner)",
        "{name} has no planner's table (counties and LA regions have one)",
    ),
    "area.noise_flag": ("(CKM-störning ej i intervallet)", "(CKM noise not in the interval)"),
    "area.spine_noise": (
        "{n} jämförelser gäller år med SCB:s störning (CKM, från {noise}): intervallen är inte "
        "vidgade för den, så de är något för smala.",
        "{n} comparisons are of years with SCB's disclosure noise (CKM, from {noise}): the "
        "intervals are not widened for it, so they are slightly too narrow.",
    ),
    "area.sig.break": ("över ett serieskifte, inte prövat", "across a series break, not tested"),
    "area.sig.noise": (
        "; SCB:s störning (CKM) ingår inte i intervallet",
        "; SCB's disclosure noise (CKM) is not in the interval",
    ),
    "area.ranks": ("Placering bland jämförbara områden", "Rank among comparable areas"),
    "area.rank_lead": (
        "Plats efter gapet mellan utrikes och inrikes födda kvinnor {year}, minst gap först:",
        "Rank by the gap between foreign-born and Swedish-born women in {year}, smallest gap first:",
    ),
    "area.rank": ("{group}: plats {rank} av {n}", "{group}: rank {rank} of {n}"),
    "area.rank_none": ("{group}: inget värde att rangordna", "{group}: no value to rank"),
    "area.rank.counties": ("Alla län", "All counties"),
    "area.rank.la_regions": ("Alla LA-regioner", "All LA regions"),
    "area.rank.level": ("Alla områden på samma nivå", "All areas of the same level"),
    "area.rank.country": (
        "Riket rangordnas inte: välj ett län eller en kommun ovan, eller se länen nedan.",
        "The country is not ranked: choose a county or a municipality above, or see the counties below.",
    ),
    "area.bench.counties": ("länens spridning", "the counties' spread"),
    "area.spine_country": (
        "Rikets {n} värden mot länens spridning (bredden: lägsta till högsta län); riket jämförs "
        "inte med sig självt.",
        "The country's {n} values against the counties' spread (the bar: lowest to highest county); "
        "the country is not compared with itself.",
    ),
    "area.explained": (
        "Förklarat gap {year}: {gap}, varav {composition} av ålderssammansättningen och {rate} av "
        "olika sysselsättning i samma åldrar.",
        "Explained gap {year}: {gap}, of which {composition} from the age structure and {rate} from "
        "different rates at the same ages.",
    ),
    "area.explain_link": ("Förklara gapet", "Explain the gap"),
    "area.no_explained": (
        "Ingen uppdelning av gapet för området.",
        "No decomposition of the gap for the area.",
    ),
    "area.trend_title": (
        "Gapet utrikes – inrikes födda kvinnor ({band}) i {name} mot jämförbara områden",
        "The gap foreign-born – Swedish-born women ({band}) in {name} against comparable areas",
    ),
    "area.trend_summary_country": (
        "Linjen visar riket; bandet visar länens spridning (min–max och kvartilavstånd, {n} län).",
        "The line shows the country; the band shows the counties' spread (min–max and "
        "interquartile range, {n} counties).",
    ),
    "area.trend_summary": (
        "Linjerna visar {name}, länet och riket; bandet visar de jämförbara områdenas spridning "
        "(min–max och kvartilavstånd, {n} områden).",
        "The lines show {name}, the county and the country; the band shows the spread of the "
        "comparable areas (min–max and interquartile range, {n} areas).",
    ),
    "area.band_range": ("Jämförbara: min–max", "Comparable: min–max"),
    "area.band_iqr": ("Jämförbara: 25–75 %", "Comparable: 25th–75th percentile"),
    "area.gap_axis": ("Gap (procentenheter)", "Gap (percentage points)"),
    "area.break": ("serieskifte", "series break"),
    "area.no_values": ("Inga värden för området.", "No values for the area."),
    "area.country": ("Riket", "Sweden"),
    "area.spine_title": (
        "{name} {year}: alla indikatorer mot {bench}",
        "{name} {year}: every indicator against {bench}",
    ),
    "area.spine_summary": (
        "{better} signifikant bättre, {similar} inte olika, {worse} signifikant sämre och "
        "{other} inte jämförda ({higher} högre/lägre utan bättre riktning), mot {bench}.",
        "{better} significantly better, {similar} not different, {worse} significantly worse and "
        "{other} not compared ({higher} higher/lower without a better direction), against {bench}.",
    ),
    "area.spine_outer": ("Jämförelseområden: min–max", "Comparators: min–max"),
    "area.spine_iqr": ("Jämförelseområden: 25–75 %", "Comparators: 25th–75th percentile"),
    "area.spine_axis": (
        "mitten = jämförelsevärdet; staplarna: jämförelseområdenas spridning",
        "centre = benchmark; bars: the comparators' spread",
    ),
    "area.verdict.better": ("Signifikant bättre", "Significantly better"),
    "area.verdict.similar": ("Inte olika", "Not different"),
    "area.verdict.worse": ("Signifikant sämre", "Significantly worse"),
    "area.verdict.higher": ("Signifikant högre", "Significantly higher"),
    "area.verdict.lower": ("Signifikant lägre", "Significantly lower"),
    "area.verdict.not_compared": (
        "Inte jämförd (utan antal, eller härledd)",
        "Not compared (no counts, or derived)",
    ),
    "area.benchmark": ("jämförelsevärde", "benchmark"),
    "area.comparators": ("Jämför med", "Compare with"),
    "area.cmp.all": ("Alla på samma nivå", "All of the same level"),
    "area.cmp.peers": ("SKR-gruppen", "SKR group"),
    "area.cmp.county": ("Länets", "The county's"),
    "area.bench": ("Jämförelsevärde", "Benchmark"),
    "area.bench.country": ("Riket", "Country"),
    "area.bench.county": ("Länet", "County"),
    "area.mixed_ages": (
        "Sidan blandar åldersgrupper: huvudtalet, trenden och rankningen gäller {band}; {parts} gäller {other}.",
        "This page mixes age bands: the headline, the trend and the ranks are for {band}; {parts} for {other}.",
    ),
    "area.part.spine": ("{n} rader i indikatoröversikten", "{n} rows of the indicator overview"),
    "area.part.members": ("tabellen över områden inom {name}", "the table of areas inside {name}"),
    "area.part.planner": ("planeringstabellen", "the planner's table"),
    "area.and": (" och ", " and "),
    "area.members_title": ("Områden inom {name}", "Areas inside {name}"),
    "area.planner_title": (
        "Planeringstabell: {name} ({age} år)",
        "Planner's table: {name} (ages {age})",
    ),
    "area.planner_summary": (
        "Gapet {year} och dess förändring sedan {since} för kommunerna, LUA-områdena, länet utan "
        "dem, länet och riket, på samma åldersgrupp ({age} år).",
        "The gap in {year} and its change since {since} for the municipalities, the LUA districts, "
        "the county without them, the county and the country, on one age band (ages {age}).",
    ),
    "area.planner_note": (
        "Alla rader gäller {age} år. LUA-områden med flera RegSO-områden, de 17 tillsammans och "
        "länet utan dem är räknade ur antal: andelar för {age} år vägda med befolkningen 20-64 år "
        "(SCB:s RegSO-tabeller), så de raderna blandar de två åldersgrupperna. Distriktstabellerna "
        "1997–2018 (20-64 år) ingår inte i tabellen.",
        "Every row is ages {age}. LUA districts of several RegSO areas, the 17 together and the "
        "county without them are rebuilt from counts: shares of ages {age} weighted by the "
        "population aged 20-64 (SCB's RegSO tables), so those rows mix the two bands. The district "
        "tables of 1997–2018 (ages 20-64) are not in this table.",
    ),
    "area.since": ("Förändring sedan", "Change since"),
    "area.sort": ("Sortera efter", "Sort by"),
    "area.sort.gap": ("Gap", "Gap"),
    "area.sort.change": ("Förändring", "Change"),
    "area.kind.municipality": ("kommun", "municipality"),
    "area.kind.district": ("LUA-område", "LUA district"),
    "area.kind.rest": ("län utan LUA", "county without LUA"),
    "area.kind.county": ("län", "county"),
    "area.kind.country": ("riket", "country"),
    "area.kind.la": ("LA-region", "LA region"),
    "area.kind.member": ("del", "member"),
    "area.mark.sig": ("* signifikant (95 %)", "* significant (95 %)"),
    "area.pdf": ("Ladda ner rapporten (PDF)", "Download the report (PDF)"),
    "area.pdf_failed": (
        "Rapporten kunde inte skapas: {reason}",
        "The report could not be made: {reason}",
    ),
    "area.method": (
        "Metod: 95 % Wilson-intervall (Wilson 1927) från antalen; ett värde kallas signifikant "
        "bättre eller sämre när jämförelsevärdet ligger utanför intervallet (Fingertips). "
        "Förändringar prövas med ett z-test på antalen. Härledda värden (andel × befolkning) och "
        "värden utan antal jämförs inte. SCB:s störning (CKM) från {noise} ingår inte i intervallen.",
        "Method: 95 % Wilson interval (Wilson 1927) from the counts; a value is called significantly "
        "better or worse when the benchmark lies outside its interval (Fingertips). Changes are "
        "tested with a z-test on the counts. Derived values (share × population) and values without "
        "counts are not compared. SCB's disclosure noise (CKM) from {noise} is not in the intervals.",
    ),
    "area.definitions": ("Definitioner", "Definitions"),
    "area.sources": ("Källor", "Sources"),
    "area.permalink": ("Länk: {url}", "Link: {url}"),
    "area.col.label": ("Indikator och grupp", "Indicator and group"),
    "area.col.value": ("Värde", "Value"),
    "area.col.ci": ("95 %-intervall", "95 % interval"),
    "area.col.benchmark": ("Jämförelsevärde", "Benchmark"),
    "area.col.verdict": ("Mot jämförelsevärdet", "Against the benchmark"),
    "area.col.name": ("Område", "Area"),
    "area.col.kind": ("Typ", "Kind"),
    "area.col.gap": ("Gap (p.e.)", "Gap (pp)"),
    "area.col.change": ("Förändring (p.e.)", "Change (pp)"),
    "area.col.sig": ("Signifikans", "Significance"),
    "area.col.n": ("Antal (nämnare)", "Count (denominator)"),
    "area.col.year": ("År", "Year"),
    "area.sig_gap": ("gap *", "gap *"),
    "area.sig_change": ("förändring *", "change *"),
}

tr = Lookup(TEXT, T)  # this view's texts first, then the shared ones
