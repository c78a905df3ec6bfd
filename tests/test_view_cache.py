"""The rendered-view cache: keyed on validated state + language, dropped when the warehouse is swapped."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.core import db
from dashboard.ui import cache

ARGS = ("employment_rate", "20-64", "fw_sw", "main", "split")


def trends(env, area: str = "1280", lang: str = "en", gap: str = "fw_sw"):
    return env.trends.render_trends([area], ARGS[0], ARGS[1], gap, *ARGS[3:], lang)


def points(output) -> dict:
    """(trace name, year) → y of the lines figure."""
    out = {}
    for t in output[0].data:
        if t.x is None or t.y is None:
            continue
        out.update({(t.name, x): y for x, y in zip(list(t.x), list(t.y), strict=True)})
    return out


@pytest.fixture
def fresh_cache():
    cache.configure()
    yield
    cache.configure()


def test_second_call_is_a_hit_and_returns_the_same_output(dash_env, fresh_cache):
    first = trends(dash_env)
    before = cache.stats()
    second = trends(dash_env)
    after = cache.stats()
    assert after["hits"] == before["hits"] + 1
    assert after["misses"] == before["misses"]
    assert second is first


def test_key_includes_the_language(dash_env, fresh_cache):
    en = trends(dash_env, lang="en")
    sv = trends(dash_env, lang="sv")
    assert cache.stats()["misses"] == 2
    assert en[1] != sv[1]  # the summaries are written in the chosen language


def test_key_is_the_validated_state_not_the_raw_controls(dash_env, fresh_cache):
    # an unknown gap is validated to the default gap: the same view, so the same entry
    valid = trends(dash_env, gap="fw_sw")
    invalid = trends(dash_env, gap="no-such-gap")
    assert cache.stats()["hits"] == 1
    assert invalid is valid
    other = trends(dash_env, gap="fm_sm")
    assert other is not valid
    assert cache.stats()["misses"] == 2


def test_bound_evicts_the_least_recently_used(dash_env, fresh_cache):
    cache.configure(size=2)
    for area in ("1280", "0180", "1480"):
        trends(dash_env, area=area)
    assert cache.stats()["entries"] == 2
    trends(dash_env, area="0180")  # still held
    assert cache.stats()["hits"] == 1
    trends(dash_env, area="1280")  # evicted first
    assert cache.stats()["hits"] == 1


def test_size_zero_turns_the_cache_off(dash_env, fresh_cache):
    cache.configure(size=0)
    first = trends(dash_env)
    second = trends(dash_env)
    assert cache.stats()["entries"] == 0
    assert second is not first


def test_swapped_warehouse_file_drops_the_cache(dash_env, fresh_cache, tmp_path):
    live = tmp_path / "labour.duckdb"
    shutil.copy(dash_env.path, live)
    db.configure(live)
    try:
        before = points(trends(dash_env))
        assert points(trends(dash_env)) == before and cache.stats()["hits"] == 1
        # a refresh builds a new file beside the live one and swaps it in with os.replace
        new = tmp_path / "labour.new.duckdb"
        shutil.copy(dash_env.path, new)
        con = duckdb.connect(str(new))
        con.execute(
            "UPDATE mart.observation SET value = value + 5 WHERE area_code = '1280' "
            "AND indicator = 'employment_rate' AND age = '20-64' AND value IS NOT NULL"
        )
        con.close()
        os.replace(new, live)
        after = points(trends(dash_env))
        stats = cache.stats()
        assert stats["cleared"] == 1 and stats["misses"] == 2
        changed = [k for k in before if before[k] is not None and after.get(k) is not None]
        assert changed, "the lines figure has points"
        assert all(abs(after[k] - before[k] - 5) < 0.051 for k in changed)
    finally:
        db.configure(dash_env.path)


def test_key_includes_the_permalink_base_and_the_small_numbers_threshold(
    dash_env, fresh_cache, monkeypatch
):
    first = trends(dash_env)
    monkeypatch.setenv("LABOURDASH_PUBLIC_URL", "https://labour.example.org")
    linked = trends(dash_env)
    monkeypatch.setenv("LABOURDASH_SMALL_POPULATION", "1000000")
    small = trends(dash_env)
    assert cache.stats()["misses"] == 3 and cache.stats()["hits"] == 0
    assert linked is not first and small is not linked
    assert (
        "labour.example.org" in linked[0].to_json()
        and "labour.example.org" not in first[0].to_json()
    )


SESSION = (
    Path(__file__).resolve().parent.parent / "benchmarks" / "sessions" / "browser_session.json"
)


def session_requests() -> list[dict]:
    doc = json.loads(SESSION.read_text("utf-8"))
    return [r for reqs in doc["actions"].values() for r in reqs]


def test_repeated_render_request_is_answered_from_the_first_answer(dash_env, fresh_cache):
    client = dash_env.app.server.test_client()
    client.get("/")
    renders = [r for r in session_requests() if r["body"]["output"].startswith("..trends-graph")]
    shell = [r for r in session_requests() if r["body"]["output"].startswith("..nav-map")]
    assert renders and shell
    first = client.post(renders[0]["path"], json=renders[0]["body"])
    again = client.post(renders[0]["path"], json=renders[0]["body"])
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert cache.response_stats()["hits"] == 1
    assert again.headers["X-Content-Type-Options"] == "nosniff"  # security headers still added
    # the shell's callbacks (no render) are never kept
    for _ in range(2):
        assert client.post(shell[0]["path"], json=shell[0]["body"]).status_code == 200
    assert cache.response_stats()["hits"] == 1
    # URL sync and the page router depend on the body alone: kept; the shell's banner is not
    sync = next(r for r in session_requests() if r["body"]["output"].startswith("..trends-url"))
    banner = next(r for r in session_requests() if r["body"]["output"].startswith("..header-title"))
    for req in (sync, sync, banner, banner):
        assert client.post(req["path"], json=req["body"]).status_code == 200
    assert cache.response_stats()["hits"] == 2
    # a bad body is refused, not answered from the cache
    bad = dict(renders[0]["body"], inputs="nonsense")
    assert client.post(renders[0]["path"], json=bad).status_code == 400


def test_response_cache_is_dropped_with_a_swapped_file(dash_env, fresh_cache, tmp_path):
    client = dash_env.app.server.test_client()
    client.get("/")
    req = next(r for r in session_requests() if r["body"]["output"].startswith("..trends-graph"))
    live = tmp_path / "labour.duckdb"
    shutil.copy(dash_env.path, live)
    db.configure(live)
    try:
        before = client.post(req["path"], json=req["body"]).data
        new = tmp_path / "labour.new.duckdb"
        shutil.copy(dash_env.path, new)
        con = duckdb.connect(str(new))
        con.execute("UPDATE mart.observation SET value = value + 5 WHERE area_code = '0180'")
        con.close()
        os.replace(new, live)
        after = client.post(req["path"], json=req["body"]).data
        assert cache.response_stats()["hits"] == 0
        assert after != before
    finally:
        db.configure(dash_env.path)
