"""The dashboard's outer guard: every callback's inputs cleaned, failures answered with a message and
the default view (never HTTP 500), malformed update bodies refused, security headers on every route.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable
from typing import Any

import flask
from dash import Dash
from dash.exceptions import PreventUpdate

from dashboard.core import db
from dashboard.core.text import t
from dashboard.ui import ids

log = logging.getLogger(__name__)

LANGS = ("sv", "en")
MAX_TEXT = 2000  # longest string accepted from a control or the address bar
MAX_ITEMS = 50  # longest list accepted from a multi-select or a selection
MAX_BODY = 256 * 1024  # largest callback request body accepted
POINT_KEYS = ("location", "customdata", "x", "y", "z", "text", "hovertext")
POINT_INTS = ("curveNumber", "pointNumber", "pointIndex")
DISPATCH = "/_dash-update-component"
DEFAULT_FRAME_ANCESTORS = "'self'"


# --- cleaning values by the property they arrive in ---------------------------------------------


def _scalar(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int | float):
        return math.isfinite(value) and abs(value) < 1e15
    return isinstance(value, str) and len(value) <= MAX_TEXT


def clean_lang(value: Any) -> str:
    """A language code the dashboard knows ('sv' for anything else)."""
    return value if isinstance(value, str) and value in LANGS else "sv"


def clean_text(value: Any, default: str | None = "") -> str | None:
    """A string of reasonable length, or the default."""
    return value if isinstance(value, str) and len(value) <= MAX_TEXT else default


def clean_points(value: Any) -> dict | None:
    """Plotly click/selection data reduced to points with plain codes and numbers (None if broken)."""
    if not isinstance(value, dict) or not isinstance(value.get("points"), list):
        return None
    points = []
    for p in value["points"][:MAX_ITEMS]:
        if not isinstance(p, dict):
            continue
        kept = {
            k: p[k] for k in POINT_KEYS if k in p and _scalar(p[k]) and not isinstance(p[k], bool)
        }
        kept.update({k: p[k] for k in POINT_INTS if type(p.get(k)) is int})
        for key in ("location", "customdata"):
            if key in kept and not isinstance(kept[key], str):
                kept.pop(key)
        points.append(kept)
    return {"points": points}


def clean_control(value: Any) -> Any:
    """A control value: a plain scalar or a short list of them (None otherwise)."""
    if isinstance(value, list):
        items = [v for v in value[:MAX_ITEMS] if _scalar(v) and v is not None]
        return items if len(items) == len(value) else None
    return value if _scalar(value) else None


def clean_count(value: Any) -> int | None:
    """A click or interval counter."""
    return value if type(value) is int and 0 <= value < 10**12 else None


def clean_shared(value: Any) -> dict:
    """The shell's shared-selection store: a dict of plain values."""
    if not isinstance(value, dict):
        return {}
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        return {}
    return value if len(text) <= 20 * MAX_TEXT else {}


def clean(component_id: Any, prop: str, value: Any) -> Any:
    """The value of `component_id.prop` made safe for the page callbacks."""
    cid = component_id if isinstance(component_id, str) else ""
    if (cid.endswith(f"-{ids.S_LANG}") and prop == "data") or (cid == ids.LANG and prop == "value"):
        return clean_lang(value)
    if prop in ("search", "pathname", "hash"):
        return clean_text(value, "")
    if prop == "search_value":
        return clean_text(value, None)
    if prop in ("clickData", "selectedData", "hoverData"):
        return clean_points(value)
    if prop in ("n_clicks", "n_intervals"):
        return clean_count(value)
    if prop == "disabled":
        return value if isinstance(value, bool) else True
    if cid == ids.SHARED and prop == "data":
        return clean_shared(value)
    if prop == "value":
        return clean_control(value)
    return value if _scalar(value) or isinstance(value, list | dict) else None


def default(component_id: Any, prop: str, value: Any) -> Any:
    """The value that gives a page's default view (language and triggers are kept)."""
    cid = component_id if isinstance(component_id, str) else ""
    if cid.endswith(f"-{ids.S_LANG}") or cid == ids.LANG:
        return clean_lang(value)
    if prop in ("search", "pathname", "hash"):
        return ""
    if prop in ("n_clicks", "n_intervals", "disabled"):
        return clean(cid, prop, value)
    if cid == ids.SHARED:
        return {}
    return None


# --- wrapping every callback ---------------------------------------------------------------------


def _deps(cb: dict) -> list[tuple[Any, str]]:
    return [
        (d.get("id"), d.get("property", "")) for d in [*cb.get("inputs", []), *cb.get("state", [])]
    ]


def _message_targets(output_key: str) -> list[str]:
    # "..map-message.children..": the page's message box among this callback's outputs
    return [
        part.rsplit(".", 1)[0]
        for part in output_key.strip(".").split("...")
        if part.endswith(f"-{ids.S_MESSAGE}.children")
    ]


def _lang_of(deps: list[tuple[Any, str]], args: tuple) -> str:
    for (cid, _prop), value in zip(deps, args, strict=False):
        if isinstance(cid, str) and (cid.endswith(f"-{ids.S_LANG}") or cid == ids.LANG):
            return clean_lang(value)
    return "sv"


def _with_message(body: Any, targets: list[str], text: str) -> Any:
    if not targets or not isinstance(body, str):
        return body
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    response = doc.get("response")
    if not isinstance(response, dict):
        return body
    for target in targets:
        response.setdefault(target, {})["children"] = [text]
    return json.dumps(doc)


