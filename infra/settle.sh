#!/usr/bin/env bash
# Settle's one entry point. Both README commands call it:
#   bash infra/settle.sh up     set up, migrate, seed demo data, run every process
#   bash infra/settle.sh test   set up, then lint, typecheck and run every test suite
# Other sub-commands: setup (only the set-up), migrate, keys (API keys: create|list|revoke),
# bench [payment|capacity|fairness|burst] (payment latency unless named), chaos (fault-injection suite: --small, --invoices N, --seed S, --minutes M;
# docs/chaos.md), help.
#
# The set-up is idempotent and cached: built tools live in $SETTLE_TOOLS_DIR
# (default ~/.cache/settle/tools) under versioned names, so a second run only checks them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${SETTLE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/settle/tools}
NODE_VERSION=$(tr -d '[:space:]' <"$ROOT/.node-version")
PNPM_VERSION=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")
TEMPORAL_CLI_VERSION=v1.5.1 # newest tag that `go install` accepts (later ones carry a replace directive)
STRIPE_MOCK_VERSION=v0.203.0
MIN_NODE_MAJOR=22
DATA_DIR="$ROOT/.data"

say() { printf '\033[1;34m[settle]\033[0m %s\n' "$*"; }
die() {
  printf '\033[1;31m[settle] error:\033[0m %s\n' "$*" >&2
  exit 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

setup_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then major=$(node -p 'process.versions.node.split(".")[0]'); fi
  if [ "$major" -ge "$MIN_NODE_MAJOR" ]; then
    say "node: $(node --version) from $(command -v node)"
    return
  fi
  local dir="$TOOLS/node-$NODE_VERSION"
  if [ ! -x "$dir/node_modules/node/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || die "Node.js >= $MIN_NODE_MAJOR is required and npm is missing to install it; install Node.js $NODE_VERSION and re-run."
    say "node: system Node is ${major:-absent}, installing node@$NODE_VERSION from the npm registry into $dir"
    npm install --silent --no-save --no-audit --no-fund --prefix "$dir" "node@$NODE_VERSION" >/dev/null
  fi
  "$dir/node_modules/node/bin/node" --version >/dev/null 2>&1 || die "node@$NODE_VERSION in $dir does not run; remove that folder and re-run."
  export PATH="$dir/node_modules/node/bin:$PATH"
  say "node: $(node --version) from $dir"
}

setup_pnpm() {
  local dir="$TOOLS/pnpm-$PNPM_VERSION"
  if [ ! -x "$dir/node_modules/.bin/pnpm" ]; then
    say "pnpm: installing pnpm@$PNPM_VERSION into $dir"
    npm install --silent --no-save --no-audit --no-fund --prefix "$dir" "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
  export COREPACK_ENABLE_STRICT=0
  say "pnpm: $(pnpm --version)"
}

install_dependencies() {
  say "dependencies: pnpm install from the lockfile"
  (cd "$ROOT" && pnpm install --frozen-lockfile --prefer-offline --reporter=silent)
}

# go_tool NAME MODULE VERSION: the binary on PATH, else one built once with `go install`.
go_tool() {
  local name=$1 module=$2 version=$3 bin="$TOOLS/bin/$1-$3"
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return
  fi
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null 2>&1 || die "$name is not on PATH and Go is missing to build it: install Go >= 1.22 (or put $name on PATH) and re-run."
    say "$name: building $module@$version with go install (first run only, a few minutes)" >&2
    local tmp
    tmp=$(mktemp -d)
    GOBIN="$tmp" CGO_ENABLED=0 go install "$module@$version" >&2 || die "go install $module@$version failed (see above)."
    mkdir -p "$TOOLS/bin"
    mv "$tmp/$(basename "$module")" "$bin"
    rm -rf "$tmp"
  fi
  echo "$bin"
}

setup_temporal() {
  TEMPORAL_CLI_PATH=$(go_tool temporal github.com/temporalio/cli/cmd/temporal "$TEMPORAL_CLI_VERSION")
  export TEMPORAL_CLI_PATH
  say "temporal: $TEMPORAL_CLI_PATH"
}

setup_stripe_mock() {
  STRIPE_MOCK_PATH=$(go_tool stripe-mock github.com/stripe/stripe-mock "$STRIPE_MOCK_VERSION")
  export STRIPE_MOCK_PATH
  say "stripe-mock: $STRIPE_MOCK_PATH"
}

# Temporal's time-skipping test server (Java, from Maven Central) behind a small launcher script,
# the `existing-path` executable of TestWorkflowEnvironment.createTimeSkipping.
setup_time_skipping_server() {
  local version dir launcher
  version=$(sed -n 's:.*<version>\([0-9.]*\)</version>.*:\1:p' "$ROOT/infra/temporal-test-server/pom.xml" | tail -n 1)
  dir="$TOOLS/temporal-test-server-$version"
  launcher="$dir/temporal-test-server"
  if [ ! -x "$launcher" ]; then
    command -v java >/dev/null 2>&1 || die "Java >= 11 is needed for Temporal's time-skipping test server (workflow tests): install it (Debian: apt-get install openjdk-17-jre-headless) and re-run."
    command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Temporal's time-skipping test server: install it (Debian: apt-get install maven) and re-run."
    say "temporal test server: fetching io.temporal:temporal-test-server:$version from Maven Central (first run only)"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/lib"
    mvn -q -B -f "$ROOT/infra/temporal-test-server/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir.tmp/lib" ||
      die "could not fetch the Temporal test server with Maven (see above)."
    printf '#!/bin/sh\nexec java -cp "%s/lib/*" io.temporal.testserver.TestServer "$@"\n' "$dir" >"$dir.tmp/temporal-test-server"
    chmod +x "$dir.tmp/temporal-test-server"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  export TEMPORAL_TEST_SERVER_PATH="$launcher"
  say "temporal test server: $launcher"
}

setup_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    pg_ok "$DATABASE_URL" || die "DATABASE_URL is set but PostgreSQL does not answer there; check the URL, or unset it to use this machine's local cluster."
    say "postgres: using DATABASE_URL"
    return
  fi
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    die "no PostgreSQL found. Either set DATABASE_URL=postgres://user:password@host:5432/settle (a role that may CREATE DATABASE, for tests), or install PostgreSQL >= 15 (Debian: apt-get install postgresql) and re-run."
  fi
  local line version cluster port status
  line=$(pg_lsclusters --no-header | head -n 1)
  [ -n "$line" ] || die "PostgreSQL is installed but has no cluster; create one with 'pg_createcluster 15 main' or set DATABASE_URL."
  read -r version cluster port status _ <<<"$line"
  if [ "$status" != online ]; then
    say "postgres: starting local cluster $version/$cluster"
    pg_ctlcluster "$version" "$cluster" start || die "could not start PostgreSQL cluster $version/$cluster; start it yourself or set DATABASE_URL."
  fi
  # The project's role (may create databases: the tests make one per file) and database.
  as_postgres psql -p "$port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'settle'" | grep -q 1 ||
    as_postgres psql -p "$port" -qc "CREATE ROLE settle LOGIN CREATEDB PASSWORD 'settle'"
  as_postgres psql -p "$port" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'settle'" | grep -q 1 ||
    as_postgres psql -p "$port" -qc "CREATE DATABASE settle OWNER settle"
  # Dropping a test database WITH (FORCE) must be able to stop an autovacuum worker busy in it.
  as_postgres psql -p "$port" -qtAc "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = 'pg_signal_backend' AND u.rolname = 'settle'" | grep -q 1 ||
    as_postgres psql -p "$port" -qc "GRANT pg_signal_backend TO settle"
  export DATABASE_URL="postgres://settle:settle@127.0.0.1:$port/settle"
  pg_ok "$DATABASE_URL" || die "PostgreSQL cluster $version/$cluster runs but refuses $DATABASE_URL; check pg_hba.conf allows password logins on 127.0.0.1."
  say "postgres: local cluster $version/$cluster on port $port, database settle"
}

