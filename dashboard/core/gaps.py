"""Gap definitions: group A minus group B of one indicator, in percentage points (seeds/gap_presets.csv)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.core.mappings import Lazy
from etl import seeds


@dataclass(frozen=True)
class Group:
    """One population group: a sex and a birth region."""

    sex: str
    birth_region: str

    @property
    def key(self) -> str:
        """Stable string key, e.g. 'women.foreign'."""
        return f"{self.sex}.{self.birth_region}"

    @classmethod
    def parse(cls, key: str) -> Group:
        """Inverse of key."""
        sex, _, birth_region = key.partition(".")
        return cls(sex, birth_region)


@dataclass(frozen=True)
class Gap:
    """Value of group a minus value of group b."""

    id: str
    a: Group
    b: Group


def _presets() -> dict[str, Gap]:
    return {
        r.gap: Gap(r.gap, Group(r.sex_1, r.birth_region_1), Group(r.sex_2, r.birth_region_2))
        for r in seeds.load("gap_presets").itertuples()
    }


# seeds/gap_presets.csv, in its order (the headline first); read on first use
GAPS: Mapping[str, Gap] = Lazy(_presets)
DEFAULT_GAP = "fw_sw"
