"""Settings from environment variables, with the real production defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field can be overridden by an environment variable."""

    db_path: Path = field(
        default_factory=lambda: _env_path("LABOURDASH_DB", PROJECT_ROOT / "data" / "labour.duckdb")
    )
    scb_url: str = field(
        default_factory=lambda: os.environ.get(
            "LABOURDASH_SCB_URL", "https://statistikdatabasen.scb.se/api/v2"
        ).rstrip("/")
    )
    kolada_url: str = field(
        default_factory=lambda: os.environ.get(
            "LABOURDASH_KOLADA_URL", "https://api.kolada.se/v3"
        ).rstrip("/")
    )
    geodata_url: str = field(
        default_factory=lambda: os.environ.get(
            "LABOURDASH_GEODATA_URL", "https://geodata.scb.se/geoserver/stat/wfs"
        ).rstrip("/")
    )
    reference_dir: Path = field(
        default_factory=lambda: _env_path(
            "LABOURDASH_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference"
        )
    )
    http_timeout: float = field(default_factory=lambda: _env_float("LABOURDASH_HTTP_TIMEOUT", 60.0))
    http_retries: int = field(default_factory=lambda: _env_int("LABOURDASH_HTTP_RETRIES", 5))
    http_backoff: float = field(default_factory=lambda: _env_float("LABOURDASH_HTTP_BACKOFF", 1.0))
    max_retry_after: float = field(
        default_factory=lambda: _env_float("LABOURDASH_MAX_RETRY_AFTER", 120.0)
    )
    small_population: int = field(
        default_factory=lambda: _env_int("LABOURDASH_SMALL_POPULATION", 100)
    )
    crosscheck_pp: float = field(
        default_factory=lambda: _env_float("LABOURDASH_CROSSCHECK_PP", 0.5)
    )
    duckdb_memory_limit: str = field(
        default_factory=lambda: os.environ.get("LABOURDASH_DUCKDB_MEMORY_LIMIT", "512MB")
    )
    duckdb_threads: int = field(default_factory=lambda: _env_int("LABOURDASH_DUCKDB_THREADS", 2))
    parallel_fetch: bool = field(
        default_factory=lambda: os.environ.get("LABOURDASH_PARALLEL_FETCH", "1") not in ("0", "")
    )

    @property
    def data_dir(self) -> Path:
        """Folder that holds the warehouse, the raw archive, the run log and the lock."""
        return self.db_path.parent

    @property
    def raw_dir(self) -> Path:
        """Raw response archive (one folder per run, committed table by table)."""
        return self.data_dir / "raw"

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
