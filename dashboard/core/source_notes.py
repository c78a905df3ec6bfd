"""The sources' notes (SCB publishes them in Swedish) in the page language, from seeds/source_notes.csv."""

from __future__ import annotations

import logging

from dashboard.core.text import norm_lang, t
from etl import seeds

log = logging.getLogger(__name__)


def note_line(line: str, lang: str) -> str:
    """One line of a note in `lang`: its seeded translation, else the original marked as Swedish."""
    if norm_lang(lang) == "sv" or not line.strip():
        return line
    for row in seeds.load("source_notes").itertuples():
        if line.startswith(row.starts_sv):
            return row.text_en
    return f"({t('note.in_swedish', lang)}) {line}"


def note_text(note: str, lang: str) -> str:
    """A whole note (lines joined by newlines) in `lang`."""
    return "\n".join(note_line(line, lang) for line in str(note).split("\n"))
