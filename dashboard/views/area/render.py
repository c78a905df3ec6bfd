"""The area profile's content from a state: sentences, figures and tables (no Dash components)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import provenance
from dashboard.core import queries
from dashboard.core.gaps import Group
from dashboard.core.hover import provenance_tag
from dashboard.core.text import age_band, column, fmt_num, fmt_pp, fmt_value, group_label
from dashboard.ui import exports
from dashboard.views.area import data, figures
from dashboard.views.area.state import AreaState, href
from dashboard.views.area.text import tr
from etl import seeds
from etl import uncertainty as u
from etl.row_provenance import combine

log = logging.getLogger(__name__)


@dataclass
class Profile:
    """Everything the page and the report show for one state and language."""

    area: data.Area
    lang: str
    headline: list[str] = field(default_factory=list)
    rank_lead: str = ""  # what is ranked, its year and direction
    ranks: list[str] = field(default_factory=list)
    explained: str = ""
    trend: go.Figure | None = None
    trend_summary: str = ""
    spine: go.Figure | None = None
    spine_summary: str = ""
    spine_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    members: pd.DataFrame = field(default_factory=pd.DataFrame)
    planner: pd.DataFrame = field(default_factory=pd.DataFrame)
    planner_summary: str = ""
    planner_chart: go.Figure | None = None
    planner_years: list[int] = field(default_factory=list)
    source_line: str = ""
    source_lines: list[str] = field(default_factory=list)  # one per provider: 'Källa: SCB, …'
    permalink: str = ""
    synthetic: bool = False


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _derived(row) -> bool:
    return isinstance(getattr(row, "derived", None), str)


def _counts(row) -> tuple:
    """Both groups' counts; none for a derived row (share × population is never compared)."""
    if _derived(row):
        return (None, None, None, None)
    return (row.numerator_1, row.denominator_1, row.numerator_2, row.denominator_2)


def _untested(row, lang: str, short: bool = False) -> str:
    """Why a gap or change was not tested: derived values, or no counts (`short`: a table cell)."""
    if _derived(row):
        return tr("area.sig.derived.short" if short else "area.sig.derived", lang)
    return tr("area.sig.none.short" if short else "area.sig.none", lang)


def _noisy(year: int) -> bool:
    return year >= (seeds.noise_from_year() or 10_000)


def headline(a: data.Area, lang: str) -> tuple[list[str], pd.DataFrame]:
    """The headline sentences (gap now, change since the first year and since the last break)."""
    age = data.headline_age(a.level)
    g = data.gaps([a.code], age).dropna(subset=["gap"])
    name = a.name(lang)
    if g.empty:
        return [tr("area.no_headline", lang, name=name, band=age_band(age, lang))], g
    now = g.iloc[-1]
    z = u.score_z(*_counts(now))
    sig = _untested(now, lang) if z is None else (
        tr("area.sig.yes", lang) if abs(z) > u.Z95 else tr("area.sig.no", lang))  # fmt: skip
    if _noisy(int(now.year)) and z is not None:
        sig += tr("area.sig.noise", lang)
    lines = [tr("area.headline", lang, year=int(now.year), band=age_band(age, lang), name=name,
                v1=fmt_value(now.value_1, 1, "percent", lang), v2=fmt_value(now.value_2, 1, "percent", lang),
                gap=fmt_pp(now.gap, lang), sig=sig)]  # fmt: skip
    lines.append(provenance_sentence(now, lang))
    breaks = g[g.series_break.fillna(False).astype(bool)]
    first = g.iloc[0]
    last_break = breaks.iloc[-1] if len(breaks) else None
    if int(first.year) < int(now.year):
        crosses = last_break is not None and int(last_break.year) > int(first.year)
        lines.append(tr("area.change_first", lang, year=int(first.year),
                        change=fmt_pp(now.gap - first.gap, lang),
                        sig=tr("area.sig.break", lang) if crosses else _change_sig(now, first, lang)))  # fmt: skip
    if last_break is not None and int(last_break.year) < int(now.year):
        lines.append(tr("area.change_break", lang, year=int(last_break.year),
                        series=str(last_break.series or ""), change=fmt_pp(now.gap - last_break.gap, lang),
                        sig=_change_sig(now, last_break, lang)))  # fmt: skip
    return lines, g


