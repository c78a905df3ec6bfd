"""Swedish/English labels, number formatting and generated one-sentence chart summaries."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.gaps import Gap, Group
from dashboard.mappings import BIRTH_REGIONS
from dashboard.text_handon import STRINGS as _HANDON
from dashboard.text_sentences import SENTENCES

if TYPE_CHECKING:
    from dashboard.queries import Catalogue

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
MINUS = "\u2212"
NBSP = "\u00a0"

T: dict[str, tuple[str, str]] = {
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
    "footer.sources": ("Källor", "Sources"),
    "footer.note": (
        "Värden från kombinerade områden (LA-regioner, områdesgrupper) är beräknade från summerade antal.",
        "Values for combined areas (LA regions, area sets) are computed from summed counts.",
    ),
    "no_warehouse": (
        "Databasen hittades inte ({path}). Bygg den med `labourdash demo` eller `labourdash refresh`.",
        "The warehouse was not found ({path}). Build it with `labourdash demo` or `labourdash refresh`.",
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
    "derived_value": ("härlett: andel × befolkning", "derived: share × population"),
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
    "ckm": ("Brus (CKM) från 2025", "Noise (CKM) from 2025"),
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
        "Från referensår 2025 lägger SCB till litet slumpmässigt brus (CKM) i tabellerna, så delar summerar inte "
        "alltid till totalen och små grupper och områden är osäkra.",
        "From reference year 2025 SCB adds small random noise (CKM) to its tables, so parts do not always add up "
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
}
T.update(_HANDON)  # exports, provenance, county focus, accessibility
T.update(SENTENCES)  # the summaries' sentence templates

COLUMNS: dict[str, tuple[str, str]] = {
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
    "rank": ("Plats", "Rank"),
    "peer": ("I gruppen", "In peer set"),
    "source_table": ("Källa", "Source"),
}

_SEX = {
    "sv": {"women": "kvinnor", "men": "män", "total": "personer"},
    "en": {"women": "women", "men": "men", "total": "people"},
}


def norm_lang(lang: str | None) -> str:
    """A supported language code (Swedish by default)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Translate a UI string (with str.format arguments)."""
    pair = T.get(key)
    if pair is None:
        return key
    text = pair[0] if norm_lang(lang) == "sv" else pair[1]
    return text.format(**kwargs) if kwargs else text


def age_label(age: str, lang: str = DEFAULT_LANG) -> str:
    """An age group as the page shows it: 'all' translated, '20-64' as it is."""
    return t(f"age.{age}", lang) if f"age.{age}" in T else age


def column(name: str, lang: str = DEFAULT_LANG) -> str:
    """Header of a table column."""
    pair = COLUMNS.get(name)
    return name if pair is None else (pair[0] if lang == "sv" else pair[1])


def _isnan(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_num(value: float | None, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A number with the language's decimal mark and a real minus sign ('..' if missing)."""
    if _isnan(value):
        return ".."
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return (MINUS if value < 0 and text.strip("0,.\u00a0") else "") + text


