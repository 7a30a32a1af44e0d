#!/usr/bin/env bash
# Mailpit, the local SMTP catcher billing sends estimates to: installs it once into .pitlane/bin with the
# Go toolchain (compiling takes a few minutes the first time), then starts it in the background unless
# something already answers. SMTP on 127.0.0.1:${MAILPIT_SMTP_PORT:-1025}, web UI and API on
# http://127.0.0.1:${MAILPIT_HTTP_PORT:-8025}; pid and log under .pitlane/run and .pitlane/logs.
# Writes only to stderr: infra-up.sh's stdout is eval'ed by its callers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
BIN_DIR="$ROOT/.pitlane/bin"
RUN_DIR="$ROOT/.pitlane/run"
LOG_DIR="$ROOT/.pitlane/logs"
VERSION="v1.33.1"
GO="${GO:-/usr/local/go/bin/go}"
SMTP_PORT="${MAILPIT_SMTP_PORT:-1025}"
HTTP_PORT="${MAILPIT_HTTP_PORT:-8025}"
UI="http://127.0.0.1:$HTTP_PORT"

log() { printf 'mailpit: %s\n' "$*" >&2; }
answering() { curl -fsS -m 2 "$UI/api/v1/info" >/dev/null 2>&1; }

if answering; then
  log "running at $UI (SMTP 127.0.0.1:$SMTP_PORT)"
  exit 0
fi

mkdir -p "$BIN_DIR" "$RUN_DIR" "$LOG_DIR"
# `go install` builds report version "dev": a marker file says which version the binary is
if [[ ! -x "$BIN_DIR/mailpit" || "$(cat "$BIN_DIR/mailpit.version" 2>/dev/null)" != "$VERSION" ]]; then
  [[ -x "$GO" ]] || { log "no Go toolchain at $GO: install Go, or set GO=/path/to/go"; exit 1; }
  log "installing $VERSION with $GO (compiles once, a few minutes)"
  GOBIN="$BIN_DIR" "$GO" install "github.com/axllent/mailpit@$VERSION" >&2
  echo "$VERSION" >"$BIN_DIR/mailpit.version"
fi

# 9>&-: infra-up.sh holds its lock on fd 9; a daemon that inherited it would hold the lock for its
# whole life and the next infra-up would wait for it (the other servers are started the same way)
setsid nohup "$BIN_DIR/mailpit" --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$HTTP_PORT" --max 2000 \
  >>"$LOG_DIR/mailpit.log" 2>&1 </dev/null 9>&- &
echo $! >"$RUN_DIR/mailpit.pid"
for _ in $(seq 1 100); do
  if answering; then
    log "started (pid $(cat "$RUN_DIR/mailpit.pid")) at $UI (SMTP 127.0.0.1:$SMTP_PORT); log $LOG_DIR/mailpit.log"
    exit 0
  fi
  sleep 0.1
done
log "did not answer at $UI within 10 s; see $LOG_DIR/mailpit.log"
exit 1
