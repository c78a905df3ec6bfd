"""`GET /area/report.pdf?area=<code>&lang=sv|en`: the area profile as an A4 PDF.

Headless Chromium (Debian's `chromium`, scripts/install-chromium.sh) prints a self-contained HTML
print view: the profile's sentences and tables, and its charts drawn by the plotly.js that the
plotly package ships (inlined, no network). The PDF is cached per area, language and warehouse file
and written atomically (temporary file, then os.replace); a failure is one line, never a traceback
and never a half-written file.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import flask
import pandas as pd
import plotly.io as pio

from dashboard.core import db
from dashboard.core.text import fmt_num
from dashboard.urlstate import lang_of
from dashboard.views.area import render
from dashboard.views.area.state import parse
from dashboard.views.area.text import tr
from etl import seeds

log = logging.getLogger(__name__)

ROUTE = "/area/report.pdf"
TIMEOUT_S = 60
_LOCK = threading.Lock()

CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: system-ui, 'DejaVu Sans', Arial, sans-serif; font-size: 10.5pt; color: #1d1d1d; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 10pt 0 4pt; }
.block { break-inside: avoid; page-break-inside: avoid; margin-bottom: 8pt; }
.chart { break-inside: avoid; page-break-inside: avoid; }
.synthetic { color: #b00020; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #ccc; padding: 2pt 3pt; text-align: left; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.note { color: #444; font-size: 8.5pt; }
"""


def chromium() -> str | None:
    """The Chromium binary (LABOURDASH_CHROMIUM, else chromium or chromium-browser on PATH)."""
    return (
        os.environ.get("LABOURDASH_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def cache_dir() -> Path:
    """Where rendered reports are kept (LABOURDASH_REPORT_CACHE, else the system's temp folder)."""
    return Path(
        os.environ.get("LABOURDASH_REPORT_CACHE")
        or Path(tempfile.gettempdir()) / "labourdash-reports"
    )


def _table(frame: pd.DataFrame, lang: str) -> str:
    if frame.empty:
        return ""

    def cell(v) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, float):
            return fmt_num(v, 1, lang)
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
        for r in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _chart(fig, div_id: str) -> str:
    if fig is None:
        return ""
    fig = fig.to_dict()
    fig["layout"]["width"] = 720
    return '<div class="chart">' + pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                                               config={"staticPlot": True}) + "</div>"  # fmt: skip


def report_html(prof: render.Profile, lang: str) -> str:
    """The report's HTML (A4 print view): sentences, charts with their stamps, tables, sources."""
    a = prof.area
    mark = (
        f'<p class="synthetic">⚠ {html.escape(tr("prov.synthetic_mark", lang))}</p>'
        if prof.synthetic
        else ""
    )
    stamp = f'<p class="note">{html.escape(prof.source_line)}<br>{html.escape(tr("area.permalink", lang, url=prof.permalink))}</p>'
    parts = [
        f"<h1>{html.escape(tr('area.title', lang, name=a.name(lang)))}</h1>", mark,
        '<div class="block">' + "".join(f"<p>{html.escape(s)}</p>" for s in prof.headline) + "</div>",
        f'<div class="block"><h2>{html.escape(tr("area.ranks", lang))}</h2><ul>'
        + "".join(f"<li>{html.escape(r)}</li>" for r in prof.ranks) + f"</ul><p>{html.escape(prof.explained)}</p></div>",
        f'<div class="block">{_chart(prof.trend, "trend")}<p class="note">{html.escape(prof.trend_summary)}</p>{mark}{stamp}</div>',
        f'<div class="block">{_chart(prof.spine, "spine")}<p class="note">{html.escape(prof.spine_summary)}</p>{mark}{stamp}</div>',
        f"<h2>{html.escape(tr('table', lang))}</h2>" + _table(prof.spine_table, lang),
    ]  # fmt: skip
    if len(prof.members):
        parts.append(
            f"<h2>{html.escape(tr('area.members_title', lang, name=a.name(lang)))}</h2>"
            + _table(prof.members, lang)
        )
    if len(prof.planner):
        parts.append(f"<h2>{html.escape(tr('area.planner_title', lang, name=a.name(lang), age='20-65'))}</h2>"
                     f"<p class='note'>{html.escape(prof.planner_summary)} {html.escape(tr('area.mark.sig', lang))}</p>"
                     + _table(prof.planner, lang))  # fmt: skip
    parts += [
        f"<h2>{html.escape(tr('area.definitions', lang))}</h2>",
        f"<p class='note'>{html.escape(tr('area.method', lang, noise=seeds.noise_from_year()))}</p>",
        f"<h2>{html.escape(tr('area.sources', lang))}</h2>{mark}"
        + "".join(f"<p>{html.escape(line)}</p>" for line in prof.source_lines)
        + f"<p>{html.escape(tr('area.permalink', lang, url=prof.permalink))}</p>",
    ]
    js = Path(pio.__file__).resolve().parent.parent / "package_data" / "plotly.min.js"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(a.name(lang))}</title>'
            f"<style>{CSS}</style><script>{js.read_text('utf-8')}</script></head><body>{''.join(parts)}</body></html>")  # fmt: skip


