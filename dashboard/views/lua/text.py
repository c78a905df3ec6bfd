"""Swedish/English texts of the LUA view (dashboard/views/lua/)."""

from __future__ import annotations

from dashboard.core.text.strings import Lookup, T

TEXT: dict[str, tuple[str, str]] = {
    "lua.title": ("LUA-områdena", "The LUA districts"),
    "lua.intro": (
        "De 17 områdena med lokala utvecklingsavtal (LUA) i Stockholms län, var och ett en eller "
        "flera RegSO-områden, jämförda med länet, länet utan dem och riket.",
        "The 17 districts with local development agreements (LUA) in Stockholm county, each one "
        "or more RegSO areas, compared with the county, the county without them and the country.",
    ),
    "lua.sex": ("Kön", "Sex"),
    "lua.birth": ("Födelseregion", "Birth region"),
    "lua.chart": ("Diagram", "Chart"),
    "lua.chart.unemployment": ("Arbetslöshet", "Unemployment"),
    "lua.chart.birth": ("Efter födelseregion", "By birth region"),
    "lua.chart.district": ("Ett område", "One district"),
    "lua.chart.rank": ("De 17 rangordnade", "The 17 ranked"),
    "lua.district": ("LUA-område", "LUA district"),
    "lua.title.unemployment": (
        "{ind}, {age}: LUA-områdena tillsammans, länet, länet utan dem och riket",
        "{ind}, {age}: the LUA districts together, the county, the county without them and the country",
    ),
    "lua.title.birth": (
        "{ind} efter födelseregion, {age}: LUA-områdena och länet",
        "{ind} by birth region, {age}: the LUA districts and the county",
    ),
    "lua.title.district": (
        "{ind}, {age}: {district} mot kommunen och länet, efter födelseregion",
        "{ind}, {age}: {district} against its municipality and the county, by birth region",
    ),
    "lua.title.rank": (
        "{ind} {year}, {age}: de 17 LUA-områdena och deras kommun",
        "{ind} {year}, {age}: the 17 LUA districts and their municipality",
    ),
    "lua.age": ("Ålder", "Age"),
    "lua.ages": ("{ages} år", "ages {ages}"),
    "lua.break": (
        "Seriebrott: SCB:s områdestabeller → RegSO",
        "Series break: SCB's district tables → RegSO",
    ),
    "lua.age_change": (
        "åldersgruppen byts här: {old} → {new} år",
        "age band changes here: {old} → {new}",
    ),
    "lua.break_note": (
        "Linjerna bryts där serien byter definition (SCB:s LUA-tabeller till 2018, RegSO-data från "
        "2020; RAMS → BAS för län och riket) och binds aldrig ihop över brottet.",
        "Lines break where the series changes definition (SCB's LUA tables to 2018, RegSO data from "
        "2020; RAMS → BAS for the county and the country) and are never joined across the break.",
    ),
    "lua.age_note": (
        "Åldersgrupper: SCB:s områdestabeller 1997–2018 och TAB6680 avser 20–64 år; andelarna efter "
        "födelseregion i RegSO-eran publiceras för 20–65 år. LUA-områdena här: {ages}; länet, "
        "kommunerna och riket: 20–64 år där det publiceras.",
        "Age bands: SCB's district tables 1997–2018 and TAB6680 cover ages 20–64; the RegSO era's "
        "shares by birth region are published for ages 20–65. The LUA areas here: {ages}; the county, "
        "municipalities and the country: 20–64 where published.",
    ),
    "lua.partial": (
        "{group}: värden bara för {years}.",
        "{group}: values only for {years}.",
    ),
    "lua.summary_lines": ("{year}: {parts}.", "{year}: {parts}."),
    "lua.sources": ("Källa: SCB, {tables}.", "Source: SCB, {tables}."),
    "lua.municipality": ("Kommunen", "The municipality"),
    "lua.districts": ("LUA-område", "LUA district"),
    "lua.direct": ("summerade antal", "summed counts"),
    "lua.incomplete": ("ofullständig: saknas för {members}", "incomplete: missing for {members}"),
    "lua.no_population": (
        "Inget värde: SCB publicerar bara andelar för den här gruppen på RegSO-nivå och ingen "
        "befolkning 20–64 år för samma grupp, och andelar medelvärdesbildas aldrig.",
        "No value: SCB publishes only shares for this group at RegSO level and no population "
        "aged 20–64 for the same group, and shares are never averaged.",
    ),
    "lua.no_pop_short": (
        "ingen befolkning 20–64 för gruppen (bara andelar)",
        "no population 20–64 for the group (shares only)",
    ),  # fmt: skip
    "lua.no_data": ("Inga LUA-värden för valet.", "No LUA values for this selection."),
    "lua.rank_summary": (
        "{year}: högst {hi} ({hi_v}), lägst {lo} ({lo_v}){below}.",
        "{year}: highest {hi} ({hi_v}), lowest {lo} ({lo_v}){below}.",
    ),
    "lua.below": (
        "; {below} av {n} områden under sin kommun",
        "; {below} of {n} districts below their municipality",
    ),  # fmt: skip
    "lua.method": (
        "Metod: ett LUA-områdes värde är Σ täljare / Σ nämnare över dess RegSO-områden (aldrig ett "
        "medelvärde av andelar). Sysselsättning och arbetslöshet är direkta antal ur SCB TAB6680; "
        "där bara en andel finns (IntGr1RegSOBASN) härleds antalet som andel × befolkningen i samma "
        "åldersgrupp (20–65 år, som andelarna publiceras) i samma RegSO, kön och år ur TAB6680 och markeras 'härlett'. Länet utan LUA-områdena "
        "är länets antal minus områdenas; där länet inte publicerar antal (inskriven och långtidsarbetslöshet, "
        "sysselsättning 20–64 år där länets värde är en andel) är det summan av länets övriga RegSO-områden, "
        "byggda på samma sätt och markerade 'härlett'. Ett sekretessmarkerat område räknas med sina gränser "
        "(0 till 5 personer, aldrig 0): summan får ett värde bara när gränserna ändrar det högst 0,05 procentenheter.",
        "Method: a LUA district's value is Σ numerator / Σ denominator over its RegSO areas (never "
        "a mean of shares). Employment and unemployment are direct counts from SCB TAB6680; where "
        "only a share exists (IntGr1RegSOBASN) the count is derived as share × the population of the "
        "same age band (20–65, as the shares are published) of the same RegSO, sex and year from TAB6680 and marked 'derived'. The county "
        "without the LUA districts is the county's counts minus the districts'; where the county publishes "
        "no counts (registered and long-term unemployment, employment 20–64 where the county's value is a "
        "share) it is the sum of the county's other RegSO areas, built the same way and marked 'derived'. "
        "A suppressed area counts with its bounds (0 to 5 persons, never 0): the sum gets a value only "
        "when the bounds move it by at most 0.05 points.",
    ),
    "lua.vintage": (
        "RegSO-indelning: RegSO 2020 till och med 2023, RegSO 2025 från 2024. Ett LUA-distrikt "
        "består av samma RegSO-koder i båda indelningarna.",
        "RegSO division: RegSO 2020 up to 2023, RegSO 2025 from 2024. A LUA district is made of "
        "the same RegSO codes in both divisions.",
    ),
    "lua.synthetic": (
        "Syntetiska demovärden (påhittade, inte officiell statistik) är markerade i grafer och tabell.",
        "Synthetic demo values (made up, not official statistics) are marked in charts and table.",
    ),
    "lua.failed": (
        "{name} kunde inte byggas av den senaste uppdateringen: {why}",
        "{name} could not be built by the last refresh: {why}",
    ),
    "lua.map_link": ("Visa LUA-områdena på kartan", "Show the LUA districts on the map"),
    "lua.trends_link": ("Jämförelsen i Utveckling", "The comparison in Trends"),
    "col.method": ("Metod", "Method"),
    "col.attribution": ("Källa", "Source"),
    "col.tables": ("Tabeller", "Tables"),
    "col.derived": ("Härlett", "Derived"),
}

tr = Lookup(TEXT, T)  # this view's texts first, then the shared ones
