"""Every visible string goes through the language layer: no key missing in sv or en, none unused.

The tables are read as the code defines them; the keys the code asks for are found in its source
(literal keys, and key families such as f"nav.{page}" whose members come from the code's constants).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard import urlstate
from dashboard.core import decomposition as explain
from dashboard.core import text
from dashboard.core.mappings import BIRTH_SETS
from dashboard.core.text import decomposition as explain_text
from dashboard.core.text import grid as grid_text
from dashboard.core.text import sentences, strings
from dashboard.core.text import widgets as widgets_text
from dashboard.views import REGISTRY
from dashboard.views.area import text as area_text
from dashboard.views.explore.state import EXPLORE_PEER_KINDS
from dashboard.views.lua import text as lua_text
from dashboard.views.map.state import COLOURS, LEVELS
from dashboard.views.trends.state import SEX_SETS

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
TABLE_NAMES = {
    "DROPDOWN",
    "MODEBAR",
    "T",
    "TX",
    "TEXT",
    "STRINGS",
    "COLUMNS",
    "GRID",
    "HEADERS",
    "_SEX",
    "SENTENCES",
}
TABLES = {
    "text.strings.T": strings.T,
    "text.strings.COLUMNS": strings.COLUMNS,
    "text.sentences.SENTENCES": sentences.SENTENCES,
    "text.decomposition.TX": explain_text.TX,
    "text.decomposition.HEADERS": explain_text.HEADERS,
    "text.lua.TEXT": lua_text.TEXT,
    "text.grid.GRID": grid_text.GRID,
    "text.widgets.DROPDOWN": widgets_text.DROPDOWN,
    "text.widgets.MODEBAR": widgets_text.MODEBAR,
    "views.area.text.TEXT": area_text.TEXT,
}
SHARED = {**text.T}  # what t() knows; tr() of a view knows its own table first
OWN = {  # the modules (paths below dashboard/) whose tr() knows a view's own table first
    **dict.fromkeys(
        [
            "core/text/decomposition.py",
            "core/decomposition_map.py",
            "views/explain/text.py",
            "views/explain/view.py",
            "views/explain/page.py",
            "views/map/decomposed.py",
            "views/explain/figures.py",
        ],
        explain_text.TX,
    ),
    **dict.fromkeys(
        [
            "views/lua/text.py",
            "views/lua/state.py",
            "views/lua/data.py",
            "views/lua/figures.py",
            "views/lua/render.py",
            "views/lua/page.py",
        ],
        lua_text.TEXT,
    ),
    **dict.fromkeys(
        [
            f"views/area/{m}.py"
            for m in ("text", "page", "render", "figures", "report", "data", "state")
        ],
        area_text.TEXT,
    ),
}
FAMILIES = {  # f"prefix{value}" keys the code builds, with the values it builds them from
    "nav.": [*REGISTRY],
    "level.": [*LEVELS],
    "colour.": [*COLOURS],
    "sexes.": [*SEX_SETS],
    "birth.": [*BIRTH_SETS],
    "peers.": [*urlstate.PEER_KINDS, *EXPLORE_PEER_KINDS],
    "x.colour.": [*explain.COLOURS],
}
SWEDISH = re.compile(r"[åäöÅÄÖ]")


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text("utf-8"))) for p in sorted(DASHBOARD.rglob("*.py"))]


def _table_key_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside the module-level translation tables (keys and texts)."""
    inside: set[int] = set()
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id in TABLE_NAMES:
            inside.update(id(n) for n in ast.walk(node.value))
    return inside


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            out.add(id(first.value))
    return out


def _code_strings() -> tuple[set[str], set[str], list[tuple[str, int, str]]]:
    """(string literals outside the tables, f-string prefixes, t()/tr() calls with a literal key)."""
    literals: set[str] = set()
    prefixes: set[str] = set()
    calls: list[tuple[str, int, str]] = []
    for path, tree in _modules():
        skip = _table_key_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    prefixes.add(first.value)
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                key = node.args[0]
                if name in ("t", "tr") and isinstance(key, ast.Constant):
                    calls.append((path.relative_to(DASHBOARD).as_posix(), node.lineno, key.value))
    return literals, prefixes, calls


@pytest.mark.parametrize("name", list(TABLES))
def test_every_text_has_both_languages_with_the_same_placeholders(name):
    for key, pair in TABLES[name].items():
        assert isinstance(pair, tuple) and len(pair) == 2, (name, key)
        sv, en = pair
        assert sv.strip() and en.strip(), f"{name}[{key!r}] is missing its sv or en text"
        fields = [set(re.findall(r"{(\w+)", s)) for s in pair]
        assert fields[0] == fields[1], f"{name}[{key!r}]: sv and en take other arguments"


def test_every_key_the_code_asks_for_exists():
    _, _, calls = _code_strings()
    missing = []
    for module, line, key in calls:
        if key not in {**SHARED, **OWN.get(module, {})}:
            missing.append(f"{module}:{line} {key!r}")
    assert calls and not missing, f"keys asked for but not defined: {missing}"


