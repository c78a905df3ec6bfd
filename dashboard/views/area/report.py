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
from collections.abc import Callable
from pathlib import Path

import flask
import pandas as pd
import plotly.io as pio

from dashboard.core import db
from dashboard.core.text import fmt_num
from dashboard.ui import exports
from dashboard.urlstate import lang_of
from dashboard.views.area import data, render
from dashboard.views.area.state import AreaState, href, parse
from dashboard.views.area.text import tr
from etl import seeds

log = logging.getLogger(__name__)

ROUTE = "/area/report.pdf"
PLANNER_ROUTE = "/area/planner.pdf"  # the planner's table alone (a county or LA region)
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


PAGE_PX = 980  # an A4 page's printable height at 96 dpi, less a little


def _chart(fig, div_id: str) -> str:
    if fig is None:
        return ""
    fig = exports.for_export(fig).to_dict()  # with its stamp above the plot, as every export
    fig["layout"]["width"] = 720
    if (fig["layout"].get("height") or 0) > PAGE_PX:  # a long dot chart fits one page
        fig["layout"]["height"] = PAGE_PX
        fig["layout"].setdefault("yaxis", {})["tickfont"] = {"size": 8}
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
        f'<div class="block"><h2>{html.escape(tr("area.ranks", lang))}</h2><p>{html.escape(prof.rank_lead)}</p><ul>'
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
        parts.append(f"<h2>{html.escape(tr('area.planner_title', lang, name=a.name(lang), age=data.PLANNER_AGE))}</h2>"
                     f"<p class='note'>{html.escape(prof.planner_summary)} {html.escape(tr('area.mark.sig', lang))}</p>"
                     f"<p class='note'>{html.escape(render.planner_note(lang))}</p>"
                     + _chart(prof.planner_chart, "planner") + _table(prof.planner, lang))  # fmt: skip
    parts += [
        f"<h2>{html.escape(tr('area.definitions', lang))}</h2>",
        f"<p class='note'>{html.escape(tr('area.method', lang, noise=seeds.noise_from_year()))}</p>",
        f"<h2>{html.escape(tr('area.sources', lang))}</h2>{mark}"
        + "".join(f"<p>{html.escape(line)}</p>" for line in prof.source_lines)
        + f"<p>{html.escape(tr('area.permalink', lang, url=prof.permalink))}</p>",
    ]
    return _document(a.name(lang), parts, lang, charts=True)


def _document(title: str, parts: list[str], lang: str, charts: bool) -> str:
    """A self-contained HTML print view (plotly.js inlined only where it draws charts)."""
    js = Path(pio.__file__).resolve().parent.parent / "package_data" / "plotly.min.js"
    script = f"<script>{js.read_text('utf-8')}</script>" if charts else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style>{script}</head><body>{''.join(parts)}</body></html>")  # fmt: skip


def planner_html(state: AreaState, lang: str) -> str:
    """The planner's table alone as an A4 print view: its summary, marks, rows, method and sources."""
    a = data.area(state.area)
    if a is None or a.level not in ("county", "la_region"):
        raise NoPlanner(tr("area.no_planner", lang, name=a.name(lang) if a else state.area))
    table, summary = render.planner(a, state, lang)
    kinds = render.planner_kinds(a, lang)
    line, lines, synthetic = render.sources(lang, data.source_tables(list(kinds), data.PLANNER_AGE))
    permalink = exports.public_base() + href(state, lang)
    chart = exports.stamp(render.planner_chart(a, table, lang), source=line, link=permalink,
                          synthetic=synthetic, lang=lang) if len(table) else None  # fmt: skip
    mark = (
        f'<p class="synthetic">⚠ {html.escape(tr("prov.synthetic_mark", lang))}</p>'
        if synthetic
        else ""
    )
    title = tr("area.planner_title", lang, name=a.name(lang), age=data.PLANNER_AGE)
    parts = [
        f"<h1>{html.escape(title)}</h1>", mark,
        f"<p>{html.escape(summary)}</p>",
        f"<p class='note'>{html.escape(tr('area.mark.sig', lang))} "
        f"{html.escape(tr('area.not_compared_note', lang))}</p>",
        f"<p class='note'>{html.escape(render.planner_note(lang))}</p>",
        _table(table, lang), mark,
        f"<p class='note'>{html.escape(line)}<br>{html.escape(tr('area.permalink', lang, url=permalink))}</p>",
        f"<h2>{html.escape(tr('area.definitions', lang))}</h2>",
        f"<p class='note'>{html.escape(tr('area.method', lang, noise=seeds.noise_from_year()))}</p>",
        f"<h2>{html.escape(tr('area.sources', lang))}</h2>",
        "".join(f"<p>{html.escape(x)}</p>" for x in lines),
        f'<div style="break-before: page">{_chart(chart, "planner")}</div>' if chart is not None else "",
    ]  # fmt: skip
    return _document(title, parts, lang, charts=chart is not None)


class ReportError(RuntimeError):
    """The report could not be rendered (one line, shown to the user)."""


class NoPlanner(ValueError):
    """The area has no planner's table (only counties and LA regions have one)."""


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


def cache_path(query: dict, lang: str, kind: str = "area") -> Path:
    """The cached file of a report: per kind, state, language and warehouse file (its generation)."""
    key = repr((sorted(query.items()), lang, db.generation())).encode()
    return cache_dir() / f"{kind}-{hashlib.sha256(key).hexdigest()[:24]}.pdf"


def report(args: dict) -> flask.Response:
    """The area's report for a request's query (cached), or a one-line plain-text message."""
    return _serve(args, "area", lambda state, lang: report_html(render.profile(state, lang), lang))


def planner_report(args: dict) -> flask.Response:
    """The planner's table of a county or LA region as a PDF (cached), or a one-line message."""
    return _serve(args, "planner", planner_html)


def _serve(args: dict, kind: str, build: Callable[[AreaState, str], str]) -> flask.Response:
    lang = lang_of(args)
    try:
        state, _ = parse(args)
        path = cache_path(state.to_query(), lang, kind)
        with _LOCK:  # one Chromium at a time per process
            if not path.is_file():
                render_pdf(build(state, lang), path)
        resp = flask.send_file(
            path, mimetype="application/pdf", download_name=f"{kind}-{state.area}-{lang}.pdf"
        )
        resp.headers["Cache-Control"] = "private, max-age=3600"
        return resp
    except NoPlanner as exc:
        return _fail(str(exc), lang, status=404)
    except ReportError as exc:
        log.warning("%s report: %s", kind, exc)
        return _fail(str(exc), lang)
    except Exception as exc:  # never a traceback to the user
        log.exception("%s report", kind)
        return _fail(type(exc).__name__, lang)


def _fail(reason: str, lang: str, status: int = 503) -> flask.Response:
    return flask.Response(
        tr("area.pdf_failed", lang, reason=reason) + "\n", status=status, mimetype="text/plain"
    )


def register(server: flask.Flask) -> None:
    """Add the reports' routes to the dashboard's Flask server."""
    server.add_url_rule(ROUTE, "area_report", lambda: report(flask.request.args.to_dict()))
    server.add_url_rule(
        PLANNER_ROUTE, "area_planner", lambda: planner_report(flask.request.args.to_dict())
    )