def provenance_label(label, lang: str) -> str:
    """A row's provenance in words ('real', 'synthetic, calibrated to Kolada N00914'), or ''."""
    tag = provenance_tag(label, lang).removeprefix(" · ")
    return tag or (label if isinstance(label, str) else "")


def provenance_sentence(row, lang: str) -> str:
    """'Real or synthetic: foreign-born women real; Swedish-born women synthetic.' (the headline)."""
    parts = [
        f"{group_label(Group(*group), lang)} {provenance_label(label, lang) or '–'}"
        for group, label in ((data.GROUP_1, row.provenance_1), (data.GROUP_2, row.provenance_2))
    ]
    return f"{column('provenance', lang)}: {'; '.join(parts)}."


def _change_sig(now, then, lang: str) -> str:
    result = u.gap_change_significant(_counts(now), _counts(then))
    if result is None:
        return _untested(now if _derived(now) else then, lang)
    return tr("area.sig.change", lang) if result else tr("area.sig.no", lang)


def _rank_sets(a: data.Area, lang: str) -> list[tuple[str, list[str]]]:
    """(label, member codes) of the peer sets the area is ranked in."""
    if a.level == "municipality":
        return [(tr(f"peers.{k}", lang), data.peers(k, a)) for k in data.PEER_KINDS]
    if a.level == "county":
        return [(tr("area.rank.counties", lang), data.level_codes("county"))]
    if a.level == "la_region":
        return [(tr("area.rank.la_regions", lang), data.level_codes("la_region"))]
    if a.level == "country":  # not ranked; its counties span the trend's band
        return []
    return [(tr("area.rank.level", lang), data.level_codes(a.level, a.county_code))]


def ranks(a: data.Area, lang: str) -> tuple[str, list[str]]:
    """What is ranked, its year and direction (said once), then one short line per peer set:
    the rank of the area's latest gap, smallest gap (highest value) first."""
    age = data.headline_age(a.level)
    if a.level == "country":
        return tr("area.rank.country", lang), []
    found: list[tuple[str, int | None]] = []
    for label, codes in _rank_sets(a, lang):
        if not codes:
            continue
        g = data.gaps(codes, age).dropna(subset=["gap"])
        mine = g[g.area_code == a.code]
        if mine.empty:
            found.append((tr("area.rank_none", lang, group=label), None))
            continue
        year = int(mine.year.max())
        same = g[g.year == year].sort_values("gap", ascending=False).reset_index(drop=True)
        rank = int(same.index[same.area_code == a.code][0]) + 1
        found.append((tr("area.rank", lang, group=label, rank=rank, n=len(same)), year))
    years = [y for _, y in found if y is not None]
    if not years:
        return "", [line for line, _ in found]
    lead = max(years)  # a set ranked on another year says which
    lines = [line if y in (None, lead) else f"{line} ({y})" for line, y in found]
    return tr("area.rank_lead", lang, year=lead), lines


def explained(a: data.Area, lang: str) -> str:
    """The explained gap in one line (mart.gap_decomposition), or why there is none."""
    dec = data.decomposition(a.code).dropna(subset=["crude_gap"])
    if dec.empty:
        return tr("area.no_explained", lang)
    r = dec.iloc[0]
    return tr("area.explained", lang, year=int(r.year), gap=fmt_pp(r.crude_gap, lang),
              composition=fmt_pp(r.composition, lang), rate=fmt_pp(r.rate_effect, lang))  # fmt: skip


def trend(a: data.Area, lang: str) -> tuple[go.Figure, str]:
    """The headline gap's trend against the band of its peers, with the county and country lines."""
    age = data.headline_age(a.level)
    sets = _rank_sets(a, lang)
    peers = sets[0][1] if sets else data.members(a) if a.level == "country" else []
    lines: dict[str, pd.DataFrame] = {}
    others = [(a.code, a.name(lang))]
    if a.county_code and a.level != "county":
        others.append((a.county_code, data.names([a.county_code], lang)[a.county_code]))
    if a.code != data.COUNTRY:
        others.append((data.COUNTRY, tr("area.country", lang)))
    g = data.gaps([c for c, _ in others] + list(peers), age)
    for code, label in others:
        lines[label] = g[g.area_code == code]
    band_src = g[g.area_code.isin(peers)].dropna(subset=["gap"])
    band = band_src.groupby("year").gap.describe(percentiles=[0.25, 0.75]).reset_index()
    band = band.rename(columns={"min": "q0", "25%": "q25", "75%": "q75", "max": "q100"})
    title = tr("area.trend_title", lang, name=a.name(lang), band=age_band(age, lang))
    key = "area.trend_summary_country" if a.code == data.COUNTRY else "area.trend_summary"
    summary = tr(key, lang, name=a.name(lang), n=len(set(band_src.area_code)))
    return figures.trend_figure(lines, band, title, lang), summary