class ReportError(RuntimeError):
    """The report could not be rendered (one line, shown to the user)."""


def render_pdf(page_html: str, out: Path) -> None:
    """Print the HTML to `out` with headless Chromium; `out` appears only when complete."""
    binary = chromium()
    if binary is None:
        raise ReportError("chromium is not installed (scripts/install-chromium.sh)")
    with tempfile.TemporaryDirectory(prefix="labourdash-report-") as work:
        src, pdf = Path(work) / "report.html", Path(work) / "report.pdf"
        src.write_text(page_html, "utf-8")
        cmd = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={work}/profile",
               "--no-pdf-header-footer", "--virtual-time-budget=5000", f"--print-to-pdf={pdf}", src.as_uri()]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"chromium did not finish within {TIMEOUT_S} s") from exc
        except OSError as exc:
            raise ReportError(f"cannot run {binary}: {exc.strerror or exc}") from exc
        if not pdf.is_file() or pdf.read_bytes()[:4] != b"%PDF":
            raise ReportError("chromium wrote no PDF")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".pdf.tmp")
        shutil.copyfile(pdf, tmp)
        os.replace(tmp, out)


def cache_path(query: dict, lang: str) -> Path:
    """The cached file of a report: per state, language and warehouse file (its generation)."""
    key = repr((sorted(query.items()), lang, db.generation())).encode()
    return cache_dir() / f"area-{hashlib.sha256(key).hexdigest()[:24]}.pdf"


def report(args: dict) -> flask.Response:
    """The PDF for a request's query (cached), or a one-line plain-text message."""
    lang = lang_of(args)
    try:
        state, _ = parse(args)
        path = cache_path(state.to_query(), lang)
        with _LOCK:  # one Chromium at a time per process
            if not path.is_file():
                prof = render.profile(state, lang)
                render_pdf(report_html(prof, lang), path)
        resp = flask.send_file(
            path, mimetype="application/pdf", download_name=f"area-{state.area}-{lang}.pdf"
        )
        resp.headers["Cache-Control"] = "private, max-age=3600"
        return resp
    except ReportError as exc:
        log.warning("area report: %s", exc)
        return _fail(str(exc), lang)
    except Exception as exc:  # never a traceback to the user
        log.exception("area report")
        return _fail(type(exc).__name__, lang)


def _fail(reason: str, lang: str) -> flask.Response:
    return flask.Response(
        tr("area.pdf_failed", lang, reason=reason) + "\n", status=503, mimetype="text/plain"
    )


def register(server: flask.Flask) -> None:
    """Add the report's route to the dashboard's Flask server."""
    server.add_url_rule(ROUTE, "area_report", lambda: report(flask.request.args.to_dict()))
