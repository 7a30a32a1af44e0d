#!/usr/bin/env bash
# shellcheck disable=SC2016 # bash -c '...' snippets below take their arguments as $0/$1
# Make MongoDB-compatible storage, Redis and RabbitMQ reachable for Pitlane, idempotently.
#
#   scripts/infra-up.sh [mongo|redis|rabbitmq]...     (no args = all three)
#
# For each service: if something already answers at its URL, nothing is done. Otherwise, in
# this order: a Docker engine (docker compose up -d <svc>, repo docker-compose.yml), else on
# Debian as root a local install (apt: redis-server, rabbitmq-server; Maven-built
# mongo-java-server launcher in infra/mongo-launcher) started in the background with data,
# logs and pid files under .pitlane/ (git-ignored). Stop with scripts/infra-down.sh.
#
# Environment:
#   MONGO_URL  (mongodb://127.0.0.1:27017)   REDIS_URL (redis://127.0.0.1:6379)
#   AMQP_URL   (amqp://guest:guest@127.0.0.1:5672)     ports are taken from the URLs
#   PITLANE_MONGO_BACKEND   memory (default) | h2 (persistent file .pitlane/data/mongo/pitlane.mv.db)
#   PITLANE_MONGO_H2_FILE   override the h2 file path
#   PITLANE_MONGO_DURABILITY  h2: ack (default: a write is acknowledged after the store committed it,
#                           nothing acknowledged is lost on kill -9) | interval (commit every
#                           PITLANE_MONGO_COMMIT_INTERVAL_MS, default 100; 0 = MVStore's own ~1 s)
#                           SIGTERM (infra-down) commits and closes the store either way
#   PITLANE_MONGO_JAVA_OPTS JVM options for the launcher (default: -XX:+UseSerialGC -Xms64m -Xmx3g)
#   PITLANE_REDIS_PERSIST   yes|no: AOF persistence, appendfsync everysec (default: yes)
#   PITLANE_RABBITMQ_NODENAME  Erlang node name (default rabbit@localhost, rabbit-<port>@localhost off 5672)
#   PITLANE_INFRA_MODE      auto (default) | docker | local
#   PITLANE_INFRA_TIMEOUT   seconds to wait for each service (default 90)
#   PITLANE_INFRA_DIR       where run/, logs/ and data/ go (default .pitlane; the fault suite uses
#                           .pitlane/faults for its own instances on other ports)
#   PITLANE_INFRA_NO_MAILPIT  set: do not start the SMTP catcher (an extra stack that sends no mail)
#
# Progress goes to stderr; stdout gets only `export ...` lines, so `eval "$(scripts/infra-up.sh)"` works.
#
# This file is also sourced by scripts/infra-down.sh for the shared helpers (main runs only
# when executed directly).
set -euo pipefail

PITLANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PITLANE_DIR="${PITLANE_INFRA_DIR:-$PITLANE_ROOT/.pitlane}"
RUN_DIR="$PITLANE_DIR/run"
LOG_DIR="$PITLANE_DIR/logs"
DATA_DIR="$PITLANE_DIR/data"
LAUNCHER_DIR="$PITLANE_ROOT/infra/mongo-launcher"
LAUNCHER_JAR="$LAUNCHER_DIR/target/mongo-launcher.jar"
COMPOSE_FILE="$PITLANE_ROOT/docker-compose.yml"
RABBITMQ_BIN_DIR="/usr/lib/rabbitmq/bin" # Debian: the /usr/sbin wrappers would `su rabbitmq`

MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:27017}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
AMQP_URL="${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
PITLANE_MONGO_BACKEND="${PITLANE_MONGO_BACKEND:-memory}"
INFRA_TIMEOUT="${PITLANE_INFRA_TIMEOUT:-90}"
ALL_SERVICES=(mongo redis rabbitmq)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

