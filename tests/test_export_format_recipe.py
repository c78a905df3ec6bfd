"""The README's recipe for a new export format, followed once: a test-only tab-separated format.

A format is one builder plus one `FORMATS` entry (dashboard/ui/exports/); every view's table then
offers its button and its download, and `exports.download` builds it from the view's table.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from dashboard.core import queries
from dashboard.core.text import strings
from dashboard.ui import components, exports
from dashboard.views.trends.state import parse_trends


def tsv_download(
    table: pd.DataFrame, headers: dict[str, str], state: Any, cat: Any, lang: str,
    *, page: str, filename: str,
) -> dict:  # fmt: skip
    """The test-only format: the exported table, tab-separated, plain UTF-8."""
    frame = exports.export_table(table, headers, state, cat, lang)
    return {"content": frame.to_csv(sep="\t", index=False), "filename": f"{filename}.tsv"}


@pytest.fixture
def with_tsv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(exports.FORMATS, "tsv", tsv_download)
    monkeypatch.setitem(strings.T, "tsv", ("Ladda ned TSV", "Download TSV"))


def _ids(node: Any) -> list[str]:
    found = []
    if hasattr(node, "id") and isinstance(getattr(node, "id", None), str):
        found.append(node.id)
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children else []:
        found += _ids(child)
    return found


def test_a_new_format_gets_a_button_and_a_download_beside_csv_and_xlsx(with_tsv) -> None:
    ids = _ids(components.table("x-table", "x-csv-button", "x-csv-download", "en"))
    buttons = [i for i in ids if i.endswith("-button")]
    downloads = [i for i in ids if i.endswith("-download")]
    assert buttons == ["x-csv-button", "x-xlsx-button", "x-tsv-button"]
    assert downloads == ["x-csv-download", "x-xlsx-download", "x-tsv-download"]
    table = components.table("x-table", "x-csv-button", "x-csv-download", "sv")
    assert "Ladda ned TSV" in [
        b.children for b in table.children if getattr(b, "id", "") == "x-tsv-button"
    ]


def test_a_new_format_downloads_the_same_table_as_the_csv(dash_env, with_tsv) -> None:
    cat = queries.catalogue()
    state, problems = parse_trends({"areas": "0180,1480", "gap": "fw_sw"}, cat)
    assert problems == []
    tsv = exports.view_download("tsv", "trends", state, cat, "en")
    csv = exports.view_download("csv", "trends", state, cat, "en")
    assert tsv["filename"].endswith(".tsv") and tsv["filename"][:-4] == csv["filename"][:-4]
    got = pd.read_csv(io.StringIO(tsv["content"]), sep="\t", dtype=str)
    want = pd.read_csv(io.StringIO(csv["content"].lstrip("\ufeff")), comment="#", dtype=str)
    # the CSV's footer names the view URL; quoted when the URL holds a comma, so read as a row
    want = want[~want.iloc[:, 0].str.startswith("# ", na=False)].reset_index(drop=True)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, want)


def test_without_the_entry_the_format_is_unknown_and_falls_back_to_csv(dash_env) -> None:
    assert "tsv" not in exports.FORMATS
    cat = queries.catalogue()
    state, _ = parse_trends({"areas": "0180"}, cat)
    out = exports.view_download("tsv", "trends", state, cat, "en")
    assert out["filename"].endswith(".csv")
