#!/usr/bin/env bash
# Build dashboard/assets/plotly-labourdash.min.js: plotly.js (pinned in scripts/plotly-bundle/package.json
# and package-lock.json) with only the trace types in scripts/plotly-bundle/traces.txt.
# Dash loads every script in dashboard/assets/, and dcc.Graph uses window.Plotly when it is defined,
# so this bundle replaces the full one (4.8 MB) that dcc.Graph would otherwise fetch.
# Needs Node 20 and npm (the npm registry). Same inputs, same bytes: run it after changing traces.txt
# or the pinned version, and commit the bundle and its manifest. (The only CSS plotly.js imports is
# maplibre-gl's, for map traces this bundle leaves out: it is loaded as empty.)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
WORK="$HERE/plotly-bundle"
OUT="$ROOT/dashboard/assets/plotly-labourdash.min.js"
MANIFEST="$ROOT/dashboard/plotly_bundle.json"

cd "$WORK"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
VERSION="$(node -p "require('plotly.js/package.json').version")"
TRACES="$(grep -v '^#' traces.txt | grep -v '^$' | tr '\n' ' ')"

# the entry: plotly.js's core (it holds scatter) plus each listed trace module
ENTRY="$WORK/entry.generated.js"
{
  echo "'use strict';"
  echo "var Plotly = require('plotly.js/lib/core');"
  echo "Plotly.register(["
  for trace in $TRACES; do
    [ "$trace" = scatter ] && continue
    echo "  require('plotly.js/lib/$trace'),"
  done
  echo "]);"
  echo "module.exports = Plotly;"
} > "$ENTRY"

npx --no-install esbuild "$ENTRY" --bundle --minify --format=iife --global-name=Plotly \
  --target=es2016 --define:global=window --define:define.amd=false \
  --define:process.env.NODE_DEBUG=false --loader:.css=empty --legal-comments=none --log-level=warning \
  --banner:js="/* plotly.js v$VERSION, partial bundle: $TRACES(scripts/build-plotly-bundle.sh). MIT license, Copyright 2012-2026 Plotly, Inc. */" \
  --outfile="$OUT"
rm -f "$ENTRY"

SHA="$(sha256sum "$OUT" | cut -d' ' -f1)"
BYTES="$(stat -c %s "$OUT")"
node -e '
const [version, traces, sha, bytes, out] = process.argv.slice(1);
const manifest = {"plotly.js": version, "traces": traces.trim().split(/\s+/), "file": "assets/plotly-labourdash.min.js",
  "sha256": sha, "bytes": Number(bytes)};
require("fs").writeFileSync(out, JSON.stringify(manifest, null, 2) + "\n");
' "$VERSION" "$TRACES" "$SHA" "$BYTES" "$MANIFEST"
echo "built $OUT: plotly.js $VERSION, traces: $TRACES, $BYTES bytes, sha256 $SHA"
