"""The Map summary's sentence on the selected area: its value, its rank among the mapped areas and
its gap (issue 22: a click on the map must say what was chosen, not keep the national range)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.text import NumberFormat, fmt_pp, t


def selected_sentence(
    frame: pd.DataFrame, area: str | None, *, colour: str, group: Group, fmt: NumberFormat,
    higher_is_better: bool,
) -> str:  # fmt: skip
    """'Botkyrka: foreign-born women 62.1 %, gap −18.2 pp; rank 45 of 290 (highest first). '"""
    if not area or frame.empty or area not in set(frame["area_code"]):
        return ""
    lang = fmt.lang
    row = frame[frame["area_code"] == area].iloc[0]
    zcol = "gap" if colour == "gap" else "value_0"
    parts = []
    if row.get("value_0") is not None and not pd.isna(row.get("value_0")):
        parts.append(f"{text.group_phrase(group, lang)} {fmt.value(float(row['value_0']))}")
    if colour == "gap" and not pd.isna(row.get("gap")):
        parts.append(f"{t('gap', lang).lower()} {fmt_pp(float(row['gap']), lang)}")
    known = frame[frame[zcol].notna()]
    if pd.isna(row.get(zcol)) or known.empty:
        return f"{row['area']}: {t('map.selected_missing', lang)}. "
    descending = colour == "gap" or higher_is_better
    better = known[zcol] > row[zcol] if descending else known[zcol] < row[zcol]
    rank = t("rank", lang, rank=int(better.sum()) + 1, n=len(known))
    order = t("rank.high_first" if descending else "rank.low_first", lang)
    return f"{row['area']}: {', '.join(parts)}; {rank} ({order}). "