# parse_url URL DEFAULT_PORT -> "host port" (first host of a multi-host URL, [v6] literals ok)
parse_url() {
  local url="$1" def="$2" rest hostport host port
  rest="${url#*://}"
  rest="${rest%%/*}"; rest="${rest%%\?*}"
  rest="${rest##*@}"
  hostport="${rest%%,*}"
  if [[ "$hostport" == \[* ]]; then
    host="${hostport%%]*}"; host="${host#[}"
    port="${hostport#*]}"; port="${port#:}"
  elif [[ "$hostport" == *:* ]]; then
    host="${hostport%%:*}"; port="${hostport##*:}"
  else
    host="$hostport"; port=""
  fi
  [[ -n "$host" ]] || host=127.0.0.1
  [[ -n "$port" ]] || port="$def"
  [[ "$port" =~ ^[0-9]+$ ]] || die "cannot parse a port from '$url'"
  printf '%s %s\n' "$host" "$port"
}

svc_url() {
  case "$1" in
    mongo) printf '%s' "$MONGO_URL" ;;
    redis) printf '%s' "$REDIS_URL" ;;
    rabbitmq) printf '%s' "$AMQP_URL" ;;
  esac
}
svc_default_port() { case "$1" in mongo) echo 27017 ;; redis) echo 6379 ;; rabbitmq) echo 5672 ;; esac; }
svc_host() { local hp; hp="$(parse_url "$(svc_url "$1")" "$(svc_default_port "$1")")"; printf '%s' "${hp% *}"; }
svc_port() { local hp; hp="$(parse_url "$(svc_url "$1")" "$(svc_default_port "$1")")"; printf '%s' "${hp#* }"; }
# Redacted URL for messages (no password).
svc_url_safe() { svc_url "$1" | sed -E 's#://([^:@/]*):[^@/]*@#://\1:***@#'; }

# File-name suffix: "" on the default port, "-<port>" otherwise (several instances can coexist).
svc_suffix() { local p; p="$(svc_port "$1")"; [[ "$p" == "$(svc_default_port "$1")" ]] && echo "" || echo "-$p"; }
svc_pidfile() { echo "$RUN_DIR/$1$(svc_suffix "$1").pid"; }
svc_logfile() { echo "$LOG_DIR/$1$(svc_suffix "$1").log"; }
svc_datadir() { echo "$DATA_DIR/$1$(svc_suffix "$1")"; }
svc_dockermark() { echo "$RUN_DIR/$1$(svc_suffix "$1").docker"; }
svc_pattern() { case "$1" in mongo) echo 'mongo-launcher' ;; redis) echo 'redis-server' ;; rabbitmq) echo 'beam|rabbitmq' ;; esac; }

rabbit_nodename() {
  if [[ -n "${PITLANE_RABBITMQ_NODENAME:-}" ]]; then echo "$PITLANE_RABBITMQ_NODENAME"
  elif [[ "$(svc_port rabbitmq)" == 5672 ]]; then echo "rabbit@localhost"
  else echo "rabbit-$(svc_port rabbitmq)@localhost"; fi
}
rabbit_home() { echo "$(svc_datadir rabbitmq)/home"; }
rabbit_launcher_pidfile() { echo "$RUN_DIR/rabbitmq$(svc_suffix rabbitmq).launcher.pid"; }
# Run a RabbitMQ CLI tool (rabbitmqctl, rabbitmq-diagnostics) against our node, as root, with our cookie.
rabbit_cli() {
  local tool="$1"; shift
  timeout "${PITLANE_RABBITMQ_CLI_TIMEOUT:-60}" env HOME="$(rabbit_home)" RABBITMQ_NODENAME="$(rabbit_nodename)" \
    "$RABBITMQ_BIN_DIR/$tool" -n "$(rabbit_nodename)" "$@"
}

