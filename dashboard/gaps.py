"""Gap definitions: group A minus group B of one indicator, in percentage points."""

from __future__ import annotations

from dataclasses import dataclass


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


GAPS: dict[str, Gap] = {
    g.id: g
    for g in (
        # The headline: foreign-born women against Swedish-born women.
        Gap("fw_sw", Group("women", "foreign"), Group("women", "sweden")),
        Gap("fw_fm", Group("women", "foreign"), Group("men", "foreign")),
        Gap("fm_sm", Group("men", "foreign"), Group("men", "sweden")),
        Gap("f_s", Group("total", "foreign"), Group("total", "sweden")),
        Gap("roww_sw", Group("women", "rest_of_world"), Group("women", "sweden")),
        Gap("row_s", Group("total", "rest_of_world"), Group("total", "sweden")),
    )
}
DEFAULT_GAP = "fw_sw"
