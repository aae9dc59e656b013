#!/usr/bin/env bash
# Throwaway PostgreSQL server for the store tests (and .ci/run): initdb + pg_ctl from Debian's
# postgresql package in a private directory, listening on 127.0.0.1 only, on a free port.
#
#   scripts/pg-test-server.sh start   start (or find running) and print the DSN on stdout
#   scripts/pg-test-server.sh dsn     print the DSN of the running server (exit 1 if none)
#   scripts/pg-test-server.sh stop    stop it and delete its directory
#   scripts/pg-test-server.sh dir     print its directory (below)
#
# Idempotent: start on a running server prints its DSN again; stop on a stopped one is a no-op.
# Concurrent calls are serialised with flock. Root cannot run postgres, so as root the server
# runs as the `postgres` OS user (runuser); otherwise as the calling user. Trust auth is fine:
# the socket is 127.0.0.1 and a unix socket inside the private directory.
# Directory: $AIGW_PG_DIR, default /tmp/aigw-pg-<uid>-<cksum of this checkout's path> (one per checkout: the test
# runs of two worktrees never stop or reuse each other's server; before session 12 every checkout shared
# /tmp/aigw-pg-<uid>), then "-$AIGW_PG_SUFFIX" when that is set (tests/unit/gateway/pg_server.h: one server per suite).
set -euo pipefail

cmd="${1:-start}"
root="$(cd "$(dirname "$0")/.." && pwd -P)"
dir="${AIGW_PG_DIR:-/tmp/aigw-pg-$(id -u)-$(printf '%s' "$root" | cksum | cut -d' ' -f1)}${AIGW_PG_SUFFIX:+-$AIGW_PG_SUFFIX}"
if [ "$cmd" = dir ]; then echo "$dir"; exit 0; fi
data="$dir/data"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg-test-server: PostgreSQL server binaries not found (apt-get install postgresql; see scripts/install-deps.sh)" >&2
  exit 1
fi

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dsn() {
  echo "host=127.0.0.1 port=$(cat "$dir/port") user=aigw dbname=aigw connect_timeout=5"
}

running() {
  [ -f "$dir/port" ] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9

case "$cmd" in
start)
  if running; then dsn; exit 0; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
    chmod 700 "$data"
    as_pg "$bindir/initdb" -D "$data" -U aigw -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  port="$(free_port)"
  echo "$port" >"$dir/port"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
  as_pg "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100" start >/dev/null 9>&- ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U aigw -d postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname = 'aigw'" | grep -q 1 ||
    as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U aigw aigw
  dsn
  ;;
dsn)
  if running; then dsn; else exit 1; fi
  ;;
stop)
  if running; then as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|dsn|stop|dir" >&2
  exit 2
  ;;
esac