is_local_host() {
  case "$1" in
    127.*|localhost|::1|0.0.0.0|"$(hostname 2>/dev/null || echo localhost)"|"$(hostname -s 2>/dev/null || echo localhost)") return 0 ;;
    *) return 1 ;;
  esac
}
bind_addr() {
  case "$1" in
    127.*|::1) echo "$1" ;;
    localhost) echo 127.0.0.1 ;;
    *) echo 0.0.0.0 ;;
  esac
}

# --- probes -----------------------------------------------------------------------------------
probe_tcp() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }
probe_redis() {
  local out
  out="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "PING\r\n" >&3; head -c 5 <&3' "$1" "$2" 2>/dev/null || true)"
  [[ "$out" == +PONG || "$out" == -NOAU ]]
}
probe_amqp() {
  # Send the AMQP 0-9-1 protocol header; a broker answers with a Connection.Start method frame
  # (type 1, channel 0) or, if it dislikes the version, with its own protocol header.
  local out
  out="$(timeout 4 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "AMQP\0\0\11\1" >&3; head -c 4 <&3 | od -An -tx1' "$1" "$2" 2>/dev/null | tr -d ' \n' || true)"
  [[ "$out" == 010000* || "$out" == 414d5150* ]]
}
probe() {
  local h p; h="$(svc_host "$1")"; p="$(svc_port "$1")"
  case "$1" in
    mongo) probe_tcp "$h" "$p" ;;
    redis) probe_redis "$h" "$p" ;;
    rabbitmq) probe_amqp "$h" "$p" ;;
  esac
}

# pid_from_file FILE PATTERN -> prints the pid if that process is alive and its cmdline matches
pid_from_file() {
  local f="$1" pat="$2" pid
  [[ -s "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq "$pat" || return 1
  echo "$pid"
}
svc_pid() {
  local pid
  if pid="$(pid_from_file "$(svc_pidfile "$1")" "$(svc_pattern "$1")")"; then echo "$pid"; return 0; fi
  if [[ "$1" == rabbitmq ]] && pid="$(pid_from_file "$(rabbit_launcher_pidfile)" 'rabbitmq-server')"; then echo "$pid"; return 0; fi
  return 1
}

docker_engine_ok() { command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1; }
compose() {
  if docker compose version >/dev/null 2>&1; then docker compose -f "$COMPOSE_FILE" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then docker-compose -f "$COMPOSE_FILE" "$@"
  else die "a Docker engine answers but neither 'docker compose' nor 'docker-compose' is available"; fi
}
compose_env() {
  # compose refuses to read docker-compose.yml without INTERNAL_JWT_SECRET (the services need a real
  # one); the infrastructure containers do not use it, so a placeholder lets compose start them
  export INTERNAL_JWT_SECRET="${INTERNAL_JWT_SECRET:-infrastructure-only-placeholder-not-a-service-secret}"
  export PITLANE_MONGO_PORT PITLANE_REDIS_PORT PITLANE_RABBITMQ_PORT
  PITLANE_MONGO_PORT="$(svc_port mongo)"; PITLANE_REDIS_PORT="$(svc_port redis)"; PITLANE_RABBITMQ_PORT="$(svc_port rabbitmq)"
}

take_lock() {
  # Serialises concurrent infra-up/infra-down runs. Without write access to .pitlane (e.g. not
  # root, everything already running) there is nothing to protect, so no lock is taken.
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" 2>/dev/null || return 0
  [[ -w "$RUN_DIR" ]] || return 0
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/infra.lock"
    flock -w 300 9 || die "another infra-up/infra-down is still running (lock $RUN_DIR/infra.lock)"
  fi
}

parse_services() {
  SERVICES=()
  local a
  for a in "$@"; do
    case "$a" in
      mongo|mongodb) SERVICES+=(mongo) ;;
      redis) SERVICES+=(redis) ;;
      rabbitmq|rabbit|amqp) SERVICES+=(rabbitmq) ;;
      all) SERVICES+=("${ALL_SERVICES[@]}") ;;
      -h|--help) awk '/^set -euo/ {exit} /^#( |$)/ && !/shellcheck/ {sub(/^# ?/, ""); print}' "$0" >&2; exit 0 ;;
      *) die "unknown service '$a' (expected: mongo redis rabbitmq)" ;;
    esac
  done
  [[ ${#SERVICES[@]} -gt 0 ]] || SERVICES=("${ALL_SERVICES[@]}")
}

tail_logs() {
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    log "----- last lines of $f -----"
    tail -n 25 "$f" >&2 || true
  done
}
svc_logs() {
  case "$1" in
    rabbitmq) echo "$(svc_logfile rabbitmq) $LOG_DIR/rabbitmq$(svc_suffix rabbitmq)/$(rabbit_nodename).log" ;;
    *) svc_logfile "$1" ;;
  esac
}

