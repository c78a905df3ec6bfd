"""The README and the code agree (in the spirit of datasette's test_docs): settings, URL parameters,
commands. A setting, page parameter or command added to the code without its README row fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import os
import re
from pathlib import Path

import pytest
import typer

from etl.cli import app as cli_app
from etl.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
ENV_NAME = re.compile(r"LABOURDASH_[A-Z_]+")
TEST_ONLY_ENV = {"LABOURDASH_TEST_PORT", "LABOURDASH_FAULT_SEED"}


def _section(title: str) -> str:
    """The README text from a '## title' heading to the next heading of that level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, flags=re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _table(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in `text` (header and rule dropped), cells stripped."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("|")), len(lines))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip("|"))] for r in rows]
    return [r for r in cells[2:] if r]


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _documented_settings() -> dict[str, str]:
    """README's Settings table: variable -> default cell (code spans unwrapped)."""
    return {
        _code(name)[0]: default.strip("`") for name, default, *_ in _table(_section("Settings"))
    }


def _env_read_by_code() -> set[str]:
    """Every LABOURDASH_* name the product's modules mention (etl/ and dashboard/)."""
    names: set[str] = set()
    for folder in ("etl", "dashboard"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            names |= set(ENV_NAME.findall(path.read_text(encoding="utf-8")))
    return names - TEST_ONLY_ENV


def test_settings_table_lists_every_variable_the_code_reads_and_no_other() -> None:
    documented = set(_documented_settings())
    fields = {f.metadata["env"] for f in dataclasses.fields(Settings)}
    assert fields <= documented, (
        f"Settings fields without a README row: {sorted(fields - documented)}"
    )
    assert documented == _env_read_by_code()


def test_settings_table_defaults_are_the_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for f in dataclasses.fields(Settings):
        monkeypatch.delenv(f.metadata["env"], raising=False)
    settings, documented = Settings(), _documented_settings()
    for f in dataclasses.fields(Settings):
        value, cell = getattr(settings, f.name), documented[f.metadata["env"]]
        if isinstance(value, Path):
            assert cell == os.path.relpath(value, PROJECT_ROOT), f.name
        elif isinstance(value, int | float):
            assert float(cell) == value, f.name
        else:
            assert cell == value, f.name


def _readme_page_params() -> dict[str, set[str]]:
    """README's URL-parameter table: path -> parameter names (choices in parentheses dropped)."""
    out: dict[str, set[str]] = {}
    for page, params, *_ in _table(_section("The dashboard")):
        path = _code(page)[0]
        words = [w for span in _code(params) for w in re.sub(r"\([^)]*\)", "", span).split()]
        out[path] = {w for w in words if re.fullmatch(r"[a-z][a-z0-9_]*", w)}
    return out


def _paths() -> dict[str, str]:
    """View name -> path, from the view registry (each folder's VIEW spec)."""
    from dashboard import views  # noqa: F401  (importing the registry registers every view)
    from dashboard.core import viewspec

    return {spec.name: spec.path for spec in viewspec.views()}


def _page_specs() -> dict[str, set[str]]:
    """Path -> the query parameters of the page's `SPEC = PageSpec(...)` (dashboard/views/<page>/page.py).

    Read from the source: importing a page module needs a built app (dash.register_page).
    """
    out = {}
    for page, path in _paths().items():
        tree = ast.parse(
            (PROJECT_ROOT / "dashboard" / "views" / page / "page.py").read_text("utf-8")
        )
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["SPEC"]
                and isinstance(node.value, ast.Call)
            ):
                pairs = node.value.args[1]
                assert isinstance(pairs, ast.List), page
                out[path] = {ast.literal_eval(pair.elts[1]) for pair in pairs.elts}
    return out


def test_url_parameter_table_matches_the_page_specs() -> None:
    documented, specs = _readme_page_params(), _page_specs()
    assert specs, "no page declares a PageSpec"
    assert set(documented) == set(_paths().values())  # one row per page
    for path, params in specs.items():
        assert documented[path] == params, path


def _cli_commands() -> dict[str, set[str]]:
    """Subcommand -> its long options, from the Typer app itself."""
    group = typer.main.get_command(cli_app)
    return {
        name: {o for p in cmd.params for o in p.opts if o.startswith("--")}
        for name, cmd in group.commands.items()
    }


def test_command_table_matches_the_cli() -> None:
    documented: dict[str, set[str]] = {}
    for cell, *_ in _table(_section("Command line")):
        usage = _code(cell)[0]
        words = usage.split()
        assert words[0] == "labourdash"
        documented[words[1]] = set(re.findall(r"--[a-z][a-z-]*", usage))
    commands = _cli_commands()
    assert set(documented) == set(commands)
    for name, options in commands.items():
        assert documented[name] == options - {"--help"}, name


def _readme_etl_modules() -> set[str]:
    """The etl/ modules the README's architecture tree names ('cli.py', 'sources/http.py', ...).

    An entry starts at a two-space indent; its continuation lines are indented further. A folder
    entry ('parse/') names its modules in its text; a module entry may name neighbours too.
    """
    tree = re.search(r"^etl/\n(.*?)^dashboard/", _section("Architecture"), flags=re.M | re.S)
    assert tree, "README's architecture section has no etl/ tree"
    entries: list[str] = []
    for line in tree.group(1).splitlines():
        if re.match(r"  \S", line):
            entries.append(line.strip())
        elif line.strip():
            entries[-1] += " " + line.strip()
    names: set[str] = set()
    for entry in entries:
        head = entry.split()[0]
        folder = head if head.endswith("/") else ""
        names |= {folder + name for name in re.findall(r"(?<![\w./])(\w+\.py)\b", entry)}
    return names


def test_architecture_tree_names_every_etl_module_and_only_real_ones() -> None:
    root = PROJECT_ROOT / "etl"
    modules = {
        p.relative_to(root).as_posix() for p in root.rglob("*.py") if p.name != "__init__.py"
    }
    documented = _readme_etl_modules()
    assert sorted(documented - modules) == [], "README names etl modules that do not exist"
    assert sorted(modules - documented) == [], "etl modules missing from README's architecture"


def test_architecture_tree_names_every_dashboard_module_and_only_real_ones() -> None:
    """Each dashboard module's file name is in the README's dashboard/ tree, and each name there exists."""
    tree = re.search(r"^dashboard/\n(.*?)^seeds/", _section("Architecture"), flags=re.M | re.S)
    assert tree, "README's architecture section has no dashboard/ tree"
    named = set(re.findall(r"(?<![\w.])(\w+\.py)\b", tree.group(1)))
    root = PROJECT_ROOT / "dashboard"
    files = {p.name for p in root.rglob("*.py") if p.name != "__init__.py"}
    assert sorted(named - files) == [], "README names dashboard modules that do not exist"
    assert sorted(files - named) == [], "dashboard modules missing from README's architecture"
