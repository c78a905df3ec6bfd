"""Swedish/English texts of the gap decomposition, shown by the Explain page and by the Map coloured
by the decomposition: labels, notes, the table and the map's summary (`tr` looks here, then in T)."""

from __future__ import annotations

import pandas as pd

from dashboard.core.gaps import Gap
from dashboard.core.text.numbers import fmt_pp
from dashboard.core.text.phrases import no_data, noise_note, synthetic_suffix
from dashboard.core.text.strings import Lookup, T, in_lang, t
from etl import seeds

TX: dict[str, tuple[str, str]] = {
    "x.title": ("Förklara gapet", "Explain the gap"),
    "x.intro": (
        "Hur mycket av gapet beror på att grupperna har olika åldrar, och hur mycket på lägre "
        "sysselsättning i samma åldrar? Sysselsättningsgrad 20–64 år i femårsklasser (SCB TAB3200).",
        "How much of the gap comes from the groups' different ages, and how much from lower "
        "employment at the same ages? Employment rate 20–64 in five-year age bands (SCB TAB3200).",
    ),
    "x.area": ("Område", "Area"),
    "x.peers": ("Jämför med", "Compare with"),
    "x.colour": ("Kartan visar", "Map shows"),
    "x.colour.standardised": ("Åldersstandardiserat gap", "Age-standardised gap"),
    "x.colour.local": ("Skillnad mot förväntat", "Difference from expected"),
    "x.summary_one_year": (
        "{area} {year}: gapet är {gap}, varav {c} från åldersstrukturen; bara ett år finns, så "
        "ingen förändring kan visas.",
        "{area} {year}: the gap is {gap}, of which {c} comes from age structure; there is only one "
        "year, so no change can be shown.",
    ),
    "x.mapnote.standardised": (
        "Åldersstandardiserat gap: skillnaden i sysselsättning (20–64 år) mellan grupperna om båda "
        "hade rikets åldersfördelning samma år, i procentenheter. Se Förklara gapet för metoden.",
        "Age-standardised gap: the difference in employment (ages 20–64) between the groups if both "
        "had the country's age distribution that year, in percentage points. See Explain the gap.",
    ),
    "x.mapnote.local": (
        "Skillnad mot förväntat: gruppens faktiska sysselsättning minus den som rikets "
        "sysselsättning i varje åldersklass ger med områdets åldrar, i procentenheter.",
        "Difference from expected: the group's actual employment minus what the country's "
        "employment at each age would give with the area's ages, in percentage points.",
    ),
    "x.composition": ("Åldersstruktur", "Age structure"),
    "x.rate_effect": ("Sysselsättning i samma åldrar", "Employment at the same ages"),
    "x.crude_gap": ("Gap", "Gap"),
    "x.split_title": (
        "{gap}, {year}: gapet delat i ålder och sysselsättning",
        "{gap}, {year}: the gap split into age and employment",
    ),
    "x.kolada_title": (
        "{area}: Koladas modell för skyddsbehövande och anhöriga 20–64 år (annan modell, annan grupp)",
        "{area}: Kolada's model for refugees and their families 20–64 (another model, another group)",
    ),
    "x.kolada_actual": ("Faktisk andel i arbete, N00700 (%)", "Actual share in work, N00700 (%)"),
    "x.kolada_expected": (
        "Koladas förväntade värde, N00485 (%)",
        "Kolada's expected value, N00485 (%)",
    ),
    "x.kolada_deviation": ("Avvikelse, N00486", "Deviation, N00486"),
    "x.kolada_summary": (
        "Koladas egen modell (N00485/N00486) förutsäger andelen i arbete bland skyddsbehövande och "
        "deras anhöriga 20–64 år utifrån kommunens förutsättningar. Det är en annan modell och en "
        "annan grupp än gapet ovan, som gäller alla utrikes födda. {area} {year}: faktisk {actual}, "
        "förväntad {expected}, avvikelse {deviation} (N00486).",
        "Kolada's own model (N00485/N00486) predicts the share in work of refugees and their families "
        "aged 20–64 from the municipality's conditions. It is another model, for another group, than "
        "the gap above, which covers all foreign-born people. {area} {year}: actual {actual}, "
        "expected {expected}, deviation {deviation} (N00486).",
    ),
    "x.kolada_none": (
        "Koladas förväntade värde (N00485) finns bara för kommuner; {area} har inget.",
        "Kolada's expected value (N00485) exists for municipalities only; {area} has none.",
    ),
    "x.years_title": ("{area}: gapet delat, år för år", "{area}: the gap split, year by year"),
    "x.map_title": ("{what}, {year}", "{what}, {year}"),
    "x.scatter_title": (
        "Förväntad och faktisk sysselsättning, {group}, {year}",
        "Expected and actual employment, {group}, {year}",
    ),
    "x.expected": ("Förväntad utifrån åldrar (%)", "Expected from ages (%)"),
    "x.actual": ("Faktisk (%)", "Actual (%)"),
    "x.diagonal": ("Som förväntat", "As expected"),
    "x.municipalities": ("Kommuner", "Municipalities"),
    "x.no_table": (
        "databasen har inga åldersklasser att dela gapet med. Kör en uppdatering eller bygg demon igen.",
        "the warehouse holds no age bands to split the gap with. Run a refresh or rebuild the demo.",
    ),
    "x.no_result": (
        "{area} {year}: gapet kan inte delas ({why}).",
        "{area} {year}: the gap cannot be split ({why}).",
    ),
    "x.why.missing": ("åldersklasser saknas", "age bands are missing"),
    "x.why.none": ("ingen uppgift för gruppen", "no figure for the group"),
    "x.summary": (
        "{area} {year}: gapet mellan {g1} och {g2} är {crude}; {comp} beror på åldersstrukturen och "
        "{rate} på att {g1} har {level} sysselsättning än {g2} i samma åldrar. Med sina åldrar och "
        "landets sysselsättning för samma grupp skulle {g1} här väntas ha {expected}; de har {actual}.",
        "{area} {year}: the gap between {g1} and {g2} is {crude}; {comp} comes from age structure and "
        "{rate} from {g1} having {level} employment than {g2} at the same ages. Given their ages and "
        "the country's rates for the same group, {g1} here would be expected at {expected}; they are "
        "at {actual}.",
    ),
    "x.lower": ("lägre", "lower"),
    "x.higher": ("högre", "higher"),
    "x.summary_years": (
        "{area}: gapet gick från {first} ({y0}) till {last} ({y1}); av det berodde {c0} ({y0}) och "
        "{c1} ({y1}) på åldersstrukturen.",
        "{area}: the gap went from {first} ({y0}) to {last} ({y1}); of it, {c0} ({y0}) and {c1} "
        "({y1}) came from age structure.",
    ),
    "x.summary_map": (
        "{what}, {year}: från {lo} ({lo_area}) till {hi} ({hi_area}) i {n} områden.",
        "{what}, {year}: from {lo} ({lo_area}) to {hi} ({hi_area}) across {n} areas.",
    ),
    "x.summary_scatter_country": (
        "{year}: {above} av {n} kommuner har {group} över vad deras åldrar förutsäger med landets "
        "sysselsättning för samma grupp. {area} är själv måttstocken: förväntan bygger på landets "
        "egna åldersspecifika tal, så landet ligger på sin förväntan. Det jämför gruppen med samma "
        "grupp i hela landet, inte med {g2}.",
        "{year}: {above} of {n} municipalities have {group} above what their ages predict at the "
        "country's rates for the same group. {area} is the yardstick itself: the expectation uses "
        "the country's own age-specific rates, so the country sits at its expectation. This "
        "compares the group with the same group nationally, not with {g2}.",
    ),
    "x.summary_scatter": (
        "{year}: {above} av {n} kommuner har {group} över vad deras åldrar förutsäger med landets "
        "sysselsättning för samma grupp. {area}: {group} ligger {diff} från det förväntade. Det jämför "
        "gruppen med samma grupp i hela landet, inte med {g2}: gruppen kan ligga över sin egen "
        "förväntan och ändå långt under {g2} (gapet ovan).",
        "{year}: {above} of {n} municipalities have {group} above what their ages predict at the "
        "country's rates for the same group. {area}: {group} are {diff} from that expectation. This "
        "compares the group with the same group nationally, not with {g2}: a group can be above its "
        "own expectation and still far below {g2} (the gap above).",
    ),
    "x.note.method": (
        "Metod: Kitagawa (1955). Åldersstruktur = Σ (c1−c2)(r1+r2)/2, sysselsättning i samma åldrar = "
        "Σ (r1−r2)(c1+c2)/2; tillsammans exakt gapet. Standardiserat gap: landets hela befolkning 20–64 "
        "år som vikter. Förväntat: gruppens åldrar med landets åldersspecifika sysselsättning för gruppen. "
        "Län, LA-regioner och områdesgrupper från summerade antal.",
        "Method: Kitagawa (1955). Age structure = Σ (c1−c2)(r1+r2)/2, employment at the same ages = "
        "Σ (r1−r2)(c1+c2)/2; together exactly the gap. Standardised gap: the country's whole 20–64 "
        "population as weights. Expected: the group's ages at the country's age-specific rates for the "
        "group. Counties, LA regions and area sets from summed counts.",
    ),
    "x.note.small": (
        "Litet underlag: någon åldersklass har färre än {n} personer; resultatet är osäkert.",
        "Small numbers: some age band has fewer than {n} people; the result is uncertain.",
    ),
    "x.note.counts": (
        "Vistelsetid och utbildning ingår inte: SCB publicerar dem bara som andelar, inte som antal.",
        "Years in Sweden and education are not used: SCB publishes them only as shares, not counts.",
    ),
    "x.flag.small_numbers": ("litet underlag", "small numbers"),
    "x.flag.missing_band": ("åldersklass saknas", "age band missing"),
    "x.flag.empty_band": ("tom åldersklass", "empty age band"),
    "x.flag.incomplete_members": ("ofullständig summering", "incomplete aggregate"),
    "x.flag.no_reference": ("riksvärde saknas", "no national reference"),
    "x.flag.disclosure_noise": ("brus (CKM)", "noise (CKM)"),
}

