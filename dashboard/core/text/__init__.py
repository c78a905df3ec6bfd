"""The dashboard's language layer, one module per part it serves.

- strings.py: the sv/en key table `T`, column headers, `t` and the `Lookup` every table shares;
- sentences.py: the sentence templates of the generated summaries;
- numbers.py: number formatting per language and `NumberFormat`, an indicator's format as one value;
- phrases.py: group and gap phrases, relations, name lists, the synthetic and noise notes;
- summaries.py: the pieces the views' summaries share (each view's own is in views/<view>/text.py);
- explain.py, lua.py: the Explain and LUA views' own tables (and Explain's sentences);
- grid.py: the table grid's built-in texts; titles.py: page titles in the page's language.

The names below are what the other modules use as `text.<name>` or `from dashboard.core.text import …`;
explain.py, lua.py, grid.py and titles.py are imported by their own users.
"""

from __future__ import annotations

from dashboard.core.text.numbers import (
    MINUS,
    NBSP,
    NumberFormat,
    fmt_count,
    fmt_num,
    fmt_pp,
    fmt_value,
    plotly_separators,
)
from dashboard.core.text.phrases import (
    area_label,
    code_names,
    gap_label,
    gap_phrase,
    group_label,
    group_phrase,
    join_names,
    no_data,
    noise_note,
    relation,
    synthetic_suffix,
)
from dashboard.core.text.strings import (
    COLUMNS,
    DEFAULT_LANG,
    LANGS,
    Lookup,
    T,
    age_band,
    age_label,
    column,
    in_lang,
    norm_lang,
    t,
)
from dashboard.core.text.summaries import gap_verb, value_sentence

__all__ = [
    "COLUMNS", "DEFAULT_LANG", "LANGS", "MINUS", "NBSP", "T", "Lookup", "NumberFormat",
    "age_band", "age_label", "area_label", "code_names", "column", "fmt_count", "fmt_num", "fmt_pp", "fmt_value", "gap_label",
    "gap_phrase", "gap_verb", "group_label", "group_phrase", "in_lang", "join_names",
    "no_data", "noise_note", "norm_lang", "plotly_separators", "relation", "synthetic_suffix",
    "t", "value_sentence",
]  # fmt: skip
