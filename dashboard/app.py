"""The Dash app: layout shell (header, language, synthetic-data banner, navigation, footer) and factory."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import dash
import flask
import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from dashboard import (
    delivery,
    views,  # noqa: F401  (importing the registry registers every view)
)
from dashboard.core import db, geo, queries, viewspec
from dashboard.core.text import norm_lang, t
from dashboard.core.text.numbers import real_share
from dashboard.ui import a11y, hardening, health, ids, limits
from dashboard.ui import cache as view_cache
from dashboard.urlstate import href
from dashboard.views.area import report as area_report
from etl import seeds

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
NAV_PAGES = tuple(spec.name for spec in viewspec.nav_views())  # from the view registry


def shell() -> html.Div:
    """The layout shell around the pages."""
    return html.Div(
        [
            html.A(t("skip", "sv"), href=f"#{ids.MAIN}", id=ids.SKIP_LINK, className="skip-link"),
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SHARED, data={}),
            dcc.Store(id=ids.REMEMBERED, data={}),  # the selection over every page visited
            html.Header(
                [
                    html.Div(
                        [
                            html.P(t("title", "sv"), id=ids.HEADER_TITLE, className="title"),
                            html.P(t("tagline", "sv"), id=ids.HEADER_TAGLINE, className="tagline"),
                        ]
                    ),
                    html.Div(
                        [
                            html.Span(
                                t("language", "sv"), id="lang-label", className="visually-hidden"
                            ),
                            dcc.RadioItems(
                                id=ids.LANG,
                                value="sv",
                                inline=True,
                                className="radio lang",
                                options=[
                                    {"value": "sv", "label": "Svenska"},
                                    {"value": "en", "label": "English"},
                                ],
                            ),
                        ],
                        role="group",
                        **{"aria-labelledby": "lang-label"},
                    ),
                ],
                className="header",
            ),
            html.Div(id=ids.BANNER, className="banner", role="note"),
            html.Nav(
                [
                    dcc.Link(
                        t(spec.name_key, "sv"),
                        href=spec.path,
                        id=ids.nav_link(spec.name),
                        className="nav-link",
                    )
                    for spec in viewspec.nav_views()
                ],
                id=ids.NAV,
                className="nav",
                **{"aria-label": "Navigation"},
            ),
            html.Main(dash.page_container, id=ids.MAIN, tabIndex="-1"),
            html.Footer(id=ids.FOOTER, className="footer"),
        ],
        className="shell",
    )


def remember(
    shared: dict[str, Any] | None, before: dict[str, Any] | None, path: str | None = None
) -> dict[str, Any] | None:
    """The selection carried by the navigation: the current page's shared parameters over those of
    the pages visited before. A parameter the current page owns but has not set (a focus cleared on
    the Map) is dropped; one it does not know (the Map's focus, seen from Trends) is kept. An update
    from a page the browser has already left (its URL sync saw the next page's address) is ignored:
    None. `path` is the browser's path without the app's prefix and slashes."""
    shared = shared or {}
    page = shared.get("page")
    registered = page in viewspec.REGISTRY
    if path is not None and registered and viewspec.view(page).path.strip("/") != path.strip("/"):
        return None
    owns = set(viewspec.view(page).shared) if page in viewspec.REGISTRY else set()
    kept = {k: v for k, v in ((before or {}).get("shared") or {}).items() if k not in owns}
    return {**shared, "shared": {**kept, **(shared.get("shared") or {})}}


def nav_hrefs(shared: dict[str, Any] | None, lang: str) -> list[str]:
    """Navigation links carrying the current selection (and language) to the other views."""
    shared = shared or {}
    params = shared.get("shared", {})
    area = params.get("area")
    try:
        cat = queries.catalogue()
        level = cat.area_level(area) if area else None
    except Exception:
        level = None
    hrefs = []
    for spec in viewspec.nav_views():
        if spec.name == "data":
            data_views = viewspec.data_views()
            view = shared.get("page") if shared.get("page") in data_views else "peers"
            query = {"view": view, **(shared.get("query") or {})}
            hrefs.append(href("data", query, lang))
            continue
        keep = {k: v for k, v in params.items() if k in spec.shared}
        if spec.municipality_view and level not in ("municipality", "regso"):
            keep.pop("area", None)
        hrefs.append(href(spec.name, keep, lang))
    return hrefs


def banner(lang: str) -> tuple[list, dict]:
    """The synthetic-data banner: visible whenever the warehouse holds synthetic values."""
    try:
        cat = queries.catalogue()
        series = queries.series_info()
    except db.WarehouseMissing:
        return [html.Strong(t("no_warehouse", lang, path=str(db.db_path())))], {}
    except Exception as exc:
        if not db.unreadable(exc):
            raise
        return [html.Strong(t("no_read", lang, path=str(db.db_path())))], {}
    rows = series["rows"].astype(float) if len(series) else None
    if len(series) and "synthetic_rows" in series:
        made_up = series["synthetic_rows"].astype(float).fillna(rows)
    elif len(series):
        made_up = series["synthetic"].fillna(True).astype(float) * rows
    if not cat.synthetic and (not len(series) or (made_up == 0).all()):
        return [], {"display": "none"}
    head = t("banner.synthetic", lang) if cat.synthetic else t("banner.partly", lang)

    def describe(part: pd.DataFrame) -> str:
        # for people: indicator, years and provider (table ids are on Data & sources)
        return "; ".join(
            f"{_in_sentence(cat.indicator_name(r.indicator, lang))} {r.first_year}–{r.last_year} "
            f"({str(r.attribution).split(':', 1)[-1].strip()}"
            + (
                f", {t('banner.real_share', lang, share=real_share(r))})"
                if 0 < float(r.synthetic_rows) < float(r.rows)
                else ")"
            )
            for r in part.itertuples()
        )

    tail: list = []
    if len(series):
        real, partly = series[made_up == 0], series[(made_up > 0) & (made_up < rows)]
        if len(real):
            tail += [
                html.Span(f" {t('banner.real', lang)} "),
                html.Span(describe(real), id="banner-real"),
            ]
        if len(partly):
            tail += [
                html.Span(f" {t('banner.partly_real', lang)} "),
                html.Span(describe(partly), id="banner-partly"),
            ]
    if not tail:
        tail = [html.Span(" " + t("banner.none_real", lang))]
    else:
        tail = [
            html.Details(
                [html.Summary(t("banner.which", lang)), html.P(tail)], className="banner-details"
            )
        ]
    return [html.Strong("⚠ " + head), *tail], {}


def _in_sentence(name: str) -> str:
    """'Employment rate' → 'employment rate' (acronyms such as 'EU' keep their capitals)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _attributions(lang: str, sources: set[str] | None = None) -> list[str]:
    """Each source's attribution in the page language (seeds/sources.csv), e.g. 'Källa: SCB'."""
    seed = seeds.sources()
    column = f"attribution_{norm_lang(lang)}"
    held = seed[seed.source.isin(sources)] if sources else seed
    return sorted(held[column]) or sorted(seed[column])


def footer(lang: str) -> list:
    """Attribution (of the sources the warehouse holds) and the note on combined areas."""
    try:
        attributions = _attributions(lang, set(queries.series_info()["source"].dropna()))
    except Exception:
        attributions = _attributions(lang)
    return [
        html.P(" · ".join(attributions)),  # each reads as the source asks: "Källa: SCB"
        html.P(t("footer.note", lang), className="note"),
    ]


def register_shell_callbacks(app: Dash) -> None:
    """Language ↔ URL (clientside) and the shell's translated texts, banner and links."""
    app.clientside_callback(
        ClientsideFunction(namespace="labourdash", function_name="syncLang"),
        Output(ids.LANG, "value"),
        Input(ids.URL, "search"),
        Input(ids.LANG, "value"),
    )

    @app.callback(
        Output(ids.HEADER_TITLE, "children"),
        Output(ids.HEADER_TAGLINE, "children"),
        Output(ids.SKIP_LINK, "children"),
        Output(ids.BANNER, "children"),
        Output(ids.BANNER, "style"),
        Output(ids.FOOTER, "children"),
        *[Output(ids.nav_link(p), "children") for p in NAV_PAGES],
        Input(ids.LANG, "value"),
    )
    def shell_text(lang: str):
        """Translate the shell."""
        lang = lang if lang in ("sv", "en") else "sv"
        children, style = banner(lang)
        alert = health.warning(lang)
        if alert is not None:
            children, style = [alert, *children], {}
        return (
            t("title", lang),
            t("tagline", lang),
            t("skip", lang),
            children,
            style,
            footer(lang),
            *[t(f"nav.{p}", lang) for p in NAV_PAGES],
        )

    @app.callback(
        Output(ids.REMEMBERED, "data"),
        Input(ids.SHARED, "data"),
        State(ids.REMEMBERED, "data"),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def remember_selection(shared, before, pathname):
        """Merge the page's selection into what the navigation remembers."""
        path = dash.strip_relative_path(pathname or "/") or ""
        merged = remember(shared, before, path)
        return dash.no_update if merged is None else merged

    @app.callback(
        *[Output(ids.nav_link(p), "href") for p in NAV_PAGES],
        Input(ids.REMEMBERED, "data"),
        Input(ids.LANG, "value"),
    )
    def nav_links(shared, lang):
        """Keep the selection when moving between views."""
        return tuple(nav_hrefs(shared, lang if lang in ("sv", "en") else "sv"))


def register_geo_route(app: Dash) -> None:
    """GET /geo/<level>.json[?muni=]: the simplified shapes of a level, cached by the browser."""
    server = app.server

    @server.route("/geo/<level>.json")
    def geo_json(level: str):
        if level not in geo.TOLERANCE:
            return flask.Response("unknown level", status=404)
        muni = flask.request.args.get("muni")
        try:
            cat = queries.catalogue()
        except db.WarehouseMissing:
            return flask.Response("no warehouse", status=503)
        if level == "regso" and not cat.has_area(muni, "municipality"):
            return flask.Response("unknown municipality", status=404)
        shapes = geo.shapes(level, muni if level == "regso" else None)
        body = json.dumps(shapes.geojson, separators=(",", ":"))
        resp = flask.Response(body, mimetype="application/geo+json")
        resp.headers["Cache-Control"] = "public, max-age=86400"
        return resp


def create_app(db_path: Path | str | None = None) -> Dash:
    """Build the app on a read-only warehouse (default: Settings().db_path / LABOURDASH_DB).

    Dash registers pages and `dash.callback`s process-wide, so build one app per process
    (dashboard.wsgi does; the tests share one session fixture).
    """
    db.configure(db_path)
    app = Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "views"),
        assets_folder=str(HERE / "assets"),
        title=t("title", "sv"),
        suppress_callback_exceptions=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    geo.relative_path = dash.get_relative_path  # permalinks of shapes under the app prefix
    app.layout = shell
    register_shell_callbacks(app)
    register_geo_route(app)
    area_report.register(app.server)  # GET /area/report.pdf (dashboard/views/area/report.py)
    hardening.install(app)
    view_cache.install(app)  # a repeated render request is answered from its first answer's bytes
    a11y.register(app)  # page <title> in the page's language, aria-current in the navigation
    limits.register(app)  # over-long addresses: a friendly page, not gunicorn's "URI Too Long"
    delivery.install(app)  # compression, Cache-Control, the grid's script on demand
    app.index_string = app.index_string.replace("<html>", '<html lang="sv">')
    log.info("dashboard created on %s", db.db_path())
    return app
