#!/usr/bin/env bash
# The whole stack in the foreground on a fresh machine: infrastructure, build, the five services,
# a demo organisation, garage and API key, then the gateway URL and a curl to try. Ctrl-C stops
# the services (the infrastructure keeps running: `npm run infra:down` stops it).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=scripts/lib/stack.sh
source "$PITLANE_ROOT/scripts/lib/stack.sh"
cd "$PITLANE_ROOT"
bash "$PITLANE_ROOT/scripts/stack-up.sh"
eval "$(bash "$PITLANE_ROOT/scripts/infra-up.sh" 2>/dev/null)"
export MONGO_URL REDIS_URL AMQP_URL
say "seeding the demo organisations, keys and the London garage's data"
GATEWAY_PORT="$GATEWAY_PORT" MAILPIT_UI="$MAILPIT_UI" MONGO_DB="${GATEWAY_MONGO_DB:-pitlane_gateway}" node scripts/demo-data.mjs
trap 'echo; stop_services; exit 0' INT TERM
say "stack running; following the logs (Ctrl-C stops the services)"
tail -n 0 -F "$STACK_LOGS"/{gateway,bookings,inventory,billing,webhooks}.log &
wait
