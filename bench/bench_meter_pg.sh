#!/usr/bin/env bash
# Metered calls per second of three aigw instances on one PostgreSQL (issue 12: credit leases).
# A report, not a test: nothing here asserts a time.
#
# Three aigw processes (1 worker each) share one throwaway PostgreSQL (scripts/pg-test-server.sh,
# fsync on) and one master key; each gets its own wrk -t1 -c32 (HTTP/1.1, bench/chat_body.json) for
# the same SECS; the upstream is the bench mock (bench/mock_upstream.c). One user for every call,
# so all three instances meter the same balance: the case credit leases are for. Modes, alternating
# ROUNDS times, each on a fresh database:
#   off     the PostgreSQL store (call log with bodies, encrypted), no credits
#   nolease credits on, "lease_calls": 0: every reservation debits the user's balance row (the
#           design before leases: each instance's commit takes that row's lock)
#   lease   credits on with the default leases (32 calls per lease)
# Nothing is pinned (2 cores for 3 aigw, PostgreSQL, the mock and 3 wrk). Reported per run:
# aggregate calls/s, and CPU per call (utime+stime / completed calls) of the three aigw processes,
# of the PostgreSQL server (postmaster and its backends), and of the whole machine (/proc/stat busy
# time, which includes other jobs): on a shared 2-core VM the CPU per call is the figure to compare.
# After each credits run the instances are stopped (SIGTERM gives leases back) and the ledger is
# checked: sum(ledger) = balance row + leases, no open reservation, leases 0.
#
# Same-run baseline: AIGW_BENCH_PG_BASE=/path/to/an/older/aigw runs every mode with that binary too,
# right before the build's (rows "MODE/base"), so a change is compared on the same machine minutes apart.
# Several binaries, space-separated, run in that order before the build's (rows "MODE/base", "MODE/base2", ...).
#
# Usage: bash bench/bench_meter_pg.sh BUILD_DIR
# Env:   AIGW_BENCH_PG_SECS (default 5), AIGW_BENCH_PG_ROUNDS (default 3), AIGW_BENCH_PG_CONNS (per wrk, 32),
#        AIGW_BENCH_PG_MODES (default "off nolease lease"), AIGW_BENCH_PG_BASE (above),
#        AIGW_BENCH_PG_LEASE (more members of the lease mode's "credits", e.g. '"lease_calls":256'),
#        AIGW_BENCH_KEEP=1 keep the temp dir; AIGW_PG_DIR as for the tests (the server is stopped at the end
#        only if this script started it);
#        AIGW_BENCH_PG_STATEMENTS=1: what the server executed per completed call in each run's measured window,
#        from pg_stat_statements and pg_stat_wal (reset after the warm-up): per statement the statements, rows,
#        WAL records and bytes, shared buffer hits and executor time (wall time: under load it includes waiting
#        for the CPU and for row locks), and the run's WAL in total. Loads pg_stat_statements into the server
#        (ALTER SYSTEM shared_preload_libraries, pg_stat_statements.track = all, then pg_ctl restart) when it is
#        not loaded; a server this script did not start keeps that setting.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
SECS=${AIGW_BENCH_PG_SECS:-5}
ROUNDS=${AIGW_BENCH_PG_ROUNDS:-3}
CONNS=${AIGW_BENCH_PG_CONNS:-32}
MODES=${AIGW_BENCH_PG_MODES:-off nolease lease}
BASE_BIN=${AIGW_BENCH_PG_BASE:-}
LEASE_CONF=${AIGW_BENCH_PG_LEASE:-}
FIXTURES="$ROOT/tests/fixtures/providers/openai"
BODY="$ROOT/bench/chat_body.json"
CLK_TCK=$(getconf CLK_TCK)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_init bench-pg aigw-bench-pg
export AIGW_PG_DIR=${AIGW_PG_DIR:-$TMP/pg}
chmod 755 "$TMP" # mktemp makes it 0700; the server runs as postgres when this runs as root (scripts/pg-test-server.sh)
PG_STARTED=0
bench_cleanup_hook() { [ $PG_STARTED = 1 ] && bash "$ROOT/scripts/pg-test-server.sh" stop >/dev/null 2>&1; }
trap 'exit 130' INT TERM

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# utime+stime of the PostgreSQL server: the postmaster and every child it has now
pg_ticks() {
  local t=0 p
  for p in $PG_PID $(pgrep -P "$PG_PID"); do t=$((t + $(ticks "$p"))); done
  echo $t
}
# busy jiffies of the whole machine (user+nice+system+irq+softirq+steal)
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

