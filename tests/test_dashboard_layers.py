"""The dashboard's layers, read from the source (AST): core/ is Dash-free, ui/ is the Dash kit, views/
holds one folder per page. The rules of the README's "Dashboard layers":

- core imports no Dash or Flask;
- ui imports no view;
- no view imports another view;
- no dashboard import inside a function;
- no import cycle among dashboard modules.

Views are found through the registry (core/viewspec.py, filled by views/__init__.py), so no generic
module imports a view, and no view imports a sibling (what two views share lives in core/ or ui/).
The breaches that remain are listed below by name (KNOWN_*), each with its reason. A new breach
fails, and so does a listed one that is gone (the list only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
NOT_DASH = ("dash", "flask", "werkzeug", "dash_ag_grid")

# (importing module, imported module) pairs imported inside a function: only serving/, whose package
# stays light for its health check (wait_ready runs as a process of its own), and whose gunicorn
# hooks and worker class load before the app is imported
KNOWN_INNER = {
    ("dashboard.serving", "dashboard.serving.bodycap"),
    ("dashboard.serving", "dashboard.serving.pagecache"),
    ("dashboard.serving", "dashboard.serving.readiness"),
    ("dashboard.serving", "dashboard.serving.warmup"),
    ("dashboard.serving", "dashboard.ui.hardening"),
    ("dashboard.serving.gunicorn_conf", "dashboard.core.db"),
    ("dashboard.serving.gunicorn_conf", "dashboard.wsgi"),
    ("dashboard.serving.worker", "dashboard.ui.limits"),
}
# ui modules that still reach a view
KNOWN_UI_TO_VIEW: set[tuple[str, str]] = set()
# modules outside views/ that import a view: only the shell (the registry, the area report route)
REACH_VIEWS = {"dashboard.app"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(DASHBOARD.rglob("*.py"))}


def _resolve(name: str) -> str:
    """The dashboard module an import names (a name imported from a module: the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, imported at the top level) for each import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[int] = set()
    for node in tree.body:
        top.add(id(node))
        if _type_checking(node):
            top.update(id(n) for n in ast.walk(node))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                for a in node.names
            ]
        found += [(n, id(node) in top) for n in names]
    return found


def _dashboard_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges[name] = {
            _resolve(n) for n, _ in _imports(path) if n.split(".")[0] == "dashboard" and _resolve(n)
        }
        edges[name].discard(name)
    return edges


def _view_of(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["dashboard", "views"] and len(parts) > 2 else None


def test_the_layer_folders_hold_the_modules() -> None:
    assert {"dashboard.core.db", "dashboard.ui.sync", "dashboard.views.trends.page"} <= set(MODULES)
    pages = {p.parent.name for p in DASHBOARD.glob("views/*/page.py")}
    assert pages == {"map", "area", "trends", "peers", "explore", "explain", "lua", "data"}


def test_core_imports_no_dash_or_flask() -> None:
    offenders = {
        name: sorted(n for n, _ in _imports(path) if n.split(".")[0] in NOT_DASH)
        for name, path in MODULES.items()
        if name.startswith("dashboard.core")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 10  # the scan saw core's modules


def test_ui_imports_no_view() -> None:
    found = {
        (src, dst)
        for src, dsts in _dashboard_edges().items()
        if src.startswith("dashboard.ui")
        for dst in dsts
        if dst.startswith("dashboard.views")
    }
    assert found == KNOWN_UI_TO_VIEW


def test_no_view_imports_another_view() -> None:
    found = {
        (src, dst)
        for src, dsts in _dashboard_edges().items()
        if _view_of(src)
        for dst in dsts
        if _view_of(dst) and _view_of(dst) != _view_of(src)
    }
    assert found == set()  # what two views share lives in core/ or ui/


def test_views_are_reached_through_the_registry() -> None:
    """Generic modules (URL state, render, provenance, exports, ui) find a view in
    core.viewspec's registry; only the shell imports the views package that fills it."""
    found = {
        src
        for src, dsts in _dashboard_edges().items()
        if not src.startswith("dashboard.views")
        for dst in dsts
        if dst.startswith("dashboard.views")
    }
    assert found == REACH_VIEWS


def test_every_view_folder_declares_a_registered_view() -> None:
    from dashboard import views
    from dashboard.core import viewspec

    folders = {p.parent.name for p in DASHBOARD.glob("views/*/__init__.py")}
    assert {f.VIEW.name for f in views.FOLDERS} == folders
    assert {s.name for s in viewspec.nav_views()} >= folders
    assert all(s.path == ("/" if s.name == "map" else f"/{s.name}") for s in viewspec.views())


def test_no_new_dashboard_import_inside_a_function() -> None:
    found = {
        (name, _resolve(n))
        for name, path in MODULES.items()
        for n, at_top in _imports(path)
        if not at_top and n.split(".")[0] == "dashboard"
    }
    assert found == KNOWN_INNER


def _cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_top_level_imports_form_no_cycle_outside_the_known_one() -> None:
    """Top-level imports never loop; the one loop left runs through the imports inside functions."""
    top_edges = {
        name: {
            _resolve(n)
            for n, at_top in _imports(path)
            if at_top and n.split(".")[0] == "dashboard" and _resolve(n) not in ("", name)
        }
        for name, path in MODULES.items()
    }
    assert _cycles(top_edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