@pytest.mark.parametrize("prefix", list(FAMILIES))
def test_every_member_of_a_key_family_exists(prefix):
    known = {**SHARED, **explain_text.TX}
    absent = [f"{prefix}{v}" for v in FAMILIES[prefix] if f"{prefix}{v}" not in known]
    assert not absent, f"family {prefix!r} lacks {absent}"


def test_no_key_is_unused():
    literals, prefixes, _ = _code_strings()
    families = tuple(p for p in prefixes if p.endswith((".", "_")))
    assert "nav." in families  # the search itself finds the families
    for name, table in TABLES.items():
        if name in ("text.grid.GRID", "text.widgets.DROPDOWN", "text.widgets.MODEBAR"):  # whole
            continue
        unused = [k for k in table if k not in literals and not k.startswith(families)]
        assert not unused, f"{name} keys no code asks for: {unused}"


def test_no_swedish_text_outside_the_language_layer():
    """A Swedish literal in code (not a docstring or a table) is a string that skips translation."""
    found = []
    for path, tree in _modules():
        skip = _table_key_nodes(tree) | _docstrings(tree)
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.Constant):
                continue
            if isinstance(node.value, str) and SWEDISH.search(node.value):
                found.append(f"{path.relative_to(DASHBOARD)}:{node.lineno} {node.value[:40]!r}")
    assert not found, f"Swedish text outside the language tables: {found}"


def test_grid_texts_follow_the_page_language():
    sv, en = grid_text.grid_locale("sv"), grid_text.grid_locale("en")
    assert (sv["to"], sv["of"], sv["searchOoo"]) == ("till", "av", "Sök …")
    assert (en["to"], en["of"], en["searchOoo"]) == ("to", "of", "Search...")
    assert sv.keys() == en.keys()


def test_age_all_is_translated_and_ranges_kept():
    assert text.age_label("all", "sv") == "Alla åldrar"
    assert text.age_label("all", "en") == "All ages"
    assert text.age_label("20-64", "en") == "20-64"


def test_the_served_page_title_is_in_the_page_language(dash_env):
    """The link preview of the first load (the browser's <title> follows on the client: a11y.py)."""
    client = dash_env.app.server.test_client()
    english = client.get("/trends?lang=en").get_data(as_text=True)
    swedish = client.get("/trends").get_data(as_text=True)
    assert '<meta property="og:title" content="Trends – Labour-market gaps">' in english
    assert '<meta property="og:title" content="Utveckling – Arbetsmarknadsgap">' in swedish


def _components(node):
    """Every Dash component in a layout tree."""
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _components(child)


DASH_ENGLISH = {
    "Select All",
    "Deselect All",
    "{num_selected} selected",
    "Search",
    "No options found",
}


@pytest.mark.parametrize("page", ["map", "trends", "peers", "explore"])
def test_third_party_widgets_follow_the_page_language(dash_env, page):
    """Dash's dropdown texts ('Search', '2 selected') and Plotly's tool-bar tooltips on the Swedish page."""
    from dash import dcc

    from dashboard.core.text import widgets

    layouts = {lang: getattr(dash_env, page).layout(lang=lang) for lang in ("sv", "en")}
    dropdowns = [x for x in _components(layouts["sv"]) if isinstance(x, dcc.Dropdown)]
    graphs = [x for x in _components(layouts["sv"]) if isinstance(x, dcc.Graph)]
    assert dropdowns and graphs
    for d in dropdowns:
        labels = getattr(d, "labels", None) or {}
        assert set(labels) == set(widgets.DROPDOWN), f"{d.id} keeps Dash's English texts"
        assert not DASH_ENGLISH & set(labels.values()), f"{d.id}: {labels}"
        assert labels["search"] == "Sök" and labels["selected_count"] == "{num_selected} valda"
    for g in graphs:
        assert g.config["locale"] == "sv", g.id
        tips = g.config["locales"]["sv"]["dictionary"]
        assert tips["Download plot as a PNG"] == "Ladda ned diagrammet som PNG"
        assert tips["Zoom in"] == "Zooma in" and tips["Reset axes"] == "Återställ axlarna"
    english = [x for x in _components(layouts["en"]) if isinstance(x, dcc.Dropdown)]
    assert all(x.labels["search"] == "Search" for x in english)
    assert all(
        x.config["locale"] == "en" for x in _components(layouts["en"]) if isinstance(x, dcc.Graph)
    )


def test_the_toolbar_dictionary_names_texts_the_bundle_has():
    """Each toolbar text translated is one plotly.js shows (a renamed text would stay English)."""
    from dashboard.core.text import widgets

    bundle = (DASHBOARD / "assets" / "plotly-labourdash.min.js").read_text("utf-8")
    absent = [k for k in widgets.MODEBAR if f'"{k}"' not in bundle]
    assert not absent, f"not texts of the bundled plotly.js: {absent}"
