"""Formatting and phrases: decimal marks, minus signs, percentage points, group names."""

from __future__ import annotations

from dashboard import text
from dashboard.gaps import GAPS, Group


def test_numbers_per_language():
    assert text.fmt_value(61.234, 1, "percent", "sv") == "61,2\xa0%"
    assert text.fmt_value(61.234, 1, "percent", "en") == "61.2\xa0%"
    assert text.fmt_count(12345, "sv") == "12\xa0345" and text.fmt_count(12345, "en") == "12,345"
    assert text.fmt_pp(-19.84, "en") == "−19.8\xa0pp" and text.fmt_pp(2.0, "sv") == "+2,0\xa0p.e."
    assert (
        text.fmt_value(None, 1, "percent", "en") == ".." and text.fmt_pp(float("nan"), "en") == ".."
    )


def test_group_phrases():
    assert text.group_phrase(Group("women", "foreign"), "en") == "foreign-born women"
    assert text.group_phrase(Group("women", "sweden"), "sv") == "inrikes födda kvinnor"
    assert text.group_phrase(Group("men", "rest_of_world"), "en") == "men born outside the EU/EFTA"
    assert text.group_phrase(Group("total", "total"), "en") == "everyone"
    assert text.gap_label(GAPS["fw_sw"], "en") == "Foreign-born women − Swedish-born women"


def test_relation_and_synthetic_suffix():
    assert text.relation(-19.84, "en") == "19.8\xa0pp below"
    assert text.relation(0.01, "en") == "equal to"
    assert text.synthetic_suffix(True, "sv").startswith(" (syntetiska")
    assert text.synthetic_suffix(False, "en") == ""


def test_number_format_object(cat):
    sv = text.NumberFormat(1, "percent", "sv", 100)
    assert sv.value(61.234) == "61,2\xa0%" and sv.pp(-19.84) == "−19,8\xa0p.e."
    assert sv.count(12345) == "12\xa0345" and sv.pp(2.0, signed=False) == "2,0\xa0p.e."
    assert sv.measure("gap")(-1.0) == "−1,0\xa0p.e." and sv.measure("value")(50.0) == "50,0\xa0%"
    assert text.NumberFormat(0, "count", "en").value(1234.4) == "1,234"
    fmt = text.NumberFormat.for_indicator(cat, "employment_rate", "en", 7)
    assert (fmt.unit, fmt.lang, fmt.threshold) == ("percent", "en", 7)
    assert fmt.decimals == cat.decimals("employment_rate") and fmt.axis_suffix == " (%)"
    unknown = text.NumberFormat.for_indicator(cat, "no_such_indicator", "sv")
    assert unknown.unit == "" and unknown.value(3.25) == "3,2" and unknown.axis_suffix == ""
