"""The LUA view: the districts together vs the county, the county without them and the country;
the 17 districts ranked, each against its own municipality. State, data, figures, table, text."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import db, theme
from dashboard.core.gaps import Group
from dashboard.core.mappings import in_birth_order
from dashboard.core.queries import Catalogue, cached
from dashboard.core.records import records
from dashboard.core.state import Problem, StateReader
from dashboard.core.text import NumberFormat, code_names, column, t
from dashboard.core.viewspec import Rendered
from dashboard.facts import small_threshold
from dashboard.provenance import Scope
from dashboard.ui import exports
from dashboard.views.lua.text import tr

log = logging.getLogger(__name__)

SET = "lua_stockholm"
LINES = ("lua_stockholm", "01", "lua_stockholm_rest", "00")  # the report's comparison, in order
SEXES = ("total", "women", "men")
COLOURS = {"lua_stockholm": "#b2182b", "01": "#2166ac", "lua_stockholm_rest": "#67a9cf",
           "00": "#4d4d4d"}  # fmt: skip
DASH = {"lua_stockholm": "solid", "01": "solid", "lua_stockholm_rest": "dash", "00": "dot"}


@dataclass(frozen=True)
class LuaState:
    """LUA view: indicator, sex, birth region and the year of the ranked chart."""

    indicator: str
    sex: str
    birth: str
    year: int

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"ind": self.indicator, "sex": self.sex, "birth": self.birth, "year": self.year}

    def provenance_scopes(self, cat: Catalogue) -> list[Scope]:
        """The observations the view reads: the comparison areas, the districts, their municipalities."""
        dist = lua_districts()
        areas = (*LINES, *dist.area_code, *sorted(set(dist.municipality_code)))
        group = Group(self.sex, self.birth)
        age = age_of(self.indicator, self.birth)
        cov = lua_coverage()
        years = cov.year[(cov.indicator == self.indicator) & (cov.age == age) & (cov.n > 0)]
        shown = tuple(sorted({int(y) for y in years})) or None  # the comparison's years only
        return [Scope(self.indicator, age, (group,), tuple(areas), years=shown)]


@cached
def lua_coverage() -> pd.DataFrame:
    """Indicator x birth region x year with a value for the LUA set (what the view can show)."""
    return db.query(
        "SELECT indicator, age, birth_region, year, count(value) AS n FROM mart.observation "
        "WHERE area_code = $set GROUP BY ALL",
        {"set": SET},
    )


def age_of(indicator: str, birth: str = "total") -> str:
    """The age band of the LUA set's rows: 20-64 where it has values, else the band it has rows
    for (RegSO shares are published for 20-65, so values derived from them are 20-65)."""
    cov = lua_coverage()
    cov = cov[(cov.indicator == indicator) & (cov.birth_region == birth)]
    with_values = set(cov.age[cov.n > 0])
    ages = sorted(with_values or set(cov.age))
    return "20-64" if "20-64" in ages or not ages else ages[0]


def indicators(cat: Catalogue) -> list[str]:
    """Indicators with any LUA value, in the catalogue's order."""
    cov = lua_coverage()
    have = set(cov.indicator[cov.n > 0])
    return [i for i in cat.indicators.index if i in have]


def parse_lua(query: dict, cat: Catalogue) -> tuple[LuaState, list[Problem]]:
    """Validate the LUA page's query string."""
    r = StateReader(query, cat)
    inds = indicators(cat) or ["employment_rate"]
    indicator = r.choice("ind", inds, "employment_rate" if "employment_rate" in inds else inds[0])
    sex = r.choice("sex", SEXES, "total")
    cov = lua_coverage()
    births = in_birth_order(set(cov.birth_region[cov.indicator == indicator]) | {"total"})
    birth = r.choice("birth", births, "total")
    cov = cov[cov.age == age_of(indicator, birth)]
    years = sorted(set(cov.year[(cov.indicator == indicator) & (cov.n > 0)])) or [2024]
    year = r.year("year", years, years[-1])
    return LuaState(indicator, sex, birth, year), r.problems