cmake --build "$BUILD" --target mock_upstream aigw >"$TMP/build.log" 2>&1 || { tail -20 "$TMP/build.log" >&2; exit 1; }
command -v wrk >/dev/null || { log "wrk not installed; skipped"; exit 1; }
bash "$ROOT/scripts/pg-test-server.sh" dsn >/dev/null 2>&1 || PG_STARTED=1
BASE_DSN=$(bash "$ROOT/scripts/pg-test-server.sh" start) || { log "cannot start PostgreSQL"; exit 1; }
PG_PID=$(head -1 "$AIGW_PG_DIR/data/postmaster.pid")
psqlq() { psql "$1" -qtAX -c "$2"; }
STMTS=${AIGW_BENCH_PG_STATEMENTS:-0}
if [ "$STMTS" = 1 ]; then
  case "$(psqlq "$BASE_DSN" "SHOW shared_preload_libraries")" in
  *pg_stat_statements*) ;;
  *)
    # the library's own settings are known to the server only once it is loaded (PostgreSQL 15 refuses
    # ALTER SYSTEM of an unknown pg_stat_statements.track): load it, restart, then set track and reload
    psqlq "$BASE_DSN" "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" || exit 1
    pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$pgbin/pg_ctl" -D "$AIGW_PG_DIR/data" -w restart >/dev/null
    else
      "$pgbin/pg_ctl" -D "$AIGW_PG_DIR/data" -w restart >/dev/null
    fi || { log "cannot restart PostgreSQL with pg_stat_statements"; exit 1; }
    PG_PID=$(head -1 "$AIGW_PG_DIR/data/postmaster.pid")
    psqlq "$BASE_DSN" "ALTER SYSTEM SET pg_stat_statements.track = 'all'" >/dev/null &&
      psqlq "$BASE_DSN" "SELECT pg_reload_conf()" >/dev/null || exit 1
    ;;
  esac
  psqlq "$BASE_DSN" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null || exit 1
fi
# STMTS=1: the statements of database $1 per call ($2 completed calls) since the last reset, into $3
stmt_report() {
  local db=$1 calls=$2 out=$3
  [ "$calls" -gt 0 ] || return 0
  {
    psql "$BASE_DSN" -qtAX -c "SELECT 'all statements ' || round(sum(calls)::numeric / $calls, 3) || ' per call (WAL records '
      || round(sum(wal_records)::numeric / $calls, 2) || ', bytes ' || round(sum(wal_bytes)::numeric / $calls, 0)
      || '); the server''s WAL per call (pg_stat_wal): records ' || (SELECT round(wal_records::numeric / $calls, 2)
      || ', bytes ' || round(wal_bytes::numeric / $calls, 0) || ', full-page images ' || round(wal_fpi::numeric / $calls, 3)
      FROM pg_stat_wal) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db'"
    echo
    echo "| statement | per call | rows | WAL records | WAL bytes | buffer hits | executor µs |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    psql "$BASE_DSN" -qtAX -F ' | ' -c "SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 60),
      round(calls::numeric / $calls, 3), round(rows::numeric / $calls, 3), round(wal_records::numeric / $calls, 2),
      round(wal_bytes::numeric / $calls, 0), round(shared_blks_hit::numeric / $calls, 1),
      round((total_exec_time * 1000 / $calls)::numeric, 1)
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db'
      ORDER BY total_exec_time DESC LIMIT 16" | sed 's/^/| /; s/$/ |/'
  } >"$out"
}

start_mock "$BUILD/mock_upstream" --fixtures "$FIXTURES" || exit 1
"$BUILD/aigw" keygen "$TMP/master.key" >/dev/null || exit 1

