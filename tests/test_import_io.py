"""No I/O at import: importing every `etl` module reads no file of the project, the reference
folder or the data folder, reads no LABOURDASH_* setting, opens no socket and no warehouse
(issue 8, item 7)."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import etl
from etl.settings import PROJECT_ROOT

# Run in a fresh interpreter: third-party packages are imported first (what they read is their
# business), then every open, socket connect and DuckDB connect is recorded while etl's modules load.
CHILD = r"""
import builtins, io, json, os, pkgutil, socket, sys
import duckdb, httpx, numpy, pandas, shapely, tenacity, typer, rich, orjson  # noqa: F401
import etl
modules = sorted(m.name for m in pkgutil.walk_packages(etl.__path__, "etl."))

opened = []
def recorder(name, real):
    def wrapped(*args, **kwargs):
        opened.append(f"{name}: {args[0] if args else kwargs}")
        return real(*args, **kwargs)
    return wrapped

builtins.open = recorder("open", builtins.open)
io.open = recorder("io.open", io.open)
os.open = recorder("os.open", os.open)
os.listdir = recorder("os.listdir", os.listdir)
os.scandir = recorder("os.scandir", os.scandir)
socket.socket.connect = recorder("socket.connect", socket.socket.connect)
duckdb.connect = recorder("duckdb.connect", duckdb.connect)
os.environ.get = recorder("environ.get", os.environ.get)  # how Settings read their variables

for name in modules:
    __import__(name)
print(json.dumps({"modules": modules, "opened": opened}))
"""


def _etl_modules() -> set[str]:
    return {m.name for m in pkgutil.walk_packages(etl.__path__, "etl.")}


def test_importing_every_etl_module_reads_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "LABOURDASH_REFERENCE_DIR": str(tmp_path / "reference"),
           "LABOURDASH_DB": str(tmp_path / "data" / "labour.duckdb"),
           "LABOURDASH_SCB_URL": "http://127.0.0.1:9", "LABOURDASH_KOLADA_URL": "http://127.0.0.1:9"}  # fmt: skip
    (tmp_path / "reference").mkdir()
    run = subprocess.run([sys.executable, "-c", CHILD], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.splitlines()[-1])
    assert set(out["modules"]) == _etl_modules() and len(out["modules"]) > 40
    project = str(PROJECT_ROOT.resolve())
    venv = str((PROJECT_ROOT / ".venv").resolve())
    read = [
        line
        for line in out["opened"]
        if "socket.connect" in line
        or "duckdb.connect" in line
        or str(tmp_path) in line
        or (project in line and venv not in line)
        or "shared" in line
    ]
    assert read == [], f"etl modules read at import: {read}"


def test_the_recorder_sees_a_module_that_reads_at_import(tmp_path: Path) -> None:
    """The check above can fail: a module that reads a seed or a setting at import is caught."""
    probe = tmp_path / "probe_reads.py"
    probe.write_text(
        "from etl.settings import SEEDS_DIR\nROWS = (SEEDS_DIR / 'sources.csv').read_text()\n",
        encoding="utf-8",
    )
    child = CHILD.replace("for name in modules:", "for name in ['probe_reads']:")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{PROJECT_ROOT}"}
    run = subprocess.run([sys.executable, "-c", child], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    opened = json.loads(run.stdout.splitlines()[-1])["opened"]
    assert any("seeds/sources.csv" in line for line in opened)
    child = child.replace("'probe_reads'", "'probe_settings'")
    (tmp_path / "probe_settings.py").write_text(
        "from etl.settings import get_settings\nDB = get_settings().db_path\n", encoding="utf-8"
    )
    run = subprocess.run([sys.executable, "-c", child], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    opened = json.loads(run.stdout.splitlines()[-1])["opened"]
    assert "environ.get: LABOURDASH_DB" in opened