@cached
def failures() -> dict[str, str]:
    """RegSO sets the last build could not make (a renamed or unknown RegSO vintage), with why."""
    try:
        rows = db.query(
            "SELECT unit_key, error FROM mart.unit_status WHERE source = 'regso_set' "
            "AND state = 'failed' ORDER BY unit_key"
        )
    except Exception:  # an older warehouse without such rows
        log.info("no RegSO set failures recorded")
        return {}
    return dict(zip(rows.unit_key, rows.error, strict=True))


def failure_note(cat: Catalogue, lang: str) -> str:
    """Why the LUA set (or a district) has no values: the build's message, or ''."""
    failed = failures()
    if not failed:
        return ""
    code = SET if SET in failed else sorted(failed)[0]
    name = cat.area_name(code, lang) if cat.has_area(code) else code
    more = f" (+{len(failed) - 1})" if len(failed) > 1 else ""
    return tr("lua.failed", lang, name=name + more, why=failed[code])


@dataclass
class LuaData:
    """Everything the view draws."""

    frame: pd.DataFrame  # long: area, level, name, municipality, year, value, counts, status ...
    districts: list[str]
    municipality_of: dict[str, str]
    gaps: pd.DataFrame
    synthetic: bool
    notes: list[str] = field(default_factory=list)


@cached
def lua_districts() -> pd.DataFrame:
    """The RegSO-set districts whose members belong to the LUA set."""
    return db.query(
        "SELECT area_code, name_sv, name_en, municipality_code FROM mart.area "
        "WHERE level = 'regso_set' AND area_code IN (SELECT parent_code FROM mart.area_membership "
        "WHERE member_code IN (SELECT member_code FROM mart.area_membership WHERE parent_code = $set)) "
        "ORDER BY area_code",
        {"set": SET},
    )


@cached
def _observations(indicator: str, sex: str, birth: str, areas: tuple[str, ...],
                  age: str = "20-64") -> pd.DataFrame:  # fmt: skip
    """Observations (of one age band) of the areas, with the members their aggregate lacks."""
    params: dict[str, Any] = {"ind": indicator, "sex": sex, "birth": birth, "age": age}
    names = ", ".join(f"$a{i}" for i in range(len(areas)))
    params.update({f"a{i}": a for i, a in enumerate(areas)})
    return db.query(
        "SELECT o.area_code, o.year, o.value, o.numerator, o.denominator, o.status, o.source, "
        "o.source_table, o.series, o.synthetic, g.missing_members, g.reason "
        "FROM mart.observation o LEFT JOIN mart.aggregate_gap g USING (indicator, area_code, year, "
        "sex, birth_region, age) WHERE o.indicator = $ind AND o.sex = $sex AND "
        f"o.birth_region = $birth AND o.age = $age AND o.area_code IN ({names}) ORDER BY o.year",
        params,
    )


def lua_data(state: LuaState, cat: Catalogue) -> LuaData:
    """Observations of the comparison areas, the districts and their municipalities."""
    dist = lua_districts()
    munis = dict(zip(dist.area_code, dist.municipality_code, strict=True))
    areas = list(LINES) + list(dist.area_code) + sorted(set(munis.values()))
    frame = _observations(state.indicator, state.sex, state.birth, tuple(areas),
                          age_of(state.indicator, state.birth))  # fmt: skip
    gaps = frame[frame.missing_members.notna()][["area_code", "year", "missing_members", "reason"]]
    threshold = small_threshold()
    frame["small"] = frame.denominator.notna() & (frame.denominator < threshold)
    first = frame[(frame.area_code == SET) & frame.value.notna()].year.min()
    if pd.notna(first):  # the comparison starts when the districts have values (no RAMS splice)
        frame = frame[frame.year >= first]
    synthetic = bool(frame.synthetic.fillna(False).any())
    return LuaData(frame.reset_index(drop=True), list(dist.area_code), munis, gaps, synthetic)