# --- local installation -------------------------------------------------------------------------
jar_stale() {
  [[ -f "$LAUNCHER_JAR" ]] || return 0
  [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$LAUNCHER_JAR" -type f 2>/dev/null | head -n 1)" ]]
}

ensure_packages() {
  local -a pkgs=()
  local s
  for s in "$@"; do
    case "$s" in
      redis) command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server) ;;
      rabbitmq) [[ -x "$RABBITMQ_BIN_DIR/rabbitmq-server" ]] || pkgs+=(rabbitmq-server) ;;
      mongo)
        command -v java >/dev/null 2>&1 || pkgs+=(default-jre-headless)
        if jar_stale; then
          command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
          command -v javac >/dev/null 2>&1 || pkgs+=(default-jdk-headless)
        fi ;;
    esac
  done
  [[ ${#pkgs[@]} -gt 0 ]] || return 0
  log "infra: installing ${pkgs[*]} with apt-get"
  local own_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # Keep the packages' own system services from starting: we run our own instances.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
  } >"$LOG_DIR/apt.log" 2>&1 || rc=$?
  [[ -z "$own_policy" ]] || rm -f /usr/sbin/policy-rc.d
  if [[ $rc -ne 0 ]]; then
    tail_logs "$LOG_DIR/apt.log"
    die "apt-get install ${pkgs[*]} failed (full log: $LOG_DIR/apt.log)"
  fi
}

build_launcher() {
  jar_stale || return 0
  log "mongo: building $LAUNCHER_JAR with Maven (log: $LOG_DIR/mongo-launcher-build.log)"
  local t0=$SECONDS
  if ! mvn -B -q -f "$LAUNCHER_DIR/pom.xml" -DskipTests package >"$LOG_DIR/mongo-launcher-build.log" 2>&1 </dev/null \
      || [[ ! -f "$LAUNCHER_JAR" ]]; then
    tail_logs "$LOG_DIR/mongo-launcher-build.log"
    die "Maven build of infra/mongo-launcher failed"
  fi
  log "mongo: launcher built in $((SECONDS - t0))s"
}

start_mongo() {
  local host port pidfile logfile backend file args=()
  host="$(svc_host mongo)"; port="$(svc_port mongo)"; pidfile="$(svc_pidfile mongo)"; logfile="$(svc_logfile mongo)"
  backend="$PITLANE_MONGO_BACKEND"
  case "$backend" in
    memory) args=(--backend=memory) ;;
    h2)
      file="${PITLANE_MONGO_H2_FILE:-$(svc_datadir mongo)/pitlane.mv.db}"
      mkdir -p "$(dirname "$file")"
      args=(--backend=h2 "--file=$file") ;;
    *) die "PITLANE_MONGO_BACKEND must be 'memory' or 'h2' (got '$backend')" ;;
  esac
  local -a jopts
  read -r -a jopts <<<"${PITLANE_MONGO_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx3g}"
  printf '===== %s starting mongo-launcher (%s) on %s:%s\n' "$(date -Is)" "$backend" "$host" "$port" >>"$logfile"
  setsid nohup java "${jopts[@]}" -jar "$LAUNCHER_JAR" "--host=$(bind_addr "$host")" "--port=$port" "${args[@]}" \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
  echo "$backend" >"$RUN_DIR/mongo$(svc_suffix mongo).backend"
}

