#!/usr/bin/env bash
# Schemathesis (PyPI, pinned) in a Python venv under .pitlane/venv, idempotently: nothing is installed
# when the venv already holds the pinned version. Debian's python3-venv is installed with apt-get
# when the interpreter has no venv/ensurepip module (Debian splits them out of python3).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
SCHEMATHESIS_VERSION="4.32.5"
VENV="$PITLANE_ROOT/.pitlane/venv"

if "$VENV/bin/st" --version 2>/dev/null | grep -qx "st, version $SCHEMATHESIS_VERSION"; then
  exit 0
fi
command -v python3 >/dev/null || fail "python3 is needed for Schemathesis (apt-get install python3 python3-venv)"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  say "installing Debian's python3-venv (the interpreter has no venv/ensurepip module)"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -q python3-venv >/dev/null 2>&1 \
    || { "${sudo_cmd[@]}" apt-get update -q >/dev/null && "${sudo_cmd[@]}" apt-get install -y -q python3-venv >/dev/null; } \
    || fail "could not install python3-venv with apt-get"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the Python venv in .pitlane/venv"
  python3 -m venv "$VENV"
fi
say "installing Schemathesis $SCHEMATHESIS_VERSION from PyPI into .pitlane/venv"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
"$VENV/bin/st" --version >/dev/null || fail "Schemathesis did not install into .pitlane/venv"
