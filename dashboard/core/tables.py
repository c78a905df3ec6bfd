"""What every view's table shares: rounding, yes/no and status labels, group and age-band headers,
the provenance columns (the view's own table builder lives in its folder, e.g. views/map/table.py)."""

from __future__ import annotations

import pandas as pd

from dashboard.core import text
from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import column, t

Table = tuple[pd.DataFrame, dict[str, str]]


def yes_no(series: pd.Series, lang: str) -> pd.Series:
    """A flag column as the page language's yes/no."""
    return series.fillna(False).astype(bool).map({True: t("yes", lang), False: t("no", lang)})


def status_labels(series: pd.Series, cat: Catalogue, lang: str) -> pd.Series:
    """Status codes as the page language's labels ('ok' kept as is)."""
    return series.fillna("missing").map(
        lambda s: "ok" if s == "ok" else cat.label("status", s, lang)
    )


def rounded(series: pd.Series, decimals: int = 1) -> pd.Series:
    """A column as numbers rounded to `decimals` (unreadable values become NaN)."""
    return pd.to_numeric(series, errors="coerce").round(decimals)


def group_headers(groups: list[Group], lang: str) -> dict[str, str]:
    """Headers of each group's value, numerator, denominator and provenance columns."""
    out = {}
    for i, g in enumerate(groups):
        label = text.group_label(g, lang)
        out[f"value_{i}"] = label
        out[f"numerator_{i}"] = f"{label}: {column('numerator', lang).lower()}"
        out[f"denominator_{i}"] = f"{label}: {column('denominator', lang).lower()}"
        out[f"provenance_{i}"] = f"{label}: {column('provenance', lang).lower()}"
    return out


def provenance_columns(frame: pd.DataFrame, n: int) -> list[str]:
    """The rows' provenance columns (each group's, then the combined one), filled where absent."""
    cols = [f"provenance_{i}" for i in range(n)] + (["provenance"] if n > 1 else [])
    for c in cols:
        if c not in frame:  # a warehouse built before the column existed
            frame[c] = None
    return cols


def common_columns(frame: pd.DataFrame, cat: Catalogue, lang: str) -> pd.DataFrame:
    """The status (derived flagged), small-numbers and synthetic columns in the page language."""
    if "derived" in frame:  # shown as a value, flagged: share x population (RegSO sets)
        derived = frame["derived"].fillna(False).astype(bool) & (frame["status"] == "ok")
        frame["status"] = frame["status"].where(~derived, "derived")
    frame["status"] = status_labels(frame["status"], cat, lang)
    frame["small"] = yes_no(frame["small"], lang)
    frame["synthetic"] = yes_no(frame["synthetic"], lang)
    return frame


AGE_COLUMNS = ("value", "value_0", "value_1", "gap_pp", "gap0_pp", "gap", "y_value")


def with_age_band(headers: dict[str, str], age: str | None, lang: str) -> dict[str, str]:
    """Value and gap column headers that name the age band ('Utrikes födda kvinnor, 20–64 år')."""
    if not age:
        return headers
    band = text.age_band(age, lang)
    return {
        c: f"{h}, {band}" if c in AGE_COLUMNS and band not in h else h for c, h in headers.items()
    }


def headers_of(cols: list[str], lang: str, extra: dict[str, str]) -> dict[str, str]:
    """Column headers in the page language, `extra` first."""
    return {c: extra.get(c, column(c, lang)) for c in cols}