HEADERS: dict[str, tuple[str, str]] = {
    "area_code": ("Kod", "Code"),
    "area": ("Område", "Area"),
    "year": ("År", "Year"),
    "actual_1": ("Grupp 1 (%)", "Group 1 (%)"),
    "actual_2": ("Grupp 2 (%)", "Group 2 (%)"),
    "crude_gap": ("Gap (p.e.)", "Gap (pp)"),
    "composition": ("Åldersstruktur (p.e.)", "Age structure (pp)"),
    "rate_effect": ("Samma åldrar (p.e.)", "Same ages (pp)"),
    "standardised_gap": ("Standardiserat gap (p.e.)", "Standardised gap (pp)"),
    "expected_1": ("Grupp 1 förväntad (%)", "Group 1 expected (%)"),
    "local_difference": ("Mot förväntat (p.e.)", "Against expected (pp)"),
    "min_band_population": ("Minsta åldersklass", "Smallest age band"),
    "flags": ("Flaggor", "Flags"),
    "synthetic": ("Syntetiskt", "Synthetic"),
}
NUMBERS = ["actual_1", "actual_2", "crude_gap", "composition", "rate_effect", "standardised_gap",
           "expected_1", "local_difference"]  # fmt: skip


tr = Lookup(TX, T)  # this view's texts first, then the shared ones


