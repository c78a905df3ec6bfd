"""Raw response archive on disk: exact bytes plus provenance, committed table by table.

Layout: <raw>/<run_id>/<source>/<table_key>/<n>.body with <n>.meta.json beside it, and a
`_complete.json` written last (atomically) once every response of that table in that run is on
disk. Readers only ever see committed tables, so a refresh that dies halfway leaves no trace in
what `rebuild` reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from etl.parse import fastjson

COMPLETE = "_complete.json"


def new_run_id(now: datetime | None = None) -> str:
    """A sortable run id from the UTC time, e.g. 20261121T221300123456Z."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass
class Provenance:
    """Where a raw response came from."""

    source: str  # scb | kolada | scb_v1
    table_key: str
    kind: str  # metadata | data | table_info | values | groups | municipalities | kpis
    content_type: str  # jsonstat2 | pxweb_v1 | kolada_values | kolada_groups | json
    url: str
    fetched_at: str
    method: str = "GET"
    query: dict | None = None
    updated: str | None = None
    lang: str | None = None
    synthetic: bool = False
    sha256: str = ""
    bytes: int = 0


@dataclass
class ArchivedResponse:
    """One committed raw response: provenance plus the path of its exact bytes."""

    run_id: str
    provenance: Provenance
    path: Path

    @property
    def response_id(self) -> str:
        """Stable id: run/source/table/file."""
        return (
            f"{self.run_id}/{self.provenance.source}/{self.provenance.table_key}/{self.path.stem}"
        )

    def read_json(self) -> object:
        """The response body parsed as JSON."""
        return fastjson.loads(self.path.read_bytes())


@dataclass
class ArchivedTable:
    """All responses of one table/KPI from the latest run that committed it."""

    run_id: str
    source: str
    table_key: str
    updated: str | None
    responses: list[ArchivedResponse] = field(default_factory=list)
    resolved: dict = field(default_factory=dict)
    extends: str | None = None


class TableWriter:
    """Collects the responses of one table in one run; `commit` makes them visible."""

    def __init__(self, folder: Path, run_id: str) -> None:
        self.folder = folder
        self.run_id = run_id
        self.files: list[str] = []
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, body: bytes, provenance: Provenance) -> ArchivedResponse:
        """Write the exact body and its provenance (sha256 and size filled in)."""
        n = len(self.files)
        body_path = self.folder / f"{n:04d}.body"
        provenance.sha256 = hashlib.sha256(body).hexdigest()
        provenance.bytes = len(body)
        _atomic_write(body_path, body)
        _atomic_write(
            self.folder / f"{n:04d}.meta.json",
            json.dumps(asdict(provenance), ensure_ascii=False, indent=1).encode("utf-8"),
        )
        self.files.append(body_path.name)
        return ArchivedResponse(self.run_id, provenance, body_path)

    def commit(self, updated: str | None, *, extends: str | None = None,
               resolved: dict | None = None) -> None:  # fmt: skip
        """Mark the table complete; only now does `rebuild` see it.

        `extends` names the run whose committed version this one adds to (a Kolada `from_date`
        delta: only changed values); `resolved` records facts found while fetching (table id,
        content codes matched by label).
        """
        manifest = {
            "files": self.files,
            "updated": updated,
            "committed_at": datetime.now(UTC).isoformat(),
            "extends": extends,
            "resolved": resolved or {},
        }
        _atomic_write(self.folder / COMPLETE, json.dumps(manifest).encode("utf-8"))

    def discard(self) -> None:
        """Remove an uncommitted attempt (the unit keeps its last complete version)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        run_dir = self.folder.parent.parent
        for folder in (self.folder.parent, run_dir):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break


class Archive:
    """The raw archive rooted at a folder (default data/raw)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def table_writer(self, run_id: str, source: str, table_key: str) -> TableWriter:
        """A writer for one table in one run (an earlier uncommitted attempt is discarded)."""
        folder = self.root / run_id / source / table_key
        if folder.exists():
            shutil.rmtree(folder)
        return TableWriter(folder, run_id)

    def _committed(self) -> list[tuple[str, str, str, Path]]:
        if not self.root.exists():
            return []
        out = []
        for marker in self.root.glob(f"*/*/*/{COMPLETE}"):
            table_dir = marker.parent
            out.append(
                (table_dir.parent.parent.name, table_dir.parent.name, table_dir.name, table_dir)
            )
        return sorted(out)

    def _responses(self, run_id: str, folder: Path, manifest: dict) -> list[ArchivedResponse]:
        out = []
        for name in manifest["files"]:
            body = folder / name
            meta = json.loads(body.with_suffix(".meta.json").read_text("utf-8"))
            out.append(ArchivedResponse(run_id, Provenance(**meta), body))
        return out

    def _version(self, run_id: str, source: str, table_key: str, depth: int = 0) -> ArchivedTable:
        """One committed version, with the versions it extends first (oldest responses first)."""
        folder = self.root / run_id / source / table_key
        manifest = json.loads((folder / COMPLETE).read_text("utf-8"))
        extends = manifest.get("extends")
        table = ArchivedTable(run_id, source, table_key, manifest.get("updated"),
                              resolved=manifest.get("resolved") or {}, extends=extends)  # fmt: skip
        if extends and depth < 1000:
            base = self._version(extends, source, table_key, depth + 1)
            table.responses.extend(base.responses)
        table.responses.extend(self._responses(run_id, folder, manifest))
        return table

    def version(self, run_id: str, source: str, table_key: str) -> ArchivedTable:
        """The version of a table committed by `run_id` (with what it extends)."""
        return self._version(run_id, source, table_key)

    def current(self) -> list[ArchivedTable]:
        """The latest committed version of every (source, table_key)."""
        latest: dict[tuple[str, str], str] = {}
        for run_id, source, table_key, _folder in self._committed():
            latest[(source, table_key)] = run_id  # sorted: later runs win
        return [self._version(run_id, s, k) for (s, k), run_id in sorted(latest.items())]

    def current_by_key(self) -> dict[tuple[str, str], ArchivedTable]:
        """current() keyed by (source, table_key)."""
        return {(t.source, t.table_key): t for t in self.current()}

    def latest_updated(self, source: str, table_key: str) -> str | None:
        """The source's `updated` stamp of the latest committed version of a table, if any."""
        table = self.current_by_key().get((source, table_key))
        return table.updated if table else None

    def verify(self) -> list[str]:
        """Checksum every current response; returns the problems found (empty when all is well)."""
        problems = []
        for table in self.current():
            for resp in table.responses:
                digest = hashlib.sha256(resp.path.read_bytes()).hexdigest()
                if digest != resp.provenance.sha256:
                    problems.append(f"checksum mismatch: {resp.path}")
        return problems
