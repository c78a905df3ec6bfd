"""Accessibility and language in the shell: the page <title> in the page's language,
`aria-current="page"` on the navigation link of the page shown, and each page's controls behind a
"Val"/"Options" button on phones. Chart names, history entries and dropdown typing are in
assets/a11y.js.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import dash
from dash import ClientsideFunction, Dash, Input, Output, State, html

from dashboard.core.text import LANGS, t
from dashboard.ui import ids
from dashboard.ui.titles import page_title
from dashboard.urlstate import PATHS

log = logging.getLogger(__name__)


def page_titles() -> dict[str, dict[str, str]]:
    """path → {lang: '<page> – <product>'} for every page."""
    return {path: {lang: page_title(page, lang) for lang in LANGS} for page, path in PATHS.items()}


def register(app: Dash) -> None:
    """Clientside: document.title and aria-current follow the path and the language."""
    titles = json.dumps(page_titles(), ensure_ascii=False)
    app.clientside_callback(
        """
        function (store, lang, pathname) {
          var titles = __TITLES__;
          var l = lang === 'en' ? 'en' : 'sv';
          var path = pathname || '/';
          var apply = function () {
            var entry = titles[path];
            if (entry) { document.title = entry[l]; }
            document.querySelectorAll('#__NAV__ a').forEach(function (a) {
              var p = new URL(a.getAttribute('href') || '/', window.location.href).pathname;
              if (p === path) { a.setAttribute('aria-current', 'page'); }
              else { a.removeAttribute('aria-current'); }
            });
          };
          apply();
          setTimeout(apply, 0);  // after Dash's own page-title update
          setTimeout(apply, 300);  // and after the navigation links were re-rendered
          return path;
        }
        """.replace("__TITLES__", titles).replace("__NAV__", ids.NAV),
        Output(ids.NAV, "data-current"),
        Input("_pages_store", "data"),
        Input(ids.LANG, "value"),
        Input(ids.URL, "pathname"),
    )


def fold_ids(page: str) -> tuple[str, str]:
    """Ids of a page's "Val"/"Options" button and of the box it folds."""
    return f"{page}-fold-button", f"{page}-fold-box"


def foldable(controls: Any, page: str, lang: str) -> html.Div:
    """A page's controls behind a "Val"/"Options" button on phones (always open on wider screens,
    by CSS), so that the first chart is on the first screen."""
    button, box = fold_ids(page)
    return html.Div(
        [
            html.Button(
                t("fold", lang),
                id=button,
                className="btn fold-button",
                **{"aria-expanded": "false", "aria-controls": box},
            ),
            html.Div(controls, id=box, className="fold-box"),
        ],
        className="fold",
    )


def register_fold(page: str) -> None:
    """Clientside: the button folds and unfolds its page's controls (aria-expanded follows)."""
    button, box = fold_ids(page)
    dash.clientside_callback(
        ClientsideFunction(namespace="labourdash_a11y", function_name="fold"),
        Output(button, "aria-expanded"),
        Output(box, "className"),
        Input(button, "n_clicks"),
        State(button, "aria-expanded"),
        prevent_initial_call=True,
    )