pg_ok() {
  psql "$1" -qtAc 'SELECT 1' >/dev/null 2>&1 && return 0
  # psql may be missing where DATABASE_URL points elsewhere: ask through node-postgres instead.
  (cd "$ROOT/packages/db" && node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$1") >/dev/null 2>&1
}

setup_chromium() {
  local path
  path=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$path" ]; then
    [ "$(id -u)" = 0 ] || die "Chromium is needed for the browser tests: install it (Debian: sudo apt-get install chromium) and re-run."
    say "chromium: installing the Debian package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      die "apt-get install chromium failed; install Chromium yourself and put it on PATH."
    path=$(command -v chromium)
  fi
  export CHROMIUM_PATH="$path"
  say "chromium: $path"
}

setup() {
  mkdir -p "$TOOLS" "$DATA_DIR"
  setup_node
  setup_pnpm
  install_dependencies
  setup_temporal
  setup_stripe_mock
  setup_postgres
}

cmd=${1:-help}
case "$cmd" in
setup)
  setup
  setup_time_skipping_server
  setup_chromium
  say "set-up complete"
  ;;
up)
  setup
  cd "$ROOT" && exec pnpm exec tsx infra/dev/up.ts "${@:2}"
  ;;
test)
  setup
  setup_time_skipping_server
  setup_chromium
  cd "$ROOT" && exec pnpm exec tsx infra/test/run-all.ts "${@:2}"
  ;;
keys)
  setup
  cd "$ROOT" && exec pnpm --silent --filter @settle/api keys "${@:2}"
  ;;
bench)
  # bench [payment|capacity|fairness|burst] [args]: payment latency unless another is named.
  bench_name=payment
  case "${2:-}" in
  payment | capacity | fairness | burst) bench_name=$2; set -- "$1" "${@:3}" ;;
  esac
  case "$bench_name" in
  payment) bench_file=payment-latency ;;
  capacity) bench_file=workflow-capacity ;;
  fairness) bench_file=send-fairness ;;
  burst) bench_file=send-burst ;;
  esac
  setup
  cd "$ROOT" && exec pnpm exec tsx "infra/bench/$bench_file.ts" "${@:2}"
  ;;
chaos)
  setup
  cd "$ROOT" && exec pnpm exec tsx infra/chaos/run.ts "${@:2}"
  ;;
migrate)
  setup
  cd "$ROOT" && exec pnpm --silent migrate
  ;;
help | -h | --help)
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  ;;
*)
  die "unknown command '$cmd'; use: up, test, setup, migrate, keys, bench, chaos"
  ;;
esac
