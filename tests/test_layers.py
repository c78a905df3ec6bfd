"""Package layering: the ETL never imports the dashboard, so neither package loops on the other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_etl_module_imports_the_dashboard() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.split(".")[0] == "dashboard")
        for p in sorted((ROOT / "etl").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert offenders  # the scan saw the ETL's modules


def test_the_wsgi_target_is_a_module_with_server_and_the_app_module_builds_nothing() -> None:
    app_tree = ast.parse((ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    top = {n.name for n in app_tree.body if isinstance(n, ast.FunctionDef)}
    assert "__getattr__" not in top and "create_app" in top
    wsgi = ast.parse((ROOT / "dashboard" / "wsgi.py").read_text(encoding="utf-8"))
    assigned = {
        t.id
        for n in wsgi.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    assert "server" in assigned
    conf = ROOT / "dashboard" / "serving" / "gunicorn_conf.py"
    assert 'wsgi_app = "dashboard.wsgi:server"' in conf.read_text(encoding="utf-8")
    assert "dashboard.serving.gunicorn_conf" in (ROOT / "etl" / "cli.py").read_text(
        encoding="utf-8"
    )
