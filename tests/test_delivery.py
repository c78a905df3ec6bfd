"""How the pages reach the browser: brotli/gzip, Cache-Control by kind of answer, the grid on demand."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

from dashboard import compression, lazygrid

SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
            "Cross-Origin-Opener-Policy")  # fmt: skip
YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def client(dash_env):
    """A test client of the demo app (module-scoped: the app is the session's one)."""
    return dash_env.app.server.test_client()


def _decoded(resp) -> bytes:
    encoding = resp.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(resp.data)
    if encoding == "gzip":
        return gzip.decompress(resp.data)
    assert encoding is None, encoding
    return resp.data


def _same_page(a: bytes, b: bytes) -> bool:
    """Equal bodies, but for the per-request id Dash writes into each page ("end_id")."""
    end_id = re.compile(rb'"end_id":"[^"]*"')
    return end_id.sub(b"", a) == end_id.sub(b"", b)


def _router_body(client) -> dict:
    """The request the browser sends to render /trends (the page router's callback)."""
    deps = json.loads(
        _decoded(client.get("/_dash-dependencies", headers={"Accept-Encoding": "br"}))
    )
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    values = {"pathname": "/trends", "search": ""}
    return {
        "output": dep["output"],
        "outputs": [dict(zip(("id", "property"), o.split("."), strict=True))
                    for o in dep["output"].strip(".").split("...")],
        "inputs": [{**i, "value": values.get(i["property"])} for i in dep["inputs"]],
        "state": [{**st, "value": None} for st in dep["state"]],
        "changedPropIds": ["_pages_location.pathname"],
    }  # fmt: skip


@pytest.mark.parametrize("path", ["/", "/trends", "/_dash-layout", "/_dash-dependencies"])
def test_text_answers_are_brotli_or_gzip_only_when_asked_and_keep_the_security_headers(
    client, path
):
    plain = client.get(path)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers  # a client that does not ask gets plain bytes
    assert "Accept-Encoding" in plain.headers["Vary"]
    for asked, expected in (("br, gzip", "br"), ("gzip, deflate", "gzip"), ("gzip;q=1, br;q=0.5", "gzip")):  # fmt: skip
        resp = client.get(path, headers={"Accept-Encoding": asked})
        assert resp.headers["Content-Encoding"] == expected, asked
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert len(resp.data) < len(plain.data)
        assert _same_page(_decoded(resp), plain.data)
        for header in SECURITY:
            assert resp.headers[header] == plain.headers[header], header


def test_a_repeated_callback_is_compressed_once_and_stays_fresh(client):
    """The rendered-view cache answers the second request: it must keep the plain bytes."""
    body = _router_body(client)
    answers = []
    for _ in range(3):
        resp = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "br"})
        assert resp.status_code == 200
        assert resp.headers["Content-Encoding"] == "br"
        assert resp.headers["Cache-Control"] == "no-store"
        answers.append(json.loads(_decoded(resp)))
    assert answers[0] == answers[1] == answers[2]
    assert "_pages_content" in answers[0]["response"]


def _script_urls(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_fingerprinted_files_are_cached_for_a_year_and_the_page_revalidates(client):
    page = client.get("/", headers={"Accept-Encoding": "br"})
    assert page.headers["Cache-Control"] == "no-cache"  # the page itself (it differs per request)
    for path in ("/_dash-layout", "/_dash-dependencies"):
        first = client.get(path, headers={"Accept-Encoding": "br"})
        assert first.headers["Cache-Control"] == "no-cache"
        tag = first.headers["ETag"]
        again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": tag})
        assert again.status_code == 304 and not again.data  # a second visit: not re-sent
    scripts = _script_urls(_decoded(page).decode())
    assert any("/assets/" in s for s in scripts) and any(
        "_dash-component-suites" in s for s in scripts
    )
    for url in scripts:
        resp = client.get(url, headers={"Accept-Encoding": "br"})
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == YEAR, url
        plain = client.get(url).data  # a tiny file is not worth the header: sent as it is
        expected = "br" if len(plain) >= compression.MIN_SIZE else None
        assert resp.headers.get("Content-Encoding") == expected, url
    assert client.get("/assets/style.css").headers["Cache-Control"] == "no-cache"  # no fingerprint


def test_shapes_are_compressed_and_cached_by_their_version(client, dash_env):
    from dashboard.core import geo

    with dash_env.app.server.test_request_context("/"):
        url = geo.url("municipality")
    resp = client.get(url, headers={"Accept-Encoding": "br"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "br"
    assert resp.headers["Cache-Control"] == YEAR
    shapes = json.loads(_decoded(resp))
    assert len(shapes["features"]) == 290  # every municipality
    assert len(resp.data) < len(_decoded(resp)) / 3


def test_the_grid_script_is_not_on_the_page_but_served_where_the_page_says(client):
    html = _decoded(client.get("/", headers={"Accept-Encoding": "br"})).decode()
    assert not any("dash_ag_grid.min.js" in s or "dash_ag_grid.v" in s for s in _script_urls(html))
    src = re.search(rf'<meta name="{lazygrid.META_NAME}" content="([^"]+)"', html)
    assert src, "the page does not name the grid's script"
    resp = client.get(src.group(1), headers={"Accept-Encoding": "br"})
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == YEAR
    assert b"AgGrid" in _decoded(resp)
    assert "grid-on-demand.js" in html  # the stand-in that loads it