start_redis() {
  local host port dir pidfile logfile persist
  local -a bind
  host="$(svc_host redis)"; port="$(svc_port redis)"; dir="$(svc_datadir redis)"
  pidfile="$(svc_pidfile redis)"; logfile="$(svc_logfile redis)"
  bind=("$(bind_addr "$host")"); [[ "$host" != localhost ]] || bind=(127.0.0.1 -::1)
  # always on by default (issue 13): a restarted Redis keeps the rate-limit windows it had
  persist="${PITLANE_REDIS_PERSIST:-yes}"
  mkdir -p "$dir"
  rm -f "$pidfile"
  local -a persist_args=(--save "" --appendonly no)
  [[ "$persist" != yes ]] || persist_args=(--save "" --appendonly yes --appendfsync everysec)
  (cd "$dir" && redis-server --port "$port" --bind "${bind[@]}" --dir "$dir" --daemonize yes \
    --pidfile "$pidfile" --logfile "$logfile" "${persist_args[@]}" </dev/null 9>&-) \
    || { tail_logs "$logfile"; die "redis-server failed to start"; }
  local _
  for _ in $(seq 1 50); do [[ -s "$pidfile" ]] && break; sleep 0.1; done
}

start_rabbitmq() {
  local host port dir home node logbase outlog pidfile
  pidfile="$(svc_pidfile rabbitmq)"
  host="$(svc_host rabbitmq)"; port="$(svc_port rabbitmq)"; dir="$(svc_datadir rabbitmq)"
  home="$(rabbit_home)"; node="$(rabbit_nodename)"
  logbase="$LOG_DIR/rabbitmq$(svc_suffix rabbitmq)"; outlog="$(svc_logfile rabbitmq)"
  mkdir -p "$dir/mnesia" "$home" "$logbase"
  if [[ ! -s "$home/.erlang.cookie" ]]; then
    # Reuse the package's cookie when there is one, so the stock /usr/sbin/rabbitmqctl wrappers
    # (which `su rabbitmq`) can also talk to this node with `-n <node>`.
    if [[ -r /var/lib/rabbitmq/.erlang.cookie ]]; then
      cat /var/lib/rabbitmq/.erlang.cookie >"$home/.erlang.cookie"
    else
      (set +o pipefail; tr -dc '[:upper:]' </dev/urandom | head -c 20) >"$home/.erlang.cookie"
    fi
  fi
  chmod 400 "$home/.erlang.cookie"
  [[ -f "$dir/enabled_plugins" ]] || echo '[].' >"$dir/enabled_plugins"
  [[ -f "$dir/rabbitmq-env.conf" ]] || echo '# isolates this node from /etc/rabbitmq/rabbitmq-env.conf' >"$dir/rabbitmq-env.conf"
  [[ -f "$dir/rabbitmq.conf" ]] || printf '%s\n' '# Pitlane local dev node (scripts/infra-up.sh)' 'loopback_users.guest = true' \
    'disk_free_limit.absolute = 50MB' >"$dir/rabbitmq.conf"
  local ip; ip="$(bind_addr "$host")"
  local dist_if="{127,0,0,1}"; [[ "$ip" == 127.0.0.1 ]] || dist_if=""
  rm -f "$pidfile"
  printf '===== %s starting rabbitmq-server %s on %s:%s\n' "$(date -Is)" "$node" "$ip" "$port" >>"$outlog"
  (
    cd "$dir"
    export HOME="$home" \
      RABBITMQ_NODENAME="$node" \
      RABBITMQ_NODE_IP_ADDRESS="$ip" \
      RABBITMQ_NODE_PORT="$port" \
      RABBITMQ_MNESIA_BASE="$dir/mnesia" \
      RABBITMQ_LOG_BASE="$logbase" \
      RABBITMQ_PID_FILE="$pidfile" \
      RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
      RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
      ERL_EPMD_ADDRESS="${ERL_EPMD_ADDRESS:-127.0.0.1}"
    [[ -z "$dist_if" ]] || export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface $dist_if"
    setsid nohup "$RABBITMQ_BIN_DIR/rabbitmq-server" >>"$outlog" 2>&1 </dev/null 9>&- &
    echo $! >"$(rabbit_launcher_pidfile)"
  )
}

