"""Friendly page for unknown paths."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.core import viewspec
from dashboard.core.text import t
from dashboard.urlstate import lang_of

dash.register_page(__name__, path="/404", name="404", title="404")


def layout(**query) -> html.Div:
    """Unknown path: say so and offer the views."""
    lang = lang_of(query)
    head = t("not_found", lang)
    suffix = "" if lang == "sv" else f"?lang={lang}"  # the links keep the page's language
    return html.Div(
        [
            html.H1(head),
            html.Ul(
                [
                    html.Li(dcc.Link(t(spec.name_key, lang), href=spec.path + suffix))
                    for spec in viewspec.nav_views()  # every page the navigation offers
                ]
            ),
        ],
        className="page",
    )
