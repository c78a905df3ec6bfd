#!/usr/bin/env bash
# Debian's chromium and chromium-driver for the headless browser tests and the area report's PDF,
# and poppler-utils (pdftotext, pdftoppm) for the PDF tests (skipped when present).
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v pdftotext >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null
chromium --version
