"""Phrases the sentences are made of: groups, gaps, relations, name lists, the synthetic mark."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dashboard.core.gaps import Gap, Group
from dashboard.core.mappings import BIRTH_REGIONS, names_its_level
from dashboard.core.text.numbers import MINUS, fmt_pp
from dashboard.core.text.strings import DEFAULT_LANG, norm_lang, t
from etl import seeds

_SEX = {
    "sv": {"women": "kvinnor", "men": "män", "total": "personer"},
    "en": {"women": "women", "men": "men", "total": "people"},
}


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


def area_label(name: str, level: str | None, level_word: str, prefix: bool = False) -> str:
    """An area's name with its level ('Kalmar: … (områdesgrupp)', or 'LA: …' as a prefix), unless
    the name already says it: 'Stockholms län', never 'Stockholms län (län)' or 'LA: LA Arjeplog'."""
    if not level_word or names_its_level(name, level):
        return name
    return f"{level_word} {name}" if prefix else f"{name} ({level_word})"


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


def code_names(codes: str, name_of: Callable[[str], str], lang: str = DEFAULT_LANG) -> str:
    """Comma-separated area codes as the areas' names ('0182R004_RegSO2025,…' → 'Fisksätra och …'):
    users see names, never codes."""
    return join_names([name_of(c.strip()) for c in str(codes).split(",") if c.strip()], lang)


def no_data(lang: str = DEFAULT_LANG) -> str:
    """'Nothing to show: there are no values for this selection. …' (a summary without data)."""
    return t("empty", lang, reason=t("empty.no_data", lang))


def noise_note(lang: str = DEFAULT_LANG) -> str:
    """The disclosure-noise note, with SCB's first noisy year from seeds/sources.csv."""
    return t("note.ckm", lang, year=seeds.noise_from_year())
