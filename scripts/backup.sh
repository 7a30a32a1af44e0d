#!/usr/bin/env bash
# Online backup of every database of the stack's MongoDB stand-in (pitlane_gateway, pitlane_bookings, ...),
# while it runs:
#
#   scripts/backup.sh [--to FILE.zip]        (default .pitlane/backups/pitlane-<UTC time>.zip)
#
# The H2-backed mongo-launcher commits, then copies its store file online (H2's backup: the file's
# chunks are not reused while the copy runs), so the copy is one committed version of the whole
# store: consistent per database and across databases. A manifest FILE.json lists the databases
# and collections with their counts. Restore with scripts/restore.sh. The launcher writes the file,
# so MONGO_URL must point at a launcher on this machine. mongodump is not used: Debian 12 has no
# package for it and the Go module proxy does not serve github.com/mongodb/mongo-tools.
#
# Environment: MONGO_URL (mongodb://127.0.0.1:27017)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
to=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --to) to="${2:?--to needs a file}"; shift 2 ;;
    --to=*) to="${1#--to=}"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) echo "backup: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$to" ]] || to="$ROOT/.pitlane/backups/pitlane-$(date -u +%Y%m%dT%H%M%SZ).zip"
mkdir -p "$(dirname "$to")"
to="$(cd "$(dirname "$to")" && pwd -P)/$(basename "$to")"
[[ "$to" == *.zip ]] || to="$to.zip"
cd "$ROOT"
exec node scripts/lib/mongo-backup.mjs "${MONGO_URL:-mongodb://127.0.0.1:27017}" "$to"
