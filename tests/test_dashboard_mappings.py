"""Mappings as seed rows: birth regions (phrases, colours, dashes), birth sets, gap presets, peer sets."""

from __future__ import annotations

import pandas as pd
import pytest
from dashboard_fixture import sql

from dashboard.core import queries, source_notes, text
from dashboard.core.gaps import GAPS, Group
from dashboard.core.mappings import BIRTH_REGIONS, BIRTH_SETS, PEER_SETS
from dashboard.urlstate import PEER_KINDS
from dashboard.views.trends import render as trends_render
from dashboard.views.trends.state import parse_trends
from etl import seeds

PLOTLY_DASHES = {"solid", "dot", "dash", "longdash", "dashdot", "longdashdot"}


def test_every_birth_region_the_warehouse_labels_has_a_seed_row():
    labels = seeds.load("labels")
    warehouse = set(labels.loc[labels.dimension == "birth_region", "value"])
    assert warehouse == set(BIRTH_REGIONS)
    members = {m for ms in BIRTH_SETS.values() for m in ms}
    assert members <= set(BIRTH_REGIONS)
    for gap in GAPS.values():
        assert {gap.a.birth_region, gap.b.birth_region} <= set(BIRTH_REGIONS), gap.id


def test_birth_regions_have_distinct_colours_and_each_line_of_a_set_its_own_look():
    colours = [r.colour for r in BIRTH_REGIONS.values()]
    assert len(set(colours)) == len(colours)  # no two birth regions share a hue
    for region in BIRTH_REGIONS.values():
        assert {region.dash, region.dash_men} <= PLOTLY_DASHES, region.code
        assert region.dash != region.dash_men, region.code  # women and men differ in every set
    for name, members in BIRTH_SETS.items():
        looks = [(BIRTH_REGIONS[b].colour, BIRTH_REGIONS[b].line_dash(s)) for b in members
                 for s in ("women", "men")]  # fmt: skip
        assert len(set(looks)) == len(looks), name


def test_the_phrases_come_from_the_seed():
    nordic = Group("women", "nordic")
    assert text.group_phrase(nordic, "sv") == "kvinnor födda i Norden utom Sverige"
    assert text.group_phrase(nordic, "en") == "women born in the Nordic countries"
    assert text.group_label(Group("men", "sweden"), "en") == "Swedish-born men"
    assert text.group_phrase(Group("total", "foreign_4_9y"), "sv").startswith("utrikes födda med")
    assert text.gap_phrase(GAPS["fw_sw"], "en") == "foreign-born women − Swedish-born women"


def test_gap_presets_include_the_finer_groups_in_seed_order():
    presets = seeds.load("gap_presets")
    assert list(GAPS) == list(presets.gap)
    nordic = GAPS["nw_sw"]
    assert (nordic.a, nordic.b) == (Group("women", "nordic"), Group("women", "sweden"))


@pytest.mark.parametrize("birth", ["detail", "time"])
def test_finer_birth_regions_draw_distinct_lines_and_label_each_break_once(dash_env, birth):
    cat = queries.catalogue()
    state, problems = parse_trends({"birth": birth, "areas": "0127"}, cat)
    assert not problems
    fig = trends_render.render_trends(state, cat, "en").figures["lines"]
    looks = {}
    for trace in fig.data:
        if trace.name:
            looks.setdefault(trace.name, set()).add((trace.line.color, trace.line.dash))
    assert len(looks) >= 2 * len(BIRTH_SETS[birth]) - 1  # both sexes of every group drawn
    assert all(len(v) == 1 for v in looks.values())  # one look per group, across its segments
    firsts = [next(iter(v)) for v in looks.values()]
    assert len(set(firsts)) == len(firsts)
    for member in BIRTH_SETS[birth]:
        assert BIRTH_REGIONS[member].colour in {c for c, _ in firsts}
    labels = [a.text for a in fig.layout.annotations if str(a.text).startswith("Series break")]
    assert labels and len(labels) == len(set(labels))


def test_a_finer_preset_is_named_in_the_summary(dash_env):
    cat = queries.catalogue()
    state, problems = parse_trends({"birth": "detail", "areas": "0127", "gap": "nw_sw"}, cat)
    assert not problems and state.gap == "nw_sw"
    out = trends_render.render_trends(state, cat, "en")
    assert out.summaries["lines"].split(": ", 1)[1].startswith("women born in the Nordic countries")
    assert out.summaries["gap"].startswith(
        "Women born in the Nordic countries − Swedish-born women"
    )


def test_peer_sets_offered_are_the_seed_rows(dash_env):
    offered = seeds.load("peer_groups")
    assert list(PEER_SETS) == [k for k in offered.offer_as if k]
    assert list(PEER_KINDS[: len(PEER_SETS)]) == list(PEER_SETS)
    skr = PEER_SETS["skr"]
    rows = sql(
        "SELECT DISTINCT area_code FROM mart.peer_group WHERE peer_kind = $k AND group_id IN "
        "(SELECT group_id FROM mart.peer_group WHERE peer_kind = $k AND area_code = '0127')",
        {"k": skr.peer_kind},
    )
    assert queries.peer_codes("skr", "0127") == sorted({r[0] for r in rows} | {"0127"})
    similar = sql(
        "SELECT area_code FROM mart.peer_group WHERE peer_kind = $k AND owner_code = '0127'",
        {"k": PEER_SETS["similar"].peer_kind},
    )
    assert queries.peer_codes("similar", "0127") == sorted({r[0] for r in similar} | {"0127"})
    with pytest.raises(ValueError, match="unknown peer kind"):
        queries.peer_codes("nowhere", "0127")


def test_source_notes_in_english_are_translated_or_marked_swedish():
    ckm = "För att skydda enskilda personers uppgifter i den redovisade statistiken används …"
    assert source_notes.note_text(ckm, "sv") == ckm
    assert source_notes.note_text(ckm, "en").startswith("A statistical method protects")
    other = "En anmärkning som ingen har översatt."
    assert source_notes.note_text(f"{ckm}\n{other}", "en").split("\n")[1] == (
        f"(in Swedish, as the source publishes it) {other}"
    )
    seeded = pd.Series(seeds.load("source_notes").starts_sv)
    assert seeded.str.len().min() > 10 and seeded.is_unique
