"""The CSV export: Swedish Excel's CSV (`;`, decimal comma, UTF-8 BOM) in Swedish and plain CSV
(`,`, `.`) in English, counts as integers, a source and a synthetic column on every row and the
view URL in a footer line."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.core.queries import Catalogue
from dashboard.core.text import norm_lang, t
from dashboard.ui.exports.table import export_table
from dashboard.ui.permalink import permalink

CSV_FORMATS = {"sv": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}


def csv_text(frame: pd.DataFrame, lang: str, url: str) -> str:
    """CSV in the language's Excel convention, with a BOM and a footer line naming the view URL.

    The footer starts with '#' after a blank line, so `pandas.read_csv(..., comment="#")` skips it.
    """
    fmt = CSV_FORMATS[norm_lang(lang)]
    body = frame.to_csv(index=False, sep=fmt["sep"], decimal=fmt["decimal"], lineterminator="\r\n")
    footer = pd.DataFrame([[f"# {t('prov.view_url', lang)}: {url}"]]).to_csv(
        index=False, header=False, sep=fmt["sep"], lineterminator="\r\n"
    )
    return "\ufeff" + body + "\r\n" + footer


def csv_download(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Catalogue, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """dcc.Download data for the CSV of a view's table."""
    frame = export_table(table, headers, state, cat, lang)
    url = permalink(page, state, lang)
    return {
        "content": csv_text(frame, lang, url),
        "filename": f"{filename}.csv",
        "type": "text/csv",
    }
