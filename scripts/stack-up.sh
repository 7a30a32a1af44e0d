#!/usr/bin/env bash
# The whole stack in the background, idempotently: infrastructure (persistent H2-backed MongoDB
# stand-in unless one already answers), build, the five services, wait until all are ready.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=scripts/lib/stack.sh
source "$PITLANE_ROOT/scripts/lib/stack.sh"
cd "$PITLANE_ROOT"
command -v curl >/dev/null || fail "curl is needed to check readiness (apt-get install curl)"
ensure_dependencies
PITLANE_MONGO_BACKEND="${PITLANE_MONGO_BACKEND:-h2}" ensure_infra
say "building (npm run build)"
npm run build --silent
start_services
wait_services_ready
say "Mailpit (catches the estimate e-mails billing sends; approval links inside): $MAILPIT_UI"
