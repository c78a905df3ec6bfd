"""Hover and value helpers shared by the charts: counts, flags, plain trace arrays, rounding."""

from __future__ import annotations

from typing import Any

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.text import NumberFormat, fmt_count, t
from dashboard.core.text.numbers import isnan
from etl.row_provenance import CALIBRATED, MIXED, REAL, SYNTHETIC


def counts_text(num: Any, den: Any, lang: str) -> str:
    """'n of N' (or the population alone) for a hover line; empty without a denominator."""
    if isnan(den):
        return ""
    if isnan(num):
        return f"{t('population', lang)}: {fmt_count(den, lang)}"
    return t("count_of", lang, num=fmt_count(num, lang), den=fmt_count(den, lang))


def flag_lines(row: dict, lang: str, threshold: int) -> list[str]:
    """Warning lines of a point: small numbers, synthetic, derived."""
    out = []
    if row.get("small") is True:
        out.append(f"⚠ {t('small', lang)}: {t('small_long', lang, n=threshold)}")
    if row.get("synthetic") is True:
        out.append(f"⚠ {t('synthetic_value', lang)}")
    out.extend(provenance_lines(row.get("provenance"), lang))
    if row.get("derived") is True or row.get("status") == "derived":
        out.append(f"⚠ {t('derived_value', lang)}")
    return out


def provenance_lines(provenance: Any, lang: str) -> list[str]:
    """'real published value', or what a synthetic value was calibrated to (mart provenance)."""
    if provenance == REAL:
        return [f"✓ {t('real_value', lang)}"]
    if isinstance(provenance, str) and provenance.startswith(CALIBRATED):
        return [f"⚠ {t('calibrated_value', lang, source=provenance[len(CALIBRATED) :])}"]
    mixed = isinstance(provenance, str) and provenance.startswith(MIXED)
    if mixed and REAL in provenance[len(MIXED) :].split(" + "):
        return [f"⚠ {t('mixed_value', lang)}"]
    return []


def provenance_tag(provenance: Any, lang: str) -> str:
    """A short ' · real' / ' · synthetic' / ' · synthetic, calibrated to …' after one group's value."""
    if provenance == REAL:
        return f" · {t('tag_real', lang)}"
    if isinstance(provenance, str) and provenance.startswith(CALIBRATED):
        return f" · {t('tag_calibrated', lang, source=provenance[len(CALIBRATED) :])}"
    if provenance == SYNTHETIC:
        return f" · {t('tag_synthetic', lang)}"
    if isinstance(provenance, str) and provenance.startswith(MIXED):  # 'mixed: real + synthetic'
        parts = [
            provenance_tag(p, lang).removeprefix(" · ") or p
            for p in provenance[len(MIXED) :].split(" + ")
        ]
        return f" · {t('tag_mixed', lang, parts=' + '.join(parts))}"
    return ""


def status_text(status: str, lang: str) -> str:
    """'Suppressed' or 'Not available' for a missing value."""
    return t("suppressed", lang) if status == "suppressed" else t("missing", lang)


def arr(values: list) -> list:
    """A plain list for a trace (numbers as floats, None for missing): figures are not validated
    (theme.figure), and plain lists encode with orjson directly."""
    if values and isinstance(values[0], str):
        return list(values)
    return [None if isnan(v) else float(v) for v in values]


def rounded(values, nd: int = 2) -> list:
    """Values rounded for the browser (None for missing)."""
    return [None if isnan(v) else round(float(v), nd) for v in values]


def point_hover(area: str, group: Group, r: dict, fmt: NumberFormat, band: str = "") -> str:
    """Hover text of one point of a trend line (with the age band when given)."""
    lang, threshold = fmt.lang, fmt.threshold
    lines = [
        f"<b>{area}</b> · {text.group_label(group, lang)}" + (f" · {band}" if band else ""),
        f"{int(r['year'])}: {fmt.value(r['value'])}",
    ]
    counts = counts_text(r.get("numerator"), r.get("denominator"), lang)
    if counts:
        lines.append(counts)
    if r.get("series"):
        lines.append(str(r["series"]))
    lines.extend(flag_lines(r, lang, threshold))
    return "<br>".join(lines)
