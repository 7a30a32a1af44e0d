#!/usr/bin/env bash
# A six-node Redis Cluster (three primaries, three replicas) from Debian's redis-server on
# 127.0.0.1:7001-7006 (cluster bus 17001-17006), data under .pitlane/cluster/redis. The shared
# development Redis on 6379 is left alone.
#
#   scripts/cluster/redis-cluster.sh up          start six nodes, create the cluster (idempotent)
#   scripts/cluster/redis-cluster.sh stop PORT   stop one node (SHUTDOWN NOSAVE: a crash for the cluster)
#   scripts/cluster/redis-cluster.sh start PORT  start it again (it rejoins as a replica)
#   scripts/cluster/redis-cluster.sh down        stop all and delete their data
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE="${PITLANE_REDIS_CLUSTER_DIR:-$ROOT/.pitlane/cluster/redis}"
PORTS=(7001 7002 7003 7004 7005 7006)

start_node() {
  local port="$1" dir="$BASE/$1"
  mkdir -p "$dir"
  if redis-cli -p "$port" ping >/dev/null 2>&1; then return 0; fi
  # node timeout 2 s: a failed primary is replaced within seconds (the default is 15 s)
  redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" \
    --cluster-node-timeout 2000 --dir "$dir" --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis node $port did not start" >&2; return 1
}

cluster_ok() { redis-cli -p "${1:-7001}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

up() {
  for port in "${PORTS[@]}"; do start_node "$port"; done
  if ! cluster_ok 7001 || [ "$(redis-cli -p 7001 cluster info | grep -o 'cluster_known_nodes:[0-9]*' | cut -d: -f2)" != 6 ]; then
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${PORTS[@]}") --cluster-replicas 1 --cluster-yes >"$BASE/create.log"
  fi
  for _ in $(seq 1 100); do cluster_ok 7001 && break; sleep 0.2; done
  cluster_ok 7001 || { echo "redis cluster not ok" >&2; return 1; }
  # a replica that never finished its first sync cannot be promoted: wait for every link
  for _ in $(seq 1 150); do
    local synced=0
    for port in "${PORTS[@]}"; do
      redis-cli -p "$port" info replication | grep -q 'master_link_status:up' && synced=$((synced + 1))
    done
    [ "$synced" -ge 3 ] && break
    sleep 0.2
  done
  [ "$synced" -ge 3 ] || { echo "redis replicas did not sync" >&2; return 1; }
  echo "redis cluster up: $(printf 'redis://127.0.0.1:%s,' "${PORTS[@]}" | sed 's/,$//')"
}

down() {
  for port in "${PORTS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$BASE"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  stop) redis-cli -p "${2:?port}" shutdown nosave >/dev/null 2>&1 || true ;;
  start) start_node "${2:?port}" ;;
  *) echo "usage: $0 up|down|stop PORT|start PORT" >&2; exit 2 ;;
esac