RESULTS="$TMP/results.tsv" # mode run calls secs aigw_ticks pg_ticks machine_ticks errors p50 p99 ledger
: >"$RESULTS"
export AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user"

wait_wrk() { local p; for p in "$@"; do wait "$p"; done; }
run_one() { # MODE RUN [AIGW_BINARY LABEL]
  local mode=$1 n=$2 bin=${3:-$BUILD/aigw} label=${4:-$1} credits=""
  local db="aigw_bench_${label//\//_}_$n"
  psqlq "$BASE_DSN" "DROP DATABASE IF EXISTS $db" && psqlq "$BASE_DSN" "CREATE DATABASE $db" || return 1
  local dsn=${BASE_DSN/dbname=aigw/dbname=$db}
  case $mode in
  nolease) credits=',"credits":{"default_grant":1000000000000000,"lease_calls":0}' ;;
  lease) credits=',"credits":{"default_grant":1000000000000000'"${LEASE_CONF:+,$LEASE_CONF}"'}' ;;
  esac
  local i port aps=() urls=()
  for i in 0 1 2; do
    local dir="$TMP/${label//\//_}-$n-$i"
    mkdir -p "$dir"
    port=$(free_port)
    cat >"$dir/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$port}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"},
 "master_key_file":"$TMP/master.key",
 "store":{"driver":"postgres","dsn":"$dsn"}$credits}
