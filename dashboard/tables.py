"""The table behind each view (what the chart shows), with localised headers; also used for CSV."""

from __future__ import annotations

import pandas as pd

from dashboard.core import text
from dashboard.core.gaps import Gap, Group
from dashboard.core.queries import Catalogue
from dashboard.core.text import column, t
from dashboard.facts import MapData, PeersData, TrendsData

Table = tuple[pd.DataFrame, dict[str, str]]


def _yes_no(series: pd.Series, lang: str) -> pd.Series:
    return series.fillna(False).astype(bool).map({True: t("yes", lang), False: t("no", lang)})


def _status(series: pd.Series, cat: Catalogue, lang: str) -> pd.Series:
    return series.fillna("missing").map(
        lambda s: "ok" if s == "ok" else cat.label("status", s, lang)
    )


def _round(series: pd.Series, decimals: int = 1) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").round(decimals)


def _group_headers(groups: list[Group], lang: str) -> dict[str, str]:
    out = {}
    for i, g in enumerate(groups):
        label = text.group_label(g, lang)
        out[f"value_{i}"] = label
        out[f"numerator_{i}"] = f"{label}: {column('numerator', lang).lower()}"
        out[f"denominator_{i}"] = f"{label}: {column('denominator', lang).lower()}"
        out[f"provenance_{i}"] = f"{label}: {column('provenance', lang).lower()}"
    return out


def _provenance(frame: pd.DataFrame, n: int) -> list[str]:
    """The rows' provenance columns (each group's, then the combined one), filled where absent."""
    cols = [f"provenance_{i}" for i in range(n)] + (["provenance"] if n > 1 else [])
    for c in cols:
        if c not in frame:  # a warehouse built before the column existed
            frame[c] = None
    return cols


def _common(frame: pd.DataFrame, cat: Catalogue, lang: str) -> pd.DataFrame:
    if "derived" in frame:  # shown as a value, flagged: share x population (RegSO sets)
        derived = frame["derived"].fillna(False).astype(bool) & (frame["status"] == "ok")
        frame["status"] = frame["status"].where(~derived, "derived")
    frame["status"] = _status(frame["status"], cat, lang)
    frame["small"] = _yes_no(frame["small"], lang)
    frame["synthetic"] = _yes_no(frame["synthetic"], lang)
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


def _headers(cols: list[str], lang: str, extra: dict[str, str]) -> dict[str, str]:
    return {c: extra.get(c, column(c, lang)) for c in cols}


def map_table(data: MapData, cat: Catalogue, lang: str, decimals: int = 1) -> Table:
    """One row per area of the map."""
    f = data.frame.copy()
    n = len(data.groups)
    cols = ["area_code", "area", "year"]
    for i in range(n):
        for c in ("value", "numerator", "denominator"):
            key = f"{c}_{i}"
            f[key] = _round(f[key], decimals if c == "value" else 0) if key in f else None
            cols.append(key)
    if n == 2:
        f["gap_pp"] = _round(f["gap"], 1) if "gap" in f else None
        cols.insert(3, "gap_pp")
    f = _common(f, cat, lang)
    cols += ["status", "small", "synthetic", *_provenance(f, n)]
    return f[cols], _headers(cols, lang, _group_headers(data.groups, lang))


def trends_table(data: TrendsData, cat: Catalogue, lang: str, decimals: int = 1) -> Table:
    """Long table: one row per area, year and group, plus the gap rows."""
    cols = [
        "area_code",
        "area",
        "year",
        "group",
        "value",
        "numerator",
        "denominator",
        "status",
        "series",
        "small",
        "synthetic",
        "provenance",
    ]
    if data.obs.empty:
        return pd.DataFrame(columns=cols), _headers(cols, lang, {})
    f = data.obs.copy()
    if "provenance" not in f:  # rows read from a warehouse built before the column existed
        f["provenance"] = None
    f["area"] = [cat.area_name(c, lang) for c in f["area_code"]]
    f["group"] = [text.group_label(Group.parse(k), lang) for k in f["group"]]
    f["value"] = _round(f["value"], decimals)
    g = data.gaps.copy()
    if len(g):
        g = g.assign(
            area=[cat.area_name(c, lang) for c in g["area_code"]],
            group=f"{t('gap', lang)}: {text.gap_label(data.gap, lang)} ({t('pp', lang)})",
            value=_round(g["gap"], 1),
            numerator=None,
            denominator=g["population"],
        )
        f = pd.concat([f, g[[c for c in cols if c in g.columns]]], ignore_index=True)
    f = _common(f, cat, lang).sort_values(["area_code", "group", "year"])
    return f[cols].reset_index(drop=True), _headers(cols, lang, {})


