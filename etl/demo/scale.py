"""A larger or shorter demo world for benchmarks: more areas (labelled synthetic copies) and fewer years.

The scale is an explicit input of `labourdash demo` (`Scale`, passed to `build_demo`); nothing
outside the demo wing knows about it, and every refresh and rebuild reads the reference folder as
it is. With a multiplier above 1 the demo writes a scaled reference folder (`write_reference`)
beside its raw archive: the municipality list and every LA mapping gain `multiplier - 1`
synthetic copies of every municipality, every other file is linked unchanged, and the demo's
world and build read that folder (`using_reference`). A copy's code is the municipality's code,
`S` and a number (`0114S01`): no real code has a letter, and a RegSO code is
`<4 digits>R<3 digits>`, so none can collide; its name ends in "(syntetisk kopia N)". A copy
belongs to the same county and LA region as its municipality, so every level grows with it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import seeds

log = logging.getLogger(__name__)
COPY_CODE = re.compile(r"^\d{4}S\d{2,3}$")
MAX_MULTIPLIER = 64
MUNICIPALITIES_FILE = "classifications/kommuner_master.csv"
REFERENCE_ENV = "LABOURDASH_REFERENCE_DIR"
Scaler = Callable[[pd.DataFrame, int], pd.DataFrame]


@dataclass(frozen=True)
class Scale:
    """The demo world's size: area multiplier and the (first, last) years kept (None: all)."""

    multiplier: int = 1
    years: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if not 1 <= int(self.multiplier) <= MAX_MULTIPLIER:
            raise ValueError(
                f"the area multiplier must be 1 to {MAX_MULTIPLIER}, not {self.multiplier}"
            )


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


def clip_years(first: int, last: int, years: tuple[int, int] | None) -> tuple[int, int]:
    """A generated table's year span cut to `years` (unchanged without them)."""
    if years is None:
        return first, last
    lo, hi = years
    return max(first, lo), max(min(last, hi), max(first, lo))


def _copies(frame: pd.DataFrame, code: str, multiplier: int,
            extra: dict[str, str] | None = None) -> pd.DataFrame:  # fmt: skip
    """`multiplier - 1` labelled copies of every row, the code column given a copy suffix."""
    if multiplier <= 1 or frame.empty:
        return frame
    width = 2 if multiplier <= 100 else 3
    parts = [frame]
    for k in range(1, multiplier):
        copy = frame.copy()
        copy[code] = copy[code] + f"S{k:0{width}d}"
        for column, template in (extra or {}).items():
            copy[column] = [template.format(name=v, k=k) for v in frame[column]]
        parts.append(copy)
    return pd.concat(parts, ignore_index=True)


def extend_municipalities(frame: pd.DataFrame, multiplier: int) -> pd.DataFrame:
    """The reference municipality list with `multiplier - 1` synthetic copies appended."""
    return _copies(frame, "kommun_kod", multiplier, {"kommun": "{name} (syntetisk kopia {k})"})


def extend_la_mapping(frame: pd.DataFrame, multiplier: int) -> pd.DataFrame:
    """An LA mapping with every copy in its municipality's LA region."""
    return _copies(frame, "kommun_kod", multiplier) if "kommun_kod" in frame.columns else frame


def _scaled_files() -> dict[str, Scaler]:
    """Relative path -> the function that scales that reference CSV."""
    files: dict[str, Scaler] = {MUNICIPALITIES_FILE: extend_municipalities}
    for relative in seeds.load("la_vintages").reference_file:
        files.setdefault(relative, extend_la_mapping)
    return files


def write_reference(source: Path, target: Path, multiplier: int) -> Path:
    """Write `target` as `source` with the municipality list and LA mappings scaled; returns it."""
    scaled = _scaled_files()
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if relative in scaled:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            scaled[relative](frame, multiplier).to_csv(out, index=False)
        else:
            os.symlink(path.resolve(), out)
    log.info("scaled reference folder (%dx municipalities) written to %s", multiplier, target)
    return target


@contextmanager
def using_reference(folder: Path | None) -> Iterator[None]:
    """Point LABOURDASH_REFERENCE_DIR at `folder` for the block (None: unchanged), then restore it."""
    if folder is None:
        yield
        return
    previous = os.environ.get(REFERENCE_ENV)
    os.environ[REFERENCE_ENV] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(REFERENCE_ENV, None)
        else:
            os.environ[REFERENCE_ENV] = previous
