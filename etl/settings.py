"""Settings from environment variables, with the real production defaults."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


def _path(value: str) -> Path:
    return Path(value).expanduser()


def _url(value: str) -> str:
    return value.rstrip("/")


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off")


def _setting(env: str, default: Any, parse: Callable[[str], Any] = str) -> Any:
    """A field read from environment variable `env` (empty or unset: `default`)."""

    def read() -> Any:
        value = os.environ.get(env)
        return parse(value) if value else default

    return field(default_factory=read, metadata={"env": env})


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field can be overridden by the environment variable in its metadata."""

    db_path: Path = _setting("LABOURDASH_DB", PROJECT_ROOT / "data" / "labour.duckdb", _path)
    scb_url: str = _setting("LABOURDASH_SCB_URL", "https://statistikdatabasen.scb.se/api/v2", _url)
    kolada_url: str = _setting("LABOURDASH_KOLADA_URL", "https://api.kolada.se/v3", _url)
    geodata_url: str = _setting(
        "LABOURDASH_GEODATA_URL", "https://geodata.scb.se/geoserver/stat/wfs", _url
    )
    reference_dir: Path = _setting(
        "LABOURDASH_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference", _path
    )
    http_timeout: float = _setting("LABOURDASH_HTTP_TIMEOUT", 60.0, float)
    http_retries: int = _setting("LABOURDASH_HTTP_RETRIES", 5, int)
    http_backoff: float = _setting("LABOURDASH_HTTP_BACKOFF", 1.0, float)
    max_retry_after: float = _setting("LABOURDASH_MAX_RETRY_AFTER", 120.0, float)
    max_response_mb: float = _setting("LABOURDASH_MAX_RESPONSE_MB", 256.0, float)
    max_shrink: float = _setting("LABOURDASH_MAX_SHRINK", 0.5, float)
    refresh_deadline: float = _setting("LABOURDASH_REFRESH_DEADLINE", 7200.0, float)
    small_population: int = _setting("LABOURDASH_SMALL_POPULATION", 100, int)
    crosscheck_pp: float = _setting("LABOURDASH_CROSSCHECK_PP", 0.5, float)
    log_level: str = _setting("LABOURDASH_LOG_LEVEL", "WARNING", str.upper)
    duckdb_memory_limit: str = _setting("LABOURDASH_DUCKDB_MEMORY_LIMIT", "512MB")
    duckdb_threads: int = _setting("LABOURDASH_DUCKDB_THREADS", 2, int)
    parallel_fetch: bool = _setting("LABOURDASH_PARALLEL_FETCH", True, _flag)
    stage_during_fetch: bool = _setting("LABOURDASH_STAGE_DURING_FETCH", True, _flag)
    serve_workers: int = _setting("LABOURDASH_WORKERS", 3, int)
    serve_threads: int = _setting("LABOURDASH_THREADS", 4, int)

    @property
    def data_dir(self) -> Path:
        """Folder that holds the warehouse, the raw archive, the run log and the lock."""
        return self.db_path.parent

    @property
    def raw_dir(self) -> Path:
        """Raw response archive (one folder per run, committed table by table)."""
        return self.data_dir / "raw"

    @property
    def spool_dir(self) -> Path:
        """Where response bodies stream to before the archive moves them into place."""
        return self.raw_dir / ".tmp"

    @property
    def lock_path(self) -> Path:
        """Lock file that keeps two refreshes from running at once."""
        return self.data_dir / "refresh.lock"

    @property
    def units_path(self) -> Path:
        """Per-unit state (last success, last attempt, error) of the refresh units."""
        return self.data_dir / "units.json"

    @property
    def run_log(self) -> Path:
        """Append-only log of refresh runs, kept outside the warehouse so failures survive."""
        return self.data_dir / "runs.jsonl"


def get_settings() -> Settings:
    """Read the settings from the current environment."""
    return Settings()
