#!/usr/bin/env bash
# A real three-node RabbitMQ cluster on this machine, from Debian's rabbitmq-server: nodes
# pit1..pit3@<host> on AMQP ports 5681-5683 (Erlang distribution 25681-25683), each with its own
# mnesia, log and config directories under .pitlane/cluster/rabbitmq, all with one Erlang cookie.
# The shared development broker (rabbit@<host> on 5672) is left alone: same epmd, other names/ports.
#
#   scripts/cluster/rabbitmq-cluster.sh up           start the three nodes and join them (idempotent)
#   scripts/cluster/rabbitmq-cluster.sh kill N       kill -9 node N (a crash)
#   scripts/cluster/rabbitmq-cluster.sh stop N       stop node N cleanly
#   scripts/cluster/rabbitmq-cluster.sh start N      start node N again (it rejoins the cluster)
#   scripts/cluster/rabbitmq-cluster.sh status       cluster_status from node 1
#   scripts/cluster/rabbitmq-cluster.sh down         stop all three and delete their data
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE="${PITLANE_RABBIT_CLUSTER_DIR:-$ROOT/.pitlane/cluster/rabbitmq}"
HOST="$(hostname -s)"
BIN=/usr/lib/rabbitmq/bin
COOKIE="pitlane-cluster-test-cookie"

node_name() { echo "pit$1@$HOST"; }
amqp_port() { echo $((5680 + $1)); }

# Environment of node N (also what rabbitmqctl needs to reach it: the same HOME, i.e. cookie)
node_env() {
  local n="$1" dir="$BASE/node$1"
  export HOME="$BASE/home"
  export RABBITMQ_NODENAME="$(node_name "$n")"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$(amqp_port "$n")"
  export RABBITMQ_DIST_PORT=$((25680 + n))
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/pid"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"          # .conf is appended
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand"
  export RABBITMQ_CTL_DIST_PORT_MIN=$((35680 + n * 10)) RABBITMQ_CTL_DIST_PORT_MAX=$((35689 + n * 10))
}

ctl() { local n="$1"; shift; ( node_env "$n"; "$BIN/rabbitmqctl" -n "$(node_name "$n")" "$@" ); }

prepare() {
  mkdir -p "$BASE/home"
  if [ ! -f "$BASE/home/.erlang.cookie" ]; then
    printf '%s' "$COOKIE" > "$BASE/home/.erlang.cookie"
    chmod 400 "$BASE/home/.erlang.cookie"
  fi
  for n in 1 2 3; do
    local dir="$BASE/node$n"
    mkdir -p "$dir/mnesia" "$dir/log" "$dir/plugins-expand"
    # no plugins: the management listener (15672) would collide between nodes and with the shared broker
    echo '[].' > "$dir/enabled_plugins"
    : > "$dir/rabbitmq-env.conf"
    echo '[].' > "$dir/advanced.config"
    cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$(amqp_port "$n")
loopback_users = none
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.2
CONF
  done
}

is_running() { ctl "$1" -q await_startup --timeout 1 >/dev/null 2>&1; }

start_node() {
  local n="$1"
  if is_running "$n"; then return 0; fi
  ( node_env "$n"; nohup "$BIN/rabbitmq-server" > "$BASE/node$n/stdout.log" 2>&1 & )
  # `wait` follows the pid file until the node has booted (await_startup fails before it registers)
  ctl "$n" -q wait "$BASE/node$n/pid" --timeout 120 >/dev/null
}

up() {
  prepare
  for n in 1 2 3; do start_node "$n"; done
  for n in 2 3; do
    if ! ctl 1 -q cluster_status --formatter json 2>/dev/null | grep -q "\"$(node_name "$n")\""; then
      {
        ctl "$n" -q stop_app
        ctl "$n" -q reset
        ctl "$n" -q join_cluster "$(node_name 1)"
        ctl "$n" -q start_app
      } >> "$BASE/node$n/stdout.log" 2>&1
    fi
  done
  ctl 1 -q await_online_nodes 3 --timeout 60 >/dev/null 2>&1 || true
  echo "rabbitmq cluster up: $(for n in 1 2 3; do printf 'amqp://guest:guest@127.0.0.1:%s ' "$(amqp_port "$n")"; done)"
}

kill_node() {
  local pid_file="$BASE/node$1/pid"
  [ -f "$pid_file" ] || { echo "node $1 has no pid file" >&2; return 1; }
  kill -KILL "$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
}

down() {
  for n in 1 2 3; do
    if is_running "$n"; then ctl "$n" -q stop >/dev/null 2>&1 || kill_node "$n" || true; fi
  done
  rm -rf "$BASE"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  kill) kill_node "${2:?node number}" ;;
  stop) ctl "${2:?node number}" -q stop ;;
  start) start_node "${2:?node number}" ;;
  status) ctl 1 cluster_status ;;
  *) echo "usage: $0 up|down|kill N|stop N|start N|status" >&2; exit 2 ;;
esac
