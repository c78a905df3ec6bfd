"""The LUA view rendered: the chosen chart (stamped), its summary, the notes and sources text, the
table behind it (also the CSV/xlsx) with its age band, derived, small-number and synthetic flags."""

from __future__ import annotations

import logging

import pandas as pd

from dashboard import provenance
from dashboard.core.queries import Catalogue
from dashboard.core.records import records
from dashboard.core.text import NumberFormat, column, t
from dashboard.core.viewspec import Rendered
from dashboard.ui import exports
from dashboard.views.lua import data, figures
from dashboard.views.lua.state import LuaState
from dashboard.views.lua.text import tr

log = logging.getLogger(__name__)


def year_ranges(years: list[int]) -> str:
    """[1997, 1998, 1999, 2024] → '1997–1999, 2024'."""
    out: list[str] = []
    for y in sorted(set(years)):
        if out and y == int(out[-1].split("–")[-1]) + 1:
            out[-1] = f"{out[-1].split('–')[0]}–{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


def ages_text(frame: pd.DataFrame, lang: str) -> str:
    """'ages 20–64' or, where the rows mix bands, 'ages 20–64 (1997–2018), 20–65 (2024)'."""
    shown = frame[frame.value.notna()]
    ages = sorted(set(shown.age)) or ["20-64"]
    if len(ages) == 1 or shown.year.nunique() == 1:
        return tr("lua.ages", lang, ages=", ".join(a.replace("-", "–") for a in ages))
    parts = [
        f"{a.replace('-', '–')} ({year_ranges(list(shown.year[shown.age == a]))})" for a in ages
    ]
    return tr("lua.ages", lang, ages=", ".join(parts))


def key_rows(lua: data.LuaData, state: LuaState) -> pd.DataFrame:
    """The rows of the chart's LUA areas (the set, the district or the 17 in the ranked year)."""
    frame = lua.frame[lua.frame.area_code.isin(data.key_areas(state.chart, state.district))]
    return frame[frame.year == state.year] if state.chart == "rank" else frame


def failure_note(cat: Catalogue, lang: str) -> str:
    """Why the LUA set (or a district) has no values: the build's message, or ''."""
    failed = data.lua_failures()
    if not failed:
        return ""
    code = data.SET if data.SET in failed else sorted(failed)[0]
    name = cat.area_name(code, lang) if cat.has_area(code) else code
    more = f" (+{len(failed) - 1})" if len(failed) > 1 else ""
    return tr("lua.failed", lang, name=name + more, why=failed[code])


def _empty(lua: data.LuaData, cat: Catalogue, lang: str) -> str:
    if data.lua_failures():
        return failure_note(cat, lang)
    if (lua.frame.reason == "no_matching_population").any():
        return tr("lua.no_population", lang)
    return tr("lua.no_data", lang)


def title(lua: data.LuaData, state: LuaState, cat: Catalogue, lang: str) -> str:
    """The chart's title, naming the indicator and the age band(s) it shows."""
    ind = cat.indicator_name(state.indicator, lang)
    return tr(f"lua.title.{state.chart}", lang, ind=ind, age=ages_text(key_rows(lua, state), lang),
              year=state.year, district=cat.area_name(state.district, lang))  # fmt: skip


def summary(lua: data.LuaData, state: LuaState, cat: Catalogue, fmt: NumberFormat) -> str:
    """One sentence: the lines' latest common year, or the ranking's highest and lowest."""
    lang = fmt.lang
    frame = lua.frame[lua.frame.value.notna()]
    if state.chart == "rank":
        return _rank_summary(lua, state, cat, fmt)
    key = frame[frame.area_code == lua.areas[0]]
    if key.empty:
        return ""
    year = int(key.year.max())
    last = frame[frame.year == year]
    parts = []
    for r in records(last.sort_values("area_code", key=lambda s: s.map(lua.areas.index))):
        name = figures.line_name(lua, cat, r["area_code"], r["birth_region"], lang)
        parts.append(f"{name} {fmt.value(r['value'])}")
    tail = f" ({t('synthetic_value', lang)})" if lua.synthetic else ""
    return tr("lua.summary_lines", lang, year=year, parts="; ".join(parts)) + tail