def _group_label(row, lang: str) -> str:
    """The row's group, short: 'Utrikes födda kvinnor' (the indicator is the row's heading)."""
    return group_label(Group(row.sex, row.birth_region), lang)


def spine(
    a: data.Area, state: AreaState, lang: str
) -> tuple[go.Figure, str, pd.DataFrame, set[str]]:
    """The spine chart, its summary, its table (the same rows) and the source tables it shows."""
    cat = queries.catalogue()
    rows = data.spine_rows(a, state.comparator, state.benchmark)
    bench_code = data.benchmark_code(a, state.benchmark)
    bench_name = (
        tr("area.country", lang)
        if bench_code == data.COUNTRY
        else data.names([bench_code], lang)[bench_code]
    )
    national = a.level == "country"  # the country is not compared with itself: its counties' spread
    if national:
        rows["benchmark"] = float("nan")
        bench_name = tr("area.bench.counties", lang)
    if rows.empty:
        return figures.spine_figure(rows, "", lang), tr("area.no_values", lang), rows, set()
    verdicts = [
        u.against_benchmark(r.value, r.ci_low, r.ci_high, r.benchmark, cat.higher_is_better(r.indicator),
                            _noisy(int(r.year)))
        for r in rows.itertuples()
    ]  # fmt: skip
    rows["verdict"] = [v.verdict for v in verdicts]
    rows["heading"] = [cat.indicator_name(i, lang) for i in rows.indicator]
    own = data.headline_age(a.level)  # a row on another band says so (issue 22)
    rows["label"] = [
        _group_label(r, lang) + ("" if r.age == own else f" ({age_band(r.age, lang)})")
        for r in rows.itertuples()
    ]
    year = int(rows.year.max())
    title = tr("area.spine_title", lang, name=a.name(lang), year=year, bench=bench_name)
    counts = rows.verdict.value_counts()
    summary = tr("area.spine_summary", lang, bench=bench_name,
                 better=int(counts.get(u.BETTER, 0)), similar=int(counts.get(u.SIMILAR, 0)),
                 worse=int(counts.get(u.WORSE, 0)), other=int(counts.get(u.NOT_COMPARED, 0)),
                 higher=int(counts.get(u.HIGHER, 0) + counts.get(u.LOWER, 0)))  # fmt: skip
    if national:
        summary = tr("area.spine_country", lang, n=len(rows))
    noisy = [v.noisy and v.verdict != u.NOT_COMPARED for v in verdicts]
    if any(noisy):  # flagged, never widened silently
        summary += " " + tr("area.spine_noise", lang, n=sum(noisy), noise=seeds.noise_from_year())
    shown = [
        tr(f"area.verdict.{v.verdict}", lang) + (" " + tr("area.noise_flag", lang) if n else "")
        for v, n in zip(verdicts, noisy, strict=True)
    ]
    ci = [
        "" if _nan(lo) else f"{fmt_num(lo, 1, lang)}–{fmt_num(hi, 1, lang)}"
        for lo, hi in zip(rows.ci_low, rows.ci_high, strict=True)
    ]
    table = pd.DataFrame({
        tr("area.col.label", lang): rows.heading + ": " + rows.label, tr("area.col.year", lang): rows.year,
        tr("area.col.value", lang): rows.value, tr("area.col.ci", lang): ci,
        tr("area.col.n", lang): rows.denominator.round(0).astype("Int64"), tr("area.col.benchmark", lang): rows.benchmark,
        "min": rows.q0, "25 %": rows.q25, "75 %": rows.q75, "max": rows.q100,
        tr("area.col.verdict", lang): shown, column("provenance", lang): rows.provenance,
    })  # fmt: skip
    table.attrs["ages"] = list(rows.age)  # for the page's note on mixed age bands
    return figures.spine_figure(rows, title, lang), summary, table, set(rows.source_table)


