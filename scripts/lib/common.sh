# Shared by the project's scripts: repo root, Node 24 from node_modules, dependency install.
PITLANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export PATH="$PITLANE_ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# npm ci when node_modules is missing or older than the lockfile. The `node@24` dev dependency puts a
# Node 24 binary in node_modules/.bin, which npm scripts and these scripts put first on PATH.
ensure_dependencies() {
  command -v npm >/dev/null || fail "npm is not installed (apt-get install nodejs npm, or any Node.js >= 20 with npm)"
  if [ ! -x "$PITLANE_ROOT/node_modules/.bin/node" ] || [ "$PITLANE_ROOT/package-lock.json" -nt "$PITLANE_ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm dependencies (npm ci)"
    (cd "$PITLANE_ROOT" && npm ci --no-audit --no-fund)
  fi
  local version
  version="$("$PITLANE_ROOT/node_modules/.bin/node" --version)"
  case "$version" in
    v24.*) ;;
    *) fail "expected Node 24 from node_modules/.bin/node, got $version" ;;
  esac
}

# Starts (or finds) MongoDB-compatible storage, Redis and RabbitMQ and exports their URLs.
ensure_infra() {
  local exports
  exports="$(bash "$PITLANE_ROOT/scripts/infra-up.sh" "$@")" || fail "infrastructure did not come up (see above)"
  eval "$exports"
  export MONGO_URL REDIS_URL AMQP_URL
}
