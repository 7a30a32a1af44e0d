#!/usr/bin/env bash
# Restore a scripts/backup.sh backup (all databases of the store, as of the backup).
#
#   scripts/restore.sh BACKUP.zip                 the stack's own store: stops the mongo launcher that
#                                                 infra-up started (SIGTERM: it commits and closes), keeps
#                                                 the current file as <file>.before-restore-<time>, puts
#                                                 the backup in its place and starts the launcher again;
#                                                 running services reconnect on their own
#   scripts/restore.sh BACKUP.zip --file F.mv.db  only write the store file F (for a fresh launcher:
#                                                 java -jar infra/mongo-launcher/target/mongo-launcher.jar
#                                                 --backend=h2 --file=F --port=...); F must not be open
#
# The backup is opened once before it replaces anything, so a damaged file never replaces a good store.
# Environment: as scripts/infra-up.sh (MONGO_URL for the port, PITLANE_MONGO_H2_FILE).
set -euo pipefail

# shellcheck source=scripts/infra-up.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/infra-up.sh"

backup="" file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --file) file="${2:?--file needs a path}"; shift 2 ;;
    --file=*) file="${1#--file=}"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) [[ -z "$backup" ]] || die "one backup file only"; backup="$1"; shift ;;
  esac
done
[[ -n "$backup" && -f "$backup" ]] || die "usage: scripts/restore.sh BACKUP.zip [--file TARGET.mv.db] (got '${backup}')"
command -v java >/dev/null 2>&1 || die "java is needed (apt-get install default-jre-headless)"
[[ -f "$LAUNCHER_JAR" ]] || die "$LAUNCHER_JAR is missing: run 'npm run infra:up' (it builds the launcher)"

restore_into() { java -cp "$LAUNCHER_JAR" dev.pitlane.mongo.Restore "$backup" "$1" >&2; }

if [[ -n "$file" ]]; then
  restore_into "$file"
  exit 0
fi

file="${PITLANE_MONGO_H2_FILE:-$(svc_datadir mongo)/pitlane.mv.db}"
running_backend="$(cat "$RUN_DIR/mongo$(svc_suffix mongo).backend" 2>/dev/null || true)"
if svc_pid mongo >/dev/null; then
  [[ "$running_backend" == h2 ]] || die "the running mongo launcher uses the '$running_backend' backend, not h2; stop it first (npm run infra:down -- mongo)"
  bash "$PITLANE_ROOT/scripts/infra-down.sh" mongo
elif probe mongo; then
  die "something not started by infra-up answers at $(svc_url_safe mongo); stop it, or restore into a file with --file"
fi
if [[ -f "$file" ]]; then
  kept="$file.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  cp -p "$file" "$kept"
  log "restore: the current store is kept as $kept"
fi
restore_into "$file"
PITLANE_MONGO_BACKEND=h2 PITLANE_MONGO_H2_FILE="$file" bash "$PITLANE_ROOT/scripts/infra-up.sh" mongo >/dev/null
log "restore: done; the mongo launcher serves $file again"
