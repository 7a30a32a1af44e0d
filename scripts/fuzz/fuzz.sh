#!/usr/bin/env bash
# npm run fuzz [-- --budget short|long] [--checks server|schema]: Schemathesis from a venv (installed
# on first use), the services built, then scripts/fuzz/run.mjs starts its own stack and fuzzes the
# gateway. Needs the running Redis and RabbitMQ (npm run infra:up) and the MongoDB stand-in's jar.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
cd "$PITLANE_ROOT"
# not ensure_dependencies: its `npm ci` would replace a node_modules that is shared by hard links
[ -x node_modules/.bin/node ] || fail "node_modules is missing: run npm ci first"
bash scripts/fuzz/ensure-venv.sh
if [ ! -f infra/mongo-launcher/target/mongo-launcher.jar ]; then
  say "building the MongoDB stand-in launcher (Maven)"
  mvn -B -q -f infra/mongo-launcher/pom.xml -DskipTests package >/dev/null || fail "Maven build of infra/mongo-launcher failed"
fi
if [ "${FUZZ_SKIP_BUILD:-}" != "1" ]; then
  say "building (npm run build)"
  npm run build --silent
fi
exec node scripts/fuzz/run.mjs "$@"
