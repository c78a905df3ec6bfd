"""dcc.Graph draws with the partial Plotly bundle, fetched at once but run only when a chart needs it.

The bundle (`assets/plotly/plotly-labourdash.min.js`, built by scripts/build-plotly-bundle.sh with the
trace types of scripts/plotly-bundle/traces.txt) is kept out of the page's scripts (Dash skips the
`plotly` assets folder), so parsing it never delays the page's first requests. The page preloads it
(`<link rel="preload">`), names it in `<meta name="labourdash-plotly-src">`, and the asset
`plotly-on-demand.js` hands that URL to dcc.Graph, which loads Plotly when the first chart mounts,
in place of the full bundle Dash would serve. The URL carries the bundle's sha256, so it is cached
for a year.
"""

from __future__ import annotations

import json
from pathlib import Path

from dash import Dash

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "plotly_bundle.json"
FOLDER = "plotly"  # under assets/, left out of the page's scripts
META_NAME = "labourdash-plotly-src"


def bundle_url(app: Dash) -> str:
    """The bundle's URL, fingerprinted by its content (`?m=` + the first 16 hex of its sha256)."""
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    path = manifest["file"].removeprefix("assets/")
    return f"{app.get_asset_url(path)}?m={manifest['sha256'][:16]}"


def install(app: Dash) -> None:
    """Keep the bundle out of the page's scripts, preload it and point dcc.Graph at it."""
    app.config.assets_path_ignore = [*(app.config.assets_path_ignore or []), FOLDER]
    url = bundle_url(app)
    app.config.meta_tags.append({"name": META_NAME, "content": url})
    preload = f'<link rel="preload" as="script" href="{url}">'
    app.index_string = app.index_string.replace("{%css%}", preload + "\n        {%css%}", 1)