def _rank_summary(lua: data.LuaData, state: LuaState, cat: Catalogue, fmt: NumberFormat) -> str:
    """'Highest …, lowest …; n of 17 below their municipality' for the chosen year."""
    lang = fmt.lang
    year = lua.frame[lua.frame.year == state.year].set_index("area_code")
    dist = year[year.index.isin(lua.districts) & year.value.notna()]
    if not len(dist):
        return ""
    hi, lo = dist.value.idxmax(), dist.value.idxmin()
    mvals = pd.Series({a: year.value.get(lua.municipality_of[a]) for a in dist.index})
    mvals = pd.to_numeric(mvals.reindex(dist.index), errors="coerce")
    have = mvals.notna()
    below = int((dist.value[have] < mvals[have]).sum())
    below = tr("lua.below", lang, below=below, n=int(have.sum())) if have.any() else ""
    return tr("lua.rank_summary", lang, year=state.year, hi=cat.area_name(hi, lang),
              hi_v=fmt.value(dist.value[hi]), lo=cat.area_name(lo, lang),
              lo_v=fmt.value(dist.value[lo]), below=below)  # fmt: skip


def table(lua: data.LuaData, state: LuaState, cat: Catalogue, lang: str
          ) -> tuple[pd.DataFrame, dict[str, str]]:  # fmt: skip
    """The rows behind the chart (also the CSV/xlsx): one per area, group and year, with flags."""
    f = lua.frame.copy()
    if state.chart == "rank":
        f = f[f.year == state.year]
    names = {a: cat.area_name(a, lang) for a in set(f.area_code)}
    f["name"] = f.area_code.map(names)
    f["level"] = f.area_code.map(lambda a: cat.label("level", cat.area_level(a) or "", lang))
    f["group"] = f.birth_region.map(lambda b: cat.label("birth_region", b, lang))
    f["sex"] = f.sex.map(lambda s: cat.label("sex", s, lang))
    members = _member_names(cat, lang)
    f["method"] = [figures.status_text(r, lang, cat, members) for r in records(f)]
    derived = f.status.eq("derived") | f.source_table.fillna("").str.contains("x")
    f["status"] = f.status.map(lambda s: cat.label("status", s, lang) if s != "ok" else "ok")
    yes, no = t("yes", lang), t("no", lang)
    f["derived"] = derived.map({True: yes, False: no})
    f["small"] = f.small.map({True: yes, False: no})
    f["synthetic"] = f.synthetic.fillna(False).astype(bool).map({True: yes, False: no})
    f["provenance"] = f.provenance if "provenance" in f else None  # real / synthetic (mart)
    f["attribution"] = [f"{t('prov.source', lang)}: {figures.provider(r)}" for r in records(f)]
    f["age"] = f.age.str.replace("-", "–")
    cols = ["area_code", "name", "level", "sex", "group", "age", "year", "value", "numerator",
            "denominator", "status", "method", "derived", "small", "synthetic", "provenance",
            "source_table", "attribution"]  # fmt: skip
    headers = {c: column(c, lang) for c in cols}
    headers.update({"name": column("area", lang), "method": tr("col.method", lang),
                    "group": tr("lua.birth", lang), "age": tr("lua.age", lang), "sex": tr("lua.sex", lang),
                    "source_table": tr("col.tables", lang), "attribution": tr("col.attribution", lang),
                    "derived": tr("col.derived", lang)})  # fmt: skip
    order = {a: i for i, a in enumerate(lua.areas)}
    f = f.assign(_o=f.area_code.map(order).fillna(99)).sort_values(["_o", "group", "year"])
    return f[cols].reset_index(drop=True), headers


