# Starting and stopping the five services as background processes (pid files and logs in .pitlane/).
STACK_RUN="$PITLANE_ROOT/.pitlane/run"
STACK_LOGS="$PITLANE_ROOT/.pitlane/logs"
SERVICES=(bookings inventory billing webhooks gateway)

: "${INTERNAL_JWT_SECRET:=pitlane-local-stack-secret-change-me-0123456789}"
: "${GATEWAY_PORT:=8080}" "${BOOKINGS_PORT:=3001}" "${INVENTORY_PORT:=3002}" "${BILLING_PORT:=3003}" "${WEBHOOKS_PORT:=3004}"
export INTERNAL_JWT_SECRET
# Keys the local stack keeps across restarts (generated once into .pitlane/, git-ignored): the webhook
# signing secrets are encrypted at rest with WEBHOOK_SECRETS_KEYS, and console sessions are signed
# with CONSOLE_JWT_SECRET. A new key on every start would make stored secrets unreadable.
stack_key() {
  local file="$PITLANE_ROOT/.pitlane/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$PITLANE_ROOT/.pitlane"
    (umask 077; head -c 32 /dev/urandom | base64 > "$file")
  fi
  tr -d '\n' < "$file"
}
: "${WEBHOOK_SECRETS_KEYS:=stack1:$(stack_key webhook-secrets.key)}"
: "${CONSOLE_JWT_SECRET:=$(stack_key console-jwt.secret)}"
export WEBHOOK_SECRETS_KEYS CONSOLE_JWT_SECRET
# the local demo stack delivers webhooks to receivers on this machine (production keeps the SSRF guard on)
export WEBHOOK_ALLOW_PRIVATE_TARGETS="${WEBHOOK_ALLOW_PRIVATE_TARGETS:-true}"
export BOOKINGS_URL="http://127.0.0.1:$BOOKINGS_PORT" INVENTORY_URL="http://127.0.0.1:$INVENTORY_PORT"
export BILLING_URL="http://127.0.0.1:$BILLING_PORT" WEBHOOKS_URL="http://127.0.0.1:$WEBHOOKS_PORT"
# estimate approval links point at the gateway's public route
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$GATEWAY_PORT}"
# billing e-mails estimates to Mailpit (scripts/lib/mailpit.sh, started by infra-up): it catches every
# message, nothing leaves the machine; its web UI shows what customers would have received
: "${MAILPIT_SMTP_PORT:=1025}" "${MAILPIT_HTTP_PORT:=8025}"
export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:$MAILPIT_SMTP_PORT}"
export MAIL_FROM="${MAIL_FROM:-Pitlane demo <estimates@pitlane.local>}"
MAILPIT_UI="http://127.0.0.1:$MAILPIT_HTTP_PORT"

service_port() {
  case "$1" in
    gateway) echo "$GATEWAY_PORT" ;; bookings) echo "$BOOKINGS_PORT" ;; inventory) echo "$INVENTORY_PORT" ;;
    billing) echo "$BILLING_PORT" ;; webhooks) echo "$WEBHOOKS_PORT" ;;
  esac
}

service_running() {
  local pidfile="$STACK_RUN/$1.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

service_ready() {
  curl -fsS -m 2 "http://127.0.0.1:$(service_port "$1")/readyz" >/dev/null 2>&1
}

start_services() {
  mkdir -p "$STACK_RUN" "$STACK_LOGS"
  local service
  for service in "${SERVICES[@]}"; do
    if service_running "$service"; then
      say "$service: already running (pid $(cat "$STACK_RUN/$service.pid"))"
      continue
    fi
    PORT="$(service_port "$service")" nohup node "$PITLANE_ROOT/services/$service/dist/main.js" \
      >>"$STACK_LOGS/$service.log" 2>&1 &
    echo $! >"$STACK_RUN/$service.pid"
    say "$service: started (pid $!, port $(service_port "$service"), log .pitlane/logs/$service.log)"
  done
}

wait_services_ready() {
  local service deadline=$((SECONDS + ${STACK_TIMEOUT:-60}))
  for service in "${SERVICES[@]}"; do
    until service_ready "$service"; do
      if ! service_running "$service"; then
        tail -n 20 "$STACK_LOGS/$service.log" >&2 || true
        fail "$service exited; see .pitlane/logs/$service.log"
      fi
      [ "$SECONDS" -lt "$deadline" ] || fail "$service not ready after ${STACK_TIMEOUT:-60}s; see .pitlane/logs/$service.log"
      sleep 0.5
    done
    say "$service: ready on http://127.0.0.1:$(service_port "$service")"
  done
}

# SIGTERM, then wait for the graceful shutdown (drain HTTP, stop consumers, close connections).
stop_services() {
  local service pid i
  for service in gateway bookings inventory billing webhooks; do
    [ -f "$STACK_RUN/$service.pid" ] || continue
    pid="$(cat "$STACK_RUN/$service.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      say "$service: stopped"
    fi
    rm -f "$STACK_RUN/$service.pid"
  done
}
