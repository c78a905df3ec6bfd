"""The README's recipe "Add a view", followed once: a tiny test-only view registered through the
registry (core/viewspec.py). It renders, its URL state round-trips, its table downloads in every
export format with the rows' sources, the Data page shows it, and the page scaffold draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import render, urlstate
from dashboard.core import db, queries, viewspec
from dashboard.core.gaps import Group
from dashboard.core.queries import Catalogue
from dashboard.core.state import Problem, Query, StateReader
from dashboard.core.viewspec import Rendered, ViewSpec
from dashboard.provenance import Scope
from dashboard.ui import exports, scaffold
from dashboard.ui.sync import PageSpec

INDICATOR, AGE, GROUP = "employment_rate", "20-64", Group("women", "foreign")


@dataclass(frozen=True)
class TinyState:
    """The tiny view: one area's employment rate of foreign-born women over the years."""

    area: str = "00"

    def to_query(self) -> dict[str, Any]:
        """Query parameters of this state."""
        return {"area": self.area}


def parse_tiny(query: Query, cat: Catalogue) -> tuple[TinyState, list[Problem]]:
    """Step 1: the parser, with the public state reader."""
    r = StateReader(query, cat)
    return TinyState(r.area("area", ("country", "county", "municipality"), "00")), r.problems


@render.stamped("tiny")
def render_tiny(state: TinyState, cat: Catalogue, lang: str, *, figures: bool = True) -> Rendered:
    """Step 2: the renderer (a line, its summary, the table)."""
    table = pd.DataFrame(
        db.query_rows(
            "SELECT area_code, year, value FROM mart.observation WHERE indicator = $i AND age = $a"
            " AND sex = $s AND birth_region = $b AND area_code = $area ORDER BY year",
            {"i": INDICATOR, "a": AGE, "s": GROUP.sex, "b": GROUP.birth_region, "area": state.area},
        ),
        columns=["area_code", "year", "value"],
    )
    fig = go.Figure(go.Scatter(x=table.year, y=table.value)) if figures else None
    summary = f"{cat.area_name(state.area, lang)}: {len(table)} years"
    headers = {"area_code": "Code", "year": "Year", "value": "Value"}
    return Rendered({"line": fig}, {"line": summary}, table, headers, filename=f"tiny_{state.area}")


def scopes_tiny(state: TinyState, cat: Catalogue) -> list[Scope]:
    """The observations the view shows (for the source column and the stamp)."""
    return [Scope(INDICATOR, AGE, (GROUP,), (state.area,))]


VIEW = ViewSpec(  # step 3: the spec (nav=None keeps it out of the shell's navigation)
    name="tiny", path="/tiny", parse=parse_tiny, render=render_tiny, state_type=TinyState,
    shared=("area",), data_view=True, scopes=scopes_tiny,
)  # fmt: skip


@pytest.fixture
def tiny(dash_env) -> Any:
    viewspec.register(VIEW)
    yield VIEW
    viewspec.unregister(VIEW.name)


def test_the_view_is_registered_and_its_path_is_its_name(tiny) -> None:
    assert viewspec.view("tiny") is tiny
    assert "tiny" in viewspec.data_views() and "tiny" not in {s.name for s in viewspec.nav_views()}
    assert urlstate.href("tiny", {"area": "0180"}, "en") == "/tiny?area=0180&lang=en"
    with pytest.raises(ValueError, match="already belongs to 'trends'"):
        viewspec.register(ViewSpec(name="other", path="/trends"))


def test_the_url_state_round_trips(tiny) -> None:
    cat = queries.catalogue()
    state, problems = tiny.parse({"area": "0180"}, cat)
    assert state == TinyState("0180") and problems == []
    link = urlstate.href("tiny", state.to_query(), "sv")
    again, problems = tiny.parse(urlstate.parse_search(link.partition("?")[2]), cat)
    assert again == state and problems == []
    bad, problems = tiny.parse({"area": "nowhere"}, cat)
    assert bad == TinyState("00") and [p.param for p in problems] == ["area"]


def test_it_renders_stamped_with_its_sources(tiny) -> None:
    cat = queries.catalogue()
    out = tiny.render(TinyState("0180"), cat, "en")
    assert len(out.table) > 3 and out.table.value.notna().any()
    assert out.summaries["line"].startswith(cat.area_name("0180", "en"))
    assert out.extra["permalink"].endswith("/tiny?area=0180&lang=en")
    assert "SCB" in out.extra["source_line"]
    stamps = [a.text for a in exports.for_export(out.figures["line"]).layout.annotations]
    assert any("/tiny?area=0180" in text for text in stamps)


def test_it_downloads_in_every_format_with_the_rows_sources(tiny) -> None:
    cat = queries.catalogue()
    state = TinyState("0180")
    made = {fmt: exports.view_download(fmt, "tiny", state, cat, "en") for fmt in exports.FORMATS}
    assert (
        made["csv"]["filename"] == "tiny_0180.csv" and made["xlsx"]["filename"] == "tiny_0180.xlsx"
    )
    lines = made["csv"]["content"].lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Code,Year,Value,Source")
    rows = [line.split(",", 3) for line in lines[1:] if line and not line.startswith("#")]
    assert rows and all(r[3].startswith(("SCB ", "Kolada ")) for r in rows)  # each row's own source
    assert lines[-1] == "# View URL: /tiny?area=0180&lang=en"


def test_the_data_page_and_the_scaffold_show_it(tiny) -> None:
    cat = queries.catalogue()
    state, problems = urlstate.parse_data({"view": "tiny", "area": "1480"}, cat)
    assert problems == [] and state.inner == TinyState("1480")
    out = render.render_data(state, cat, "sv")
    assert out.figures == {"line": None} and len(out.table)
    spec = PageSpec("tiny", [("tiny-area", "area")], parse_tiny, lambda s: [s.area])
    wiring = scaffold.Wiring(spec, [("line", "tiny-graph", "tiny-summary")], "tiny-notes",
                             "tiny-table", "tiny-lang", "tiny-csv", "tiny-download")  # fmt: skip
    figure, summary, _notes, rows, columns = scaffold.render_values(wiring, ["1480"], "en")
    assert summary.startswith(cat.area_name("1480", "en")) and isinstance(figure, go.Figure)
    assert len(rows) == len(out.table) and [c["field"] for c in columns][:2] == [
        "area_code",
        "year",
    ]
