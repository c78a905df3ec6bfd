"""Refresh units and their remembered state: one SCB table, boundary layer, Kolada KPI or the groups.

A unit is fetched, checked and committed on its own, so one failing unit never stops the others.
`data/units.json` remembers per unit the last success, the last attempt and its error; it is
written atomically by every refresh, and copied into `mart.unit_status` by every build. It is the
units' current state: a night that fetches nothing new leaves the warehouse file untouched, so
`status` and the dashboard read the states from units.json (`current_states`), over the build's copy.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path


class UnitFailed(RuntimeError):
    """One unit could not be refreshed; its last complete archive stays in use."""


@dataclass(frozen=True)
class Unit:
    """One independently refreshed piece of the warehouse."""

    source: str  # scb | kolada
    key: str  # TAB3200, boundaries_regso, N02267, municipality_groups
    kind: str  # scb_table | boundaries | kolada_kpi | kolada_groups

    @property
    def name(self) -> str:
        """source:key, as reports and `status` name it."""
        return f"{self.source}:{self.key}"


@dataclass
class UnitState:
    """What is remembered of one unit across runs."""

    source: str
    key: str
    kind: str
    state: str = "missing"  # ok | failed | missing (never succeeded) | retired
    last_success: str | None = None  # ISO time of the last committed fetch (or check)
    last_success_run: str | None = None
    last_attempt: str | None = None
    error: str | None = None
    updated: str | None = None  # the source's stamp of the archived version
    resolved: dict = field(default_factory=dict)  # e.g. table id found by search, content codes
    unmapped: dict = field(default_factory=dict)  # "variable=code" -> cells, of the last attempt
    new_codes: dict = field(default_factory=dict)  # variable -> codes new in the last fetch
    retired_at: str | None = None

    @property
    def name(self) -> str:
        """source:key."""
        return f"{self.source}:{self.key}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


class UnitStore:
    """The unit states of one data folder (`units.json`), read once and saved atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.states: dict[str, UnitState] = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                raw = {}
            for name, item in (raw.get("units") or {}).items():
                known = {k: v for k, v in item.items() if k in UnitState.__dataclass_fields__}
                self.states[name] = UnitState(**known)

    def get(self, unit: Unit) -> UnitState:
        """The state of a unit (a fresh `missing` one when it was never attempted)."""
        if unit.name not in self.states:
            self.states[unit.name] = UnitState(unit.source, unit.key, unit.kind)
        return self.states[unit.name]

    def succeeded(self, unit: Unit, run_id: str, updated: str | None, **extra: object) -> UnitState:
        """Record a committed (or verified unchanged) unit."""
        st = self.get(unit)
        now = _now()
        st.state, st.last_attempt, st.last_success, st.last_success_run = "ok", now, now, run_id
        st.error, st.updated, st.retired_at = None, updated, None
        for key, value in extra.items():
            setattr(st, key, value)
        return st

    def unchanged(self, unit: Unit, updated: str | None) -> UnitState:
        """Record an attempt that found nothing new (the archived version is still current)."""
        st = self.get(unit)
        st.last_attempt = st.last_success = _now()  # checked: the archived version is current
        st.state, st.error, st.updated = "ok", None, updated or st.updated
        return st

    def failed(self, unit: Unit, error: str, **extra: object) -> UnitState:
        """Record a failed attempt; the unit stays `missing` when it never succeeded."""
        st = self.get(unit)
        st.last_attempt = _now()
        st.state = "failed" if st.last_success else "missing"
        st.error = error
        for key, value in extra.items():
            setattr(st, key, value)
        return st

    def retired(self, unit: Unit, reason: str) -> tuple[UnitState, bool]:
        """Mark a unit retired by its source; returns (state, newly retired)."""
        st = self.get(unit)
        newly = st.state != "retired"
        st.state, st.last_attempt, st.error = "retired", _now(), reason
        st.retired_at = st.retired_at or st.last_attempt
        return st, newly

    def save(self) -> None:
        """Write units.json atomically (a killed run leaves the previous file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"saved_at": _now(), "units": {n: asdict(s) for n, s in sorted(self.states.items())}}
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def rows(self) -> list[UnitState]:
        """Every known unit, sorted by name."""
        return [self.states[n] for n in sorted(self.states)]

    def problems(self) -> list[UnitState]:
        """Units that are failed or missing (retired ones are reported, not problems)."""
        return [s for s in self.rows() if s.state in ("failed", "missing")]


STATE_COLUMNS = ("state", "last_success", "last_attempt", "error")


def current_states(path: Path) -> dict[tuple[str, str], dict[str, str | None]]:
    """(source, key) -> the state columns of each unit in units.json (empty when unreadable)."""
    return {
        (s.source, s.key): {c: getattr(s, c) for c in STATE_COLUMNS} for s in UnitStore(path).rows()
    }