def _gap_table(
    codes: list[str], kinds: dict[str, str], age: str, since: int | None, lang: str
) -> tuple[pd.DataFrame, int | None, int | None]:
    """Gap now and change since a year, with significance marks, for the areas (planner's table)."""
    g = data.gaps(codes, age).dropna(subset=["gap"])
    year = int(g.year.max()) if len(g) else -1
    breaks = g.year[g.series_break.fillna(False).astype(bool)]
    first = int(breaks.max()) if len(breaks) else int(g.year.min()) if len(g) else -1
    start = since if since is not None and since in set(g.year) else first  # the current series
    names = data.names(codes, lang)
    prov = column("provenance", lang).lower()
    rows = []
    for code in codes:
        mine = g[g.area_code == code].set_index("year")
        now = mine.loc[year] if year in mine.index else None
        then = mine.loc[start] if start in mine.index else None
        change = None if now is None or then is None or start == year else now.gap - then.gap
        gap_sig = None if now is None else u.score_z(*_counts(now))
        crosses = bool(mine.series_break.loc[start + 1 : year].fillna(False).astype(bool).any())
        change_sig = (
            None
            if change is None or crosses
            else u.gap_change_significant(_counts(now), _counts(then))
        )
        marks = [tr("area.sig_gap", lang)] if gap_sig is not None and abs(gap_sig) > u.Z95 else []
        marks += [tr("area.sig_change", lang)] if change_sig else []
        marks += [tr("area.sig.break", lang)] if crosses and change is not None else []
        marks += [tr("area.noise_flag", lang)] if gap_sig is not None and _noisy(year) else []
        rows.append({
            tr("area.col.name", lang): names.get(code, code), tr("area.col.kind", lang): kinds[code],
            tr("area.col.gap", lang): None if now is None else round(float(now.gap), 1),
            tr("area.col.change", lang): None if change is None else round(float(change), 1),
            tr("area.col.sig", lang): (", ".join(marks) or tr("area.sig.no", lang))
            if (gap_sig is not None or change_sig is not None)
            else "" if now is None else _untested(now, lang, short=True),
            f"{tr('area.col.gap', lang)}: {prov}": None if now is None else provenance_label(now.provenance, lang),
            f"{tr('area.col.change', lang)}: {prov}": None if change is None else provenance_label(combine(
                [now.provenance_1, now.provenance_2, then.provenance_1, then.provenance_2]), lang),
        })  # fmt: skip
    return pd.DataFrame(rows), (year if len(g) else None), (start if len(g) else None)


def members_table(a: data.Area, lang: str) -> pd.DataFrame:
    """The districts or member areas inside the area, with their headline values."""
    codes = data.members(a)
    if not codes:
        return pd.DataFrame()
    age = data.headline_age("regso_set" if a.level == "municipality" else a.level)
    kinds = dict.fromkeys(codes, tr("area.kind.member", lang))
    table, _, _ = _gap_table(codes, kinds, age, None, lang)
    return table


def planner(a: data.Area, state: AreaState, lang: str) -> tuple[pd.DataFrame, str]:
    """For a county or LA region: members, LUA districts inside, county without them, county, country."""
    if a.level not in ("county", "la_region"):
        return pd.DataFrame(), ""
    kinds = planner_kinds(a, lang)
    table, year, start = _gap_table(list(kinds), kinds, data.PLANNER_AGE, state.since, lang)
    if year is None:
        return table, tr("area.no_values", lang)
    col = tr("area.col.gap" if state.sort == "gap" else "area.col.change", lang)
    table = table.sort_values(col, ascending=True, na_position="last").reset_index(drop=True)
    return table, tr("area.planner_summary", lang, year=year, since=start, age=data.PLANNER_AGE)


def planner_note(lang: str) -> str:
    """The planner's age-band note: one band, and where rebuilt rows weight it by another."""
    return tr("area.planner_note", lang, age=data.PLANNER_AGE)


def planner_chart(a: data.Area, table: pd.DataFrame, lang: str) -> go.Figure:
    """The planner's table as a dot chart (the same rows, in the table's order)."""
    cols = {k: tr(f"area.col.{k}", lang) for k in ("name", "kind", "gap", "change", "sig")}
    title = tr("area.planner_chart", lang, name=a.name(lang), age=data.PLANNER_AGE)
    return figures.planner_figure(table, cols, title, lang)


