"""The page's head preloads what the first chart needs: Dash's layout and callbacks, dcc's lazy
parts, and on the map the very shapes the figure will name."""

from __future__ import annotations

import re

import pytest

from dashboard import preload
from dashboard.core import geo

PRELOAD = re.compile(
    r'<link rel="preload" href="([^"]+)" as="(fetch|script)"( crossorigin="anonymous")?>'
)


@pytest.fixture(scope="module")
def client(dash_env):
    return dash_env.app.server.test_client()


def _hints(client, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    return {href.replace("&amp;", "&"): kind for href, kind, _ in PRELOAD.findall(head)}


@pytest.mark.parametrize(
    ("query", "level"),
    [("", "municipality"), ("?level=county", "county"), ("?level=regso&muni=0180", "regso")],
)
def test_the_map_preloads_its_shapes_and_dash_s_first_requests(client, query, level):
    hints = _hints(client, "/" + query)
    for name in preload.DASH_GETS:
        assert hints[f"/{name}"] == "fetch"
    for chunk in preload.DCC_CHUNKS:
        url = f"/_dash-component-suites/dash/dcc/{chunk}"
        assert hints[url] == "script"
        assert client.get(url).status_code == 200  # a real file: the hint is not a dead link
    shapes = [u for u in hints if u.startswith(f"/geo/{level}.json")]
    assert len(shapes) == 1, hints
    assert shapes[0] == geo.url(level, "0180" if level == "regso" else None)  # the figure's URL
    resp = client.get(shapes[0])
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    assert client.get(f"/assets/{preload.WORLD}").status_code == 200


def test_other_pages_preload_no_shapes(client):
    hints = _hints(client, "/trends")
    assert "/_dash-layout" in hints
    assert not [u for u in hints if u.startswith("/geo/") or "topojson" in u]


def test_a_bad_map_address_still_gets_a_page_and_the_default_shapes(client):
    resp = client.get("/?level=nonsense&year=abc")
    assert resp.status_code == 200
    hints = _hints(client, "/?level=nonsense&year=abc")
    assert [u for u in hints if u.startswith("/geo/municipality.json")]
