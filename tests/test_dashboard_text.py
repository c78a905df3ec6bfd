"""Formatting and phrases: decimal marks, minus signs, percentage points, group names."""

from __future__ import annotations

from dashboard.core import text
from dashboard.core.gaps import GAPS, Group


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


def test_the_noise_year_comes_from_the_sources_seed(monkeypatch):
    import pandas as pd

    from dashboard.views.trends import figures as trends
    from etl import seeds

    assert "2025" in text.noise_note("en")  # seeds/sources.csv: SCB's noise_from_year
    monkeypatch.setattr(seeds, "noise_from_year", lambda source="scb": 2023)
    assert text.noise_note("sv").startswith("Från referensår 2023 lägger SCB")
    assert "2025" not in text.noise_note("en")
    frame = pd.DataFrame({"year": [2022, 2024], "series": "BAS", "series_break": False})
    shapes, notes = trends.break_marks(frame, "en")
    assert [n["text"] for n in notes] == ["Noise (CKM) from 2023"]
    assert shapes[0]["x0"] == 2022.5


def test_one_lookup_serves_every_table():
    from dashboard.core.text import decomposition as explain
    from dashboard.core.text import grid
    from dashboard.views.lua import text as lua

    assert text.t("nav.map", "en") == "Map" and text.t("nav.map", "xx") == "Karta"
    assert (
        text.t("rank", "en", rank=2, n=7) == "rank 2 of 7"
        and text.t("no.such.key") == "no.such.key"
    )
    assert (
        explain.tr("x.title", "en") == "Explain the gap" and explain.tr("nav.map", "sv") == "Karta"
    )
    assert lua.tr("lua.districts", "sv") == "LUA-område" and lua.tr("year", "en") == "Year"
    assert text.column("area_code", "en") == "Code" and text.column("unknown", "en") == "unknown"
    assert explain.headers("en")["crude_gap"] == "Gap (pp)" and grid.grid_locale("en")["of"] == "of"
    assert text.plotly_separators("sv") == ", " and text.plotly_separators("en") == ".,"


def test_no_user_text_names_a_file_of_ours():
    """Users read sources and methods, never our repository's paths (a LUA note once said 'seeds/…')."""
    import importlib
    import pkgutil

    import dashboard.core.text as package

    seen = 0
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for table in vars(module).values():
            if not isinstance(table, dict):
                continue
            for key, value in table.items():
                for s in value if isinstance(value, tuple) else (value,):
                    if isinstance(s, str):
                        seen += 1
                        assert not any(p in s for p in ("seeds/", ".csv", "etl/", "dashboard/")), (
                            key,
                            s,
                        )
    assert seen > 200  # the tables were found
