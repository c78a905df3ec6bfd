"""Behaviour snapshot of every dashboard view, for comparing the dashboard before and after a refactor.

Builds (or reuses) a demo warehouse, creates the app and, for a set of URLs per page, records the
page layout and the outputs of every callback the page's controls feed (sync, render, downloads,
choices), each called over the app's own HTTP endpoint with the values the layout holds. Only
`dashboard.app.create_app` and the HTTP surface are used, so the script runs unchanged on any
internal module layout. Downloads are decoded: CSV as text, xlsx as its sheets' XML (without the
workbook's creation time).

    python scripts/snapshot_views.py OUT.json [--warehouse PATH] [--recorded DIR]
    python scripts/snapshot_views.py --compare BEFORE.json AFTER.json

The LUA table's rows come in a varying order among rows with equal sort keys (two runs of the same
code differ there), so --compare compares those rows, and the CSV/xlsx rows built from them, as sets;
likewise the Peers funnel's points (its query has no ORDER BY). A callback is compared by its
outputs as a set (a page wired by ui/scaffold.py may list the same outputs in another order).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/",
    "/?lang=en",
    "/?level=county&colour=value",
    "/?colour=standardised",
    "/?colour=local&level=county&lang=en",
    "/?focus=01",
    "/?focus=LA2401&lang=en",
    "/?level=regso&muni=0180",
    "/?year=1800&ind=bogus&gap=zz",
    "/trends",
    "/trends?areas=0180&gap=fw_sw",
    "/trends?areas=0180,1480&gap=fw_fm&lang=en",
    "/trends?areas=0180&gap=fw_sw&birth=detail&sexes=total",
    "/trends?areas=zzz&gap=nope&birth=bad",
    "/peers",
    "/peers?area=0180&peers=similar&lang=en",
    "/peers?area=1480&peers=county&year0=2015",
    "/peers?peers=custom&custom=0114,0115,0117",
    "/peers?area=xx&year=abc",
    "/explore",
    "/explore?lang=en&area=0180",
    "/explore?area=1480&peers=la",
    "/explore?x=bogus&year=-1",
    "/explain",
    "/explain?area=01&lang=en",
    "/explain?area=0180&colour=local&peers=similar",
    "/explain?gap=zzz&area=qq",
    "/lua",
    "/lua?sex=women&lang=en",
    "/lua?ind=bogus&sex=x",
    "/data",
    "/data?view=trends&areas=0180",
    "/data?view=peers&area=0180&lang=en",
    "/data?view=explore",
    "/data?view=explain&area=0180",
    "/data?view=lua&lang=en",
    "/data?view=bogus",
    "/nope",
]


def _components(node: Any, found: dict[tuple[str, str], Any]) -> None:
    """Every (id, prop) -> value in a component tree (as plotly JSON)."""
    if isinstance(node, list | tuple):
        for item in node:
            _components(item, found)
        return
    if not isinstance(node, dict):
        return
    props = node.get("props")
    if isinstance(props, dict):
        cid = props.get("id")
        if isinstance(cid, str):
            for key, value in props.items():
                if key != "children":
                    found[(cid, key)] = value
            found.setdefault((cid, "__present__"), True)
        for value in props.values():
            _components(value, found)


def _jsonable(obj: Any) -> Any:
    import plotly.io as pio

    return json.loads(pio.json.to_json_plotly(obj))


def _decode_download(value: Any) -> Any:
    """A dcc.Download payload with xlsx bytes replaced by its sheets' XML."""
    if not isinstance(value, dict) or "content" not in value:
        return value
    out = dict(value)
    if value.get("base64"):
        raw = base64.b64decode(value["content"])
        if raw[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                out["content"] = {
                    n: zf.read(n).decode("utf-8", "replace")
                    for n in sorted(zf.namelist())
                    if n != "docProps/core.xml"
                }
        else:
            out["content"] = raw.decode("utf-8", "replace")
    return out


def _clean(response: Any) -> Any:
    """Decode downloads found anywhere in a callback response."""
    if isinstance(response, dict):
        if "content" in response and "filename" in response:
            return _decode_download(response)
        return {k: _clean(v) for k, v in response.items()}
    if isinstance(response, list):
        return [_clean(v) for v in response]
    return response


def _split_output(key: str) -> list[dict[str, str]]:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outs = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        outs.append({"id": cid, "property": prop})
    return outs


def snapshot(app: Any, urls: list[str]) -> dict[str, Any]:
    """Layouts and callback outputs for each URL."""
    import dash

    client = app.server.test_client()
    client.get("/")  # the first request merges the pages' callbacks into app.callback_map
    shell: dict[tuple[str, str], Any] = {}
    layout = app.layout() if callable(app.layout) else app.layout
    _components(_jsonable(layout), shell)
    pages = {p["path"]: p for p in dash.page_registry.values()}
    result: dict[str, Any] = {}
    for url in urls:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        page = (
            pages.get(parts.path)
            or next(
                p for p in dash.page_registry.values() if p["path"] in ("/404", "/not-found-404")
            )
            if parts.path not in pages
            else pages[parts.path]
        )
        tree = page["layout"](**query) if callable(page["layout"]) else page["layout"]
        tree_json = _jsonable(tree)
        found = dict(shell)
        _components(tree_json, found)
        entry: dict[str, Any] = {"layout": tree_json, "callbacks": {}, "clientside": []}
        present = {cid for cid, prop in found if prop == "__present__"}
        for key in sorted(app.callback_map):
            spec = app.callback_map[key]
            if "{" in key:
                continue
            inputs, states = spec["inputs"], spec.get("state", [])
            page_ids = [i["id"] for i in inputs + states]
            if not page_ids or not all(i in present for i in page_ids):
                continue
            if all(i in shell for i in ((x, "__present__") for x in page_ids)):
                continue  # shell-only callbacks: the same on every page
            if "callback" not in spec:  # clientside: its inputs and outputs are its behaviour here
                entry["clientside"].append(key)
                continue

            def value(item: dict[str, str], parts: Any = parts, found: dict = found) -> Any:
                cid, prop = item["id"], item["property"]
                if prop == "search":
                    return "?" + parts.query if parts.query else ""
                if prop == "pathname":
                    return parts.path
                if prop == "n_clicks":
                    return 1
                return found.get((cid, prop))

            outputs = _split_output(key)
            body = {
                "output": key,
                "outputs": outputs if key.startswith("..") else outputs[0],
                "inputs": [{**i, "value": value(i)} for i in inputs],
                "state": [{**s, "value": value(s)} for s in states],
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
            }
            resp = client.post("/_dash-update-component", json=body)
            got: Any = resp.get_data(as_text=True)
            with contextlib.suppress(ValueError):
                got = json.loads(got)
            entry["callbacks"][key] = {"status": resp.status_code, "response": _clean(got)}
        result[url] = entry
    result["__shell__"] = _shell(app, client, shell, _jsonable(layout))
    return result


def _shell(app: Any, client: Any, shell: dict, layout: Any) -> dict[str, Any]:
    """The shell's layout and its own callbacks, in each language."""
    out: dict[str, Any] = {"layout": layout, "callbacks": {}}
    present = {cid for cid, prop in shell if prop == "__present__"}
    for lang in ("sv", "en"):
        for key in sorted(app.callback_map):
            spec = app.callback_map[key]
            ins = spec["inputs"] + spec.get("state", [])
            if "callback" not in spec or not all(i["id"] in present for i in ins):
                continue
            vals = [
                lang
                if i["property"] in ("value", "data") and "lang" in i["id"]
                else shell.get((i["id"], i["property"]))
                for i in ins
            ]
            n = len(spec["inputs"])
            outputs = _split_output(key)
            body = {
                "output": key,
                "outputs": outputs if key.startswith("..") else outputs[0],
                "inputs": [
                    {**i, "value": v} for i, v in zip(spec["inputs"], vals[:n], strict=True)
                ],
                "state": [
                    {**i, "value": v} for i, v in zip(spec.get("state", []), vals[n:], strict=True)
                ],
                "changedPropIds": [f"{ins[0]['id']}.{ins[0]['property']}"] if ins else [],
            }
            resp = client.post("/_dash-update-component", json=body)
            out["callbacks"][f"{lang} {key}"] = {
                "status": resp.status_code,
                "response": resp.get_data(as_text=True),
            }
    return out


def _lua_rows_as_sets(snap: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with the LUA view's table rows and download rows sorted."""
    for url, entry in snap.items():
        if not (url.startswith("/lua") or "view=lua" in url):
            continue
        for called in entry.get("callbacks", {}).values():
            response = called.get("response")
            for props in (
                response.get("response", {}) if isinstance(response, dict) else {}
            ).values():
                if "rowData" in props:
                    props["rowData"] = sorted(
                        json.dumps(r, sort_keys=True) for r in props["rowData"]
                    )
                data = props.get("data")
                if isinstance(data, dict) and isinstance(data.get("content"), str):
                    data["content"] = sorted(data["content"].split("\r\n"))
                elif isinstance(data, dict) and isinstance(data.get("content"), dict):
                    data["content"] = {
                        name: sorted(
                            re.findall(r"<row>.*?</row>", re.sub(r' r="[A-Z]*\d+"', "", xml))
                        )
                        + [re.sub(r"<row>.*?</row>", "", re.sub(r' r="[A-Z]*\d+"', "", xml))]
                        for name, xml in data["content"].items()
                    }
    return snap


def _outputs_as_sets(snap: dict[str, Any]) -> dict[str, Any]:
    """Each callback keyed by its outputs as a set: the same outputs in another order are the same
    callback (its response names every value by component id and property)."""
    for entry in snap.values():
        calls = entry.get("callbacks", {})
        entry["callbacks"] = {
            "...".join(sorted(k.strip(".").split("..."))): v for k, v in calls.items()
        }
    return snap


def _funnel_points_as_sets(snap: dict[str, Any]) -> dict[str, Any]:
    """The Peers funnel's markers sorted: its query has no ORDER BY, so DuckDB returns the peers
    in a varying order (the points drawn are the same)."""
    for entry in snap.values():
        for called in entry.get("callbacks", {}).values():
            response = called.get("response")
            figure = (
                response.get("response", {}).get("peers-funnel-graph", {}).get("figure")
                if isinstance(response, dict)
                else None
            )
            for trace in (figure or {}).get("data", []):
                if trace.get("mode") == "markers" and isinstance(trace.get("text"), list):
                    points = sorted(zip(trace["text"], trace["x"], trace["y"], strict=True))
                    trace["text"], trace["x"], trace["y"] = (
                        [p[i] for p in points] for i in range(3)
                    )
    return snap


def compare(before: Path, after: Path) -> int:
    """Print what differs between two snapshots; 0 when nothing does."""
    a, b = (
        _funnel_points_as_sets(
            _outputs_as_sets(_lua_rows_as_sets(json.loads(path.read_text(encoding="utf-8"))))
        )
        for path in (before, after)
    )
    differ = [u for u in sorted(set(a) | set(b)) if a.get(u) != b.get(u)]
    for url in differ:
        calls_a, calls_b = a.get(url, {}).get("callbacks", {}), b.get(url, {}).get("callbacks", {})
        keys = [k for k in sorted(set(calls_a) | set(calls_b)) if calls_a.get(k) != calls_b.get(k)]
        layout = a.get(url, {}).get("layout") != b.get(url, {}).get("layout")
        print(f"{url}: layout {'differs' if layout else 'same'}; callbacks differing: {keys}")
    print(f"{len(a)} URLs compared, {len(differ)} differ")
    return 1 if differ else 0


def main() -> None:
    """Build or reuse the demo warehouse and write the snapshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument(
        "--warehouse", type=Path, default=Path("/tmp/labourdash-snap/labour.duckdb")
    )
    parser.add_argument("--recorded", type=Path, default=ROOT.parent / "shared" / "recorded")
    args = parser.parse_args()
    if args.compare:
        raise SystemExit(compare(*args.compare))
    if not args.warehouse.exists():
        from etl.demo.demo import build_demo

        args.warehouse.parent.mkdir(parents=True, exist_ok=True)
        build_demo(args.warehouse, args.recorded)
    from dashboard.app import create_app

    app = create_app(args.warehouse)
    snap = snapshot(app, URLS)
    args.out.write_text(json.dumps(snap, sort_keys=True, indent=1, default=str), encoding="utf-8")
    calls = sum(len(e["callbacks"]) for e in snap.values())
    print(f"{len(snap)} URLs, {calls} callback calls -> {args.out}")


if __name__ == "__main__":
    main()
