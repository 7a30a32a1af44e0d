#!/usr/bin/env bash
# Every test on a fresh machine: dependencies, infrastructure (memory-backed MongoDB stand-in,
# Redis, RabbitMQ, Mailpit), then `npm test` (typecheck, lint, build, jest against the real servers),
# the fault suite, mutation testing, the short fuzzing budget and the Helm chart check.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
cd "$PITLANE_ROOT"
ensure_dependencies
ensure_infra
# the durability tests start the launcher jar on temporary files: build it even when the database
# that answers was not started by infra-up (Docker, or already running)
if [ ! -f infra/mongo-launcher/target/mongo-launcher.jar ] || [ -n "$(find infra/mongo-launcher/src infra/mongo-launcher/pom.xml -newer infra/mongo-launcher/target/mongo-launcher.jar 2>/dev/null | head -1)" ]; then
  say "building the MongoDB stand-in launcher (Maven)"
  mvn -B -q -f infra/mongo-launcher/pom.xml -DskipTests package >/dev/null || fail "Maven build of infra/mongo-launcher failed"
fi
bash "$(dirname "$0")/lib/chromium.sh"
say "running npm test (MONGO_URL=$MONGO_URL REDIS_URL=$REDIS_URL AMQP_URL=$AMQP_URL)"
mkdir -p .pitlane
rm -f .pitlane/jest-results.json .pitlane/jest-helm.json
status=0
npm test || status=$?
say "fault suite: own stack under load; kill -9, broker/Redis stop, database freeze (docs/faults.md)"
npm run test:faults || status=1
say "mutation testing of the unit-tested guarded modules (StrykerJS, floor 85%)"
npm run test:mutation:ci || status=1
say "fuzzing the API (Schemathesis, short budget: scripts/fuzz, docs/fuzzing.md)"
FUZZ_SKIP_BUILD=1 npm run fuzz --silent -- --budget short || status=1
say "checking the Helm chart (helm lint, helm template, manifest tests)"
bash scripts/helm-check.sh --json --outputFile=.pitlane/jest-helm.json || status=1
# one plain closing line, whatever the runners printed above
node -e 'const fs = require("fs");
  let p = 0, f = 0, s = 0;
  const retried = [];
  for (const file of [".pitlane/jest-results.json", ".pitlane/jest-helm.json"]) {
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests;
    for (const suite of r.testResults) for (const t of suite.assertionResults) {
      if ((t.invocations ?? 1) > 1) retried.push(`  ${t.status} after ${t.invocations} runs: ${t.fullName} (${suite.name.replace(process.cwd() + "/", "")})`);
    }
  }
  // CI runs a failing test once more (libs/testing/src/ci-retry-setup.ts): name every one that needed it
  if (retried.length) console.log(`retried (flaky or failing) tests:\n${retried.join("\n")}`);
  console.log(`tests: ${p} passed, ${f} failed, ${s} skipped, ${retried.length} retried`);'
exit "$status"