def _member_names(cat: Catalogue, lang: str) -> dict[str, str]:
    """RegSO member codes → names, so notes never show a code."""
    return {str(k): str(v) for k, v in cat.areas[f"name_{lang}"].dropna().items()}


def source_tables(frame: pd.DataFrame) -> str:
    """The SCB tables behind the shown rows, named (SCB's id where known, else the table's title)."""
    keys = sorted({p for s in frame.source_table.dropna() for p in str(s).split("x") if p})
    return ", ".join(dict.fromkeys(provenance.tables_text(k) for k in keys))


def notes(lua: data.LuaData, state: LuaState, cat: Catalogue, lang: str) -> list[str]:
    """Failed sets, breaks, age bands, groups with only some years, method, synthetic, sources."""
    out = []
    if data.lua_failures():
        names = ", ".join(
            cat.area_name(c, lang) if cat.has_area(c) else c for c in data.lua_failures()
        )
        out.append(
            tr(
                "lua.failed",
                lang,
                name=names,
                why=data.lua_failures()[sorted(data.lua_failures())[0]],
            )
        )
    shown = lua.frame[lua.frame.value.notna()]
    if state.chart != "rank":
        out.append(tr("lua.break_note", lang))
    if shown.age.nunique() > 1:
        out.append(tr("lua.age_note", lang, ages=ages_text(key_rows(lua, state), lang)))
    out.extend(partial_notes(state, cat, lang))
    members = _member_names(cat, lang)
    this = lua.frame[(lua.frame.year == state.year) & lua.frame.missing_members.notna()]
    for r in records(this[this.status == "incomplete"]):
        out.append(f"{cat.area_name(r['area_code'], lang)} {state.year}: "
                   + figures.status_text(r, lang, cat, members))  # fmt: skip
    out.append(tr("lua.method", lang))
    out.append(tr("lua.vintage", lang))
    if lua.synthetic:
        out.append(tr("lua.synthetic", lang))
    out.append(tr("lua.sources", lang, tables=source_tables(shown) or "TAB6680"))
    return out


def partial_notes(state: LuaState, cat: Catalogue, lang: str) -> list[str]:
    """'Nordic: values only for 1997–2018.' for each drawn group with fewer years than the total."""
    every = data.years_with_data(state.chart, state.district, state.indicator, state.sex, "total")
    out = []
    for birth in data.chart_births(state.chart, state.birth):
        years = data.years_with_data(state.chart, state.district, state.indicator, state.sex, birth)
        if years and set(years) < set(every):
            out.append(tr("lua.partial", lang, group=cat.label("birth_region", birth, lang),
                          years=year_ranges(years)))  # fmt: skip
    return out


def render_lua(state: LuaState, cat: Catalogue, lang: str, *, figures_too: bool = True) -> Rendered:
    """The chosen chart (stamped with source, permalink and synthetic mark), summary, notes, table."""
    lua = data.lua_data(state.chart, state.indicator, state.sex, state.birth, state.district)
    fmt = NumberFormat.for_indicator(cat, state.indicator, lang)
    frame, headers = table(lua, state, cat, lang)
    figs = {}
    if figures_too:
        head = title(lua, state, cat, lang)
        empty = _empty(lua, cat, lang)
        figs["chart"] = (figures.rank_figure(lua, state.year, head, cat, fmt, empty)
                         if state.chart == "rank"
                         else figures.line_figure(lua, state.chart, head, cat, fmt, empty))  # fmt: skip
    name = f"lua_{state.chart}_{state.indicator}_{state.sex}_{state.birth}"
    if state.chart == "district":
        name += f"_{state.district.removeprefix('lua_')}"
    out = Rendered(figs, {"chart": summary(lua, state, cat, fmt)}, frame, headers,
                   notes(lua, state, cat, lang), filename=name)  # fmt: skip
    return exports.stamp_rendered(out, "lua", state, cat, lang) if figures_too else out