def flags_text(flags: str, lang: str) -> str:
    """';'-separated flag codes -> readable words."""
    return ", ".join(tr(f"x.flag.{f}", lang) for f in str(flags or "").split(";") if f)


def summary_map(frame: pd.DataFrame, column: str, gap: Gap, year: int, lang: str) -> str:
    """Range of the mapped measure."""
    f = frame.dropna(subset=[column])
    if f.empty:
        return no_data(lang)
    lo, hi = f.loc[f[column].idxmin()], f.loc[f[column].idxmax()]
    what = tr("x.colour.standardised" if column == "standardised_gap" else "x.colour.local", lang)
    text = tr(
        "x.summary_map", lang, what=what, year=year, lo=fmt_pp(lo[column], lang), lo_area=lo.area,
        hi=fmt_pp(hi[column], lang), hi_area=hi.area, n=len(f),
    )  # fmt: skip
    return text + synthetic_suffix(bool(f["synthetic"].any()), lang)


def notes(year: int, threshold: int, synthetic: bool, lang: str) -> list[str]:
    """Method, small numbers, counts-only note, disclosure noise and synthetic values."""
    out = [
        tr("x.note.method", lang),
        tr("x.note.small", lang, n=threshold),
        tr("x.note.counts", lang),
    ]
    if year >= (seeds.noise_from_year() or 10_000):
        out.append(noise_note(lang))
    if synthetic:
        out.append(t("synthetic_note", lang)[:1].upper() + t("synthetic_note", lang)[1:] + ".")
    return out


def table(frame: pd.DataFrame, state, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table behind the view: the area and its peers in the chosen year."""
    cols = ["area_code", "area", "year", *NUMBERS, "min_band_population", "flags", "synthetic"]
    if frame.empty:
        return pd.DataFrame(columns=cols), headers(lang)
    f = frame.copy()
    for c in NUMBERS:
        f[c] = f[c].astype(float).round(2)
    f["flags"] = f["flags"].map(lambda v: flags_text(v, lang))
    f["synthetic"] = (
        f["synthetic"].fillna(False).astype(bool).map({True: t("yes", lang), False: t("no", lang)})
    )
    f["selected"] = f["area_code"] == state.area
    f = f.sort_values(["selected", "crude_gap"], ascending=[False, True])
    return f[cols].reset_index(drop=True), headers(lang)


def headers(lang: str) -> dict[str, str]:
    """Column headers in the language."""
    return in_lang(HEADERS, lang)