def peers_table(data: PeersData, cat: Catalogue, lang: str, year0: int, decimals: int = 1) -> Table:
    """One row per peer: rank, both groups, gap now and in the slope start year."""
    groups = [data.gap.a, data.gap.b]
    cols = [
        "rank",
        "area_code",
        "area",
        "year",
        "value_0",
        "value_1",
        "gap_pp",
        "gap0_pp",
        "denominator_0",
        "denominator_1",
        "status",
        "small",
        "synthetic",
        "provenance_0",
        "provenance_1",
        "provenance",
    ]
    if data.frame.empty:
        return pd.DataFrame(columns=cols), _headers(cols, lang, _group_headers(groups, lang))
    f = data.frame.copy()
    then = data.frame0[["area_code", "gap"]].rename(columns={"gap": "gap0"})
    f = f.merge(then, on="area_code", how="left")
    for c in ("value_0", "value_1"):
        f[c] = _round(f[c], decimals)
    for c in ("denominator_0", "denominator_1"):
        f[c] = _round(f[c], 0) if c in f else None
    f["gap_pp"] = _round(f["gap"], 1)
    f["gap0_pp"] = _round(f["gap0"], 1)
    f["rank"] = f["rank"].astype("Int64")
    _provenance(f, 2)
    f = _common(f, cat, lang)
    extra = _group_headers(groups, lang)
    year = int(f["year"].max()) if f["year"].notna().any() else ""
    extra["gap_pp"] = (
        f"{t('gap', lang)} {year} ({t('pp', lang)})"  # two gap columns: name the years
    )
    extra["gap0_pp"] = f"{t('gap', lang)} {year0} ({t('pp', lang)})"
    return f[cols], _headers(cols, lang, extra)


def explore_table(
    frame: pd.DataFrame, gap: Gap, cat: Catalogue, lang: str, x_label: str, decimals: int = 1
) -> Table:
    """One row per municipality (Explore's frame): x value, gap, both groups, population, peer flag."""
    cols = [
        "area_code",
        "area",
        "year",
        "x_value",
        "gap_pp",
        "value_0",
        "value_1",
        "population",
        "peer",
        "status",
        "small",
        "synthetic",
        "provenance_0",
        "provenance_1",
        "provenance",
        "x_provenance",
    ]
    f = frame.copy()
    if f.empty:
        return pd.DataFrame(columns=cols), _headers(
            cols, lang, _group_headers([gap.a, gap.b], lang)
        )
    f["year"] = f["year"].astype("Int64") if "year" in f else None
    f["x_value"] = _round(f["x_value"], 2)
    f["gap_pp"] = _round(f["gap"], 1)
    for c in ("value_0", "value_1"):
        f[c] = _round(f[c], decimals)
    f["population"] = _round(f["population"], 0)
    f["peer"] = _yes_no(f["peer"], lang)
    _provenance(f, 2)
    if "x_provenance" not in f:
        f["x_provenance"] = None
    f = _common(f, cat, lang).sort_values("area")
    extra = _group_headers([gap.a, gap.b], lang)
    extra["x_value"] = x_label
    extra["x_provenance"] = f"{x_label}: {column('provenance', lang).lower()}"
    return f[cols].reset_index(drop=True), _headers(cols, lang, extra)
