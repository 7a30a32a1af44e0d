#!/usr/bin/env bash
# Stop what scripts/infra-up.sh started; data under .pitlane/data is kept.
#
#   scripts/infra-down.sh [mongo|redis|rabbitmq]...     (no args = all three)
#
# Uses the same MONGO_URL / REDIS_URL / AMQP_URL (ports) as infra-up to find the pid files.
# Services infra-up did not start (no pid file / docker marker) are left alone. Idempotent.
set -euo pipefail

# shellcheck source=scripts/infra-up.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/infra-up.sh"

# wait_gone PID SECONDS -> 0 once the process is gone
wait_gone() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    # A zombie (child of an exited parent not yet reaped) counts as gone.
    [[ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ]] || return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# term_pid SVC PID : SIGTERM, then SIGKILL after a grace period
term_pid() {
  local svc="$1" pid="$2"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 30; then
    log "$svc: pid $pid did not exit after SIGTERM within 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || true
  fi
}

stop_simple() { # mongo, redis
  local svc="$1" pid
  if pid="$(svc_pid "$svc")"; then
    term_pid "$svc" "$pid"
    rm -f "$(svc_pidfile "$svc")" "$RUN_DIR/$svc$(svc_suffix "$svc").backend"
    log "$svc: stopped (pid $pid)"
    return 0
  fi
  rm -f "$(svc_pidfile "$svc")"
  return 1
}

stop_rabbitmq() {
  local beam="" wrapper="" pid
  beam="$(pid_from_file "$(svc_pidfile rabbitmq)" 'beam')" || beam=""
  wrapper="$(pid_from_file "$(rabbit_launcher_pidfile)" 'rabbitmq-server')" || wrapper=""
  if [[ -z "$beam" && -z "$wrapper" ]]; then
    rm -f "$(svc_pidfile rabbitmq)" "$(rabbit_launcher_pidfile)"
    return 1
  fi
  # Graceful: rabbitmqctl stop against our node with our cookie; fall back to signals.
  if [[ -n "$beam" && -x "$RABBITMQ_BIN_DIR/rabbitmqctl" ]] &&
    rabbit_cli rabbitmqctl -q stop >/dev/null 2>&1; then
    wait_gone "$beam" 30 || term_pid rabbitmq "$beam"
  else
    for pid in $beam $wrapper; do term_pid rabbitmq "$pid"; done
  fi
  [[ -z "$wrapper" ]] || wait_gone "$wrapper" 10 || term_pid rabbitmq "$wrapper"
  rm -f "$(svc_pidfile rabbitmq)" "$(rabbit_launcher_pidfile)"
  log "rabbitmq: stopped (node $(rabbit_nodename), pid ${beam:-$wrapper})"
}

down_main() {
  parse_services "$@"
  take_lock
  local svc stopped
  for svc in "${SERVICES[@]}"; do
    parse_url "$(svc_url "$svc")" "$(svc_default_port "$svc")" >/dev/null
    stopped=""
    case "$svc" in
      rabbitmq) stop_rabbitmq && stopped=1 ;;
      *) stop_simple "$svc" && stopped=1 ;;
    esac
    if [[ -f "$(svc_dockermark "$svc")" ]]; then
      if docker_engine_ok; then
        compose_env
        compose stop "$svc" >&2 && rm -f "$(svc_dockermark "$svc")" && stopped=1 && log "$svc: stopped docker compose service"
      else
        log "$svc: was started with docker compose, but no Docker engine answers now; leaving it"
      fi
    fi
    if [[ -z "$stopped" ]]; then
      if probe "$svc"; then
        log "$svc: not started by infra-up (something else answers at $(svc_url_safe "$svc")); left alone"
      else
        log "$svc: not running"
      fi
    fi
  done
  # the SMTP catcher infra-up starts (scripts/lib/mailpit.sh), when all services are stopped
  local mailpit_pid="$RUN_DIR/mailpit.pid"
  if [[ $# -eq 0 && -f "$mailpit_pid" ]]; then
    kill "$(cat "$mailpit_pid")" 2>/dev/null && log "mailpit: stopped (pid $(cat "$mailpit_pid"))"
    rm -f "$mailpit_pid"
  fi
}

down_main "$@"
