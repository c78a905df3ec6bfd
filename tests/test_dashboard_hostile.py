"""Hostile input to the dashboard: every callback and the URL parser, driven by hypothesis. No 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import urlstate
from dashboard.core import viewspec
from dashboard.views import REGISTRY  # noqa: F401  (registers every view)

PAGES = ("/", "/trends", "/peers", "/explore", "/data", "/nowhere")
OK = (200, 204, 400)

# values a crafted request might carry: plain junk, near-misses of real codes, deep structures
codes = st.sampled_from(
    ["1280", "0180", "xx", "en", "sv", "employment_rate", "fw_sw", "20-64", "2022", "", "..", "'"]
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**18), 10**18), st.floats(allow_nan=True),
    st.text(max_size=30), codes,
)  # fmt: skip
hostile = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.sampled_from(["points", "location", "customdata", "x", "a"]), inner, max_size=4
        ),
    ),
    max_leaves=12,
)
searches = st.one_of(
    hostile,
    st.builds(lambda kv: "?" + "&".join(f"{k}={v}" for k, v in kv),
              st.lists(st.tuples(st.sampled_from(["ind", "age", "year", "area", "areas", "gap", "lang",
                                                  "level", "peers", "custom", "view", "x", "birth"]),
                                 st.one_of(codes, st.text(max_size=12))), max_size=6)),
)  # fmt: skip


@pytest.fixture(scope="module")
def client(dash_env):
    c = dash_env.app.server.test_client()
    assert c.get("/").status_code == 200  # the first request joins the page callbacks to the map
    return c


@pytest.fixture(scope="module")
def callbacks(dash_env, client) -> list[tuple[str, dict]]:
    cbs = [(k, cb) for k, cb in dash_env.app.callback_map.items() if "callback" in cb]
    assert len(cbs) > 20 and all(
        getattr(cb["callback"], "_labourdash_guarded", False) for _, cb in cbs
    )
    return cbs


def body(output: str, cb: dict, values: list, trigger: int) -> dict:
    deps = [*cb["inputs"], *cb["state"]]
    items = [
        {"id": d["id"], "property": d["property"], "value": v}
        for d, v in zip(deps, values, strict=True)
    ]
    n = len(cb["inputs"])
    changed = (
        [f"{items[trigger % max(n, 1)]['id']}.{items[trigger % max(n, 1)]['property']}"]
        if n
        else []
    )
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in output.strip(".").split("...")
    ]
    return {"output": output, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": items[:n], "state": items[n:], "changedPropIds": changed}  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_callback_survives_hostile_values(client, callbacks, data) -> None:
    output, cb = data.draw(st.sampled_from(callbacks), label="callback")
    deps = [*cb["inputs"], *cb["state"]]
    values = [
        data.draw(
            searches if d["property"] == "search" else hostile, label=f"{d['id']}.{d['property']}"
        )
        for d in deps
    ]
    trigger = data.draw(st.integers(0, 20), label="trigger")
    response = client.post("/_dash-update-component", json=body(output, cb, values, trigger))
    assert response.status_code in OK, (output, values, response.data[:300])
    if response.status_code == 200:
        json.loads(response.data)


def test_every_callback_with_a_foreign_language_and_junk_types(client, callbacks) -> None:
    crafted = {"data": "xx", "search": {"a": 1}, "clickData": "points", "value": {"$gt": ""},
               "n_clicks": "1", "selectedData": [1, 2], "search_value": 5}  # fmt: skip
    for output, cb in callbacks:
        deps = [*cb["inputs"], *cb["state"]]
        values = [crafted.get(d["property"], ["x"]) for d in deps]
        response = client.post("/_dash-update-component", json=body(output, cb, values, 0))
        assert response.status_code in OK, (output, response.data[:300])


def test_a_failing_view_answers_with_a_message_and_the_default_view() -> None:
    from dash.exceptions import PreventUpdate

    from dashboard.core import text
    from dashboard.ui import hardening

    calls = []

    def view(search, value, lang, **kwargs):  # stands for Dash's wrapped page callback
        calls.append((search, value, lang))
        if search or value is not None:
            raise KeyError("name_xx")  # a crafted value the page did not expect
        return json.dumps({"multi": True, "response": {"x-graph": {"figure": "default"}}})

    cb = {"inputs": [{"id": "x-url", "property": "search"}, {"id": "x-ind", "property": "value"}],
          "state": [{"id": "x-lang", "property": "data"}]}  # fmt: skip
    guarded = hardening.guard(view, cb, "..x-graph.figure...x-message.children..")
    doc = json.loads(guarded("?ind=zz", "zz", "xx"))
    assert calls == [("?ind=zz", "zz", "sv"), ("", None, "sv")]  # cleaned, then the default view
    assert doc["response"]["x-graph"]["figure"] == "default"
    assert doc["response"]["x-message"]["children"] == [text.t("msg.invalid", "sv")]
    broken = hardening.guard(lambda *a, **k: 1 / 0, cb, "..x-graph.figure..")
    with pytest.raises(PreventUpdate):  # 204, not 500, when even the default view fails
        broken("", None, "en")


@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"[]", b"{}", b'{"output": 5}', b'{"output": "nope.children"}', b"{not json",
     b'{"output": "..map-url.search...", "inputs": "x"}', b'{"output": "x", "inputs": [1, 2]}'],
)  # fmt: skip
def test_malformed_update_bodies_are_400_not_500(client, raw: bytes) -> None:
    response = client.post("/_dash-update-component", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "error" in json.loads(response.data)


def test_wrong_number_of_inputs_is_400(client, callbacks) -> None:
    output, cb = callbacks[0]
    doc = body(output, cb, [None] * (len(cb["inputs"]) + len(cb["state"])), 0)
    doc["inputs"] = doc["inputs"] + [{"id": "x", "property": "value", "value": 1}]
    assert client.post("/_dash-update-component", json=doc).status_code == 400


@pytest.mark.parametrize(
    "path", [*PAGES, "/_dash-layout", "/_dash-dependencies", "/geo/county.json"]
)
def test_security_headers_on_every_route(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'sha256-" in csp


def test_frame_ancestors_is_a_setting(dash_env, monkeypatch) -> None:
    from dashboard.ui import hardening

    monkeypatch.setenv("LABOURDASH_FRAME_ANCESTORS", "'self' https://kommun.example")
    csp = hardening.content_security_policy(dash_env.app)
    assert "frame-ancestors 'self' https://kommun.example" in csp


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(search=st.one_of(st.none(), st.text(max_size=200), searches.filter(lambda s: isinstance(s, str))),
       page=st.sampled_from([*viewspec.data_views(), "data"]))  # fmt: skip
def test_url_parser_never_raises(dash_env, search, page) -> None:
    from dashboard.core import db, queries

    db.configure(dash_env.path)
    cat = queries.catalogue()
    query = urlstate.parse_search(search)
    parse = urlstate.parse_data if page == "data" else viewspec.view(page).parse
    state, problems = parse(query, cat)
    assert isinstance(problems, list)
    urlstate.to_search(state.to_query())  # the state it settled on can be written back
