"""The stand-in in a process of its own (benchmarks): the client under test then never waits for the
stand-in's share of one GIL, as with the real, remote APIs. Control calls go through a manager proxy.
"""

from __future__ import annotations

from multiprocessing.managers import BaseManager
from typing import Any

from .server import StandIn

CONTROLS = ["set_scb_limits", "set_page_sizes", "set_years", "set_area_multiplier", "set_updated",
            "clear_log", "requests", "reset", "fault", "clear_faults"]  # fmt: skip


class _Served(StandIn):
    def begin(self) -> dict[str, str]:
        """Start serving; the three base URLs."""
        self.start()
        return {"scb_url": self.scb_url, "kolada_url": self.kolada_url,
                "geodata_url": self.geodata_url}  # fmt: skip


class _Manager(BaseManager):
    pass


_Manager.register("StandIn", _Served, exposed=["begin", "stop", *CONTROLS])


class StandInProcess:
    """`with StandInProcess() as standin:` the StandIn API, served from a child process."""

    def __init__(self) -> None:
        self._manager = _Manager()
        self._proxy: Any = None

    def __enter__(self) -> StandInProcess:
        self._manager.start()
        self._proxy = self._manager.StandIn()
        for name, url in self._proxy.begin().items():
            setattr(self, name, url)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._proxy.stop()
        finally:
            self._manager.shutdown()

    def __getattr__(self, name: str) -> Any:
        if name in CONTROLS:
            return getattr(self._proxy, name)
        raise AttributeError(name)