def fmt_count(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """A whole count with thousands separators."""
    return fmt_num(value, 0, lang)


def fmt_value(
    value: float | None, decimals: int = 1, unit: str = "percent", lang: str = DEFAULT_LANG
) -> str:
    """A value with its unit, e.g. '61,2 %'."""
    text = fmt_num(value, decimals, lang)
    return f"{text}{NBSP}%" if unit == "percent" and text != ".." else text


def fmt_pp(value: float | None, lang: str = DEFAULT_LANG, signed: bool = True) -> str:
    """A difference in percentage points, e.g. '−19,8 p.e.'."""
    if _isnan(value):
        return ".."
    text = fmt_num(value if signed else abs(value), 1, lang)
    if signed and value > 0 and text.strip("0,.") != "":
        text = "+" + text
    return f"{text}{NBSP}{t('pp', lang)}"


@dataclass(frozen=True)
class NumberFormat:
    """How one indicator's numbers are written: decimals, unit, language and small-numbers threshold."""

    decimals: int = 1
    unit: str = "percent"
    lang: str = DEFAULT_LANG
    threshold: int = 0

    @classmethod
    def for_indicator(
        cls, cat: Catalogue, indicator: str, lang: str, threshold: int = 0
    ) -> NumberFormat:
        """The format of an indicator from the catalogue (its decimals and unit)."""
        known = indicator in cat.indicators.index
        unit = str(cat.indicators.at[indicator, "unit"]) if known else ""
        return cls(cat.decimals(indicator), unit, lang, threshold)

    def value(self, value: float | None) -> str:
        """A value with its unit, e.g. '61,2 %'."""
        return fmt_value(value, self.decimals, self.unit, self.lang)

    def pp(self, value: float | None, signed: bool = True) -> str:
        """A difference in percentage points, e.g. '−19,8 p.e.'."""
        return fmt_pp(value, self.lang, signed)

    def count(self, value: float | None) -> str:
        """A whole count with thousands separators."""
        return fmt_count(value, self.lang)

    def measure(self, colour: str) -> Callable[[float | None], str]:
        """The formatter of what a map colours: the gap in pp, or the group's value."""
        return self.pp if colour == "gap" else self.value

    @property
    def axis_suffix(self) -> str:
        """' (%)' after an axis title of a percentage, else ''."""
        return " (%)" if self.unit == "percent" else ""


def group_phrase(group: Group, lang: str = DEFAULT_LANG) -> str:
    """Noun phrase for a group, e.g. 'foreign-born women' / 'utrikes födda kvinnor' (seeds/birth_regions.csv)."""
    lang = norm_lang(lang)
    region = BIRTH_REGIONS.get(group.birth_region)
    if region is None:
        return group.birth_region
    noun = None if group.sex == "total" else _SEX[lang][group.sex]
    return region.phrase(lang, noun)


def group_label(group: Group, lang: str = DEFAULT_LANG) -> str:
    """Capitalised group phrase for legends and options."""
    phrase = group_phrase(group, lang)
    return phrase[:1].upper() + phrase[1:]


def gap_label(gap: Gap, lang: str = DEFAULT_LANG) -> str:
    """Label of a gap, e.g. 'Foreign-born women − Swedish-born women'."""
    return f"{group_label(gap.a, lang)} {MINUS} {group_phrase(gap.b, lang)}"


def gap_phrase(gap: Gap, lang: str = DEFAULT_LANG) -> str:
    """A gap inside a sentence, e.g. 'foreign-born women − Swedish-born women'."""
    return f"{group_phrase(gap.a, lang)} {MINUS} {group_phrase(gap.b, lang)}"


def relation(gap_value: float, lang: str = DEFAULT_LANG) -> str:
    """'19.8 pp below' / '2.0 pp above' / 'equal to'."""
    if round(gap_value, 1) == 0:
        return t("equal", lang)
    word = t("below", lang) if gap_value < 0 else t("above", lang)
    return f"{fmt_pp(abs(gap_value), lang, signed=False)} {word}"


def synthetic_suffix(synthetic: bool, lang: str = DEFAULT_LANG) -> str:
    """' (synthetic demo values, not official statistics)' when synthetic."""
    return f" ({t('synthetic_note', lang)})" if synthetic else ""


def join_names(names: Sequence[str], lang: str = DEFAULT_LANG) -> str:
    """'A, B and C' / 'A, B och C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('s.and', lang)} " + names[-1]


# --- generated one-sentence chart summaries -------------------------------------------------


def _value_sentence(group: Group, area: str, value: float, fmt: NumberFormat) -> str:
    lang = fmt.lang
    return t("s.value_in", lang, who=group_phrase(group, lang), area=area, value=fmt.value(value))


def summary_peers(
    *,
    year: int,
    area: str,
    gap: Gap,
    stats: dict,
    fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """'2024: foreign-born women in Malmö 61.2 %, 19.8 pp below Swedish-born women; rank 5 of 7 peers (…).'"""
    lang = fmt.lang
    if stats.get("value_a") is None:
        return t("empty", lang, reason=t("empty.no_data", lang))
    head = f"{year}: {_value_sentence(gap.a, area, stats['value_a'], fmt)}"
    if stats.get("gap") is not None:
        head += f", {relation(stats['gap'], lang)} {group_phrase(gap.b, lang)}"
    parts = [head]
    if stats.get("rank") is not None:
        rank = t("rank", lang, rank=stats["rank"], n=stats["n"])
        parts.append(t("s.in_peers", lang, rank=rank))
    extra = []
    if stats.get("median_a") is not None:
        extra.append(f"{t('peer_median', lang).lower()} {fmt.value(stats['median_a'])}")
    if stats.get("wmean_a") is not None:
        extra.append(f"{t('peer_mean', lang).lower()} {fmt.value(stats['wmean_a'])}")
    sentence = "; ".join(parts)
    if extra:
        sentence += f" ({', '.join(extra)})"
    return sentence + synthetic_suffix(synthetic, lang) + "."


def summary_map(
    *,
    year: int,
    colour: str,
    group: Group,
    gap: Gap,
    names_values: list[tuple[str, float]],
    n_areas: int,
    n_missing: int,
    level_label: str,
    indicator_label: str,
    fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """Extremes and median over the mapped areas, and how many are suppressed or missing."""
    lang = fmt.lang
    if not names_values:
        return t("empty", lang, reason=t("empty.no_data", lang))
    ordered = sorted(names_values, key=lambda p: p[1])
    (lo_name, lo), (hi_name, hi) = ordered[0], ordered[-1]
    values = sorted(v for _, v in names_values)
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    if colour == "gap":
        key, who = "s.map_gap", {"what": gap_phrase(gap, lang)}
    else:
        key, who = "s.map_value", {"who": group_phrase(group, lang)}
    shown = fmt.measure(colour)
    s = t(key, lang, year=year, ind=indicator_label.lower(), lo=shown(lo), lo_name=lo_name,
          hi=shown(hi), hi_name=hi_name, **who)  # fmt: skip
    s += f"; median {shown(median)} ({len(values)} {level_label.lower()})"
    if n_missing:
        s += "; " + t("s.suppressed_or_missing", lang, n=n_missing)
    return s + synthetic_suffix(synthetic, lang) + "."


def summary_trends(
    *,
    area: str,
    gap: Gap,
    first: tuple[int, float] | None,
    last: tuple[int, float, float] | None,
    fmt: NumberFormat,
    synthetic: bool,
    others: list[tuple[str, float]] | None = None,
) -> str:
    """'2024: foreign-born women in Malmö 61.2 %, 19.8 pp below Swedish-born women (2017: 25.0 pp below).'"""
    lang = fmt.lang
    if last is None:
        return t("empty", lang, reason=t("empty.no_data", lang))
    year, value_a, gap_value = last
    s = f"{year}: {_value_sentence(gap.a, area, value_a, fmt)}, {relation(gap_value, lang)} {group_phrase(gap.b, lang)}"
    if first is not None and first[0] != year:
        s += f" ({first[0]}: {relation(first[1], lang)})"
    if others:
        values = ", ".join(f"{n} {fmt_pp(v, lang)}" for n, v in others)
        s += "; " + t("s.others", lang, values=values)
    return s + synthetic_suffix(synthetic, lang) + "."


def gap_verb(gap0: float, gap1: float, lang: str = DEFAULT_LANG) -> str:
    """'narrowed' / 'widened' / 'was unchanged': how the gap's size moved."""
    change = abs(gap1) - abs(gap0)
    return t("s.narrowed" if change < 0 else "s.widened" if change > 0 else "s.unchanged", lang)


def summary_gap_lines(
    *, gap: Gap, series: list[tuple[str, int, float, int, float]], lang: str, synthetic: bool
) -> str:
    """How each area's gap moved: (name, first year, first gap, last year, last gap)."""
    if not series:
        return t("empty", lang, reason=t("empty.no_data", lang))
    parts = []
    for name, y0, g0, y1, g1 in series:
        if y0 == y1:  # a single year: no movement to describe
            parts.append(t("one_year_gap", lang, name=name, gap=fmt_pp(g1, lang), year=y1))
            continue
        parts.append(t("s.gap_moved", lang, name=name, verb=gap_verb(g0, g1, lang),
                       g0=fmt_pp(g0, lang), y0=y0, g1=fmt_pp(g1, lang), y1=y1))  # fmt: skip
    head = gap_label(gap, lang)
    return f"{head}: " + "; ".join(parts) + synthetic_suffix(synthetic, lang) + "."


def summary_slope(
    *,
    area: str,
    year0: int,
    year: int,
    gap0: float | None,
    gap1: float | None,
    narrowed: int,
    n: int,
    lang: str,
    synthetic: bool,
) -> str:
    """'Between 2020 and 2024 the gap in Malmö narrowed from −22.0 to −19.8 pp; it narrowed in 5 of 7 peers.'"""
    if gap0 is None or gap1 is None:
        return t("empty", lang, reason=t("empty.no_data", lang))
    s = t("s.slope", lang, year0=year0, year=year, verb=gap_verb(gap0, gap1, lang), area=area,
          g0=fmt_pp(gap0, lang), g1=fmt_pp(gap1, lang), narrowed=narrowed, n=n)  # fmt: skip
    return s + synthetic_suffix(synthetic, lang) + "."


def summary_explore(
    *,
    year: int,
    n: int,
    r: float | None,
    x_label: str,
    area: str,
    x_value: float | None,
    gap_value: float | None,
    x_fmt: NumberFormat,
    synthetic: bool,
) -> str:
    """Correlation over all municipalities and where the selected one lies (x_fmt: the x indicator's)."""
    lang = x_fmt.lang
    if n == 0:
        return t("empty", lang, reason=t("empty.no_data", lang))
    corr = "" if r is None else f"r = {fmt_num(r, 2, lang)}"
    s = t("s.explore", lang, year=year, n=n, x=x_label.lower(), corr=corr).rstrip()
    if x_value is not None and gap_value is not None:
        x_text = x_fmt.value(x_value)
        s += "; " + t("s.explore_area", lang, area=area, x=x_text, gap=fmt_pp(gap_value, lang))
    return s + synthetic_suffix(synthetic, lang) + "."
