"""A larger or shorter demo world for benchmarks: more areas (labelled synthetic copies) and fewer years.

`scaled(multiplier, years)` is active only inside `labourdash demo` (and the benchmarks that build
a demo warehouse): the reference municipality list gains `multiplier - 1` synthetic copies of
every municipality, and the generated tables keep only the years asked for. Outside it (every
refresh, every rebuild) nothing changes. A copy's code is the municipality's code, `S` and a
number (`0114S01`): no real code has a letter, and a RegSO code is `<4 digits>R<3 digits>`, so
none can collide; its name ends in "(syntetisk kopia N)". A copy belongs to the same county and
LA region as its municipality, so every level grows with it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

log = logging.getLogger(__name__)
COPY_CODE = re.compile(r"^\d{4}S\d{2,3}$")
MAX_MULTIPLIER = 64


@dataclass(frozen=True)
class Scale:
    """The demo world's size: area multiplier and the (first, last) years kept (None: all)."""

    multiplier: int = 1
    years: tuple[int, int] | None = None


_scale = Scale()


def current() -> Scale:
    """The scale in force (Scale() outside `scaled`)."""
    return _scale


def parse_years(text: str | None) -> tuple[int, int] | None:
    """'2010-2025' (or '2020') → (first, last); ValueError with a one-line reason otherwise."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        raise ValueError(f"years must look like 2010-2025, not {text!r}")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise ValueError(f"years {text!r}: the first year is after the last")
    return first, last


def _clear_caches() -> None:
    from etl import unitcheck
    from etl.demo import synthetic

    # reference.* apply the scale on every call (only the files are cached); these cache results
    for f in (unitcheck.known_areas, synthetic._municipality_world, synthetic.world,
              synthetic.regso_world):  # fmt: skip
        f.cache_clear()


@contextmanager
def scaled(multiplier: int = 1, years: tuple[int, int] | None = None) -> Iterator[Scale]:
    """Build a demo with `multiplier` times the municipalities and only `years` (restored after)."""
    global _scale
    if not 1 <= int(multiplier) <= MAX_MULTIPLIER:
        raise ValueError(f"the area multiplier must be 1 to {MAX_MULTIPLIER}, not {multiplier}")
    previous = _scale
    _scale = Scale(int(multiplier), years)
    _clear_caches()
    try:
        yield _scale
    finally:
        _scale = previous
        _clear_caches()


def _copies(frame: pd.DataFrame, code: str, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """`multiplier - 1` labelled copies of every row, the code column given a copy suffix."""
    n = _scale.multiplier
    if n <= 1 or frame.empty:
        return frame
    width = 2 if n <= 100 else 3
    parts = [frame]
    for k in range(1, n):
        copy = frame.copy()
        copy[code] = copy[code] + f"S{k:0{width}d}"
        for column, template in (extra or {}).items():
            copy[column] = [template.format(name=v, k=k) for v in frame[column]]
        parts.append(copy)
    return pd.concat(parts, ignore_index=True)


def extend_municipalities(frame: pd.DataFrame) -> pd.DataFrame:
    """The reference municipality list with the scale's synthetic copies appended."""
    return _copies(frame, "kommun_kod", {"kommun": "{name} (syntetisk kopia {k})"})


def extend_la_mapping(frame: pd.DataFrame) -> pd.DataFrame:
    """An LA mapping with every copy in its municipality's LA region."""
    return _copies(frame, "kommun_kod") if "kommun_kod" in frame.columns else frame


def clip_years(first: int, last: int) -> tuple[int, int]:
    """A generated table's year span cut to the scale's years (unchanged without them)."""
    if _scale.years is None:
        return first, last
    lo, hi = _scale.years
    return max(first, lo), max(min(last, hi), max(first, lo))
