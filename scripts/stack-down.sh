#!/usr/bin/env bash
# Stops the five services (gracefully). With --all, also the infrastructure started by infra-up.sh.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=scripts/lib/stack.sh
source "$PITLANE_ROOT/scripts/lib/stack.sh"
stop_services
if [ "${1:-}" = "--all" ]; then bash "$PITLANE_ROOT/scripts/infra-down.sh"; fi
