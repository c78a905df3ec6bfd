"""Warm-up: do at start, once, everything Dash and the app otherwise do lazily on the first request.

Dash fills its component registry (which `/_dash-component-suites/...` files it may serve), joins
the page callbacks and the pages router (with its inline script) to the callback map, and the
security headers' CSP, on the first request a process sees. Under gunicorn's threaded workers
several first requests ran that set-up at once: one thread marked it done and the others served a
script before the registry was filled ('"dash" is not a registered library') or froze a CSP that
missed the router's inline script.

`warm(app)` runs the first request itself, through Flask's test client, before the process serves
anyone: the page, its layout and dependencies, and every script the page names. It then derives the
CSP from the inline scripts the page really carries and freezes it (`CSP_KEY` in the Flask config).
gunicorn runs with `preload_app` (gunicorn_conf.py), so this happens once in the master and every
worker, the first and every recycled one, is forked from the warmed app with the same CSP.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from html.parser import HTMLParser

from dash import Dash

from dashboard.ui import hardening

log = logging.getLogger(__name__)

CSP_KEY = "FROZEN_CSP"  # Flask config: the frozen Content-Security-Policy (hardening reads it)
READY_KEY = "DASHBOARD_WARMED"  # Flask config: what the warm-up checked (readiness.py reads it)
SHELL_ROUTES = ("/_dash-layout", "/_dash-dependencies")


class WarmUpFailed(RuntimeError):
    """The app could not serve its page or one of its scripts at start."""


class _PageScripts(HTMLParser):
    """The page's external script addresses and the text of its inline executable scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.sources: list[str] = []
        self.inline: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        found = dict(attrs)
        if found.get("src"):
            self.sources.append(str(found["src"]))
        elif (found.get("type") or "text/javascript") in ("text/javascript", "application/javascript",
                                                          "module"):  # fmt: skip
            self._open = []  # JSON data blocks (Dash's config) are not executed: no hash needed

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.inline.append("".join(self._open))
            self._open = None


def page_scripts(page: str) -> tuple[list[str], list[str]]:
    """(addresses of the page's script files, texts of its inline scripts)."""
    parser = _PageScripts()
    parser.feed(page)
    parser.close()
    return parser.sources, parser.inline


def script_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def warm(app: Dash) -> dict:
    """Serve the page, its shell routes and every script it names once; freeze the CSP."""
    client = app.server.test_client()
    page = client.get("/")
    if page.status_code != 200:
        raise WarmUpFailed(f"the page answered {page.status_code} at start")
    for route in SHELL_ROUTES:
        answer = client.get(route)
        if answer.status_code != 200:
            raise WarmUpFailed(f"{route} answered {answer.status_code} at start")
    sources, inline = page_scripts(page.get_data(as_text=True))
    local = [src for src in sources if src.startswith("/")]
    for src in local:
        answer = client.get(src)
        answer.close()
        if answer.status_code != 200:
            raise WarmUpFailed(f"{src} answered {answer.status_code} at start")
    hashes = sorted({script_hash(text) for text in inline})
    csp = hardening.content_security_policy(app, hashes)
    app.server.config[CSP_KEY] = csp
    checked = {"scripts": local, "inline": len(inline), "csp": csp}
    app.server.config[READY_KEY] = checked
    log.info("dashboard warmed up: %d scripts, %d inline scripts hashed in the CSP",
             len(local), len(inline))  # fmt: skip
    return checked
