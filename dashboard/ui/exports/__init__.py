"""What a user takes away: one module per export format and the FORMATS table.

A format is a module with one builder, `(table, headers, state, cat, lang, *, page, filename) ->
dcc.Download data`, and one FORMATS entry: every view's table then offers its button and its
download (README, "Add an export format"). `stamp` marks the charts; `table` is what all formats
write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd

from dashboard.core import viewspec
from dashboard.core.queries import Catalogue
from dashboard.ui.exports.csv import CSV_FORMATS, csv_download, csv_text
from dashboard.ui.exports.stamp import for_export, stamp, stamp_of, stamp_rendered, synthetic_mark
from dashboard.ui.exports.table import COUNT_COLUMNS, export_table
from dashboard.ui.exports.xlsx import XLSX_TYPE, sources_sheet, xlsx_bytes, xlsx_download
from dashboard.ui.permalink import permalink, public_base

log = logging.getLogger(__name__)

__all__ = [
    "COUNT_COLUMNS", "CSV_FORMATS", "FORMATS", "XLSX_TYPE", "csv_download", "csv_text", "download",
    "export_table", "for_export", "permalink", "public_base", "sources_sheet", "stamp", "stamp_of",
    "stamp_rendered", "synthetic_mark", "view_download", "xlsx_bytes", "xlsx_download",
]  # fmt: skip

# the export formats: one builder each, (table, headers, state, cat, lang, *, page, filename) ->
# dcc.Download data; every view's table offers one button and one download per entry, in this order
FORMATS: dict[str, Callable[..., dict]] = {"csv": csv_download, "xlsx": xlsx_download}


def download(
    fmt: str, table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """The download of a view's table in one of FORMATS (an unknown format: CSV)."""
    build = FORMATS.get(fmt, csv_download)
    return build(table, headers, state, cat, lang, page=page, filename=filename)


def view_download(fmt: str, page: str, state: Any, cat: Catalogue, lang: str) -> dict:
    """The download of a view's table in one of FORMATS (rendered without its figures)."""
    out = viewspec.view(page).render(state, cat, lang, figures=False)
    return download(fmt, out.table, out.headers, state, cat, lang, page=page, filename=out.filename)
