"""Benchmark: how spread out one view's code is. Prints figures; never fails.

1. The project files (dashboard/ and etl/) whose code runs when `/trends?area=0180&gap=fw_sw` is
   rendered (parse + render in a fresh process, after the app is created), and the distinct
   file-to-file calls among them.
2. The view-specific names left in generic dashboard modules (everything outside views/): top-level
   definitions whose name names a view (Map, Trends, Peers, Explore, Explain, LUA) or one of their
   states, and the imports of such names.

Run: .venv/bin/python benchmarks/bench_view_files.py [--warehouse PATH]  (builds a demo if missing)

Measured on the demo (issue 20's leftovers, before -> after moving each view's state, data, table
and focus into its folder): 30 -> 33 files (78 -> 86 calls): Trends' own code went from 3 files in
views/trends/ plus slices of urlstate/facts/tables/focus to 6 files in views/trends/, on the shared
core/frames, core/tables and core/references; view-specific names 148 -> 121 (46 -> 19 outside
ui/ids.py). The word test is blunt: 'map' also names a chart kind (theme.map_geo, the
decomposition's choropleth), and core/text/summaries.py still holds the four views' sentences.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URL_QUERY = {"area": "0180", "gap": "fw_sw"}
VIEW_WORDS = {
    "map",
    "trend",
    "trends",
    "peers",
    "explore",
    "explain",
    "lua",
    "focus",
    "slope",
    "funnel",
}


def _names_a_view(name: str) -> bool:
    """Whether an identifier has a view's word among its parts ('parse_trends', 'MapState')."""
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)
    return any(w.lower() in VIEW_WORDS for w in words)


def _project_file(filename: str) -> str | None:
    path = Path(filename)
    try:
        rel = path.resolve().relative_to(ROOT)
    except ValueError:
        return None
    return str(rel) if rel.parts[0] in ("dashboard", "etl") else None


def files_run(warehouse: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """(project files run, caller->callee file pairs) while the Trends view parses and renders."""
    from dashboard.app import create_app
    from dashboard.core import queries, viewspec

    create_app(warehouse)
    cat = queries.catalogue()
    spec = viewspec.view("trends")
    files: set[str] = set()
    calls: set[tuple[str, str]] = set()

    def profile(frame, event, arg):  # noqa: ANN001, ANN202
        if event != "call":
            return
        callee = _project_file(frame.f_code.co_filename)
        if callee is None:
            return
        files.add(callee)
        back = frame.f_back
        while back is not None and _project_file(back.f_code.co_filename) is None:
            back = back.f_back
        caller = _project_file(back.f_code.co_filename) if back is not None else None
        if caller and caller != callee:
            calls.add((caller, callee))

    sys.setprofile(profile)
    try:
        state, _ = spec.parse(URL_QUERY, cat)
        spec.render(state, cat, "sv")
    finally:
        sys.setprofile(None)
    return files, calls


def view_names_in_generic_modules() -> list[tuple[str, str]]:
    """(module, name) of view-specific definitions and imported names outside dashboard/views/."""
    found = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[1] == "views":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names: list[str] = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard"):
                names = [a.asname or a.name for a in node.names]
            found += [(str(rel), n) for n in names if _names_a_view(n)]
    return found


def main() -> None:
    """Print both figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = args.warehouse
        if warehouse is None or not warehouse.exists():
            from etl.demo.demo import build_demo

            warehouse = warehouse or Path(tmp) / "labour.duckdb"
            warehouse.parent.mkdir(parents=True, exist_ok=True)
            build_demo(warehouse, ROOT.parent / "shared" / "recorded")
        files, calls = files_run(warehouse)
    print(f"rendering /trends?area=0180&gap=fw_sw runs code in {len(files)} project files, "
          f"with {len(calls)} distinct file-to-file calls")  # fmt: skip
    for f in sorted(files):
        print(f"  {f}")
    names = view_names_in_generic_modules()
    per_module = Counter(module for module, _ in names)
    ids = per_module.get("dashboard/ui/ids.py", 0)
    print(f"view-specific names in generic dashboard modules: {len(names)} "
          f"({len(names) - ids} outside ui/ids.py, the component ids)")  # fmt: skip
    for module, n in sorted(per_module.items()):
        shown = ", ".join(name for m, name in names if m == module)
        print(f"  {module}: {n}" + (f" ({shown})" if n <= 12 else ""))


if __name__ == "__main__":
    main()