def guard(func: Callable[..., Any], cb: dict, output_key: str) -> Callable[..., Any]:
    """`func` (Dash's wrapped callback) with cleaned inputs and a default-view fallback."""
    deps = _deps(cb)
    targets = _message_targets(output_key)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) != len(deps):
            raise BadUpdate(f"{output_key}: expected {len(deps)} input values, got {len(args)}")
        cleaned = tuple(clean(cid, prop, v) for (cid, prop), v in zip(deps, args, strict=True))
        try:
            return func(*cleaned, **kwargs)
        except PreventUpdate:
            raise
        except Exception as exc:  # noqa: BLE001 - answered with the default view, never a 500
            log.warning("callback %s failed on its inputs (%s: %s); default view served",
                        output_key, type(exc).__name__, exc)  # fmt: skip
        defaults = tuple(default(cid, prop, v) for (cid, prop), v in zip(deps, args, strict=True))
        try:
            body = func(*defaults, **kwargs)
        except PreventUpdate:
            raise
        except Exception as exc:  # noqa: BLE001
            log.error("callback %s failed on its default view too: %s", output_key, exc)
            if targets and db.unreadable(exc):  # say so, instead of a blank 204
                text = t("no_read", _lang_of(deps, args), path=str(db.db_path()))
                return json.dumps(
                    {"multi": True, "response": dict.fromkeys(targets, {"children": [text]})}
                )
            raise PreventUpdate from exc
        return _with_message(body, targets, t("msg.invalid", _lang_of(deps, args)))

    guarded.__wrapped__ = func  # type: ignore[attr-defined]
    guarded._labourdash_guarded = True  # type: ignore[attr-defined]
    return guarded


def guard_callbacks(app: Dash) -> int:
    """Wrap every server-side callback not wrapped yet; returns how many were wrapped."""
    n = 0
    for key, cb in app.callback_map.items():
        func = cb.get("callback")
        if func is None or getattr(func, "_labourdash_guarded", False):
            continue
        cb["callback"] = guard(func, cb, key)
        n += 1
    return n


class BadUpdate(ValueError):
    """A callback request whose body does not fit the callback it names."""


def check_body(body: Any, app: Dash) -> str | None:
    """Why a callback request body is unusable (None when it is well formed)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return "unknown or missing 'output'"
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list) or not all(
            isinstance(i, dict)
            and isinstance(i.get("id"), str | dict)
            and isinstance(i.get("property"), str)
            for i in items
        ):
            return f"'{key}' must be a list of {{id, property, value}} objects"
    cb = app.callback_map[output]
    if len(body.get("inputs", [])) != len(cb.get("inputs", [])) or len(
        body.get("state", [])
    ) != len(cb.get("state", [])):
        return "the inputs do not match the callback"
    outputs = body.get("outputs")
    if outputs is not None and not isinstance(outputs, list | dict):
        return "'outputs' must be a list or an object"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    return None


# --- security headers ----------------------------------------------------------------------------


def frame_ancestors() -> str:
    """Who may embed the dashboard in a frame (LABOURDASH_FRAME_ANCESTORS, e.g. "'self' https://x.se")."""
    value = " ".join(os.environ.get("LABOURDASH_FRAME_ANCESTORS", DEFAULT_FRAME_ANCESTORS).split())
    return value or "'none'"


def content_security_policy(app: Dash, hashes: list[str] | None = None) -> str:
    """A CSP that Dash works with: own scripts plus hashes of the inline ones (`hashes`, else
    Dash's list), no eval."""
    scripts = " ".join(["'self'", *(app.csp_hashes() if hashes is None else hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # plotly and React set inline styles
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors()}",
        ]
    )


def install(app: Dash) -> None:
    """Guard the callbacks, refuse malformed update bodies, add security headers to every response."""
    server = app.server
    state: dict[str, str] = {}

    @server.before_request
    def _guard_request() -> flask.Response | None:
        guard_callbacks(app)  # page callbacks join the map on the first request
        if flask.request.path.endswith(DISPATCH) and flask.request.method == "POST":
            if (flask.request.content_length or 0) > MAX_BODY:
                return _bad("the request body is too large", 413)
            body = flask.request.get_json(silent=True)
            problem = check_body(body, app)
            if problem:
                return _bad(problem)
        return None

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if "csp" not in state and app._got_first_request.get("setup_server"):  # noqa: SLF001
            state["csp"] = content_security_policy(app)
        # frozen at start from the page's inline scripts (dashboard/serving/warmup.py) when served
        csp = server.config.get("FROZEN_CSP") or state.get("csp") or content_security_policy(app)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Content-Security-Policy"] = csp
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    @server.errorhandler(BadUpdate)
    def _bad_update(exc: BadUpdate) -> flask.Response:
        return _bad(str(exc))

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception) -> flask.Response:
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc  # type: ignore[return-value]
        log.error("request %s failed: %s: %s", flask.request.path, type(exc).__name__, exc)
        if flask.request.path.endswith(DISPATCH):
            return _bad("this update could not be processed")
        return _bad("this request could not be processed")


def _bad(message: str, status: int = 400) -> flask.Response:
    return flask.Response(
        json.dumps({"error": message}), status=status, mimetype="application/json"
    )