def _status(row: dict, lang: str, cat: Catalogue) -> str:
    status = row.get("status")
    if status == "derived":
        return tr("derived_band", lang)
    if status == "incomplete" and row.get("missing_members"):
        members = code_names(row["missing_members"], lambda c: cat.area_name(c, lang), lang)
        return tr("lua.incomplete", lang, members=members)
    if status == "missing" and row.get("reason") == "no_matching_population":
        return tr("lua.no_pop_short", lang)
    if status in (None, "ok"):
        return tr("lua.direct", lang) if row.get("source") == "derived" else ""
    return cat.label("status", status, lang)


def _hover(row: dict, name: str, cat: Catalogue, fmt: NumberFormat) -> str:
    lang = fmt.lang
    lines = [f"<b>{name}</b> {row['year']}", fmt.value(row.get("value"))]
    if row.get("numerator") is not None and row.get("denominator") is not None:
        lines.append(t("count_of", lang, num=fmt.count(row["numerator"]),
                       den=fmt.count(row["denominator"])))  # fmt: skip
    status = _status(row, lang, cat)
    if status:
        lines.append(status)
    if row.get("small"):
        lines.append(f"⚠ {t('small', lang)}")
    if row.get("synthetic"):
        lines.append(f"⚠ {t('synthetic_value', lang)}")
    lines.append(f"{row.get('source_table') or ''} · {t('prov.source', lang)}: SCB")
    return "<br>".join(lines)


def comparison_figure(data: LuaData, state: LuaState, cat: Catalogue, lang: str) -> go.Figure:
    """The districts together vs the county, the county without them and the country."""
    ind = cat.indicator_name(state.indicator, lang)
    fmt = NumberFormat.for_indicator(cat, state.indicator, lang)
    frame = data.frame[data.frame.area_code.isin(LINES)]
    if frame[frame.area_code == SET].value.notna().sum() == 0:
        reason = (
            "lua.no_population"
            if (data.gaps.reason == "no_matching_population").any()
            else "lua.no_data"
        )
        why = failure_note(cat, lang) if SET in failures() else tr(reason, lang)
        return theme.empty_figure(theme.wrap(why), lang)
    fig = go.Figure()
    for area in LINES:
        rows = records(frame[frame.area_code == area])
        if not rows:
            continue
        name = cat.area_name(area, lang)
        marks = ["⚠" if (r.get("synthetic") or r.get("small") or r.get("status") == "derived") else ""
                 for r in rows]  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=[r["year"] for r in rows], y=[r.get("value") for r in rows], name=name,
                mode="lines+markers", line={"color": COLOURS[area], "dash": DASH[area]},
                hovertext=[_hover(r, name, cat, fmt) for r in rows],
                hoverinfo="text", customdata=marks,
                marker={"symbol": ["diamond-open" if r.get("status") == "derived" else "circle"
                                   for r in rows], "size": 8},
            )
        )  # fmt: skip
    years = sorted(frame.year.unique().tolist())
    lay = theme.layout(lang, tr("lua.compare", lang, ind=ind), height=460)
    lay["xaxis"] = theme.year_axis(years)
    lay["yaxis"] = {"ticksuffix": " %" if fmt.unit == "percent" else ""}
    fig.update_layout(lay)
    return fig


