"""One-line descriptions of failures: disk full said plainly, parse errors with what was expected."""

from __future__ import annotations

import errno

import duckdb

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)

# what each archived content type should hold (for parse failures)
EXPECTED = {
    "jsonstat2": "a json-stat2 dataset (id, size, dimension, value)",
    "pxweb_v1": "a PxWeb v1 table (columns, data)",
    "kolada_values": "Kolada v3 values (kpi, municipality, period, values)",
    "kolada_groups": "Kolada v3 municipality groups (id, title, members)",
    "geojson": "a GeoJSON FeatureCollection",
    "json": "a JSON object",
}


def is_disk_full(exc: BaseException) -> bool:
    """True when the error (or one it was raised from) says the disk or quota is full."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        text = str(exc).lower()
        if "no space left on device" in text or "disk quota exceeded" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


OOM_WORDS = ("out of memory", "allocate block", "allocate data", "pin block")


def describe(exc: BaseException, where: str | None = None) -> str:
    """A one-line description of an error for the user (no traceback, no bare KeyError)."""
    if is_disk_full(exc):
        place = f" in {where}" if where else ""
        return f"disk full: no space left on the device{place}; free some space and run again"
    if isinstance(exc, duckdb.OutOfMemoryException) or (
        # a commit that runs out of memory arrives as a TransactionContext error ("could not
        # allocate block", "failed to allocate data", "failed to pin block", "Out of Memory")
        isinstance(exc, duckdb.Error) and any(w in str(exc).lower() for w in OOM_WORDS)
    ):
        return ("the warehouse build ran out of memory (DuckDB's limit is "
                "LABOURDASH_DUCKDB_MEMORY_LIMIT); raise that limit and run again")  # fmt: skip
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else "?"
        return f"missing key {key!r} in the data"
    text = " ".join(str(exc).split())
    if not text:
        return type(exc).__name__
    if isinstance(exc, TypeError | IndexError | AttributeError):
        return f"{type(exc).__name__}: {text}"
    return text


def parse_failure(unit: str, url: str, content_type: str, exc: BaseException) -> str:
    """The message for a response that cannot be parsed: unit, URL, what was expected, what broke."""
    expected = EXPECTED.get(content_type, content_type)
    return f"cannot parse {unit} from {url}: expected {expected}; {describe(exc)}"
