"""Raw response archive on disk: exact bytes plus provenance, committed table by table.

Layout: <raw>/<run_id>/<source>/<table_key>/<n>.body with <n>.meta.json beside it, and a
`_complete.json` written last (atomically) once every response of that table in that run is on
disk. Readers only ever see committed tables, so a refresh that dies halfway leaves no trace in
what `rebuild` reads. Readers check what they read: a committed version whose manifest or provenance
is unreadable, or whose body is missing or fails its sha256, is passed over for that unit's previous
intact version (one warning naming the file), and a refresh fetches that unit again in full.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from etl.parse import fastjson
from etl.sources.spool import SpooledBody

COMPLETE = "_complete.json"
log = logging.getLogger(__name__)


class CorruptArchive(ValueError):
    """A committed version whose files are missing, unreadable or fail their checksum."""


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

    def add(self, body: bytes | SpooledBody, provenance: Provenance) -> ArchivedResponse:
        """Store the exact body and its provenance (sha256 and size filled in).

        A spooled body (a fetch streamed to `raw/.tmp`) is moved into place, not copied or read.
        """
        n = len(self.files)
        body_path = self.folder / f"{n:04d}.body"
        if isinstance(body, SpooledBody):
            provenance.sha256, provenance.bytes = body.sha256, body.size
            body.move_to(body_path)
        else:
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
        self.problems: dict[tuple[str, str], str] = {}  # (unit, run id) -> one-line warning
        self.refetch: set[tuple[str, str]] = set()  # units whose latest version is corrupt
        self.lost: list[str] = []  # units with no intact version at all (as of the last current())
        self._verified: dict[Path, tuple[int, int]] = {}  # body -> (size, mtime) checked

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
            meta = _read_json(body.with_suffix(".meta.json"))
            try:
                provenance = Provenance(**meta)
            except TypeError as exc:
                raise CorruptArchive(f"unreadable {body.with_suffix('.meta.json')}: {exc}") from exc
            self._check_body(body, provenance)
            out.append(ArchivedResponse(run_id, provenance, body))
        return out

    def _check_body(self, body: Path, provenance: Provenance) -> None:
        """Raise CorruptArchive unless the body is there with its recorded size and sha256."""
        try:
            st = body.stat()
        except OSError as exc:
            raise CorruptArchive(f"missing body {body}") from exc
        stamp = (st.st_size, st.st_mtime_ns)
        if self._verified.get(body) == stamp:
            return
        if provenance.bytes and st.st_size != provenance.bytes:
            raise CorruptArchive(
                f"size mismatch: {body} holds {st.st_size:,} bytes, {provenance.bytes:,} recorded"
            )
        if provenance.sha256 and _sha256(body) != provenance.sha256:
            raise CorruptArchive(f"checksum mismatch: {body}")
        self._verified[body] = stamp

    def _version(self, run_id: str, source: str, table_key: str, depth: int = 0) -> ArchivedTable:
        """One committed version, with the versions it extends first (oldest responses first)."""
        folder = self.root / run_id / source / table_key
        manifest = _read_json(folder / COMPLETE)
        if not isinstance(manifest.get("files"), list):
            raise CorruptArchive(f"unreadable {folder / COMPLETE}: no list of files")
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
        """The latest intact committed version of every (source, table_key).

        A corrupt version is passed over for the unit's previous intact one; `problems` says which
        file, and `refetch` holds the units whose latest version was corrupt.
        """
        self.lost = []
        runs: dict[tuple[str, str], list[str]] = {}
        for run_id, source, table_key, _folder in self._committed():
            runs.setdefault((source, table_key), []).append(run_id)  # sorted: oldest first
        out = []
        for (source, table_key), run_ids in sorted(runs.items()):
            corrupt: list[tuple[str, str]] = []
            fallback: str | None = None
            for run_id in reversed(run_ids):
                try:
                    out.append(self._version(run_id, source, table_key))
                except CorruptArchive as exc:
                    corrupt.append((run_id, str(exc)))
                    continue
                fallback = run_id
                break
            if corrupt:
                self.refetch.add((source, table_key))
                self._report(f"{source}:{table_key}", corrupt[0], fallback)
            if corrupt and fallback is None:
                self.lost.append(f"the raw archive holds no intact version of {source}:"
                                 f"{table_key} ({corrupt[0][1]})")  # fmt: skip
        return out

    def _report(self, unit: str, corrupt: tuple[str, str], fallback: str | None) -> None:
        """Warn once per corrupt version: which file, and what is used instead."""
        run_id, detail = corrupt
        if (unit, run_id) in self.problems:
            return
        instead = (
            f"using its previous intact version (run {fallback}); the next refresh fetches it again"
            if fallback
            else "no intact version is left; the next refresh fetches it again in full"
        )
        message = f"raw archive: {unit} of run {run_id} is corrupt ({detail}); {instead}"
        self.problems[(unit, run_id)] = message
        log.info("%s", message)  # the run report prints it (one line, not two)

    def current_by_key(self) -> dict[tuple[str, str], ArchivedTable]:
        """current() keyed by (source, table_key)."""
        return {(t.source, t.table_key): t for t in self.current()}

    def latest_updated(self, source: str, table_key: str) -> str | None:
        """The source's `updated` stamp of the latest committed version of a table, if any."""
        table = self.current_by_key().get((source, table_key))
        return table.updated if table else None

    def verify(self) -> list[str]:
        """Check every current response (size and sha256); the problems found, one line each."""
        self.current()
        return list(self.problems.values())


def _read_json(path: Path) -> dict:
    """A manifest or provenance file as a dict; CorruptArchive naming the file when it is not one."""
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptArchive(f"unreadable {path}: {' '.join(str(exc).split())}") from exc
    if not isinstance(doc, dict):
        raise CorruptArchive(f"unreadable {path}: not a JSON object")
    return doc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
