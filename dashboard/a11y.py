"""Accessibility and language in the shell: the page <title> in the page's language, and
`aria-current="page"` on the navigation link of the page shown.
"""

from __future__ import annotations

import json
import logging

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.page_titles import page_title
from dashboard.text import LANGS
from dashboard.urlstate import PATHS

log = logging.getLogger(__name__)


def page_titles() -> dict[str, dict[str, str]]:
    """path → {lang: '<page> – <product>'} for every page."""
    return {
        path: {lang: page_title(page, lang) for lang in LANGS}
        for page, path in PATHS.items()
    }


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
