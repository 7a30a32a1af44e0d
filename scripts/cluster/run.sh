#!/usr/bin/env bash
# npm run test:cluster: brings up the three-node RabbitMQ cluster and the six-node Redis Cluster
# (time-boxed), runs test/cluster/*.test.ts against them, and always tears both down afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"

cleanup() {
  bash scripts/cluster/rabbitmq-cluster.sh down >/dev/null 2>&1 || true
  bash scripts/cluster/redis-cluster.sh down >/dev/null 2>&1 || true
}
trap cleanup EXIT

timeout 300 bash scripts/cluster/rabbitmq-cluster.sh up
timeout 60 bash scripts/cluster/redis-cluster.sh up
# in band: the tests print their measurements on stdout (a worker process's is lost on forceExit);
# forceExit: amqplib/ioredis sockets to the nodes the tests killed can linger past the last test
jest -c test/cluster/jest.config.js --runInBand --forceExit "$@"
