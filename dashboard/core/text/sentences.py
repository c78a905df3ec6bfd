"""Sentence templates of the generated chart summaries (sv, en), merged into the shared table T.

The functions that fill them are in dashboard/text/summaries.py (summary_*).
"""

from __future__ import annotations

SENTENCES: dict[str, tuple[str, str]] = {
    "s.and": ("och", "and"),
    "s.value_in": ("{who} i {area} {value}", "{who} in {area} {value}"),
    "s.in_peers": ("{rank} i jämförelsegruppen", "{rank} peers"),
    "s.map_gap": (
        "{year}, {ind}, {what}: från {lo} i {lo_name} till {hi} i {hi_name}",
        "{year}, {ind}, {what}: from {lo} in {lo_name} to {hi} in {hi_name}",
    ),
    "s.map_value": (
        "{year}, {ind} för {who}: från {lo} i {lo_name} till {hi} i {hi_name}",
        "{year}, {ind} of {who}: from {lo} in {lo_name} to {hi} in {hi_name}",
    ),
    "s.suppressed_or_missing": ("{n} skyddade eller saknade", "{n} suppressed or missing"),
    "s.others": ("övriga: {values}", "others: {values}"),
    "s.narrowed": ("minskade", "narrowed"),
    "s.widened": ("ökade", "widened"),
    "s.unchanged": ("var oförändrat", "was unchanged"),
    "s.gap_moved": (
        "i {name} {verb} gapet från {g0} ({y0}) till {g1} ({y1})",
        "in {name} the gap {verb} from {g0} ({y0}) to {g1} ({y1})",
    ),
    "s.slope": (
        "Mellan {year0} och {year} {verb} gapet i {area} från {g0} till {g1}; det minskade i "
        "{narrowed} av {n} kommuner i gruppen",
        "Between {year0} and {year} the gap in {area} {verb} from {g0} to {g1}; it narrowed in "
        "{narrowed} of {n} peers",
    ),
    "s.slope_national": (
        "Mellan {year0} och {year} {verb} gapet i {area} från {g0} till {g1}; det minskade i "
        "{narrowed} av {n} områden (länen och riket)",
        "Between {year0} and {year} the gap in {area} {verb} from {g0} to {g1}; it narrowed in "
        "{narrowed} of {n} areas (the counties and the country)",
    ),
    "s.explore": (
        "{year}: {n} kommuner; samband mellan gapet och {x} {corr}",
        "{year}: {n} municipalities; correlation between the gap and {x} {corr}",
    ),
    "s.explore_area": ("{area}: {x} och gap {gap}", "{area}: {x} and gap {gap}"),
}