def rank_figure(data: LuaData, state: LuaState, cat: Catalogue, lang: str) -> go.Figure:
    """The 17 districts ranked for the year, each with its municipality's value beside it."""
    ind = cat.indicator_name(state.indicator, lang)
    fmt = NumberFormat.for_indicator(cat, state.indicator, lang)
    year = data.frame[data.frame.year == state.year]
    dist = year[year.area_code.isin(data.districts)].copy()
    if dist.value.notna().sum() == 0:
        reason = (
            "lua.no_population"
            if (dist.reason == "no_matching_population").any()
            else "lua.no_data"
        )
        why = failure_note(cat, lang) or tr(reason, lang)
        return theme.empty_figure(theme.wrap(why), lang)
    dist["name"] = dist.area_code.map(lambda a: cat.area_name(a, lang))
    dist = dist.sort_values("value", na_position="first")
    muni = year.set_index("area_code")
    mvals = [muni.value.get(data.municipality_of.get(a)) for a in dist.area_code]
    rows = records(dist)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=dist.name, x=dist.value, orientation="h", name=tr("lua.districts", lang),
            marker={"color": ["#f4a582" if r.get("status") == "derived" else "#b2182b" for r in rows],
                    "pattern": {"shape": ["/" if r.get("synthetic") else "" for r in rows]}},
            hovertext=[_hover(r, r["name"], cat, fmt) for r in rows],
            hoverinfo="text",
        )
    )  # fmt: skip
    mnames = [cat.area_name(data.municipality_of.get(a, ""), lang) for a in dist.area_code]
    fig.add_trace(
        go.Scatter(
            y=dist.name, x=mvals, mode="markers", name=tr("lua.municipality", lang),
            marker={"symbol": "line-ns-open", "size": 18, "color": "#2166ac", "line": {"width": 3}},
            hovertext=[f"<b>{m}</b> {state.year}<br>{fmt.value(v)}"
                       for m, v in zip(mnames, mvals, strict=True)],
            hoverinfo="text",
        )
    )  # fmt: skip
    lay = theme.layout(lang, tr("lua.rank", lang, ind=ind, year=state.year), height=560)
    lay["xaxis"] = {"ticksuffix": " %" if fmt.unit == "percent" else ""}
    lay["yaxis"] = {"automargin": True}
    lay["margin"]["l"] = 140
    lay["meta"] = {"stamp_xshift": -(140 - 6)}  # the stamp starts at the figure's left edge
    fig.update_layout(lay)
    return fig


def summaries(data: LuaData, state: LuaState, cat: Catalogue, lang: str) -> tuple[str, str]:
    """One sentence per chart."""
    ind = cat.indicator_name(state.indicator, lang)
    fmt = NumberFormat.for_indicator(cat, state.indicator, lang)
    frame = data.frame
    last = frame[(frame.area_code == SET) & frame.value.notna()].year.max()
    comp = ""
    if pd.notna(last):
        v = frame[frame.year == last].set_index("area_code").value
        others = [v.get(a) for a in ("lua_stockholm_rest", "01", "00")]
        if any(x is None or pd.isna(x) for x in others):
            comp = tr("lua.summary_set", lang, year=int(last), ind=ind.lower(),
                      set=fmt.value(v.get(SET)))  # fmt: skip
            return comp, _rank_summary(data, state, cat, fmt)
        comp = tr("lua.summary", lang, year=int(last), ind=ind.lower(),
                  **{k: fmt.value(v.get(a)) for k, a in
                     (("set", SET), ("rest", "lua_stockholm_rest"), ("county", "01"), ("country", "00"))})  # fmt: skip
    return comp, _rank_summary(data, state, cat, fmt)


def _rank_summary(data: LuaData, state: LuaState, cat: Catalogue, fmt: NumberFormat) -> str:
    """'Highest …, lowest …; n of 17 below their municipality' for the chosen year."""
    lang = fmt.lang
    frame = data.frame
    year = frame[frame.year == state.year].set_index("area_code")
    dist = year[year.index.isin(data.districts) & year.value.notna()]
    rank = ""
    if len(dist):
        hi, lo = dist.value.idxmax(), dist.value.idxmin()
        mvals = pd.Series({a: year.value.get(data.municipality_of[a]) for a in dist.index})
        mvals = pd.to_numeric(mvals.reindex(dist.index), errors="coerce")
        have = mvals.notna()
        below = int((dist.value[have] < mvals[have]).sum())
        below = tr("lua.below", lang, below=below, n=int(have.sum())) if have.any() else ""
        rank = tr("lua.rank_summary", lang, year=state.year, hi=cat.area_name(hi, lang),
                  hi_v=fmt.value(dist.value[hi]), lo=cat.area_name(lo, lang),
                  lo_v=fmt.value(dist.value[lo]), below=below)  # fmt: skip
    return rank


