#!/usr/bin/env bash
# Debian's systemd, for `systemd-analyze verify` of deploy/systemd in the tests (skipped when present).
set -euo pipefail
if command -v systemd-analyze >/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends systemd >/dev/null
systemd-analyze --version | head -1
