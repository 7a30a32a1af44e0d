#!/usr/bin/env bash
# Every test on a fresh machine: dependencies, infrastructure (memory-backed MongoDB stand-in,
# Redis, RabbitMQ), then `npm test` (typecheck, lint, build, jest against the real servers).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$PITLANE_ROOT"
ensure_dependencies
ensure_infra
bash "$(dirname "$0")/lib/chromium.sh"
say "running npm test (MONGO_URL=$MONGO_URL REDIS_URL=$REDIS_URL AMQP_URL=$AMQP_URL)"
mkdir -p .pitlane
rm -f .pitlane/jest-results.json
status=0
npm test || status=$?
# one plain closing line, whatever the runner printed above
if [ -f .pitlane/jest-results.json ]; then
  node -e 'const r = require("./.pitlane/jest-results.json");
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);'
fi
exit "$status"