def table(data: LuaData, cat: Catalogue, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table behind both charts (also the CSV): one row per area and year, with flags."""
    f = data.frame.copy()
    f["name"] = f.area_code.map(lambda a: cat.area_name(a, lang))
    f["level"] = f.area_code.map(lambda a: cat.label("level", cat.area_level(a) or "", lang))
    f["method"] = [_status(r, lang, cat) for r in records(f)]
    f["status"] = f.status.map(lambda s: cat.label("status", s, lang) if s != "ok" else "ok")
    yes, no = t("yes", lang), t("no", lang)
    f["derived"] = f.source_table.fillna("").str.contains("x").map({True: yes, False: no})
    f["small"] = f.small.map({True: yes, False: no})
    f["synthetic"] = f.synthetic.fillna(False).astype(bool).map({True: yes, False: no})
    f["attribution"] = f"{t('prov.source', lang)}: SCB"
    f["missing_members"] = [  # names, never codes
        code_names(m, lambda c: cat.area_name(c, lang), lang) for m in f.missing_members.fillna("")
    ]
    cols = ["area_code", "name", "level", "year", "value", "numerator", "denominator", "status",
            "method", "derived", "missing_members", "small", "synthetic", "source_table",
            "attribution"]  # fmt: skip
    headers = {c: column(c, lang) for c in cols}
    headers.update({"name": column("area", lang), "method": tr("col.method", lang),
                    "missing_members": tr("col.missing", lang),
                    "source_table": tr("col.tables", lang), "attribution": tr("col.attribution", lang),
                    "derived": tr("col.derived", lang)})  # fmt: skip
    order = {a: i for i, a in enumerate(list(LINES) + data.districts)}
    f = f.assign(_o=f.area_code.map(order).fillna(99)).sort_values(["_o", "year"])
    return f[cols].reset_index(drop=True), headers


def notes(data: LuaData, state: LuaState, lang: str, cat: Catalogue | None = None) -> list[str]:
    """Failed sets, method, vintage, synthetic and missing-member notes (the sources text)."""
    out = [tr("lua.method", lang), tr("lua.vintage", lang)]
    if cat is not None and failures():
        names = ", ".join(cat.area_name(c, lang) if cat.has_area(c) else c for c in failures())
        out.insert(0, tr("lua.failed", lang, name=names, why=failures()[sorted(failures())[0]]))
    year = data.frame[(data.frame.year == state.year) & data.frame.missing_members.notna()]
    name = (lambda c: cat.area_name(c, lang)) if cat is not None else str
    for r in records(year[year.status == "incomplete"]):
        members = code_names(r["missing_members"], name, lang)
        out.append(
            f"{name(r['area_code'])} {state.year}: " + tr("lua.incomplete", lang, members=members)
        )
    if data.synthetic:
        out.append(tr("lua.synthetic", lang))
    out.append(f"{t('prov.source', lang)}: SCB (TAB6680, IntGr1RegSOBASN, TAB3200).")
    return out


def render_lua(state: LuaState, cat: Catalogue, lang: str, *, figures_too: bool = True) -> Rendered:
    """Both charts (stamped with source, permalink and synthetic mark), summaries, notes, table."""
    data = lua_data(state, cat)
    comp, rank = summaries(data, state, cat, lang)
    frame, headers = table(data, cat, lang)
    figs = (
        {"comparison": comparison_figure(data, state, cat, lang),
         "rank": rank_figure(data, state, cat, lang)}
        if figures_too else {}
    )  # fmt: skip
    out = Rendered(figs, {"comparison": comp, "rank": rank}, frame, headers,
                   notes(data, state, lang, cat), filename=f"lua_{state.indicator}_{state.sex}_{state.birth}")  # fmt: skip
    return exports.stamp_rendered(out, "lua", state, cat, lang) if figures_too else out
