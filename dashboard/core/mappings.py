"""The dashboard's mappings, read from seeds/ on first use: birth regions, birth sets, peer sets.

Adding a birth region or a gap preset is a seed row (plus its translations), never code:
- seeds/birth_regions.csv: the sv/en noun phrases ({sex} stands for 'kvinnor'/'women'…), colour and
  line dash (women/total, men) of every birth region;
- seeds/birth_sets.csv: the birth-region sets offered on Trends (members joined by '|');
- seeds/gap_presets.csv: group 1 minus group 2, in the order the gap menus offer them (dashboard/gaps.py);
- seeds/peer_groups.csv: the Kolada peer sets and the key (`offer_as`) under which the dashboard
  offers each one;
- seeds/labels.csv: the natural order of the birth regions (`sort`);
- seeds/level_markers.csv: how a name already says its level (no '(län)' after 'Stockholms län').
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, Generic, TypeVar

from etl import seeds

log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")


class Lazy(Mapping, Generic[K, V]):
    """A read-only mapping built by `load` on first access (no file is read at import)."""

    def __init__(self, load: Callable[[], dict[K, V]]) -> None:
        self._load = cache(load)

    def __getitem__(self, key: K) -> V:
        return self._load()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"Lazy({self._load()!r})"


class LazyTuple(Sequence):
    """A read-only sequence built by `load` on first access (no file is read at import)."""

    def __init__(self, load: Callable[[], tuple]) -> None:
        self._load = cache(load)

    def __getitem__(self, index: int | slice) -> Any:
        return self._load()[index]

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return f"LazyTuple({self._load()!r})"


@dataclass(frozen=True)
class BirthRegion:
    """How one birth region is named and drawn."""

    code: str
    phrase_sv: str
    phrase_sv_all: str
    phrase_en: str
    phrase_en_all: str
    colour: str
    dash: str
    dash_men: str

    def phrase(self, lang: str, sex_noun: str | None) -> str:
        """The noun phrase in `lang`: with the sex noun, or for both sexes when it is None."""
        if sex_noun is None:
            return getattr(self, f"phrase_{lang}_all")
        return getattr(self, f"phrase_{lang}").format(sex=sex_noun)

    def line_dash(self, sex: str) -> str:
        """The line's dash pattern for one sex."""
        return self.dash_men if sex == "men" else self.dash


def _birth_regions() -> dict[str, BirthRegion]:
    names = [f.name for f in fields(BirthRegion) if f.name != "code"]
    return {
        r["birth_region"]: BirthRegion(r["birth_region"], **{n: r[n] for n in names})
        for r in seeds.load("birth_regions").to_dict("records")
    }


def _label_order(dimension: str) -> dict[str, int]:
    labels = seeds.load("labels")
    rows = labels[labels.dimension == dimension]
    return {str(v): int(n) for v, n in zip(rows.value, rows.sort, strict=True)}


def in_birth_order(codes: Iterable[str]) -> list[str]:
    """Birth regions in their natural order (seeds/labels.csv `sort`: all, Sweden, foreign, Nordic,
    EU/EFTA, outside; 0–1, 2–3, 4–9, 10+ years in Sweden), never alphabetically; unknown codes last."""
    order = BIRTH_ORDER
    return sorted(codes, key=lambda c: (order.get(c, len(order)), c))


def _level_markers() -> dict[str, re.Pattern]:
    return {r.level: re.compile(r.pattern) for r in seeds.load("level_markers").itertuples()}


def names_its_level(name: str, level: str | None) -> bool:
    """Whether an area's name already says its level ('Stockholms län', 'LA Arjeplog', 'Alby (LUA)'),
    so no '(län)' or 'LA:' is added to it (seeds/level_markers.csv)."""
    marker = LEVEL_MARKERS.get(level or "")
    return bool(marker and marker.search(name))


def _birth_sets() -> dict[str, tuple[str, ...]]:
    return {r.birth_set: tuple(r.members.split("|")) for r in seeds.load("birth_sets").itertuples()}


@dataclass(frozen=True)
class PeerSet:
    """A Kolada peer set as the dashboard offers it."""

    key: str  # the URL value, e.g. 'skr'
    peer_kind: str  # mart.peer_group.peer_kind, e.g. 'skr_2023'
    members_by: str  # 'group': the municipality's group; 'owner': the set Kolada lists for it
    fallback_column: str  # a mart.area column whose equal values stand in when the set is empty


def _peer_sets() -> dict[str, PeerSet]:
    rows = seeds.load("peer_groups")
    return {
        r.offer_as: PeerSet(r.offer_as, r.peer_kind, r.members_by, r.fallback_column)
        for r in rows[rows.offer_as != ""].itertuples()
    }


BIRTH_REGIONS: Mapping[str, BirthRegion] = Lazy(_birth_regions)
BIRTH_SETS: Mapping[str, tuple[str, ...]] = Lazy(_birth_sets)
BIRTH_ORDER: Mapping[str, int] = Lazy(lambda: _label_order("birth_region"))
SEX_ORDER: Mapping[str, int] = Lazy(lambda: _label_order("sex"))
LEVEL_MARKERS: Mapping[str, re.Pattern] = Lazy(_level_markers)
PEER_SETS: Mapping[str, PeerSet] = Lazy(_peer_sets)