def planner_kinds(a: data.Area, lang: str) -> dict[str, str]:
    """The planner's rows (code → kind): members, LUA districts, county without them, county,
    LA region, country."""
    county = a.code if a.level == "county" else a.county_code
    munis = data.members(a) if a.level == "la_region" else data.level_codes("municipality", a.code)
    kinds = dict.fromkeys(munis, tr("area.kind.municipality", lang))
    kinds |= dict.fromkeys(data.districts_in(munis), tr("area.kind.district", lang))
    if county:
        kinds |= dict.fromkeys(data.rest_of_county(county), tr("area.kind.rest", lang))
        kinds[county] = tr("area.kind.county", lang)
    if a.level == "la_region":
        kinds[a.code] = tr("area.kind.la", lang)
    kinds[data.COUNTRY] = tr("area.kind.country", lang)
    return kinds


def sources(lang: str, tables: set[str]) -> tuple[str, list[str], bool]:
    """The profile's source line, one line per provider ('Källa: SCB, TAB3200 …'), and whether
    any value is synthetic."""
    frame = queries.series_sources(list(queries.catalogue().indicators.index))
    frame = frame[frame.source_table.isin(tables)] if len(frame) else frame
    frame = frame.drop_duplicates("source_table") if len(frame) else frame
    if frame.empty:
        line = provenance.source_line(frame, lang)
        return line, [line], False
    lines = [
        provenance.source_line(part, lang) for _p, part in frame.groupby("provider", sort=True)
    ]
    return provenance.source_line(frame, lang), lines, bool((frame.synthetic_rows > 0).any())


def mixed_ages(a: data.Area, prof: Profile, lang: str) -> str:
    """'This page mixes age bands: …' when a part of the page is on another band than the headline."""
    own = data.headline_age(a.level)
    others: dict[str, list[str]] = {}
    spine_ages = [age for age in prof.spine_table.attrs.get("ages", []) if age != own]
    for age in sorted(set(spine_ages)):
        part = tr("area.part.spine", lang, n=spine_ages.count(age))
        others.setdefault(age_band(age, lang), []).append(part)
    members_age = data.headline_age("regso_set" if a.level == "municipality" else a.level)
    if len(prof.members) and members_age != own:
        part = tr("area.part.members", lang, name=a.name(lang))
        others.setdefault(age_band(members_age, lang), []).append(part)
    if len(prof.planner) and own != data.PLANNER_AGE:
        others.setdefault(age_band(data.PLANNER_AGE, lang), []).append(
            tr("area.part.planner", lang)
        )
    return " ".join(
        tr(
            "area.mixed_ages",
            lang,
            band=age_band(own, lang),
            parts=tr("area.and", lang).join(p),
            other=band,
        )
        for band, p in others.items()
    )


def profile(state: AreaState, lang: str) -> Profile:
    """The whole profile of one state in one language."""
    a = data.area(state.area)
    out = Profile(area=a, lang=lang)
    out.headline, _ = headline(a, lang)
    out.rank_lead, out.ranks = ranks(a, lang)
    out.explained = explained(a, lang)
    out.permalink = exports.public_base() + href(state, lang)
    trend_fig, out.trend_summary = trend(a, lang)
    spine_fig, out.spine_summary, out.spine_table, tables = spine(a, state, lang)
    out.source_line, out.source_lines, out.synthetic = sources(lang, tables | {"TAB3200"})
    for name, fig in (("trend", trend_fig), ("spine", spine_fig)):
        setattr(out, name, exports.stamp(fig, source=out.source_line, link=out.permalink,
                                         synthetic=out.synthetic, lang=lang))  # fmt: skip
    out.members = members_table(a, lang)
    out.planner, out.planner_summary = planner(a, state, lang)
    note = mixed_ages(a, out, lang)
    if note:
        out.headline.append(note)
    if len(out.planner):  # stamped with the planner's own sources
        kinds = list(planner_kinds(a, lang))
        line, _lines, synthetic = sources(lang, data.source_tables(kinds, data.PLANNER_AGE))
        out.planner_chart = exports.stamp(planner_chart(a, out.planner, lang), source=line,
                                          link=out.permalink, synthetic=synthetic, lang=lang)  # fmt: skip
    if a.level in ("county", "la_region"):
        out.planner_years = sorted(
            set(data.gaps([a.code], data.PLANNER_AGE).dropna(subset=["gap"]).year)
        )
    return out
