#!/usr/bin/env bash
# Debian's chromium for the console's browser test (puppeteer-core drives the system executable).
# Idempotent: does nothing when it is already installed. CHROMIUM_PATH overrides the location.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then
  exit 0
fi
echo "[pitlane] installing chromium for the console browser test" >&2
sudo_cmd=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