EOF
    "$bin" serve --config "$dir/aigw.json" >"$dir/aigw.log" 2>&1 &
    aps+=($!)
    PIDS+=($!)
    urls+=("http://127.0.0.1:$port/v1/chat/completions")
    # one at a time: the first applies the migrations
    local up=0
    for _ in $(seq 100); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && { up=1; break; }
      sleep 0.1
    done
    [ $up = 1 ] || { log "$mode run $n: instance $i did not start: $(tail -2 "$dir/aigw.log")"; return 1; }
  done
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
    -H 'Authorization: Bearer bench-client-key' -H 'X-AIGW-User: bench-user' --data-binary "@$BODY" "${urls[0]}")
  [ "$code" = 200 ] || { log "$mode run $n: sanity call answered $code"; return 1; }
  local a0=0 a1=0 g0 g1 m0 m1 wp=()
  for i in 0 1 2; do
    wrk -t1 -c8 -d1s -s "$ROOT/bench/chat.lua" "${urls[$i]}" >/dev/null 2>&1 &
    wp+=($!)
  done
  wait_wrk "${wp[@]}"
  wp=()
  for i in 0 1 2; do a0=$((a0 + $(ticks "${aps[$i]}"))); done
  [ "$STMTS" = 1 ] && psqlq "$BASE_DSN" "SELECT pg_stat_statements_reset(), pg_stat_reset_shared('wal')" >/dev/null
  g0=$(pg_ticks) m0=$(machine_ticks)
  for i in 0 1 2; do
    wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 5s -s "$ROOT/bench/chat.lua" "${urls[$i]}" >"$TMP/wrk-${label//\//_}-$n-$i.txt" 2>&1 &
    wp+=($!)
  done
  wait_wrk "${wp[@]}"
  for i in 0 1 2; do a1=$((a1 + $(ticks "${aps[$i]}"))); done
  g1=$(pg_ticks) m1=$(machine_ticks)
  local calls=0 dur=0 errs=0 p50=0 p99=0 line v kv
  for i in 0 1 2; do
    line=$(grep '^RESULT ' "$TMP/wrk-${label//\//_}-$n-$i.txt" | tail -1)
    v=()
    for kv in ${line#RESULT }; do v+=("${kv#*=}"); done
    [ ${#v[@]} -ge 6 ] || { log "$mode run $n: wrk $i produced no result"; continue; }
    calls=$((calls + v[0] - v[4])) errs=$((errs + v[4] + v[5]))
    [ "${v[1]}" -gt $dur ] && dur=${v[1]}
    [ "${v[2]}" -gt $p50 ] && p50=${v[2]}
    [ "${v[3]}" -gt $p99 ] && p99=${v[3]}
  done
  [ "$STMTS" = 1 ] && stmt_report "$db" "$calls" "$TMP/stmts-${label//\//_}-$n.md"
  for i in 0 1 2; do kill -TERM "${aps[$i]}"; done
  for i in 0 1 2; do wait "${aps[$i]}" 2>/dev/null; done
  local chk="-"
  if [ "$mode" != off ]; then
    chk=$(psqlq "$dsn" "SELECT (SELECT SUM(amount_microcredits) FROM ledger WHERE user_id = 'bench-user') =
      (SELECT balance FROM credit_balances WHERE user_id = 'bench-user')
      + (SELECT COALESCE(SUM(amount), 0) FROM credit_leases WHERE user_id = 'bench-user'),
      (SELECT COUNT(*) FROM credit_open), (SELECT COUNT(*) FROM credit_leases),
      (SELECT COUNT(*) FROM ledger WHERE kind = 'reserve')" | tr '|' ' ')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$calls" "$dur" "$((a1 - a0))" "$((g1 - g0))" \
    "$((m1 - m0))" "$errs" "$p50" "$p99" "$chk" >>"$RESULTS"
  log "$label run $n: $calls calls in $dur us, aigw $((a1 - a0)) ticks, postgres $((g1 - g0)), machine $((m1 - m0)), errors $errs, ledger $chk"
  psqlq "$BASE_DSN" "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  for m in $MODES; do
    k=0
    for b in $BASE_BIN; do
      k=$((k + 1))
      run_one "$m" "$r" "$b" "$m/base$([ $k -gt 1 ] && echo $k)"
    done
    run_one "$m" "$r"
  done
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
if [ "$STMTS" = 1 ]; then
  for f in "$TMP"/stmts-*.md; do
    [ -f "$f" ] || continue
    echo "statements per completed call, run $(basename "$f" .md | sed 's/^stmts-//'):"
    cat "$f"
    echo
  done
fi

export AIGW_BENCH_CLK_TCK=$CLK_TCK AIGW_BENCH_LOAD="$LOAD_BEFORE / $LOAD_AFTER" AIGW_BENCH_SECS=$SECS AIGW_BENCH_CONNS=$CONNS
# the commit of the measured build's source tree (its CMakeCache), not of this script's tree
BUILD_SRC=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)
export AIGW_BENCH_COMMIT=$(git -C "${BUILD_SRC:-$ROOT}" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$RESULTS" <<'PY'
import os, statistics, sys
hz = int(os.environ["AIGW_BENCH_CLK_TCK"])
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"commit {os.environ['AIGW_BENCH_COMMIT']}, load average before/after {os.environ['AIGW_BENCH_LOAD']}, "
      f"{os.environ['AIGW_BENCH_SECS']} s per run, 3 x wrk -t1 -c{os.environ['AIGW_BENCH_CONNS']}")
print()
print("| mode | run | calls/s | errors | max p50 µs | max p99 µs | aigw CPU/call µs | PostgreSQL CPU/call µs | machine CPU/call µs | ledger (sum = row + leases, open, leases, reserves) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
runs = {}
for mode, n, calls, dur, at, gt, mt, errs, p50, p99, chk in rows:
    calls, dur = int(calls), int(dur)
    if calls == 0 or dur == 0:
        continue
    r = dict(rps=calls * 1e6 / dur, a=int(at) * 1e6 / hz / calls, g=int(gt) * 1e6 / hz / calls, m=int(mt) * 1e6 / hz / calls)
    runs.setdefault(mode, []).append(r)
    print(f"| {mode} | {n} | {r['rps']:.0f} | {errs} | {p50} | {p99} | {r['a']:.1f} | {r['g']:.1f} | {r['m']:.1f} | {chk} |")
print()
for mode, rs in runs.items():
    med = lambda k: statistics.median(x[k] for x in rs)
    print(f"median {mode}: {med('rps'):.0f} calls/s, aigw {med('a'):.1f} µs/call, PostgreSQL {med('g'):.1f} µs/call, "
          f"machine {med('m'):.1f} µs/call")
PY
