"""Local stand-in for SCB PxWebApi 2.0 and Kolada v3, with fault injection and a request log."""

from .data import REGSO_TABLE_ID, SHARED_DIR
from .faults import KINDS as FAULT_KINDS
from .faults import Fault
from .server import KOLADA_PREFIX, SCB_PREFIX, LoggedRequest, StandIn

__all__ = [
    "FAULT_KINDS",
    "KOLADA_PREFIX",
    "REGSO_TABLE_ID",
    "SCB_PREFIX",
    "SHARED_DIR",
    "Fault",
    "LoggedRequest",
    "StandIn",
]