now_ms() { local t="${EPOCHREALTIME//[.,]/}"; echo $((t / 1000)); }
fmt_ms() { printf '%d.%ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# wait_ready CHECK_PROCESS SVC... : polls all given services together until each answers.
# CHECK_PROCESS=yes fails fast when our process for a service has died. Sets READY_MS[svc]
# (milliseconds since LAUNCH_MS[svc], or since the wait began).
declare -A LAUNCH_MS=() READY_MS=()
wait_ready() {
  local check="$1"; shift
  local -a pending=("$@") still
  local t0 next=5 svc
  t0="$(now_ms)"
  for svc in "${pending[@]}"; do [[ -n "${LAUNCH_MS[$svc]:-}" ]] || LAUNCH_MS[$svc]=$t0; done
  while [[ ${#pending[@]} -gt 0 ]]; do
    still=()
    for svc in "${pending[@]}"; do
      if probe "$svc"; then
        READY_MS[$svc]=$(($(now_ms) - LAUNCH_MS[$svc]))
        log "$svc: answering at $(svc_url_safe "$svc") after $(fmt_ms "${READY_MS[$svc]}")"
        continue
      fi
      if [[ "$check" == yes ]] && ! svc_pid "$svc" >/dev/null; then
        # shellcheck disable=SC2046
        tail_logs $(svc_logs "$svc")
        die "$svc: process exited during startup (logs above)"
      fi
      if (($(now_ms) - t0 >= INFRA_TIMEOUT * 1000)); then
        # shellcheck disable=SC2046
        [[ "$check" != yes ]] || tail_logs $(svc_logs "$svc")
        die "$svc: not answering at $(svc_url_safe "$svc") after ${INFRA_TIMEOUT}s"
      fi
      still+=("$svc")
    done
    pending=("${still[@]+"${still[@]}"}")
    [[ ${#pending[@]} -gt 0 ]] || break
    if (($(now_ms) - t0 >= next * 1000)); then
      log "infra: waiting for ${pending[*]} ... ${next}s"
      next=$((next + 5))
    fi
    sleep 0.5
  done
}

main() {
  parse_services "$@"
  local svc pid
  for svc in "${SERVICES[@]}"; do parse_url "$(svc_url "$svc")" "$(svc_default_port "$svc")" >/dev/null; done
  take_lock

  local -a missing=() summary=()
  for svc in "${SERVICES[@]}"; do
    if probe "$svc"; then
      local note=""
      if pid="$(svc_pid "$svc")"; then note=" (started by infra-up, pid $pid)"; elif [[ -f "$(svc_dockermark "$svc")" ]]; then note=" (docker compose)"; fi
      if [[ "$svc" == mongo && -f "$RUN_DIR/mongo$(svc_suffix mongo).backend" && -n "$note" ]]; then
        local running_backend; running_backend="$(cat "$RUN_DIR/mongo$(svc_suffix mongo).backend")"
        note="${note%)}, backend $running_backend)"
        [[ "$running_backend" == "$PITLANE_MONGO_BACKEND" ]] ||
          log "mongo: WARNING: running with backend '$running_backend' but PITLANE_MONGO_BACKEND=$PITLANE_MONGO_BACKEND; run 'scripts/infra-down.sh mongo' first to switch"
      fi
      summary+=("$svc: already running at $(svc_url_safe "$svc")$note")
    elif ! is_local_host "$(svc_host "$svc")"; then
      die "$svc: nothing answers at $(svc_url_safe "$svc") and '$(svc_host "$svc")' is not this machine, so it cannot be started here"
    elif pid="$(svc_pid "$svc")"; then
      # Launched earlier (e.g. a concurrent or interrupted run) and still booting: just wait for it.
      log "$svc: process $pid from an earlier run is still starting; waiting"
      wait_ready yes "$svc"
      summary+=("$svc: started earlier by infra-up, now ready (pid $(svc_pid "$svc" || echo '?'))")
    else
      missing+=("$svc")
    fi
  done

  if [[ ${#missing[@]} -gt 0 ]]; then
    local mode="${PITLANE_INFRA_MODE:-auto}"
    if [[ "$mode" == docker || ( "$mode" == auto && "$(docker_engine_ok && echo y)" == y ) ]]; then
      [[ "$mode" != docker ]] || docker_engine_ok || die "PITLANE_INFRA_MODE=docker but no Docker engine answers (docker info failed)"
      compose_env
      log "infra: docker compose up -d ${missing[*]}"
      compose up -d "${missing[@]}" >&2 || die "docker compose up -d ${missing[*]} failed"
      for svc in "${missing[@]}"; do touch "$(svc_dockermark "$svc")"; done
      wait_ready no "${missing[@]}"
      for svc in "${missing[@]}"; do
        summary+=("$svc: started with docker compose at $(svc_url_safe "$svc") (ready after $(fmt_ms "${READY_MS[$svc]}"))")
      done
    else
      [[ "$mode" == auto || "$mode" == local ]] || die "PITLANE_INFRA_MODE must be auto, docker or local (got '$mode')"
      { [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; } ||
        die "cannot start ${missing[*]}: no Docker engine answers and this is not Debian (apt-get); start them yourself or set MONGO_URL/REDIS_URL/AMQP_URL"
      [[ "$(id -u)" == 0 ]] ||
        die "cannot start ${missing[*]}: no Docker engine answers and the local fallback needs root (apt-get, daemons); rerun with sudo"
      ensure_packages "${missing[@]}"
      for svc in "${missing[@]}"; do
        [[ "$svc" != mongo ]] || build_launcher
        LAUNCH_MS[$svc]="$(now_ms)"
        "start_$svc"
        log "$svc: launched, waiting for $(svc_url_safe "$svc")"
      done
      # They boot in parallel.
      wait_ready yes "${missing[@]}"
      for svc in "${missing[@]}"; do
        pid="$(svc_pid "$svc" || echo '?')"
        local extra=""
        [[ "$svc" != mongo ]] || extra=", backend $PITLANE_MONGO_BACKEND"
        [[ "$svc" != rabbitmq ]] || extra=", node $(rabbit_nodename)"
        summary+=("$svc: started (pid $pid$extra) at $(svc_url_safe "$svc"), ready after $(fmt_ms "${READY_MS[$svc]}"); log $(svc_logfile "$svc")")
      done
    fi
  fi

  [[ -n "${PITLANE_INFRA_NO_MAILPIT:-}" ]] || bash "$PITLANE_ROOT/scripts/lib/mailpit.sh" >&2 || log "mailpit: not running (estimates cannot be e-mailed; see above)"
  local line
  for line in "${summary[@]}"; do log "$line"; done
  for svc in "${SERVICES[@]}"; do
    case "$svc" in
      mongo) printf 'export MONGO_URL=%q\n' "$MONGO_URL" ;;
      redis) printf 'export REDIS_URL=%q\n' "$REDIS_URL" ;;
      rabbitmq)
        printf 'export AMQP_URL=%q\n' "$AMQP_URL"
        # Lets the stock `rabbitmq-diagnostics -q ping` / `rabbitmqctl` find a locally started node.
        if svc_pid rabbitmq >/dev/null; then printf 'export RABBITMQ_NODENAME=%q\n' "$(rabbit_nodename)"; fi ;;
    esac
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
